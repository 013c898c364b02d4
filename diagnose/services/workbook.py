"""The offline workbook of a visit: download it, fill it in Excel or WPS without a network, upload it.

An upload is applied whole or not at all, in one transaction that takes one revision. Only what
the workbook changed since its download is applied; an item changed in the tool since then too
(to something else) is a conflict, and nothing is applied until the consultant has said, for
each, which to keep. The workbook's token is signed: another visit's workbook, a moved or edited
key, or a token from elsewhere is refused with nothing applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from diagnose import clock
from diagnose.access.policy import Actor
from diagnose.access.sessions import read_data, sign_data
from diagnose.pilot import EDITABLE, STAGES, STATUSES
from diagnose.problems import Problem
from diagnose.services import assessments as visits
from diagnose.services.errors import NotEditable, ServiceError, ValidationFailed
from diagnose.services.guard import require_for_assessment
from diagnose.store import Store, now, records
from diagnose.visit import workbook
from diagnose.visit.items import item_label, shown_value

SALT = "visit-workbook"
KEEP_TOOL, KEEP_WORKBOOK = "tool", "workbook"


@dataclass(frozen=True)
class WorkbookConflict:
    """An item the workbook changed that was also changed in the tool after the download."""

    slot: str  # ``value:<item>`` or ``note:<item>``: what ``keep`` is keyed by
    label: str
    row: int
    at_download: str
    in_tool: str
    in_workbook: str
    changed_by: str


class WorkbookConflicts(ServiceError):
    """Nothing was applied: ``conflicts`` need the consultant's choice (``keep``)."""

    def __init__(self, conflicts: list[WorkbookConflict]):
        self.conflicts = tuple(conflicts)
        super().__init__(f"有 {len(conflicts)} 项在下载工作簿后已在系统中被修改，请逐项选择保留哪一个值")


@dataclass(frozen=True)
class Applied:
    """An upload that was applied: how many values and notes it wrote, at which revision."""

    values: int
    notes: int
    kept_tool: int
    revision: int | None  # None when the workbook changed nothing
    changed: tuple[str, ...] = ()  # each change as a person reads it: 「Q8 规划实施：D. … → A. …」, 清空 said


def download(store: Store, actor: Actor, assessment_id: int) -> bytes:
    """The visit's workbook (.xlsx) as stored now, for whoever may read the visit."""
    file = visits.load(store, actor, assessment_id)
    questionnaire = file.questionnaire
    moment = f"{clock.local(now()):%Y-%m-%d %H:%M}"
    token = sign_data({"a": assessment_id, "r": file.revision, "h": questionnaire.content_hash,
                       "e": file.enterprise["name"], "k": workbook.row_keys(questionnaire), "v": file.values,
                       "n": file.notes, "at": moment}, SALT)  # fmt: skip
    title = (f"{file.enterprise['name']} · {STAGES[file.row['stage']]} · 评测编号 {assessment_id} · "
             f"问卷 {questionnaire.version} · 下载于 {moment}（第 {file.revision} 版）")  # fmt: skip
    return workbook.build(questionnaire, title, file.values, file.notes, token)


