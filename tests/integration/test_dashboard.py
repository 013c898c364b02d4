"""The pilot figures against a small dataset computed by hand, on both databases, edge dates included."""

from __future__ import annotations

from datetime import date

import pytest

from diagnose.services import assessments as visits
from diagnose.services.dashboard import pilot
from diagnose.services.guard import PermissionDenied
from diagnose.services.projects import record_project

from .helpers import ADMIN, OFFICIAL, fill_visit, new_enterprise, user

TODAY = date(2027, 1, 15)  # after every project's finish date


def approved_after(store, consultant, questionnaires, enterprise, scenes, approve=True):
    draft = visits.start_assessment(store, consultant, enterprise, "after", questionnaires)
    fill_visit(store, draft, scenes=scenes)
    visits.submit(store, consultant, draft)
    if approve:
        visits.approve(store, OFFICIAL, draft)


def project(store, enterprise, started, finished, funded=True):
    record_project(store, ADMIN, enterprise, {"provider": "示例服务商", "started_on": started, "finished_on": finished,
                                              "funded": funded, "items": []})  # fmt: skip


@pytest.fixture
def world(store, consultant, questionnaires):
    """Seven enterprises, each testing one edge of the rule (FULL_ANSWERS score 40.6: 二级 with L2 scenes)."""
    cases = {}
    for seed, (started, finished, funded, scenes, approve) in enumerate([
        ("2023-10-11", "2026-12-31", True, 2, True),   # counts: both window edges are inside
        ("2023-10-10", "2024-06-30", True, 2, True),   # started a day early
        ("2024-01-01", "2027-01-01", True, 2, True),   # finishes a day late
        ("2024-01-01", "2024-12-31", False, 2, True),  # not publicly funded
        ("2024-01-01", "2024-12-31", True, 1, True),   # close: 一级 after transformation
        ("2024-01-01", "2024-12-31", True, 2, False),  # close: not yet approved
        (None, None, None, 2, True),                   # no project at all
    ], start=1):  # fmt: skip
        enterprise = new_enterprise(store, seed=seed)
        if started:
            project(store, enterprise, started, finished, funded)
        approved_after(store, consultant, questionnaires, enterprise, scenes, approve)
        cases[seed] = enterprise
    return cases


def test_every_figure_matches_the_hand_count(store, world):
    figures = pilot(store, OFFICIAL, today=TODAY)

    assert (figures.enterprises, figures.diagnosed) == (7, 7)
    assert figures.transformed == 6  # every enterprise with a project has finished it by TODAY
    assert figures.at_target_level == 5  # approved and 二级: seeds 1, 2, 3, 4, 7
    assert list(figures.counting["id"]) == [world[1]]
    assert dict(zip(figures.close["id"], figures.close["why"], strict=True)) == {
        world[5]: "改造后等级为 1 级，未达到 2 级",
        world[6]: "改造后评测尚未通过审核",
    }
    assert figures.by_month[["newly", "cumulative"]].values.tolist() == [[1, 1]]


def test_filters_narrow_every_figure(store, world):
    assert pilot(store, OFFICIAL, industry="食品加工", today=TODAY).enterprises == 0
    assert pilot(store, OFFICIAL, district="榕城区", today=TODAY).enterprises == 7


def test_only_officials_and_admins_see_the_pilot_figures(store, world):
    with pytest.raises(PermissionDenied):
        pilot(store, user(store, "顾问甲"))
    assert pilot(store, ADMIN, today=TODAY).enterprises == 7


def test_a_project_not_finished_yet_does_not_count_yet(store, world):
    figures = pilot(store, OFFICIAL, today=date(2026, 11, 27))

    assert figures.counting.empty
    assert "改造项目尚未完成（计划 2026-12-31）" in list(figures.close["why"])
