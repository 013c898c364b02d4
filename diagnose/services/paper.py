"""The paper form of a visit (纸质现场记录表): blank for an industry, or prefilled from a visit."""

from __future__ import annotations

from diagnose.access.policy import Actor
from diagnose.pilot import INDUSTRIES, INDUSTRY_QUESTIONNAIRES, STAGES
from diagnose.problems import Problem
from diagnose.report.paper import PaperVisit, paper_pdf
from diagnose.services import assessments as visits
from diagnose.services.errors import ValidationFailed
from diagnose.services.guard import require
from diagnose.store import Store


def blank_form(store: Store, actor: Actor, industry: str, questionnaires: dict) -> bytes:
    """The blank form of ``industry``'s questionnaire (among ``questionnaires``, the shipped ones)
    as PDF, for whoever may read assessments; an industry not of the pilot is refused by name."""
    require(store, actor, "assessment.read")
    if industry not in INDUSTRY_QUESTIONNAIRES:
        raise ValidationFailed(
            [Problem("纸质记录表", "industry", f"“{industry}”不是试点行业：{'、'.join(INDUSTRIES)}")]
        )
    return paper_pdf(questionnaires[INDUSTRY_QUESTIONNAIRES[industry]])


def visit_form(store: Store, actor: Actor, assessment_id: int) -> bytes:
    """A visit's form as PDF, prefilled with what is stored (the questionnaire it was scored
    with), for whoever may read the visit."""
    file = visits.load(store, actor, assessment_id)
    visit = PaperVisit(enterprise=file.enterprise["name"], credit_code=file.enterprise["credit_code"],
                       stage=STAGES[file.row["stage"]], assessment_id=assessment_id, values=file.values,
                       notes=file.notes)  # fmt: skip
    return paper_pdf(file.questionnaire, visit)
