"""The pilot's headline figures and its target by the Guangdong counting rule (pure, pandas).

An enterprise counts toward the target when one of its projects started and
finished inside the window, was publicly funded, and its latest approved
after-transformation result is at the target level or above. It counts from
the month that result was approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from diagnose.pilot import AFTER_STAGES, TARGET_LEVEL, TARGET_WINDOW


@dataclass(frozen=True)
class PilotFigures:
    enterprises: int
    diagnosed: int  # with a scored assessment
    transformed: int  # with a finished project
    at_target_level: int  # whose latest approved result is 二级 or above
    counting: pd.DataFrame  # the enterprises that count, with the month they count from
    close: pd.DataFrame  # funded projects in the window whose enterprise does not count yet, and why
    by_month: pd.DataFrame  # month, newly counted, cumulative


def pilot_figures(facts: dict, today: date, window: tuple[str, str] = TARGET_WINDOW,
                  level: int = TARGET_LEVEL) -> PilotFigures:  # fmt: skip
    firms = pd.DataFrame(facts["enterprises"], columns=["id", "name", "credit_code", "industry", "district"])
    projects = pd.DataFrame(facts["projects"], columns=["enterprise_id", "funded", "started_on", "finished_on"])
    results = pd.DataFrame(facts["results"], columns=["enterprise_id", "stage", "status", "decided_at", "level",
                                                      "result_id"])  # fmt: skip
    start, end = date.fromisoformat(window[0]), date.fromisoformat(window[1])
    approved = results[results["status"] == "approved"].sort_values("result_id")
    latest_any = approved.groupby("enterprise_id").tail(1)
    after = approved[approved["stage"].isin(AFTER_STAGES)].groupby("enterprise_id").tail(1).set_index("enterprise_id")
    finished = projects[projects["finished_on"].notna() & (projects["finished_on"] <= today)]
    in_window = projects[
        projects["funded"].astype(bool) & projects["started_on"].notna() & projects["finished_on"].notna()
        & (projects["started_on"] >= start) & (projects["finished_on"] <= end)
    ]  # fmt: skip
    candidates = firms[firms["id"].isin(in_window["enterprise_id"])].copy()
    candidates["after_level"] = candidates["id"].map(after["level"]) if len(after) else None
    candidates["approved_on"] = candidates["id"].map(after["decided_at"]) if len(after) else None
    # a project planned to finish inside the window has not finished before its date
    done_by = in_window.groupby("enterprise_id")["finished_on"].min()
    candidates["finished_on"] = candidates["id"].map(done_by)
    finished_now = candidates["finished_on"] <= today
    counts = finished_now & (candidates["after_level"].fillna(-1) >= level)
    counting = candidates[counts].copy()
    counting["month"] = pd.to_datetime(counting["approved_on"], utc=True).dt.strftime("%Y-%m")
    close = candidates[~counts].copy()
    close["why"] = [
        f"改造项目尚未完成（计划 {done}）" if done > today
        else "改造后评测尚未通过审核" if pd.isna(lv) else f"改造后等级为 {int(lv)} 级，未达到 {level} 级"
        for lv, done in zip(close["after_level"], close["finished_on"], strict=True)
    ]  # fmt: skip
    monthly = counting.groupby("month").size().rename("newly").reset_index().sort_values("month")
    monthly["cumulative"] = monthly["newly"].cumsum()
    return PilotFigures(
        enterprises=len(firms),
        diagnosed=results["enterprise_id"].nunique(),
        transformed=finished["enterprise_id"].nunique(),
        at_target_level=int((latest_any["level"] >= level).sum()),
        counting=counting[["id", "name", "credit_code", "industry", "district", "after_level", "month"]],
        close=close[["id", "name", "credit_code", "industry", "district", "after_level", "why"]],
        by_month=monthly,
    )
