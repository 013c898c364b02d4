"""Builders for integration tests: valid enterprises and fully answered visits."""

from __future__ import annotations

import random

from diagnose.enterprise import CODE_CHARSET, credit_code_check_char
from diagnose.services import assessments as visits
from diagnose.services.enterprises import create_enterprise

CONSULTANT = "顾问甲"


def credit_code(seed: int) -> str:
    rng = random.Random(seed)
    body = "9144520" + "".join(rng.choice(CODE_CHARSET) for _ in range(10))
    return body + credit_code_check_char(body)


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
    return create_enterprise(store, CONSULTANT, profile(seed, **overrides))


FULL_ANSWERS = {
    "Q1": ["B", "C"], "Q2": {"total": 40, "digital": 12}, "Q3": {"total": 40, "networked": 8}, "Q4": ["G", "H"],
    "Q5": "C", "Q6": ["B"], "Q7": ["B", "C"], "Q8": "D", "Q9": ["B"], "Q10": ["B", "D"],
    "Q11": {"revenue": 3000, "investment": 90}, "Q12": "B", "Q13": "C", "Q14": "B", "Q15": "B",
}  # fmt: skip


def fill_visit(store, assessment_id: int, scenes: int = 2, actor: str = CONSULTANT) -> int:
    """Answer every item a submission needs; returns the last revision."""
    file = visits.load(store, assessment_id)
    revision = file.revision
    values = {"visit.date": "2026-11-20", "visit.consultants": [actor]} | FULL_ANSWERS
    values |= {f"scene:{s.name}": scenes for s in file.questionnaire.scenes}
    for item, value in values.items():
        revision = visits.save_item(store, actor, assessment_id, item, value, revision).revision
    return revision
