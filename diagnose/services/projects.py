"""The transformation project of an enterprise (项目备案 → 验收).

Recorded from an approved baseline by a consultant of the enterprise or an
admin: the contract (provider, number, date and the contents the pilot's
contracts must state), the itemised products and services (catalog products at
the live catalog's price; free items allowed and marked as outside the
catalog), dates, public funding, documents, and a status 已签约 → 实施中 →
已完成. 已验收 is never set by hand: it follows the approval of an after-visit
of the project. Every edit is revision-checked like an answer.
"""

from __future__ import annotations

from datetime import date

from diagnose import clock
from diagnose.access.policy import Actor
from diagnose.numbers import read_number, shown
from diagnose.pilot import PROJECT_STATUSES
from diagnose.problems import Problem
from diagnose.services.errors import Conflict, NotEditable, NotFound, ValidationFailed
from diagnose.services.guard import require, visible_enterprises
from diagnose.services.lookup import assessment_row, enterprise_row
from diagnose.store import Store, project_records, records

SETTABLE = ("signed", "implementing", "finished")  # accepted follows an approved after-visit
DOCUMENT_KINDS = {"contract": "合同", "invoice": "发票或付款凭证", "investment_list": "投入清单明细表",
                  "declaration": "真实性声明", "filing_form": "备案表", "other": "其他"}  # fmt: skip
CONTRACT_TEXTS = (("responsibilities", "各方责任"), ("measures", "改造措施"), ("period", "实施期限"),
                  ("goals", "实现目标"))  # fmt: skip
MAX_TEXT = 2000
MAX_ITEMS = 200
MAX_AMOUNT = 1e9  # 元: a project of a billion yuan is a typing error in an SME pilot
MAX_QUANTITY = 1e6
PLACE = "改造项目"


def _problem(field: str, message: str) -> Problem:
    return Problem(PLACE, field, message)


def _text(data: dict, key: str, label: str, limit: int, problems: list[Problem], required: bool = True) -> str:
    value = data.get(key)
    text = "" if value is None else str(value).strip()
    if required and not text:
        problems.append(_problem(key, f"{label}不能为空"))
    elif len(text) > limit:
        problems.append(_problem(key, f"{label}不超过 {limit} 字（现 {len(text)} 字）"))
    return text


def _date(data: dict, key: str, label: str, problems: list[Problem]) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, date):
        parsed = value
    else:
        try:
            parsed = date.fromisoformat(str(value).strip())
        except ValueError:
            problems.append(_problem(key, f"{label}应为日期，如 2025-03-01，而不是“{value}”"))
            return None
    if parsed > clock.today():
        problems.append(_problem(key, f"{label}不能晚于今天（{clock.today().isoformat()}）"))
    elif parsed.year < 2000:
        problems.append(_problem(key, f"{label}不合理：{parsed.isoformat()}"))
    return parsed


def _number(value, field: str, label: str, low: float, high: float, problems: list[Problem],
            strictly_above: bool = False) -> float | None:  # fmt: skip
    """``value`` read as a number within ``low``–``high`` (above ``low`` when ``strictly_above``), or
    None and a problem naming ``label`` and saying why (as every figure reader says it: ``read_number``)."""
    number = read_number(value) if value is not None else "必须填写"
    if isinstance(number, str):
        problems.append(_problem(field, f"{label}{number}"))
        return None
    if number < low or (strictly_above and number == low) or number > high:
        bound = "大于" if strictly_above else "不小于"
        said = f"{label}应为{bound} {low:g}、不超过 {high:,.0f} 的数字，而不是 {shown(number)}"
        problems.append(_problem(field, said))
        return None
    return number


