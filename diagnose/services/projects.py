"""The transformation project of an enterprise: provider, dates, funding, itemised products."""

from __future__ import annotations

from datetime import date

from diagnose.accounts import Actor
from diagnose.problems import Problem
from diagnose.services.errors import ValidationFailed
from diagnose.services.guard import require
from diagnose.services.lookup import enterprise_row
from diagnose.store import Store, records


def check_project(data: dict) -> tuple[dict, list[dict], list[Problem]]:
    """Clean project fields and item rows, or the problems (place = field, or items[N].field)."""
    problems = []
    provider = str(data.get("provider") or "").strip()
    if not provider:
        problems.append(Problem("改造项目", "provider", "服务商不能为空"))
    dates = {}
    for key, label in (("contract_signed_on", "合同签订日期"), ("started_on", "开始日期"), ("finished_on", "完成日期")):
        value = data.get(key)
        try:
            dates[key] = date.fromisoformat(value) if isinstance(value, str) and value else value
        except ValueError:
            problems.append(Problem("改造项目", key, f"{label}应为日期，如 2025-03-01"))
    if (
        all(isinstance(dates.get(k), date) for k in ("started_on", "finished_on"))
        and dates["finished_on"] < dates["started_on"]
    ):
        problems.append(Problem("改造项目", "finished_on", "完成日期不能早于开始日期"))
    items = []
    for i, item in enumerate(data.get("items") or []):
        name = str(item.get("name") or "").strip()
        quantity, price = item.get("quantity"), item.get("unit_price")
        if not name:
            problems.append(Problem("改造项目", f"items[{i}].name", "产品或服务名称不能为空"))
        for key, value, label in (("quantity", quantity, "数量"), ("unit_price", price, "单价")):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                problems.append(Problem("改造项目", f"items[{i}].{key}", f"{label}应为不小于 0 的数字"))
        items.append(
            {
                "name": name,
                "product_id": str(item.get("product_id") or ""),
                "quantity": quantity,
                "unit": str(item.get("unit") or "套"),
                "unit_price": price,
            }
        )
    fields = {"provider": provider, "funded": bool(data.get("funded")), **dates}
    return fields, items, problems


def record_project(store: Store, actor: Actor, enterprise_id: int, data: dict) -> int:
    """Store a project with its itemised list (contracts must list each product with its price)."""
    require(store, actor, "project.record", enterprise_id)
    fields, items, problems = check_project(data)
    if problems:
        raise ValidationFailed(problems)
    with store.write() as conn:
        enterprise_row(conn, enterprise_id)
        project_id = records.insert_project(conn, {"enterprise_id": enterprise_id, **fields}, items)
        records.audit(conn, actor.username, "create", "project", project_id, new=fields | {"items": items})
    return project_id


def projects_of(store: Store, actor: Actor, enterprise_id: int) -> list[dict]:
    require(store, actor, "enterprise.read", enterprise_id)
    with store.read() as conn:
        return records.projects_of(conn, enterprise_id)
