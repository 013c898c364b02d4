"""Gathering an enterprise's report: its latest scored assessment, the baseline, the recommendation."""

from __future__ import annotations

from datetime import date

from diagnose.accounts import Actor
from diagnose.compare import compare
from diagnose.maturity import maturity_axes
from diagnose.report import ReportData, build_html, build_pdf
from diagnose.services import assessments as visits
from diagnose.services.errors import NotEditable, NotFound
from diagnose.services.guard import require
from diagnose.services.recommendations import for_assessment
from diagnose.store import Store, records
from diagnose.visit import assessment_from_items


def report_data(store: Store, actor: Actor, enterprise_id: int) -> ReportData:
    """Everything the report shows; refused like reading the enterprise's assessments."""
    require(store, actor, "assessment.read", enterprise_id)
    scored = [a for a in visits.history(store, actor, enterprise_id) if a["results"]]
    if not scored:
        raise NotEditable("该企业还没有已计分的评测，无法生成报告")
    latest = scored[-1]
    file = visits.load(store, actor, latest["id"])
    result = latest["results"][-1]["detail"]
    baseline = scored[0] if len(scored) > 1 else None
    comparison = compare(baseline["results"][-1]["detail"], result) if baseline else None
    recommendation = None
    if result["level"] < 4:
        recommendation = for_assessment(store, actor, latest["id"], max(2, result["level"] + 1))
    return ReportData(
        enterprise=file.enterprise,
        assessment=file.row,
        questionnaire=file.questionnaire,
        result=result,
        values=file.values,
        notes=file.notes,
        axes=_axes(file.questionnaire, file.values),
        baseline_axes=_axes_of(store, actor, baseline["id"]) if baseline else None,
        comparison=comparison,
        recommendation=recommendation,
        generated_on=date.today(),
    )


def _axes(questionnaire, values):
    from diagnose.scoring import score

    assessment, _ = assessment_from_items(questionnaire, values)
    return maturity_axes(questionnaire, score(questionnaire, assessment))


def _axes_of(store: Store, actor: Actor, assessment_id: int):
    file = visits.load(store, actor, assessment_id)
    return _axes(file.questionnaire, file.values)


def enterprise_id_of(store: Store, credit_code: str) -> int:
    with store.read() as conn:
        row = records.enterprise_by_code(conn, credit_code.strip().upper())
    if row is None:
        raise NotFound(f"没有统一社会信用代码为 {credit_code} 的企业")
    return row["id"]


def pdf_report(store: Store, actor: Actor, enterprise_id: int) -> bytes:
    return build_pdf(report_data(store, actor, enterprise_id))


def html_report(store: Store, actor: Actor, enterprise_id: int) -> str:
    return build_html(report_data(store, actor, enterprise_id))