def check_project(data: dict, prices: dict[str, dict], providers: dict[int, str] | None = None
                  ) -> tuple[dict, list[dict], list[Problem]]:  # fmt: skip
    """Clean fields and item rows, or every problem (place = field, or items[N].field).

    ``prices`` is the live catalog by product id: a catalog item takes the catalog's name,
    unit and price (providers may not change prices on their own, DOMAIN.md §3b).
    ``providers`` are the registered organisations a project may be contracted with, by id:
    ``organisation_id`` names one of them, and then ``provider`` is its name whatever was typed
    (one provider, said one way everywhere), or none: a provider not registered, named in
    ``provider`` alone."""
    problems: list[Problem] = []
    organisation_id = _organisation(data.get("organisation_id"), providers or {}, problems)
    if organisation_id is not None:
        data = data | {"provider": (providers or {})[organisation_id]}
    fields = {
        "organisation_id": organisation_id,
        "provider": _text(data, "provider", "服务商", 200, problems),
        "contract_no": _text(data, "contract_no", "合同编号", 100, problems),
        "contract_signed_on": _date(data, "contract_signed_on", "合同签订日期", problems),
        "started_on": _date(data, "started_on", "开始日期", problems),
        "finished_on": _date(data, "finished_on", "完成日期", problems),
        "funded": bool(data.get("funded")),
    }
    for key, label in CONTRACT_TEXTS:
        fields[key] = _text(data, key, f"合同约定的{label}", MAX_TEXT, problems)
    if fields["contract_signed_on"] is None and not any(p.place == "contract_signed_on" for p in problems):
        problems.append(_problem("contract_signed_on", "合同签订日期不能为空"))
    started, finished = fields["started_on"], fields["finished_on"]
    if started and finished and finished < started:
        problems.append(_problem("finished_on", "完成日期不能早于开始日期"))
    status = data.get("status") or "signed"
    # a project file (or a person) may name the status as the page shows it: 已完成 is finished
    status = {name: code for code, name in PROJECT_STATUSES.items()}.get(status, status)
    if status not in SETTABLE:
        names = "、".join(PROJECT_STATUSES[s] for s in SETTABLE)
        problems.append(_problem("status", f"状态应为：{names}（已验收由改造后评测审核通过确定）"))
    elif status in ("implementing", "finished") and started is None and "started_on" not in _places(problems):
        problems.append(_problem("started_on", f"项目{PROJECT_STATUSES[status]}时须填写开始日期"))
    if status == "finished" and finished is None and "finished_on" not in _places(problems):
        problems.append(_problem("finished_on", "项目已完成时须填写完成日期"))
    fields["status"] = status
    amount = data.get("funding_amount")
    if fields["funded"]:
        fields["funding_amount"] = _number(amount, "funding_amount", "财政资金金额（元）", 0, MAX_AMOUNT, problems,
                                           strictly_above=True)  # fmt: skip
    elif amount not in (None, "", 0):
        problems.append(_problem("funding_amount", "未获财政资金支持时不填金额"))
    else:
        fields["funding_amount"] = None
    items = _items(data.get("items"), prices, problems)
    return fields, items, problems


def _organisation(value, providers: dict[int, str], problems: list[Problem]) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in providers:
        why = f"服务商单位应为已登记的牵引单位、联合体成员或服务商，而不是 {value!r}"
        problems.append(_problem("organisation_id", why))
        return None
    return value


def _places(problems: list[Problem]) -> set[str]:
    return {p.place for p in problems}


