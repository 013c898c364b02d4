"""Builders for integration tests: accounts, valid enterprises and fully answered visits."""

from __future__ import annotations

import random

from diagnose.access.policy import Actor
from diagnose.enterprise import CODE_CHARSET, credit_code_check_char
from diagnose.services import assessments as visits
from diagnose.services.accounts import actor_of, add_user, assign
from diagnose.services.enterprises import create_enterprise
from diagnose.store import records

ADMIN = Actor("测试管理员", "admin")
OFFICIAL = Actor("测试官员", "official")
PASSWORD = "correct horse battery"


def credit_code(seed: int) -> str:
    rng = random.Random(seed)
    body = "9144520" + "".join(rng.choice(CODE_CHARSET) for _ in range(10))
    return body + credit_code_check_char(body)


def user(store, name: str, role: str = "consultant", credit_code: str | None = None,
         organisation: str | None = None) -> Actor:  # fmt: skip
    """The account called ``name``, made on first use (a provider's organisation too)."""
    with store.read() as conn:
        row = records.user_by_name(conn, name)
    if row is None:
        if organisation:
            from diagnose.services.applications import add_organisation, organisations

            if organisation not in {o["name"] for o in organisations(store, ADMIN)}:
                add_organisation(store, ADMIN, organisation, "provider")
        add_user(store, ADMIN, name, role, PASSWORD, credit_code=credit_code, organisation=organisation)
        with store.read() as conn:
            row = records.user_by_name(conn, name)
    return actor_of(row)


def consultant_of(store, enterprise_id: int, name: str) -> Actor:
    """A consultant assigned to the enterprise."""
    actor = user(store, name)
    with store.read() as conn:
        code = records.enterprise_by_id(conn, enterprise_id)["credit_code"]
    assign(store, ADMIN, name, code)
    return actor


def profile(seed: int = 1, **overrides) -> dict:
    return {
        "credit_code": credit_code(seed),
        "name": f"揭阳测试塑胶制品有限公司{seed}",
        "industry": "塑胶",
        "district": "榕城区",
        "head_count": 45,
        "revenue": 1800,
    } | overrides


def new_enterprise(store, seed: int = 1, **overrides) -> int:
    """An enterprise created by the consultant 顾问甲 (who is so assigned to it)."""
    return create_enterprise(store, user(store, "顾问甲"), profile(seed, **overrides))


FULL_ANSWERS = {
    "Q1": ["B", "C"], "Q2": {"total": 40, "digital": 12}, "Q3": {"total": 40, "networked": 8}, "Q4": ["G", "H"],
    "Q5": "C", "Q6": ["B"], "Q7": ["B", "C"], "Q8": "D", "Q9": ["B"], "Q10": ["B", "D"],
    "Q11": {"revenue": 3000, "investment": 90}, "Q12": "B", "Q13": "C", "Q14": "B", "Q15": "B",
}  # fmt: skip


def fill_visit(store, assessment_id: int, scenes: int = 2, actor: Actor | None = None,
               overrides: dict | None = None) -> int:  # fmt: skip
    """Answer every item a submission needs (every scene at level ``scenes``; ``overrides`` by
    item, e.g. ``{"Q5": "E", "scene:工艺设计": 0}``); returns the last revision."""
    actor = actor or user(store, "顾问甲")
    file = visits.load(store, actor, assessment_id)
    revision = file.revision
    values = {"visit.date": "2026-11-20", "visit.consultants": [actor.username]} | FULL_ANSWERS
    values |= {f"scene:{s.name}": scenes for s in file.questionnaire.scenes} | (overrides or {})
    for item, value in values.items():
        revision = visits.save_item(store, actor, assessment_id, item, value, revision).revision
    return revision


def enterprise_of(store, assessment_id: int) -> int:
    with store.read() as conn:
        return records.assessment_by_id(conn, assessment_id)["enterprise_id"]


def project_data(**overrides) -> dict:
    """A complete, valid project: a catalog product at its catalog price and a free item."""
    return {
        "provider": "示例数字科技有限公司", "contract_no": "HT-2025-001", "contract_signed_on": "2025-03-01",
        "responsibilities": "企业提供场地与数据，服务商负责部署与培训", "measures": "部署进销存并联网注塑机",
        "period": "2025-03-10 至 2025-09-30", "goals": "达到二级", "started_on": "2025-03-10",
        "finished_on": "2025-09-30", "funded": True, "funding_amount": 20000, "status": "finished",
        "items": [{"product_id": "S001", "quantity": 1},
                  {"name": "车间网络布线（清单外）", "quantity": 1, "unit": "项", "unit_price": 5000}],
    } | overrides  # fmt: skip
