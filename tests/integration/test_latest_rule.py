"""An enterprise's latest result is its latest visit's, whatever was scored last: on the dashboard's
kept sums and its records path alike, on the enterprise's page and in its file (both databases)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from diagnose import clock
from diagnose.board.records import Board, Members
from diagnose.services import assessments as visits
from diagnose.services.dashboard import board, members
from diagnose.services.files import enterprise_file
from diagnose.services.profile_view import enterprise_view
from diagnose.store import board_cells, records
from tests.conftest import TEST_CLOCK

from .board_checks import assert_same_board, same_as_from_records
from .helpers import ADMIN, OFFICIAL, fill_visit, new_enterprise, user

TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def fixed_clock():
    clock.set_clock(datetime(2026, 11, 28, 9, 0, tzinfo=clock.zone()))
    yield
    clock.set_clock(clock.parse_moment(TEST_CLOCK))  # the suite's clock again, never the real one


def visit(store, questionnaires, enterprise, stage, day, scenes, decision="approve") -> int:
    """A visit by 顾问甲 on ``day`` (every scene at ``scenes``: 一级 or 二级), submitted and then
    approved, or returned (``decision="return"``)."""
    consultant = user(store, "顾问甲")
    made = visits.start_assessment(store, consultant, enterprise, stage, questionnaires)
    fill_visit(store, made, scenes=scenes, overrides={"visit.date": day})
    visits.submit(store, consultant, made)
    if decision == "approve":
        visits.approve(store, OFFICIAL, made)
    else:
        visits.return_for_changes(store, OFFICIAL, made, "请补充佐证材料")
    return made


def funded_project(store, enterprise) -> None:
    """A publicly funded project inside the pilot's window, finished on 30 September 2024 (stored
    as is: what a contract must state is another test's business)."""
    row = {"enterprise_id": enterprise, "provider": "示例服务商", "funded": True, "started_on": date(2024, 1, 1),
           "finished_on": date(2024, 9, 30)}  # fmt: skip
    with store.write() as conn:
        records.insert_project(conn, row, [])


def figures(store) -> tuple[Board, Members]:
    """The board from the kept sums (checked equal to the board from the records, and the kept
    sums to a build from scratch, as ``diagnose db check`` does) and the lists behind it."""
    kept = same_as_from_records(store, board(store, OFFICIAL, today=TODAY), TODAY)
    with store.read() as conn:
        assert board_cells.check(conn) == []
    return kept, members(store, OFFICIAL, today=TODAY)


def latest_assessment(listed: Members, enterprise: int) -> tuple[int, int]:
    (row,) = listed.latest[listed.latest["enterprise_id"] == enterprise].itertuples()
    return int(row.assessment_id), int(row.level)


def test_rescoring_old_visits_after_the_on_site_one_changes_neither_the_latest_nor_the_pilot(store, questionnaires):
    enterprise = new_enterprise(store)
    funded_project(store, enterprise)
    baseline = visit(store, questionnaires, enterprise, "baseline", "2024-03-01", scenes=1)
    self_assessed = visit(store, questionnaires, enterprise, "after", "2024-06-01", scenes=1)
    onsite = visit(store, questionnaires, enterprise, "onsite", "2024-11-20", scenes=2)
    before, listed = figures(store)
    assert (before.at_target_level, before.counting) == (1, 1)
    assert latest_assessment(listed, enterprise) == (onsite, 2)

    visits.rescore(store, ADMIN, baseline, questionnaires["plastics"])
    visits.rescore(store, ADMIN, self_assessed, questionnaires["plastics"])  # 一级: newest result of all

    after, listed = figures(store)
    assert_same_board(after, before)
    assert (after.at_target_level, after.counting) == (1, 1)
    assert latest_assessment(listed, enterprise) == (onsite, 2)
    assert list(listed.improved["level_after"]) == [2]
    page = enterprise_view(store, ADMIN, enterprise)
    assert (page.assessment["id"], page.result["level"]) == (onsite, 2)
    assert page.comparison is not None and page.comparison.level.before == 1


def test_a_back_dated_visit_entered_after_a_later_one_is_not_the_latest(store, questionnaires):
    enterprise = new_enterprise(store)
    funded_project(store, enterprise)
    onsite = visit(store, questionnaires, enterprise, "onsite", "2024-11-20", scenes=2)
    back_dated = visit(store, questionnaires, enterprise, "after", "2024-06-01", scenes=1)  # a larger id

    kept, listed = figures(store)

    assert back_dated > onsite
    assert (kept.at_target_level, kept.counting) == (1, 1)
    assert latest_assessment(listed, enterprise) == (onsite, 2)
    assert enterprise_view(store, ADMIN, enterprise).assessment["id"] == onsite
    file = enterprise_file(store, ADMIN, enterprise)
    assert [a["id"] for a in file["assessments"]] == [back_dated, onsite]  # oldest visit first


def test_a_returned_baseline_corrected_after_the_after_visit_stays_the_before_result(store, questionnaires):
    enterprise = new_enterprise(store)
    consultant = user(store, "顾问甲")
    baseline = visit(store, questionnaires, enterprise, "baseline", "2024-03-01", scenes=1, decision="return")
    after_visit = visit(store, questionnaires, enterprise, "after", "2024-11-20", scenes=2)

    fill_visit(store, baseline, scenes=1, overrides={"visit.date": "2024-03-01", "Q5": "E"})
    visits.submit(store, consultant, baseline)
    visits.approve(store, OFFICIAL, baseline)  # its result is now the last one scored

    kept, listed = figures(store)
    assert kept.at_target_level == 1
    assert latest_assessment(listed, enterprise) == (after_visit, 2)
    assert list(listed.by_phase.sort_values("phase")["assessment_id"]) == [baseline, after_visit]
    assert kept.improvement.loc[kept.improvement["industry"] == "合计", "level_up"].item() == 1
    page = enterprise_view(store, ADMIN, enterprise)
    assert page.assessment["id"] == after_visit and page.comparison.level.before == 1


def test_an_enterprise_page_compares_an_after_result_with_the_latest_baseline_only(store, questionnaires):
    enterprise = new_enterprise(store)
    visit(store, questionnaires, enterprise, "baseline", "2024-03-01", scenes=1)
    second = visit(store, questionnaires, enterprise, "baseline", "2024-05-01", scenes=2)

    only_baselines = enterprise_view(store, ADMIN, enterprise)
    visit(store, questionnaires, enterprise, "after", "2024-11-20", scenes=2)
    with_after = enterprise_view(store, ADMIN, enterprise)

    assert only_baselines.assessment["id"] == second and only_baselines.comparison is None
    assert with_after.comparison.level.before == 2  # the second baseline's, not the first's


def test_the_enterprise_list_and_the_industry_mean_show_the_latest_visits_level(store, questionnaires):
    from diagnose.services.files import overview

    enterprise = new_enterprise(store)
    baseline = visit(store, questionnaires, enterprise, "baseline", "2024-03-01", scenes=1)
    after_visit = visit(store, questionnaires, enterprise, "after", "2024-11-20", scenes=2)
    visit(store, questionnaires, enterprise, "baseline", "2024-01-05", scenes=1)  # back-dated: a larger id

    visits.rescore(store, ADMIN, baseline, questionnaires["plastics"])  # the last result scored

    (row,) = overview(store, ADMIN)
    assert row["level"] == 2
    with store.read() as conn:
        means = records.industry_benchmark(conn, "塑胶")
    expected = visits.load(store, ADMIN, after_visit).results[-1]
    assert means["enterprises"] == 1 and means["basic"] == expected["basic"] and means["scene_level"] == 2
