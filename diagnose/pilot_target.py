"""The pilot's headline figures and its target by the Guangdong counting rule (pure, pandas).

An enterprise counts toward the target when one of its projects started and
finished inside the window, was publicly funded, and its latest approved
after-transformation result is at the target level or above. It counts from
the month (China time) that result was approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, timezone

import numpy as np
import pandas as pd

from diagnose.pilot import TARGET_LEVEL


@dataclass(frozen=True)
class PilotFigures:
    counting: pd.DataFrame  # id, industry, district, after_level, month: those that count, from that month
    close: pd.DataFrame  # id, industry, district, after_level, why: funded projects in the window not counting yet
    by_month: pd.DataFrame  # month, newly counted, cumulative


CHINA = timezone(timedelta(hours=8))


def pilot_figures(firms: pd.DataFrame, candidates: pd.DataFrame, after: pd.DataFrame, today: date,
                  level: int = TARGET_LEVEL) -> PilotFigures:  # fmt: skip
    """``firms``: id, industry, district; ``candidates``: enterprise_id and the earliest finish
    date of its publicly funded projects started and finished inside the window; ``after``:
    enterprise_id, result_id, level, decided_at of approved after-transformation results."""
    after = after[after["enterprise_id"].isin(candidates["enterprise_id"])]
    latest = after.sort_values("result_id").drop_duplicates("enterprise_id", keep="last").set_index("enterprise_id")
    places = firms.set_index("id")
    rows = candidates.rename(columns={"enterprise_id": "id"}).sort_values("id").reset_index(drop=True)
    rows["industry"] = rows["id"].map(places["industry"])
    rows["district"] = rows["id"].map(places["district"])
    rows["after_level"] = rows["id"].map(latest["level"]).astype("Int64")
    approved_on = rows["id"].map(latest["decided_at"])
    # a project planned to finish inside the window has not finished before its date
    finished = rows["finished_on"] <= today
    counts = finished & (rows["after_level"].fillna(-1) >= level)
    counting = rows[counts].copy()
    counting["month"] = pd.to_datetime(approved_on[counts], utc=True).dt.tz_convert(CHINA).dt.strftime("%Y-%m")
    close = rows[~counts].copy()
    close["why"] = np.select(
        [~finished[~counts], close["after_level"].isna()],
        ["改造项目尚未完成（计划 " + close["finished_on"].astype(str) + "）", "改造后评测尚未通过审核"],
        default="改造后等级为 " + close["after_level"].astype(str) + f" 级，未达到 {level} 级",
    )
    monthly = counting.groupby("month").size().rename("newly").reset_index().sort_values("month")
    monthly["cumulative"] = monthly["newly"].cumsum()
    return PilotFigures(
        counting=counting[["id", "industry", "district", "after_level", "month"]],
        close=close[["id", "industry", "district", "after_level", "why"]],
        by_month=monthly,
    )
