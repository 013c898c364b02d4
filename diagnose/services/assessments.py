"""Assessments of 一企一档: start, save item by item, submit, approve or return, rescore.

Every save is one transaction that takes the assessment's next revision; a
save based on an older view of the same item is refused as a conflict, so no
answer is ever silently overwritten. A stored result never changes: it keeps
the questionnaire it was scored with (a snapshot), and rescoring adds another.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from diagnose.access.policy import Actor
from diagnose.pilot import EDITABLE, INDUSTRY_QUESTIONNAIRES, STAGES, STATUSES
from diagnose.problems import Problem
from diagnose.rule.questionnaire import Questionnaire
from diagnose.rule.scoring import Result, score
from diagnose.services.errors import Conflict, NotEditable, SubmitRefused, ValidationFailed
from diagnose.services.guard import require, require_for_assessment
from diagnose.services.lookup import assessment_row, enterprise_row
from diagnose.services.snapshots import snapshot
from diagnose.store import Store, as_utc, now, project_records, records, review_records, supply_records
from diagnose.visit.items import assessment_from_items, check_item, item_label, missing_items


@dataclass(frozen=True)
class Saved:
    """A save that was stored: the revision it took and when."""

    revision: int
    saved_at: datetime


@dataclass(frozen=True)
class AssessmentFile:
    """An assessment as stored: its row, item values and notes, questionnaire, evidence, results."""

    row: dict
    enterprise: dict
    questionnaire: Questionnaire
    values: dict
    notes: dict
    evidence: list[dict]
    results: list[dict]
    carried: frozenset[str] = frozenset()  # items copied from the baseline, not yet confirmed or changed
    last_saved: datetime | None = None  # when an item was last written (UTC), None before the first

    @property
    def revision(self) -> int:
        """The assessment's current revision: the base of the next save."""
        return self.row["revision"]

    @property
    def status(self) -> str:
        """The assessment's status: ``draft``, ``submitted``, ``returned`` or ``approved``."""
        return self.row["status"]


def start_assessment(store: Store, actor: Actor, enterprise_id: int, stage: str, questionnaires: dict) -> int:
    """A new draft for the enterprise, with the questionnaire of its industry kept as a snapshot;
    refused (NotEditable, naming it) while a visit of the same stage is a draft, returned or waiting
    for review."""
    require(store, actor, "assessment.write", enterprise_id)
    if stage not in STAGES:
        raise ValidationFailed([Problem("评测", "stage", f"未知阶段 {stage!r}，应为：{'、'.join(STAGES.values())}")])
    with store.write() as conn:
        enterprise = enterprise_row(conn, enterprise_id)
        # one open visit per stage: a second draft beside the first would split the answers
        open_one = next((a for a in records.assessments_of(conn, enterprise_id)
                         if a["stage"] == stage and a["status"] in (*EDITABLE, "submitted")), None)  # fmt: skip
        if open_one is not None:
            doing = "继续填写该评测" if open_one["status"] in EDITABLE else "待审核结束后再开始新的评测"
            raise NotEditable(f"该企业已有一次{STAGES[stage]}（编号 {open_one['id']}，"
                              f"{STATUSES[open_one['status']]}）：请{doing}")  # fmt: skip
        questionnaire = questionnaires[INDUSTRY_QUESTIONNAIRES[enterprise["industry"]]]
        records.ensure_snapshot(conn, questionnaire)
        assessment_id = records.insert_assessment(
            conn, enterprise_id, stage, questionnaire.content_hash, actor.username, actor.organisation_id
        )
        records.audit(
            conn,
            actor.username,
            "start",
            "assessment",
            assessment_id,
            new={"enterprise_id": enterprise_id, "stage": stage, "questionnaire": questionnaire.version},
        )
    return assessment_id