def upload(store: Store, actor: Actor, assessment_id: int, filename: str, content: bytes,
           keep: Mapping[str, str] | None = None) -> Applied:  # fmt: skip
    """Apply a filled workbook to the visit it was downloaded from.

    Raises ValidationFailed (a file that is not such a workbook, another visit's, a key moved or
    edited, a bad cell: each named by row and column), NotEditable (the visit was submitted since),
    WorkbookConflicts (until ``keep`` says ``tool`` or ``workbook`` for each conflict's slot), and
    PermissionDenied / NotFound; in every case nothing is applied. Each item written is audited as
    ``workbook value`` / ``workbook note``, and the upload once as ``workbook``."""
    require_for_assessment(store, actor, "assessment.write", assessment_id)
    keep = dict(keep or {})
    filled, problems = workbook.read(content, filename)
    if problems:
        raise ValidationFailed(problems)
    token = read_data(filled.token, SALT)
    if token is None:
        raise ValidationFailed([Problem(filename, "", "工作簿的校验信息无效：不是本系统下载的离线工作簿，或已被改动")])
    if token["a"] != assessment_id:
        raise ValidationFailed([Problem(filename, "", f"这是另一次评测（编号 {token['a']}，{token['e']}）的工作簿，"
                                        f"不是本次评测（编号 {assessment_id}）的；请在那次评测中上传")])  # fmt: skip
    file = visits.load(store, actor, assessment_id)
    if file.status not in EDITABLE:
        raise NotEditable(f"评测{STATUSES[file.status]}，工作簿中的修改不能再应用；如需修改，请联系审核人员退回")
    questionnaire = file.questionnaire
    found, problems = workbook.changes(questionnaire, filled, token["k"], token["v"], token["n"], filename)
    if problems:
        raise ValidationFailed(problems)
    if not found:
        return Applied(0, 0, 0, None)
    try:
        return _apply(store, actor, assessment_id, filename, token, questionnaire, found, keep)
    except _NothingToApply as nothing:  # rolled back: no revision is taken for no change
        return Applied(0, 0, nothing.kept_tool, None)


class _NothingToApply(Exception):
    def __init__(self, kept_tool: int):
        self.kept_tool = kept_tool


def _apply(store, actor, assessment_id, filename, token, questionnaire, found, keep) -> Applied:
    with store.write() as conn:
        _, revision = visits.open_for_change(conn, assessment_id, EDITABLE, "评测{status}，工作簿中的修改不能再应用")
        stored = records.items(conn, assessment_id)
        conflicts, writes, kept_tool = [], [], 0
        for change in found:
            existing = stored.get(change.item)
            at_download = (token["v"] if change.field == "value" else token["n"]).get(change.item)
            now_held = existing[change.field] if existing else None
            if change.field == "note":
                at_download, now_held = at_download or "", now_held or ""
            slot = f"{change.field}:{change.item}"
            if now_held == change.new:  # already so (applied before, or the same change made in the tool)
                continue
            if now_held != at_download:
                if slot not in keep:
                    conflicts.append(_conflict(questionnaire, change, at_download, now_held, existing))
                    continue
                if keep[slot] == KEEP_TOOL:
                    kept_tool += 1
                    continue
            writes.append(change)
        if conflicts:
            raise WorkbookConflicts(conflicts)
        if not writes:
            raise _NothingToApply(kept_tool)
        for change in writes:
            # read again: a value and a note of one item are two writes to one row
            existing = records.item_row(conn, assessment_id, change.item)
            records.put_item(conn, actor.username, assessment_id, change.item, change.field, change.new, revision,
                             existing, "workbook")  # fmt: skip
        records.audit(conn, actor.username, "workbook", "assessment", assessment_id,
                      new={"file": filename, "downloaded_at": token["at"], "downloaded_revision": token["r"],
                           "applied": len(writes), "kept_in_tool": kept_tool})  # fmt: skip
    values = sum(c.field == "value" for c in writes)
    said = tuple(_said(questionnaire, c, stored.get(c.item)) for c in writes)
    return Applied(values, len(writes) - values, kept_tool, revision, said)


def _said(questionnaire, change, existing) -> str:
    """One applied change as a person reads it, a cleared answer or note saying 清空."""
    label = item_label(questionnaire, change.item)
    if change.field == "note":
        return f"{label}（备注）：清空" if not change.new else f"{label}（备注）：{change.new}"
    old = shown_value(questionnaire, change.item, existing["value"] if existing else None)
    if change.new is None:
        return f"{label}：清空（原为 {old}）"
    return f"{label}：{old} → {shown_value(questionnaire, change.item, change.new)}"


def _conflict(questionnaire, change, at_download, now_held, existing) -> WorkbookConflict:
    def shown(value):
        if change.field == "note":
            return value or "（无备注）"
        return shown_value(questionnaire, change.item, value)

    label = item_label(questionnaire, change.item) + ("（备注）" if change.field == "note" else "")
    return WorkbookConflict(f"{change.field}:{change.item}", label, change.row, shown(at_download), shown(now_held),
                            shown(change.new), existing["updated_by"] if existing else "")  # fmt: skip
