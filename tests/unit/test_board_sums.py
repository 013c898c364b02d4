"""What one enterprise adds to the dashboard's kept sums, and how the sums move (no database)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pandas as pd

from diagnose.board.sums import ALL, PART_COLUMNS, SUMS, Firm, cell_changes, cells_from_parts, parts_of
from diagnose.store import tables

PLACE = ("塑胶", "榕城区", "小型")
# (after, visit_date, assessment_id, result_id, score, basic, management, effect, level, scene_levels,
#  questionnaire_hash)
BEFORE = (0, date(2024, 3, 1), 1, 1, 41.525, 18.65, 9.375, 13.5, 1, "1" * 16, "h1")
AFTER = (1, date(2024, 11, 20), 4, 5, 46.525, 23.65, 9.375, 13.5, 2, "2" * 15 + "0", "h1")
VISIT = (date(2024, 5, 20), 3, 5)  # visit_date, assessment_id, result_id of an after-transformation result


def by_view(parts: list[dict]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for part in parts:
        found.setdefault(part["view"], []).append(part)
    return found


def test_the_store_keeps_as_many_sums_as_a_part_has():
    assert len([c for c in tables.board_parts.c if re.fullmatch(r"s\d+", c.name)]) == SUMS == tables.SUMS


def test_an_enterprise_adds_its_latest_before_and_after_results_in_thousandths():
    parts = by_view(parts_of(7, Firm(PLACE, results=[AFTER, BEFORE])))

    assert [(p["key"], p["s0"], p["s1"], p["s4"], p["s5"]) for p in parts["level"]] == [
        ("latest|2", 46525, 23650, 30, 16), ("before|1", 41525, 18650, 16, 16), ("after|2", 46525, 23650, 30, 16),
    ]  # fmt: skip
    assert [p["key"] for p in parts["scenes"]] == ["h1|0"]
    assert [parts["scenes"][0][f"s{i}"] for i in range(16)] == [2] * 15 + [0]
    (improvement,) = parts["improvement"]
    assert [improvement[f"s{i}"] for i in range(9)] == [41525, 46525, 18650, 23650, 9375, 9375, 13500, 13500, 1]
    assert {(p["industry"], p["district"], p["size_class"]) for ps in parts.values() for p in ps} == {PLACE}


def test_the_pilot_counts_from_the_later_of_the_finish_and_the_approval_in_china_time():
    approved = datetime(2024, 5, 31, 16, 0, tzinfo=UTC)  # 1 June in China
    (early,) = by_view(parts_of(1, Firm(PLACE, pilot_finish=date(2024, 3, 1), after=[(*VISIT, 2, approved)])))["pilot"]
    (late,) = by_view(parts_of(1, Firm(PLACE, pilot_finish=date(2024, 8, 9), after=[(*VISIT, 2, approved)])))["pilot"]
    (below,) = by_view(parts_of(1, Firm(PLACE, pilot_finish=date(2024, 3, 1), after=[(*VISIT, 1, approved)])))["pilot"]
    (none,) = by_view(parts_of(1, Firm(PLACE, pilot_finish=date(2024, 3, 1))))["pilot"]
    # SQLite hands the time back as text without its zone: it is UTC
    (text,) = by_view(
        parts_of(1, Firm(PLACE, pilot_finish=date(2024, 3, 1), after=[(*VISIT, 2, "2024-05-31 16:00:00")]))
    )["pilot"]

    assert (early["key"], early["day"]) == ("2024-03|2024-06", date(2024, 3, 1))
    assert (late["key"], late["day"]) == ("2024-08|2024-08", date(2024, 8, 9))
    assert (below["key"], below["day"]) == (none["key"], none["day"]) == ("-", None)
    assert text["key"] == "2024-03|2024-06"


def test_the_latest_approved_after_result_decides_the_pilot():
    approved = datetime(2024, 7, 1, tzinfo=UTC)
    firm = Firm(PLACE, pilot_finish=date(2024, 3, 1), after=[("2024-05-20", 3, 9, 1, approved),
                                                              ("2024-05-20", 3, 4, 3, approved)])  # fmt: skip

    assert by_view(parts_of(1, firm))["pilot"][0]["key"] == "-"  # result 9 (一级) is newer than 4 (三级)


def test_workload_visits_assignments_and_adoption():
    firm = Firm(PLACE, workload=[("顾问甲", "approved", 2), ("顾问甲", "draft", 1), ("顾问乙", "submitted", 1)],
                assigned=["顾问丙"], adoption=[("S002", 2, 30000.005)], first_finish=date(2024, 6, 30))  # fmt: skip
    parts = by_view(parts_of(3, firm))

    assert [(p["key"], p["n"]) for p in parts["workload"]] == [("顾问甲|approved", 2), ("顾问甲|draft", 1),
                                                               ("顾问乙|submitted", 1)]  # fmt: skip
    assert [p["key"] for p in parts["visited"]] == ["顾问甲", "顾问乙"]
    assert [p["key"] for p in parts["assigned"]] == ["顾问丙"]
    assert [(p["key"], p["s0"], p["s1"]) for p in parts["adoption"]] == [("S002", 2, 30_000_005_000)]  # of a yuan
    assert [(p["key"], p["day"]) for p in parts["transformed"]] == [("2024-06", date(2024, 6, 30))]


def test_replacing_parts_moves_each_cell_by_the_difference_under_its_place_and_under_all():
    old = parts_of(1, Firm(PLACE, results=[BEFORE]))
    new = parts_of(1, Firm(("五金制造", "普宁市", "中型"), results=[BEFORE, AFTER]))

    change = cell_changes(new, old)

    assert change[("level", *PLACE, "latest|1")][:2] == [-1, -41525]
    assert change[("level", "五金制造", "普宁市", "中型", "latest|2")][:2] == [1, 46525]
    assert change[("level", ALL, ALL, ALL, "latest|2")][:2] == [1, 46525]
    assert change[("level", ALL, ALL, ALL, "latest|1")][:2] == [-1, -41525]
    assert ("level", ALL, ALL, ALL, "before|1") not in change  # it moved place, not level: all the same
    assert ("firms", ALL, ALL, ALL, "") not in change
    assert cell_changes(old, old) == {}


def test_the_changes_add_up_to_the_cells_built_at_once():
    firms = [parts_of(1, Firm(PLACE, results=[BEFORE])), parts_of(2, Firm(PLACE, results=[BEFORE, AFTER]))]
    at_once = cells_from_parts(pd.DataFrame([p for ps in firms for p in ps], columns=PART_COLUMNS))
    one_by_one: dict[tuple, list[int]] = {}
    for parts in firms:
        for key, values in cell_changes(parts, []).items():
            one_by_one[key] = [a + b for a, b in zip(one_by_one.get(key, [0] * 17), values, strict=True)]

    built = {tuple(row[:5]): list(row[5:]) for row in at_once.itertuples(index=False)}
    assert built == one_by_one
