"""Which result is an enterprise's latest: by visit date, then assessment id, then result id (no database)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd

from diagnose.board.sums import Firm, parts_of
from diagnose.board.target import pilot_figures
from diagnose.latest import in_latest_order, latest_key

PLACE = ("塑胶", "榕城区", "小型")
APPROVED = datetime(2024, 12, 1, tzinfo=UTC)


def latest_of(rows: list[tuple]) -> tuple:
    return max(rows, key=lambda r: latest_key(*r))


def test_a_later_visit_is_the_latest_whatever_its_ids():
    back_dated = (date(2024, 11, 20), 3, 4)  # entered first, visited last
    rescored = (date(2024, 3, 1), 7, 9)

    assert latest_of([back_dated, rescored]) == back_dated


def test_on_the_same_day_the_later_assessment_is_the_latest():
    assert latest_of([(date(2024, 5, 1), 8, 10), (date(2024, 5, 1), 9, 2)]) == (date(2024, 5, 1), 9, 2)


def test_within_one_assessment_its_newest_result_is_the_latest():
    assert latest_of([(date(2024, 5, 1), 8, 10), (date(2024, 5, 1), 8, 12)]) == (date(2024, 5, 1), 8, 12)


def test_a_visit_without_a_date_is_the_oldest():
    assert latest_of([(None, 99, 99), (date(2023, 10, 11), 1, 1)]) == (date(2023, 10, 11), 1, 1)
    assert latest_key(float("nan"), 5) < latest_key(date(2023, 10, 11), 1)  # a missing value read by pandas


def test_a_date_as_text_from_sqlite_orders_like_a_date_from_postgresql():
    assert latest_key("2024-11-20", 3, 4) == latest_key(date(2024, 11, 20), 3, 4)
    assert latest_key(datetime(2024, 11, 20, 8, 0), 3) == latest_key(date(2024, 11, 20), 3)


def test_sorting_a_frame_puts_each_enterprises_latest_last_as_the_key_says():
    rng = random.Random(12)
    days = [None, date(2024, 1, 1), date(2024, 1, 2), date(2025, 6, 30)]
    rows = [(rng.randrange(5), rng.choice(days), rng.randrange(20), rng.randrange(100)) for _ in range(300)]
    for as_text in (False, True):
        frame = pd.DataFrame(rows, columns=["enterprise_id", "visit_date", "assessment_id", "result_id"])
        if as_text:
            frame["visit_date"] = [d.isoformat() if d else None for d in frame["visit_date"]]

        latest = in_latest_order(frame).drop_duplicates("enterprise_id", keep="last")

        for enterprise_id, *key in latest.itertuples(index=False):
            mine = [r[1:] for r in rows if r[0] == enterprise_id]
            assert latest_key(*key) == max(latest_key(*r) for r in mine)


# (after, visit_date, assessment_id, result_id, score, basic, management, effect, level, scene_levels, hash)
BASELINE = (0, date(2024, 3, 1), 1, 1, 41.5, 18.5, 9.5, 13.5, 1, "1" * 16, "h1")
AFTER = (1, date(2024, 11, 20), 2, 2, 60.0, 25.0, 20.0, 15.0, 2, "2" * 16, "h1")
RESCORED_BASELINE = (0, date(2024, 3, 1), 1, 3, 30.0, 15.0, 5.0, 10.0, 0, "0" * 16, "h2")


def level_keys(firm: Firm) -> list[str]:
    return [p["key"] for p in parts_of(1, firm) if p["view"] == "level"]


def test_a_baseline_rescored_after_the_after_visit_stays_the_before_result_in_the_sums():
    before = level_keys(Firm(PLACE, results=[BASELINE, AFTER]))

    rescored = Firm(PLACE, results=[AFTER, RESCORED_BASELINE])  # the newest result of the baseline

    assert before == ["latest|2", "before|1", "after|2"]
    assert level_keys(rescored) == ["latest|2", "before|0", "after|2"]
    assert [p["key"] for p in parts_of(1, rescored) if p["view"] == "scenes"] == ["h1|0"]


def test_a_back_dated_after_visit_decides_the_pilot_in_the_sums_and_from_the_records():
    onsite = (date(2024, 11, 20), 3, 4, 2, APPROVED)  # 二级, visited last, entered first
    self_assessed = (date(2024, 6, 1), 5, 6, 1, APPROVED)  # 一级, entered later

    (part,) = [p for p in parts_of(1, Firm(PLACE, pilot_finish=date(2024, 9, 1), after=[self_assessed, onsite]))
               if p["view"] == "pilot"]  # fmt: skip
    firms = pd.DataFrame({"id": [1], "industry": ["塑胶"], "district": ["榕城区"]})
    candidates = pd.DataFrame({"enterprise_id": [1], "finished_on": [date(2024, 9, 1)]})
    columns = ["enterprise_id", "visit_date", "assessment_id", "result_id", "level", "decided_at"]
    after = pd.DataFrame([(1, *self_assessed), (1, *onsite)], columns=columns)
    figures = pilot_figures(firms, candidates, after, date(2025, 1, 1))

    assert part["key"] == "2024-09|2024-12"
    assert list(figures.counting["id"]) == [1]
    assert np.array_equal(figures.counting["after_level"].to_numpy(), [2])