def _items(given, prices: dict[str, dict], problems: list[Problem]) -> list[dict]:
    if not isinstance(given, list) or not given:
        problems.append(_problem("items", "至少列出一项产品或服务（合同须列明产品和服务清单及价格）"))
        return []
    if len(given) > MAX_ITEMS:
        problems.append(_problem("items", f"产品和服务不超过 {MAX_ITEMS} 项（现 {len(given)} 项）"))
        return []
    items = []
    for i, item in enumerate(given):
        place = f"items[{i}]"
        if not isinstance(item, dict):
            problems.append(_problem(place, "应为一项产品或服务"))
            continue
        product_id = str(item.get("product_id") or "").strip()
        quantity = _number(item.get("quantity"), f"{place}.quantity", f"第 {i + 1} 项的数量", 0, MAX_QUANTITY,
                           problems, strictly_above=True)  # fmt: skip
        if product_id:
            entry = prices.get(product_id)
            if entry is None:
                problems.append(_problem(f"{place}.product_id", f"第 {i + 1} 项：产品 {product_id} 不在产品清单中"))
                continue
            if entry["status"] != "在库":
                why = f"第 {i + 1} 项：产品“{entry['name']}”当前为{entry['status']}，不能新加入项目"
                problems.append(_problem(f"{place}.product_id", why))
                continue
            name, unit, price = entry["name"], entry["unit"], float(entry["price"])
            given_price = item.get("unit_price")
            if given_price is not None and given_price != price:
                why = f"第 {i + 1} 项“{name}”的单价应为清单价格 {price:,.0f} 元（清单产品不得自行改价）"
                problems.append(_problem(f"{place}.unit_price", why))
        else:
            name = str(item.get("name") or "").strip()
            unit = str(item.get("unit") or "项").strip()[:20]
            if not name:
                problems.append(_problem(f"{place}.name", f"第 {i + 1} 项：产品或服务名称不能为空"))
            elif len(name) > 200:
                problems.append(_problem(f"{place}.name", f"第 {i + 1} 项：名称不超过 200 字"))
            price = _number(item.get("unit_price"), f"{place}.unit_price", f"第 {i + 1} 项的单价（元）", 0,
                            MAX_AMOUNT, problems)  # fmt: skip
        items.append({"name": name, "product_id": product_id, "quantity": quantity, "unit": unit or "项",
                      "unit_price": price})  # fmt: skip
    return items


def catalog_prices(store: Store) -> dict[str, dict]:
    """The live catalog's products by id: name, unit, price, status, provider (seeded on first use)."""
    with store.read() as conn:
        entries = records.catalog_entries(conn)
    if not entries:
        from diagnose.services.catalog_admin import _seed

        entries = _seed(store)
    return {e["id"]: e for e in entries}


def provider_choices(store: Store, actor: Actor, project: dict | None = None) -> dict[int, str]:
    """The registered organisations a project may be contracted with, by id (and the one ``project``
    was contracted with, kept), for whoever records projects."""
    require(store, actor, "project.record")
    return provider_organisations(store) | _kept_provider(project or {})


def provider_organisations(store: Store) -> dict[int, str]:
    """The registered organisations a project may be contracted with (``PROVIDER_KINDS``), by id."""
    from diagnose.services.applications import PROVIDER_KINDS
    from diagnose.store import supply_records

    with store.read() as conn:
        return {o["id"]: o["name"] for o in supply_records.organisation_list(conn) if o["kind"] in PROVIDER_KINDS}


def draft_from_baseline(store: Store, actor: Actor, assessment_id: int) -> dict:
    """A new project's fields prefilled from an approved baseline: the recommended bundle's
    products at the live catalog's prices, and the provider(s) of those products."""
    from diagnose.catalog.recommend import DEFAULT_TARGET, target_after
    from diagnose.services.recommendations import for_assessment

    with store.read() as conn:
        enterprise_id = assessment_row(conn, assessment_id)["enterprise_id"]
    # who may first, then what state: a refused user learns nothing of the assessment's state
    require(store, actor, "project.record", enterprise_id)
    _approved_baseline(store, actor, assessment_id)
    with store.read() as conn:
        scored = records.results_of(conn, assessment_id)
    # as on the result card: 二级, or the next level for an enterprise already there
    target = target_after(scored[-1]["level"]) if scored else DEFAULT_TARGET
    found = for_assessment(store, actor, assessment_id, target)
    bundle = found.cheapest or found.within_budget
    products = bundle.products if bundle else ()
    providers = list(dict.fromkeys(p.provider for p in products))
    registered = {name: i for i, name in provider_organisations(store).items()}
    return {
        "baseline_assessment_id": assessment_id,
        # one provider that is registered is named as the organisation too
        "organisation_id": registered.get(providers[0]) if len(providers) == 1 else None,
        "provider": "、".join(providers),
        "status": "signed",
        "items": [{"product_id": p.id, "name": p.name, "quantity": 1, "unit": p.unit, "unit_price": float(p.price)}
                  for p in products],
        "target_label": found.target_label,
        "projected_label": bundle.projected.level_label if bundle else None,
    }  # fmt: skip


