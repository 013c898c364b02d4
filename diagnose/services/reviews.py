"""审核: officials (and admins) review submitted assessments, approve them or return them.

The queue lists what waits, the longest waiting first; a review file holds
everything a reviewer needs to decide on one assessment; every decision is kept
(who, when, comment) and shown in the enterprise's file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from diagnose import clock
from diagnose.access.policy import Actor
from diagnose.catalog.recommend import Recommendation
from diagnose.latest import latest_key
from diagnose.pilot import STAGES, STATUSES
from diagnose.services import assessments as visits
from diagnose.services.guard import require, require_for_assessment, visible_enterprises
from diagnose.services.lookup import enterprise_row
from diagnose.store import Store, records, review_records
from diagnose.visit.compare import Comparison, compare


@dataclass(frozen=True)
class ReviewFile:
    """One submitted assessment as its reviewer sees it."""

    file: visits.AssessmentFile
    result: dict | None  # the newest result of this assessment (Result.to_dict form)
    previous: dict | None  # the enterprise's previous scored assessment: its row and newest result
    comparison: Comparison | None  # previous → this, when there is a previous result
    recommendation: Recommendation | None
    decisions: list[dict]  # earlier decisions on this assessment, oldest first


def waited(since: datetime | None, moment: datetime | None = None) -> str:
    """How long a submission has waited, in words: ``3 天 4 小时``, ``5 小时``, ``不到 1 小时``."""
    if since is None:
        return "—"
    hours = int(((moment or clock.now()) - since).total_seconds() // 3600)
    if hours < 1:
        return "不到 1 小时"
    days, hours = divmod(hours, 24)
    return f"{days} 天 {hours} 小时" if days else f"{hours} 小时"


def queue(store: Store, actor: Actor, industry: str = "", district: str = "", consultant: str = "",
          stage: str = "") -> list[dict]:  # fmt: skip
    """Submitted assessments waiting for a decision, the longest waiting first; officials and admins."""
    require(store, actor, "assessment.review")
    with store.read() as conn:
        found = review_records.queue(conn, industry, district, consultant, stage)
    moment = clock.now()
    for row in found:
        row["stage_name"] = STAGES[row["stage"]]
        row["waited"] = waited(row["submitted_at"], moment)
    return found


def waiting_count(store: Store, actor: Actor) -> int | None:
    """How many assessments wait for review, for the navigation; None for a role that does not review."""
    if actor.role not in ("official", "admin"):
        return None
    require(store, actor, "assessment.review")
    with store.read() as conn:
        return review_records.waiting(conn)


def review_file(store: Store, actor: Actor, assessment_id: int) -> ReviewFile:
    """Everything needed to decide on one assessment; officials and admins."""
    require_for_assessment(store, actor, "assessment.review", assessment_id)
    file = visits.load(store, actor, assessment_id)
    result = file.results[-1]["detail"] if file.results else None
    previous = _previous(store, actor, file)
    comparison = compare(previous["result"], result) if previous and result else None
    recommendation = None
    if result and result["level"] < 4:
        from diagnose.services.recommendations import for_assessment

        recommendation = for_assessment(store, actor, assessment_id, max(2, result["level"] + 1))
    with store.read() as conn:
        decided = review_records.decisions(conn, [assessment_id])
    return ReviewFile(file, result, previous, comparison, recommendation, decided)


def _previous(store: Store, actor: Actor, file: visits.AssessmentFile) -> dict | None:
    """The enterprise's scored assessment just before this one (by visit date, then id)."""
    this = latest_key(file.row["visit_date"], file.row["id"])
    earlier = [
        a for a in visits.history(store, actor, file.row["enterprise_id"])
        if a["results"] and a["id"] != file.row["id"] and latest_key(a["visit_date"], a["id"]) < this
    ]  # fmt: skip
    if not earlier:
        return None
    chosen = max(earlier, key=lambda a: latest_key(a["visit_date"], a["id"]))
    return {"row": chosen, "result": chosen["results"][-1]["detail"], "status": STATUSES[chosen["status"]]}


def evidence_content(store: Store, actor: Actor, assessment_id: int, evidence_id: int) -> tuple[dict, bytes]:
    """One evidence file of an assessment (its row and bytes), for whoever may read the assessment."""
    from diagnose.services.errors import NotFound
    from diagnose.services.lookup import kept_file

    require_for_assessment(store, actor, "assessment.read", assessment_id)
    with store.read() as conn:
        found = [e for e in records.evidence_of(conn, assessment_id) if e["id"] == evidence_id]
    if not found:
        raise NotFound(f"评测 {assessment_id} 没有编号为 {evidence_id} 的佐证材料")
    return found[0], kept_file(store.evidence_dir, found[0], "佐证材料")


def decisions_of(store: Store, actor: Actor, enterprise_id: int) -> list[dict]:
    """Every review decision on the enterprise's assessments (who, when, comment), oldest first."""
    require(store, actor, "assessment.read", enterprise_id)
    with store.read() as conn:
        enterprise_row(conn, enterprise_id)
        stages = {a["id"]: a["stage"] for a in records.assessments_of(conn, enterprise_id)}
        found = review_records.decisions(conn, list(stages))
    for row in found:
        row["stage_name"] = STAGES[stages[row["assessment_id"]]]
    return found


def returned_visits(store: Store, actor: Actor) -> list[dict]:
    """Assessments returned for changes among the enterprises the actor works on, newest first,
    with the reviewer's comment (for the top of 我的企业)."""
    require(store, actor, "assessment.write")
    only = visible_enterprises(store, actor)
    with store.read() as conn:
        found = review_records.returned(conn, only)
    for row in found:
        row["stage_name"] = STAGES[row["stage"]]
    return found
