"""The after-visit (改造后自评 or 现场评定) of a finished project, started from its baseline.

Every answer of the baseline (not the visit's date and people) is copied into
the new visit and marked as carried over; the consultant confirms or changes
each one, and a visit with items still carried cannot be submitted. Its
approval is the project's acceptance (验收, see ``assessments._decide``).
"""

from __future__ import annotations

from diagnose.access.policy import Actor
from diagnose.pilot import AFTER_STAGES, EDITABLE, INDUSTRY_QUESTIONNAIRES, STAGES
from diagnose.problems import Problem
from diagnose.services import assessments as visits
from diagnose.services.errors import NotEditable, ValidationFailed
from diagnose.services.guard import require, require_for_assessment
from diagnose.services.projects import PROJECT_STATUSES, get_project
from diagnose.store import Store, project_records, records
from diagnose.visit.items import check_item

# what a new visit asks afresh: when it happened and who was there
NOT_CARRIED = ("visit.date", "visit.consultants", "visit.staff")


def start_after_visit(store: Store, actor: Actor, project_id: int, stage: str, questionnaires: dict) -> int:
    """A new after-visit of a finished project, prefilled from the project's baseline; its id.

    Refused unless the project is finished, and while another after-visit of it is still open."""
    if stage not in AFTER_STAGES:
        names = "、".join(STAGES[s] for s in AFTER_STAGES)
        raise ValidationFailed([Problem("改造后评测", "stage", f"阶段应为：{names}")])
    project = get_project(store, actor, project_id)
    require(store, actor, "assessment.write", project["enterprise_id"])
    if project["status"] != "finished":
        raise NotEditable(f"项目“已完成”后才能开始改造后评测（当前：{PROJECT_STATUSES[project['status']]}）")
    open_ones = [a for a in project["after_visits"] if a["status"] in (*EDITABLE, "submitted")]
    if open_ones:
        raise NotEditable(f"该项目已有进行中的改造后评测（编号 {open_ones[0]['id']}），请继续那一次")
    baseline_id = project["baseline_assessment_id"] or _latest_baseline(store, actor, project["enterprise_id"])
    baseline = visits.load(store, actor, baseline_id) if baseline_id else None
    questionnaire = questionnaires[INDUSTRY_QUESTIONNAIRES[project["enterprise"]["industry"]]]
    with store.write() as conn:
        records.ensure_snapshot(conn, questionnaire)
        assessment_id = records.insert_assessment(conn, project["enterprise_id"], stage, questionnaire.content_hash,
                                                  actor.username, actor.organisation_id)  # fmt: skip
        project_records.link_after_visit(conn, assessment_id, project_id, baseline_id)
        revision = records.bump_revision(conn, assessment_id, ("draft",))
        carried = 0
        for item, value in (baseline.values if baseline else {}).items():
            # a baseline scored under another version may hold answers this one no longer takes
            clean, reason = check_item(questionnaire, item, value)
            if item in NOT_CARRIED or reason:
                continue
            row = {"value": clean, "note": baseline.notes.get(item, ""), "carried": True, "revision": revision,
                   "updated_by": actor.username}  # fmt: skip
            records.write_item(conn, assessment_id, item, row, None)
            carried += 1
        records.audit(conn, actor.username, "start", "assessment", assessment_id,
                      new={"enterprise_id": project["enterprise_id"], "stage": stage, "project_id": project_id,
                           "carried_from": baseline_id, "carried_items": carried,
                           "questionnaire": questionnaire.version})  # fmt: skip
    return assessment_id


def _latest_baseline(store: Store, actor: Actor, enterprise_id: int) -> int | None:
    from diagnose.latest import latest_key

    baselines = [a for a in visits.history(store, actor, enterprise_id) if a["stage"] == "baseline" and a["results"]]
    return max(baselines, key=lambda a: latest_key(a["visit_date"], a["id"]))["id"] if baselines else None


def confirm_carried(store: Store, actor: Actor, assessment_id: int, items: list[str], base_revision: int
                    ) -> visits.Saved:  # fmt: skip
    """The consultant checked these carried answers on site and keeps them as they are.

    Raises Conflict if one of them changed after ``base_revision``."""
    from diagnose.services.errors import Conflict
    from diagnose.store import now

    require_for_assessment(store, actor, "assessment.write", assessment_id)
    with store.write() as conn:
        row, revision = visits.open_for_change(conn, assessment_id, EDITABLE, "评测{status}，不能再修改")
        stored = records.items(conn, assessment_id)
        chosen = [i for i in items if stored.get(i, {}).get("carried")]
        changed = [i for i in chosen if stored[i]["revision"] > base_revision]
        if changed:
            raise Conflict(f"{'、'.join(changed)} 已被他人修改，请查看后再确认")
        for item in chosen:
            records.write_item(conn, assessment_id, item, {"carried": False, "revision": revision,
                                                           "updated_by": actor.username}, stored[item])  # fmt: skip
        records.audit(conn, actor.username, "confirm", "assessment", assessment_id, new={"items": chosen})
    return visits.Saved(revision, now())


def before_after(store: Store, actor: Actor, file: visits.AssessmentFile, current: dict):
    """The live before/after comparison of an after-visit: its baseline's stored result against
    ``current`` (the after-visit's answers scored now, ``Result.to_dict()`` form); None when
    the visit was not started from a scored baseline."""
    from diagnose.visit.compare import compare

    if not file.row.get("carried_from"):
        return None
    require_for_assessment(store, actor, "assessment.read", file.row["carried_from"])
    with store.read() as conn:
        scored = records.results_of(conn, file.row["carried_from"])
    return compare(scored[-1]["detail"], current) if scored else None