def _approved_baseline(store: Store, actor: Actor, assessment_id: int) -> int:
    with store.read() as conn:
        row = assessment_row(conn, assessment_id)
    if row["stage"] != "baseline":
        raise NotEditable("改造项目须从改造前诊断登记")
    if row["status"] != "approved":
        raise NotEditable("改造前诊断审核通过后才能登记改造项目")
    return row["enterprise_id"]


def record_project(store: Store, actor: Actor, enterprise_id: int, data: dict) -> int:
    """Store a new project with its itemised list; refused with every bad field named."""
    require(store, actor, "project.record", enterprise_id)
    baseline = data.get("baseline_assessment_id")
    if baseline is not None and (isinstance(baseline, bool) or not isinstance(baseline, int) or baseline < 1):
        why = f"应为改造前诊断的编号（正整数），而不是 {baseline!r}"
        raise ValidationFailed([_problem("baseline_assessment_id", why)])
    if baseline is not None and _approved_baseline(store, actor, baseline) != enterprise_id:
        raise ValidationFailed([_problem("baseline_assessment_id", "所选诊断不属于该企业")])
    fields, items, problems = check_project(data, catalog_prices(store), provider_organisations(store))
    if problems:
        raise ValidationFailed(problems)
    with store.write() as conn:
        enterprise_row(conn, enterprise_id)
        _refuse_a_used_contract(conn, fields, None)
        row = {"enterprise_id": enterprise_id, "baseline_assessment_id": baseline, "created_by": actor.username,
               "revision": 1, "updated_at": clock.now(), **fields}  # fmt: skip
        project_id = records.insert_project(conn, row, items)
        records.audit(conn, actor.username, "create", "project", project_id, new=_logged(fields, items))
    return project_id


def _refuse_a_used_contract(conn, fields: dict, project_id: int | None) -> None:
    """One contract, one project: a provider's contract number already on another project is
    refused, naming that project and its enterprise (checked in the write's own transaction)."""
    other = project_records.same_contract(conn, fields["provider"], fields["contract_no"], project_id)
    if other is not None:
        name = records.enterprise_by_id(conn, other["enterprise_id"])["name"]
        why = (
            f"合同编号“{fields['contract_no']}”已登记在项目 {other['id']}（{name}）：同一服务商的一份合同"
            "只登记一个项目，请核对编号"
        )
        raise ValidationFailed([_problem("contract_no", why)])


def _logged(fields: dict, items: list[dict]) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()} | {"items": items}


def get_project(store: Store, actor: Actor, project_id: int) -> dict:
    """A project with its items, documents and after-visits; for whoever may read the enterprise."""
    with store.read() as conn:
        project = project_records.project_by_id(conn, project_id)
    if project is None:
        raise NotFound(f"改造项目 {project_id} 不存在")
    require(store, actor, "enterprise.read", project["enterprise_id"])
    with store.read() as conn:
        project["enterprise"] = records.enterprise_by_id(conn, project["enterprise_id"])
        project["after_visits"] = project_records.after_visits_of(conn, project_id)
    return project


def update_project(store: Store, actor: Actor, project_id: int, data: dict, base_revision: int) -> int:
    """Change a project (fields, items, status); refused as a conflict if someone changed it after
    ``base_revision``; an accepted project is closed. Returns the new revision."""
    project = get_project(store, actor, project_id)
    require(store, actor, "project.record", project["enterprise_id"])
    if project["status"] == "accepted":
        raise NotEditable("项目已验收，不能再修改")
    fields, items, problems = check_project(data, catalog_prices(store) | _kept_prices(project),
                                            provider_organisations(store) | _kept_provider(project))  # fmt: skip
    if problems:
        raise ValidationFailed(problems)
    with store.write() as conn:
        _refuse_a_used_contract(conn, fields, project_id)
        revision = project_records.update_project(conn, project_id, fields, items, base_revision)
        if revision is None:
            current = project_records.project_by_id(conn, project_id)
            raise Conflict(f"项目已被 {_last_editor(conn, project_id)} 修改（第 {current['revision']} 版），"
                           "你的修改未保存；请刷新后重新填写")  # fmt: skip
        old = {k: project[k] for k in fields}
        records.audit(conn, actor.username, "update", "project", project_id, old=_logged(old, project["items"]),
                      new=_logged(fields, items))  # fmt: skip
    return revision