def load(store: Store, actor: Actor, assessment_id: int) -> AssessmentFile:
    """The assessment as stored (its row with ``organisation``: the name of the organisation the
    visit was made for, or ""), for whoever may read its enterprise; raises NotFound or PermissionDenied."""
    require_for_assessment(store, actor, "assessment.read", assessment_id)
    with store.read() as conn:
        row = assessment_row(conn, assessment_id)
        stored = records.items(conn, assessment_id)
        questionnaire = snapshot(conn, row["questionnaire_hash"])
        files = records.evidence_of(conn, assessment_id)
        results = records.results_of(conn, assessment_id)
        enterprise = records.enterprise_by_id(conn, row["enterprise_id"])
        made_for = supply_records.organisation_list(conn, only=row["organisation_id"]) if row["organisation_id"] else []
    return AssessmentFile(
        row=row | {"organisation": made_for[0]["name"] if made_for else ""},
        enterprise=enterprise,
        questionnaire=questionnaire,
        values={k: v["value"] for k, v in stored.items() if v["value"] is not None},
        notes={k: v["note"] for k, v in stored.items() if v["note"]},
        evidence=files,
        results=results,
        carried=frozenset(k for k, v in stored.items() if v.get("carried")),
        last_saved=max((as_utc(v["updated_at"]) for v in stored.values() if v["updated_at"]), default=None),
    )


def save_item(store: Store, actor: Actor, assessment_id: int, item: str, value, base_revision: int) -> Saved:
    """Store one item the moment it is given; raises Conflict if someone changed it after ``base_revision``."""
    return _write(store, actor, assessment_id, item, base_revision, value=value)


def save_note(store: Store, actor: Actor, assessment_id: int, item: str, note: str, base_revision: int) -> Saved:
    """Store the consultant's note on one item (shown as text, never rendered as markup)."""
    if not isinstance(note, str) or len(note) > 2000:
        raise ValidationFailed([Problem("评测", item, "备注应为不超过 2000 字的文字")])
    return _write(store, actor, assessment_id, item, base_revision, note=note)


def open_for_change(conn, assessment_id: int, statuses: tuple[str, ...], refusal: str) -> tuple[dict, int]:
    """Take the assessment's next revision (locking it) if its status allows; ``refusal`` is
    formatted with the status name when it does not."""
    revision = records.bump_revision(conn, assessment_id, statuses)
    row = assessment_row(conn, assessment_id)
    if revision is None:
        raise NotEditable(refusal.format(status=STATUSES[row["status"]]))
    return row, revision


def _write(store: Store, actor: Actor, assessment_id: int, item: str, base_revision: int, **change) -> Saved:
    require_for_assessment(store, actor, "assessment.write", assessment_id)
    with store.write() as conn:
        row, revision = open_for_change(conn, assessment_id, EDITABLE, "评测{status}，不能再修改")
        questionnaire = snapshot(conn, row["questionnaire_hash"])
        field = "value" if "value" in change else "note"
        if field == "value":
            clean, reason = check_item(questionnaire, item, change["value"])
            if reason:
                raise ValidationFailed([Problem("评测", item, reason)])
            change = {"value": clean}
        elif item_label(questionnaire, item) is None:
            raise ValidationFailed([Problem("评测", item, f"未知条目 {item!r}")])
        existing = records.item_row(conn, assessment_id, item)
        old = existing[field] if existing else None
        # the same value again (a retry after a dropped connection) is no conflict
        if existing and existing["revision"] > base_revision and old != change[field]:
            raise Conflict(
                f"“{item_label(questionnaire, item)}”已被 {existing['updated_by']} 改为 {old!r}，"
                "你的修改未保存；请确认后重新填写"
            )
        records.put_item(conn, actor.username, assessment_id, item, field, change[field], revision, existing, "save")
    return Saved(revision, now())


def submit(store: Store, actor: Actor, assessment_id: int) -> Result:
    """Score and freeze; refused with every missing or invalid item while the visit is incomplete."""
    require_for_assessment(store, actor, "assessment.write", assessment_id)
    with store.write() as conn:
        row, _ = open_for_change(conn, assessment_id, EDITABLE, "评测{status}，不能重复提交")
        questionnaire = snapshot(conn, row["questionnaire_hash"])
        assessment, missing = _gaps(conn, questionnaire, assessment_id)
        if missing:
            raise SubmitRefused(missing)
        result = score(questionnaire, assessment)
        records.insert_result(conn, assessment_id, questionnaire, result, "submitted", actor.username)
        records.set_status(conn, assessment_id, "submitted", submitted_at=now(), return_comment="")
        records.audit(
            conn,
            actor.username,
            "submit",
            "assessment",
            assessment_id,
            field="status",
            old=row["status"],
            new="submitted",
        )
    return result


def submission_gaps(store: Store, actor: Actor, assessment_id: int) -> list[tuple[str, str]]:
    """What would stop the visit's submission now, as ``submit`` would refuse it: (item key, text)
    for each missing, invalid or unconfirmed item; empty when it can be submitted. Writes nothing
    (the visit page asks this before it asks the consultant to confirm)."""
    require_for_assessment(store, actor, "assessment.write", assessment_id)
    with store.read() as conn:
        row = assessment_row(conn, assessment_id)
        return _gaps(conn, snapshot(conn, row["questionnaire_hash"]), assessment_id)[1]


