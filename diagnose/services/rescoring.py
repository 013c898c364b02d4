"""Rescoring under a new questionnaire version: first a preview that writes nothing, then the act.

An assessment is a candidate when it is submitted or approved and the registry holds its
questionnaire (by id) with content other than its latest result was scored with. The
preview scores its stored answers exactly as ``assessments.rescore`` will; applying adds
a result beside the old one, which stays.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from diagnose.access.policy import Actor
from diagnose.rule.questionnaire import Questionnaire
from diagnose.rule.scoring import score
from diagnose.services.assessments import rescore, snapshot
from diagnose.services.errors import NotFound, ServiceError
from diagnose.services.guard import require
from diagnose.services.lookup import assessment_row
from diagnose.store import Store, records
from diagnose.visit.items import assessment_from_items

SCORED = ("submitted", "approved")


@dataclass(frozen=True)
class RescorePreview:
    """One assessment's latest result beside what the new version would give it."""

    assessment_id: int
    enterprise: str
    credit_code: str
    status: str
    questionnaire: str
    old_version: str
    old_hash: str
    new_version: str
    new_hash: str  # a rubric keeps its version name when only its national base changes: the hash tells
    old_score: float | None  # None for a scored assessment without a stored result (never made by the app)
    old_level: int | None
    old_level_label: str
    new_score: float | None = None  # None when it cannot be scored under the new version
    new_level: int | None = None
    new_level_label: str = ""
    problem: str = ""  # why it cannot be scored under the new version
    missing: tuple[str, ...] = ()  # questions of the new version with no stored answer (scored 0)

    @property
    def crossing(self) -> str:
        """``up`` or ``down`` when the level changes, else ``""``."""
        if self.new_level is None or self.old_level is None or self.new_level == self.old_level:
            return ""
        return "up" if self.new_level > self.old_level else "down"

    @property
    def changed(self) -> bool:
        """Whether it scores under the new version with another score or level."""
        return self.new_score is not None and (self.new_score != self.old_score or bool(self.crossing))


def preview_rescore(store: Store, actor: Actor, questionnaires_by_id: dict[str, Questionnaire]) -> list[RescorePreview]:
    """Every candidate scored under its new version, nothing written: level crossings first,
    then those that cannot be scored, then score changes, then the rest."""
    require(store, actor, "assessment.rescore")
    found = []
    with store.read() as conn:
        heads, values, snapshots = records.assessment_export(conn)
        for head in heads:
            stored = snapshots[head.questionnaire_hash]
            new = questionnaires_by_id.get(stored.questionnaire_id)
            if head.status not in SCORED or new is None or new.content_hash == head.questionnaire_hash:
                continue  # the hash it was started with is the cheap first filter
            latest = (records.results_of(conn, head.id) or [None])[-1]
            if latest is None or latest["questionnaire_hash"] != new.content_hash:
                found.append(_preview(head, latest, new, values.get(head.id, {})))
    return sorted(found, key=lambda p: (not p.crossing, not p.problem, not p.changed, p.enterprise, p.assessment_id))


def _preview(head, latest: dict | None, new: Questionnaire, values: dict) -> RescorePreview:
    old = latest or {"version": "", "questionnaire_hash": head.questionnaire_hash, "score": None, "level": None,
                     "detail": {"level_label": "无结果"}}  # fmt: skip
    before = RescorePreview(
        assessment_id=head.id, enterprise=head.name, credit_code=head.credit_code, status=head.status,
        questionnaire=new.id, old_version=old["version"], old_hash=old["questionnaire_hash"],
        new_version=new.version, new_hash=new.content_hash, old_score=old["score"], old_level=old["level"],
        old_level_label=old["detail"]["level_label"],
    )  # fmt: skip
    assessment, invalid = assessment_from_items(new, values)
    if invalid:
        return replace(before, problem="；".join(invalid))
    result = score(new, assessment)  # what assessments.rescore will store
    return replace(before, new_score=result.score, new_level=result.level, new_level_label=result.level_label,
                   missing=result.missing)  # fmt: skip


@dataclass(frozen=True)
class RescoreReport:
    """What ``apply_rescore`` did: the ids rescored, and (id, reason) for each one skipped."""

    rescored: tuple[int, ...]
    skipped: tuple[tuple[int, str], ...]  # (assessment id, why)


def apply_rescore(store: Store, actor: Actor, questionnaires_by_id: dict[str, Questionnaire],
                  assessment_ids: list[int]) -> RescoreReport:  # fmt: skip
    """Add a result under the new version to each assessment (each its own transaction); one
    already scored under it, or one that cannot be scored, is skipped with the reason."""
    require(store, actor, "assessment.rescore")
    rescored, skipped = [], []
    for assessment_id in dict.fromkeys(assessment_ids):  # an id given twice is rescored once
        try:
            new = _new_version(store, assessment_id, questionnaires_by_id)
            rescore(store, actor, assessment_id, new)
            rescored.append(assessment_id)
        except ServiceError as refused:
            skipped.append((assessment_id, str(refused)))
    return RescoreReport(tuple(rescored), tuple(skipped))


class AlreadyCurrent(ServiceError):
    """The assessment's latest result is already scored under this questionnaire."""


def _new_version(store: Store, assessment_id: int, questionnaires_by_id: dict[str, Questionnaire]) -> Questionnaire:
    with store.read() as conn:
        row = assessment_row(conn, assessment_id)
        qid = snapshot(conn, row["questionnaire_hash"]).id
        results = records.results_of(conn, assessment_id)
    new = questionnaires_by_id.get(qid)
    if new is None:
        raise NotFound(f"所选问卷中没有评测 {assessment_id} 使用的问卷 {qid}")
    if results and results[-1]["questionnaire_hash"] == new.content_hash:
        raise AlreadyCurrent(f"评测 {assessment_id} 已按 {qid} {new.version}（{new.short_hash}）计分")
    return new
