"""The questionnaires results were scored with, as stored (a snapshot is kept whole with every assessment)."""

from __future__ import annotations

from diagnose.rule.loading import questionnaire_from_source
from diagnose.rule.questionnaire import Questionnaire
from diagnose.store import records

_SNAPSHOTS: dict[str, Questionnaire] = {}


def snapshot(conn, content_hash: str) -> Questionnaire:
    """The questionnaire stored under ``content_hash``; built once per process (it never changes)."""
    if content_hash not in _SNAPSHOTS:
        source = records.snapshot_source(conn, content_hash)
        _SNAPSHOTS[content_hash] = questionnaire_from_source(source, f"问卷快照 {content_hash[:12]}")
    return _SNAPSHOTS[content_hash]
