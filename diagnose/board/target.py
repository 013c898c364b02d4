"""The pilot's headline figures and its target by the Guangdong counting rule (pure, pandas).

An enterprise counts toward the target when one of its projects started and
finished inside the window, was publicly funded, and its latest approved
after-transformation result (by visit date, not by when it was scored: see
``latest``) is at the target level or above. It counts from the month (China
time) in which the last of those was true: the project finished or that result
was approved, whichever came later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pandas as pd

from diagnose.latest import in_latest_order
from diagnose.pilot import TARGET_LEVEL


@dataclass(frozen=True)
class PilotFigures:
    """The target's count: ``counting``, the enterprises that count and the month they count from;
    ``close``, those with a funded project in the window that do not count yet, and why."""

    counting: pd.DataFrame  # id, industry, district, after_level, month: those that count, from that month
    close: pd.DataFrame  # id, industry, district, after_level, why: funded projects in the window not counting yet


CHINA = timezone(timedelta(hours=8))


def pilot_figures(firms: pd.DataFrame, candidates: pd.DataFrame, after: pd.DataFrame, today: date,
                  level: int = TARGET_LEVEL) -> PilotFigures:  # fmt: skip
    """``firms``: id, industry, district; ``candidates``: enterprise_id and the earliest finish
    date of its publicly funded projects started and finished inside the window; ``after``:
    enterprise_id, visit_date, assessment_id, result_id, level, decided_at of approved
    after-transformation results."""
    after = in_latest_order(after[after["enterprise_id"].isin(candidates["enterprise_id"])])
    latest = after.drop_duplicates("enterprise_id", keep="last").set_index("enterprise_id")
    places = firms.set_index("id")
    rows = candidates.rename(columns={"enterprise_id": "id"}).sort_values("id").reset_index(drop=True)
    rows["industry"] = rows["id"].map(places["industry"])
    rows["district"] = rows["id"].map(places["district"])
    rows["after_level"] = rows["id"].map(latest["level"]).astype("Int64")
    # a project planned to finish inside the window has not finished before its date
    finished = rows["finished_on"] <= today
    counts = finished & (rows["after_level"].fillna(-1) >= level)
    counting = rows[counts].copy()
    approved_at = counting["id"].map(latest["decided_at"])
    counting["month"] = [counting_month(f, d) for f, d in zip(counting["finished_on"], approved_at, strict=True)]
    close = rows[~counts].copy()
    close["why"] = np.select(
        [~finished[~counts], close["after_level"].isna()],
        ["改造项目尚未完成（计划 " + close["finished_on"].astype(str) + "）", "改造后评测尚未通过审核"],
        default="改造后等级为 " + close["after_level"].astype(str) + f" 级，未达到 {level} 级",
    )
    return PilotFigures(
        counting=counting[["id", "industry", "district", "after_level", "month"]],
        close=close[["id", "industry", "district", "after_level", "why"]],
    )


def approval_date(decided_at: datetime | str) -> date:
    """The day (China time) of an approval, as stored (a timestamp, or text without its zone,
    which is UTC, on SQLite)."""
    moment = datetime.fromisoformat(decided_at) if isinstance(decided_at, str) else decided_at
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(CHINA).date()


def counting_month(finished_on: date, decided_at: datetime | str) -> str:
    """The month ("YYYY-MM") an enterprise starts to count: its project's finish or its result's
    approval, whichever came later."""
    return f"{max(finished_on, approval_date(decided_at)):%Y-%m}"
