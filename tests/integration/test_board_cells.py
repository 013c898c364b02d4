"""The dashboard's kept sums: after every kind of write, the same as a build from the records,
and the same figures as computed from the records (both databases)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import delete, select

from diagnose.board.records import BoardFilter
from diagnose.cli.commands import main
from diagnose.rule.loading import load_directory
from diagnose.services import assessments as visits
from diagnose.services.accounts import assign
from diagnose.services.dashboard import board
from diagnose.services.enterprises import get_enterprise, update_enterprise
from diagnose.services.projects import record_project
from diagnose.store import board_cells, records
from diagnose.store.tables import board_cells as cells_table
from diagnose.store.tables import board_state, enterprises, projects

from .board_checks import same_as_from_records
from .helpers import ADMIN, OFFICIAL, fill_visit, new_enterprise, project_data, user

FILTERS = [BoardFilter(), BoardFilter(industry="塑胶"), BoardFilter(district="榕城区", size_class="小型"),
           BoardFilter(industry="五金制造", district="普宁市")]  # fmt: skip


def problems(store) -> list[str]:
    with store.read() as conn:
        return board_cells.check(conn)


def demo(store, count: int = 30) -> None:
    assert main(["demo", "--enterprises", str(count), "--seed", "11", "--database", store.url, "--actor", "测试"]) == 0


def agree_on_every_filter(store, today: date) -> None:
    for chosen in FILTERS:
        same_as_from_records(store, board(store, OFFICIAL, chosen, today=today), today, chosen)


def finish_dates(store) -> list[date]:
    with store.read() as conn:
        return sorted({row[0] for row in conn.execute(select(projects.c.finished_on)) if row[0]})


def test_sample_data_writes_its_sums_as_it_goes(store):
    demo(store)

    assert problems(store) == []
    dates = finish_dates(store)
    # a project counts from its finish date: on that day, the day before, and in other months
    for today in {dates[0], dates[len(dates) // 2], dates[len(dates) // 2] - timedelta(days=1), date(2027, 3, 1)}:
        agree_on_every_filter(store, today)


def test_every_kind_of_write_keeps_the_sums(store, questionnaires, tmp_path):
    demo(store, 12)
    consultant = user(store, "顾问甲")
    moved = new_enterprise(store, seed=71)
    # a visit through every state: started, submitted, returned, resubmitted, approved
    first = visits.start_assessment(store, consultant, moved, "baseline", questionnaires)
    fill_visit(store, first, scenes=1)
    visits.submit(store, consultant, first)
    visits.return_for_changes(store, OFFICIAL, first, "请补充")
    fill_visit(store, first, scenes=2)
    visits.submit(store, consultant, first)
    visits.approve(store, OFFICIAL, first)
    after = visits.start_assessment(store, consultant, moved, "after", questionnaires)
    fill_visit(store, after, scenes=3, overrides={"Q5": "E"})
    visits.submit(store, consultant, after)
    visits.approve(store, OFFICIAL, after)
    assert problems(store) == []

    # a funded project in the window, with catalog products; another consultant assigned
    record_project(store, ADMIN, moved, project_data(started_on="2024-01-01", finished_on="2024-09-30",
                                                      items=[{"product_id": "S002", "quantity": 2}]))  # fmt: skip
    user(store, "顾问乙")
    assign(store, ADMIN, "顾问乙", get_enterprise(store, ADMIN, moved)["credit_code"])
    # the profile moves it to another industry, district and size class
    revision = get_enterprise(store, ADMIN, moved)["revision"]
    update_enterprise(store, ADMIN, moved, {"industry": "五金制造", "district": "普宁市", "head_count": 400,
                                            "revenue": 50000}, revision)  # fmt: skip
    # a result scored again under a changed questionnaire (a new hash for the scene sums)
    folder = tmp_path / "questionnaires"
    shutil.copytree(Path("questionnaires"), folder)
    national = folder / "national-2024.yaml"
    national.write_text(national.read_text(encoding="utf-8").replace('version: "2024.1"', 'version: "2024.2"'),
                        encoding="utf-8")  # fmt: skip
    visits.rescore(store, ADMIN, after, load_directory(folder)["hardware"])

    assert problems(store) == []
    for today in (date(2024, 9, 29), date(2024, 9, 30), date(2026, 11, 28)):
        agree_on_every_filter(store, today)
    hardware = board(store, OFFICIAL, BoardFilter(industry="五金制造", district="普宁市"), today=date(2024, 9, 30))
    assert hardware.counting >= 1  # the moved enterprise counts under its new place


def test_a_write_that_fails_leaves_the_sums_as_they_were(store):
    demo(store, 5)
    before = board(store, OFFICIAL, today=date(2026, 11, 28))
    enterprise = new_enterprise(store, seed=72)

    try:
        with store.write() as conn:
            row = {"enterprise_id": enterprise, "provider": "示例", "funded": True, "started_on": date(2024, 1, 1),
                   "finished_on": date(2024, 2, 1)}  # fmt: skip
            records.insert_project(conn, row, [])
            raise RuntimeError("the write stops here")
    except RuntimeError:
        pass

    assert problems(store) == []
    assert board(store, OFFICIAL, today=date(2026, 11, 28)).transformed == before.transformed


def test_before_the_sums_are_built_the_dashboard_reads_the_records(store):
    demo(store, 8)
    with store.write() as conn:
        conn.execute(delete(board_state))
        conn.execute(delete(cells_table))  # as if a bulk load had bypassed them
    new_enterprise(store, seed=73)  # a write before the build neither fails nor builds anything

    figures = board(store, OFFICIAL, today=date(2026, 11, 28))
    with store.read() as conn:
        assert figures.enterprises == records.count(conn, enterprises) == 9
        assert records.count(conn, cells_table) == 0

    assert main(["db", "check", "--database", store.url]) == 1
    assert main(["db", "rebuild", "--database", store.url, "--actor", "测试"]) == 0
    assert main(["db", "check", "--database", store.url]) == 0
    same_as_from_records(store, board(store, OFFICIAL, today=date(2026, 11, 28)), date(2026, 11, 28))


def test_a_failing_refresh_never_costs_a_save_and_stops_the_sums_until_rebuilt(store, monkeypatch):
    demo(store, 5)

    def broken(conn, ids):
        raise ValueError("a bug in the dashboard's sums")

    monkeypatch.setattr(board_cells, "parts_for", broken)
    enterprise = new_enterprise(store, seed=74)  # the save goes through
    monkeypatch.undo()

    with store.read() as conn:
        assert records.enterprise_by_id(conn, enterprise) is not None
        assert not board_cells.built(conn)
    assert board(store, OFFICIAL, today=date(2026, 11, 28)).enterprises == 6  # read from the records
    assert main(["db", "rebuild", "--database", store.url, "--actor", "测试"]) == 0
    same_as_from_records(store, board(store, OFFICIAL, today=date(2026, 11, 28)), date(2026, 11, 28))
