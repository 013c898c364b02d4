"""Which of an enterprise's results is its latest (pure; the one place this rule lives).

The rule (issue 12): assessments are ordered by **visit date, then assessment id**;
an enterprise's latest result is the newest result (highest result id) of its latest
assessment. Its before and after results are the latest, by the same order, of its
baseline assessments and of its after-transformation ones (``pilot.AFTER_STAGES``).

So the order is when the visit happened, not when a result was scored: rescoring an
old assessment, or correcting a returned baseline after a later visit, adds a result
with a larger id to an older visit and changes no enterprise's latest assessment.

A missing visit date counts as the oldest (before every date). A submitted assessment
always has one (the visit date is required to submit), but a missing one must not
make an assessment the latest.

Every path uses this module: the dashboard from the records (``board``,
``pilot_target``) and from its kept sums (``board_sums``), and the enterprise's page
and file (``services.profile_view``, ``services.files``). Where the database itself
must choose (the enterprise list's level, the industry mean: ``store/records.py``),
its SQL orders the same way.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

ORDER = ["visit_date", "assessment_id", "result_id"]  # the columns ``in_latest_order`` sorts by


def visit_day(visit_date: date | str | None) -> date:
    """The visit date as a date (as stored: a date, or ISO text from SQLite's own cursor);
    ``date.min`` when missing, so a visit without a date is the oldest."""
    if type(visit_date) is date:  # the usual case first: the sums are rebuilt a result at a time
        return visit_date
    if isinstance(visit_date, str):
        return date.fromisoformat(visit_date[:10])
    if visit_date is None or pd.isna(visit_date):  # None, or NaN or NaT from pandas
        return date.min
    return visit_date.date() if isinstance(visit_date, datetime) else visit_date


def latest_key(visit_date: date | str | None, assessment_id: int, result_id: int = 0) -> tuple[date, int, int]:
    """The sort key of a result (or, with no ``result_id``, of an assessment): the greatest
    key is the latest."""
    return visit_day(visit_date), assessment_id, result_id


def in_latest_order(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (with the columns of ``ORDER``) oldest first by the rule, so the last row of
    each enterprise, or of each enterprise and phase, is its latest (the order of
    ``latest_key``)."""
    days = pd.to_datetime(rows["visit_date"], errors="coerce")  # a missing date: NaT, placed first
    ordered = rows.assign(_day=days).sort_values(["_day", *ORDER[1:]], na_position="first", kind="stable")
    return ordered.drop(columns="_day")