def _gaps(conn, questionnaire: Questionnaire, assessment_id: int):
    """The visit's stored answers as an assessment, and what is missing, invalid or unconfirmed."""
    stored = records.items(conn, assessment_id)
    values = {k: v["value"] for k, v in stored.items() if v["value"] is not None}
    assessment, invalid = assessment_from_items(questionnaire, values)
    missing = missing_items(questionnaire, values) + [("", reason) for reason in invalid]
    return assessment, missing + _unconfirmed(questionnaire, stored)


def approve(store: Store, actor: Actor, assessment_id: int) -> None:
    """Approve a submitted assessment (officials and administrators); an approved after-visit of a project
    makes the project accepted (已验收). Raises NotEditable unless submitted, NotFound, PermissionDenied."""
    from diagnose.services.plan_keep import keep_at_approval

    _decide(store, actor, assessment_id, "approved", "")
    keep_at_approval(store, assessment_id)  # the planner's bundles of a baseline, solved now


def return_for_changes(store: Store, actor: Actor, assessment_id: int, comment: str) -> None:
    """Send a submitted assessment back to the consultant; the comment says what to change."""
    if not isinstance(comment, str) or not comment.strip():
        raise ValidationFailed([Problem("评测", "", "退回时必须填写退回意见")])
    if len(comment) > 2000:
        raise ValidationFailed([Problem("评测", "", "退回意见不超过 2000 字")])
    _decide(store, actor, assessment_id, "returned", comment.strip())


def _bundle_at_approval(store: Store, assessment_id: int) -> list[dict]:
    """The recommended bundle to keep with an approval (computed before the write opens: it
    reads the catalog). A failure to recommend never stops an official's approval: it is logged
    and nothing is kept for this baseline."""
    try:
        return _recommended_bundle(store, assessment_id)
    except Exception:  # the approval is the official's decision; the count is secondary
        logging.getLogger(__name__).exception("no recommendation kept for assessment %s", assessment_id)
        return []


def _recommended_bundle(store: Store, assessment_id: int) -> list[dict]:
    """What to keep when a baseline is approved (``records.keep_recommendation``): the products of
    the cheapest bundle that brings it to 二级 (or, for an enterprise already there, the next
    level, as on its result card), each with the target and the live catalog's price now; none
    for an after-visit, or when no bundle reaches the target. Read as the system: the caller has
    checked that the approver may decide on the assessment."""
    from diagnose.catalog.recommend import recommend, target_after
    from diagnose.services.catalog_admin import live_catalog

    with store.read() as conn:
        row = assessment_row(conn, assessment_id)
        if row["stage"] != "baseline":
            return []
        questionnaire = snapshot(conn, row["questionnaire_hash"])
        values = {k: v["value"] for k, v in records.items(conn, assessment_id).items() if v["value"] is not None}
        industry = records.enterprise_by_id(conn, row["enterprise_id"])["industry"]
    assessment, _ = assessment_from_items(questionnaire, values)
    target = target_after(score(questionnaire, assessment).level)
    found = recommend(questionnaire, live_catalog(store, questionnaire), assessment, industry, target)
    products = found.cheapest.products if found.cheapest else ()
    return [{"product_id": p.id, "target": target, "price": float(p.price)} for p in products]


def _decide(store: Store, actor: Actor, assessment_id: int, status: str, comment: str) -> None:
    require_for_assessment(store, actor, "assessment.review", assessment_id)
    kept = _bundle_at_approval(store, assessment_id) if status == "approved" else []
    with store.write() as conn:
        row, _ = open_for_change(conn, assessment_id, ("submitted",), "评测当前为“{status}”，只有已提交的评测可以审核")
        records.set_status(conn, assessment_id, status, decided_at=now(), return_comment=comment)
        records.keep_recommendation(conn, assessment_id, kept)
        review_records.add_decision(conn, assessment_id, status, comment, actor.username)
        if status == "approved" and row["project_id"]:
            # an approved after-visit is the project's acceptance (验收) evidence
            project_records.set_project_status(conn, row["project_id"], "accepted")
            records.audit(conn, actor.username, "accept", "project", row["project_id"], field="status",
                          new={"status": "accepted", "assessment_id": assessment_id})  # fmt: skip
        records.audit(
            conn,
            actor.username,
            status,
            "assessment",
            assessment_id,
            field="status",
            old="submitted",
            new={"status": status, "comment": comment} if comment else status,
        )


