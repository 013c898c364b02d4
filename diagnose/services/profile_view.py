"""What the enterprise page shows: the latest result, the baseline, the industry benchmark, the bundle.

The latest result is the newest result of the latest scored assessment and the
baseline the latest scored baseline, by visit date (``diagnose.latest``)."""

from __future__ import annotations

from diagnose.access.policy import Actor
from diagnose.latest import latest_key
from diagnose.pilot import AFTER_STAGES
from diagnose.report.view import Benchmark, EnterpriseView
from diagnose.rule.maturity import axes_from, stored_axes
from diagnose.rule.questionnaire import Questionnaire
from diagnose.services import assessments as visits
from diagnose.services.errors import NotEditable
from diagnose.services.guard import require
from diagnose.services.projects import projects_of
from diagnose.services.recommendations import for_assessment
from diagnose.store import Store, records
from diagnose.visit.compare import compare

MIN_PEERS = 5  # fewer approved peers than this and a mean would say more about them than the industry


def industry_benchmark(store: Store, questionnaire: Questionnaire, industry: str) -> Benchmark:
    """The industry's benchmark, the mean of each enterprise's latest approved result on
    ``questionnaire``'s axes (none below MIN_PEERS enterprises). No access check."""
    with store.read() as conn:
        found = records.industry_benchmark(conn, industry)
    if found["enterprises"] < MIN_PEERS:
        return Benchmark(industry, found["enterprises"], None)
    points = {d.id: found[d.id] for d in questionnaire.dimensions}
    axes = axes_from(questionnaire, points, found["scene_level"] or 0, prefix="行业均值 ")
    return Benchmark(industry, found["enterprises"], axes)


def enterprise_view(store: Store, actor: Actor, enterprise_id: int) -> EnterpriseView:
    """The enterprise page's content; refused like reading the enterprise's assessments."""
    require(store, actor, "assessment.read", enterprise_id)
    scored = [a for a in visits.history(store, actor, enterprise_id) if a["results"]]
    if not scored:
        raise NotEditable("该企业还没有已计分的评测")
    scored.sort(key=lambda a: latest_key(a["visit_date"], a["id"]))
    latest = scored[-1]
    file = visits.load(store, actor, latest["id"])
    result = latest["results"][-1]["detail"]
    # 改造前 is the latest baseline, shown against an after-transformation result only
    # (two baselines are not a before and an after)
    baselines = [a for a in scored if a["stage"] == "baseline"]
    before = baselines[-1] if baselines and latest["stage"] in AFTER_STAGES else None
    baseline = before["results"][-1]["detail"] if before else None
    recommendation = None
    if result["level"] < 4:
        recommendation = for_assessment(store, actor, latest["id"], max(2, result["level"] + 1))
    return EnterpriseView(
        enterprise=file.enterprise,
        assessment=file.row,
        values=file.values,
        notes=file.notes,
        questionnaire=file.questionnaire,
        result=result,
        axes=stored_axes(file.questionnaire, result),
        baseline_axes=stored_axes(file.questionnaire, baseline) if baseline else None,
        comparison=compare(baseline, result) if baseline else None,
        benchmark=industry_benchmark(store, file.questionnaire, file.enterprise["industry"]),
        recommendation=recommendation,
        projects=tuple(projects_of(store, actor, enterprise_id)),
    )