def _kept_prices(project: dict) -> dict[str, dict]:
    """Catalog items already in the project keep the price they were contracted at, even if the
    catalog's price or status changed since."""
    return {i["product_id"]: {"name": i["name"], "unit": i["unit"], "price": i["unit_price"], "status": "在库"}
            for i in project["items"] if i["product_id"]}  # fmt: skip


def _kept_provider(project: dict) -> dict[int, str]:
    """A project keeps the organisation it was contracted with, even if that was since changed."""
    return {project["organisation_id"]: project["provider"]} if project.get("organisation_id") else {}


def _last_editor(conn, project_id: int) -> str:
    entries = records.audit_entries(conn, "project", project_id)
    return entries[-1]["actor"] if entries else "他人"


def attach_document(store: Store, actor: Actor, project_id: int, kind: str, filename: str, content: bytes) -> int:
    """Keep a contract, invoice, 投入清单, 真实性声明 … for the project; refused with the reason."""
    from diagnose.visit import evidence

    if kind not in DOCUMENT_KINDS:
        raise ValidationFailed([_problem("kind", f"材料类型应为：{'、'.join(DOCUMENT_KINDS.values())}")])
    reason = evidence.evidence_problem(filename, content)
    if reason:
        raise ValidationFailed([Problem(filename, DOCUMENT_KINDS[kind], reason)])
    project = get_project(store, actor, project_id)
    require(store, actor, "project.record", project["enterprise_id"])
    if project["status"] == "accepted":
        raise NotEditable("项目已验收，不能再添加材料")
    name = evidence.clean_filename(filename)
    digest = evidence.store_file(store.evidence_dir, content)  # the file first: a row never points at nothing
    with store.write() as conn:
        document_id = project_records.insert_document(conn, {
            "project_id": project_id, "kind": kind, "filename": name, "content_type": evidence.content_type(filename),
            "size": len(content), "sha256": digest, "uploaded_by": actor.username,
        })  # fmt: skip
        records.audit(conn, actor.username, "attach", "project", project_id, field=kind,
                      new={"file": name, "sha256": digest})  # fmt: skip
    return document_id


def document_content(store: Store, actor: Actor, project_id: int, document_id: int) -> tuple[dict, bytes]:
    """One document of a project (its row and bytes), for whoever may read the enterprise."""
    from diagnose.services.lookup import kept_file

    project = get_project(store, actor, project_id)
    found = [d for d in project["documents"] if d["id"] == document_id]
    if not found:
        raise NotFound(f"项目 {project_id} 没有编号为 {document_id} 的材料")
    return found[0], kept_file(store.evidence_dir, found[0], "材料")


def projects_of(store: Store, actor: Actor, enterprise_id: int) -> list[dict]:
    """The enterprise's projects, each with its ``items``, for whoever may read it (else PermissionDenied);
    an unknown enterprise has none."""
    require(store, actor, "enterprise.read", enterprise_id)
    with store.read() as conn:
        return records.projects_of(conn, enterprise_id)


def project_list(store: Store, actor: Actor) -> list[dict]:
    """The projects of the enterprises the actor may see, newest first, with the enterprise's name."""
    require(store, actor, "enterprise.read")
    only = visible_enterprises(store, actor)
    with store.read() as conn:
        return project_records.project_list(conn, only)


def approved_baselines(store: Store, actor: Actor) -> list[dict]:
    """Approved baselines a project can be recorded from, among the enterprises the actor works on."""
    require(store, actor, "project.record")
    only = visible_enterprises(store, actor)
    with store.read() as conn:
        return project_records.approved_baselines(conn, only)