def rescore(store: Store, actor: Actor, assessment_id: int, questionnaire: Questionnaire) -> Result:
    """An explicit act: score the stored answers under another questionnaire version and add
    that result beside the old one, labelled with its version. The old result stays."""
    require_for_assessment(store, actor, "assessment.rescore", assessment_id)
    with store.write() as conn:
        row = assessment_row(conn, assessment_id)
        if row["status"] not in ("submitted", "approved"):
            raise NotEditable("只有已提交或已通过的评测可以按新版问卷重新计分")
        values = {k: v["value"] for k, v in records.items(conn, assessment_id).items() if v["value"] is not None}
        assessment, invalid = assessment_from_items(questionnaire, values)
        if invalid:
            raise ValidationFailed([Problem(f"问卷 {questionnaire.version}", "", reason) for reason in invalid])
        result = score(questionnaire, assessment)
        records.ensure_snapshot(conn, questionnaire)
        records.insert_result(conn, assessment_id, questionnaire, result, "rescored", actor.username)
        records.audit(conn, actor.username, "rescore", "assessment", assessment_id, new=questionnaire.version)
    return result


def attach_evidence(store: Store, actor: Actor, assessment_id: int, item: str, filename: str, content: bytes) -> int:
    """Keep a photo or document for one item; refused with the reason for a bad type or size."""
    from diagnose.visit import evidence

    reason = evidence.evidence_problem(filename, content)
    if reason:
        raise ValidationFailed([Problem(filename, item, reason)])
    name = evidence.clean_filename(filename)
    require_for_assessment(store, actor, "assessment.write", assessment_id)
    with store.write() as conn:
        row, _ = open_for_change(conn, assessment_id, EDITABLE, "评测{status}，不能再添加佐证材料")
        if item_label(snapshot(conn, row["questionnaire_hash"]), item) is None:
            raise ValidationFailed([Problem(filename, item, f"未知条目 {item!r}")])
        # the file is written before the row: a row never points at a missing file
        digest = evidence.store_file(store.evidence_dir, content)
        evidence_id = records.insert_evidence(
            conn,
            {
                "assessment_id": assessment_id,
                "item": item,
                "filename": name,
                "size": len(content),
                "content_type": evidence.content_type(filename),
                "sha256": digest,
                "uploaded_by": actor.username,
            },
        )
        records.audit(
            conn,
            actor.username,
            "attach",
            "assessment",
            assessment_id,
            field=item,
            new={"file": name, "sha256": digest},
        )
    return evidence_id


def history(store: Store, actor: Actor, enterprise_id: int) -> list[dict]:
    """The enterprise's assessments, oldest first, each with its results (newest last)."""
    require(store, actor, "assessment.read", enterprise_id)
    with store.read() as conn:
        enterprise_row(conn, enterprise_id)
        found = records.assessments_of(conn, enterprise_id)
        for row in found:
            row["results"] = records.results_of(conn, row["id"])
    return found


def compare_assessments(store: Store, actor: Actor, before_id: int, after_id: int):
    """Compare the latest results of two scored assessments of the same enterprise."""
    from diagnose.visit.compare import compare

    for assessment_id in (before_id, after_id):
        require_for_assessment(store, actor, "assessment.read", assessment_id)
    with store.read() as conn:
        rows = [assessment_row(conn, i) for i in (before_id, after_id)]
        if rows[0]["enterprise_id"] != rows[1]["enterprise_id"]:
            raise ValidationFailed([Problem("对比", "", "只能对比同一企业的两次评测")])
        scored = [records.results_of(conn, i) for i in (before_id, after_id)]
    if not all(scored):
        raise NotEditable("两次评测都提交计分后才能对比")
    return compare(scored[0][-1]["detail"], scored[1][-1]["detail"])


def _unconfirmed(questionnaire: Questionnaire, stored: dict[str, dict]) -> list[tuple[str, str]]:
    """(item, text) for each item carried from the baseline that the consultant has not yet
    confirmed or changed: an after-visit is a new look, not a copy."""
    return [
        (item, f"{item_label(questionnaire, item) or item}：沿用改造前的答案，尚未确认")
        for item, row in sorted(stored.items())
        if row.get("carried")
    ]
