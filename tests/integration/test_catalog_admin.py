"""The live catalog on both databases: seeded from the sample, statuses audited, Excel in and out."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from diagnose.services import assessments as visits
from diagnose.services.catalog_admin import export_catalog, import_catalog, live_catalog, set_status
from diagnose.services.guard import PermissionDenied
from diagnose.services.recommendations import for_assessment
from diagnose.store import records

from .helpers import ADMIN, OFFICIAL, fill_visit, new_enterprise


@pytest.fixture
def national(questionnaires):
    return questionnaires["national-2024"]


def test_the_sample_catalog_is_stored_on_first_use(store, national):
    catalog = live_catalog(store, national)

    assert len(catalog.products) == 47 and catalog.sample
    with store.read() as conn:
        assert len(records.catalog_entries(conn)) == 47


def test_a_paused_product_is_never_recommended_and_the_change_is_audited(store, consultant, questionnaires, national):
    draft = visits.start_assessment(store, consultant, new_enterprise(store), "baseline", questionnaires)
    fill_visit(store, draft, scenes=1)
    visits.submit(store, consultant, draft)
    first = for_assessment(store, consultant, draft).cheapest.products
    paused = first[0].id

    set_status(store, ADMIN, national, paused, "暂停")

    again = for_assessment(store, consultant, draft).cheapest.products
    assert paused not in {p.id for p in again}
    with store.read() as conn:
        [entry] = [e for e in records.audit_entries(conn, "catalog") if e["action"] == "status"]
    assert (entry["field"], entry["old_value"], entry["new_value"]) == (paused, "在库", "暂停")


def test_only_an_administrator_changes_the_catalog(store, national, tmp_path):
    for call in (
        lambda: set_status(store, OFFICIAL, national, "S001", "暂停"),
        lambda: export_catalog(store, OFFICIAL, national, tmp_path / "c.xlsx"),
        lambda: import_catalog(store, OFFICIAL, national, tmp_path / "c.xlsx"),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_export_then_import_round_trips_and_bad_rows_are_named(store, national, tmp_path):
    path = tmp_path / "catalog.xlsx"
    assert export_catalog(store, ADMIN, national, path) == 47
    book = load_workbook(path)
    sheet = book.active
    head = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=head.index("价格（元）") + 1, value=7200)
    sheet.cell(row=3, column=head.index("场景提升") + 1, value="营销管理=2")
    sheet.cell(row=4, column=head.index("适用行业") + 1, value="陶瓷")
    bad = tmp_path / "bad.xlsx"
    book.save(bad)

    count, problems = import_catalog(store, ADMIN, national, bad)

    assert count == 0
    places = [p.place for p in problems]
    assert "第 3 行，I 列（场景提升）" in places and any(p.startswith("第 4 行") for p in places)
    assert live_catalog(store, national).products[0].price == 6800

    sheet.cell(row=3, column=head.index("场景提升") + 1, value="营销管理:2")
    sheet.cell(row=4, column=head.index("适用行业") + 1, value="全部")
    book.save(bad)
    count, problems = import_catalog(store, ADMIN, national, bad)

    assert (count, problems) == (47, [])
    assert live_catalog(store, national).products[0].price == 7200


def test_a_file_that_is_not_excel_is_refused(store, national, tmp_path):
    path = tmp_path / "c.xlsx"
    path.write_bytes(b"not a workbook")

    count, problems = import_catalog(store, ADMIN, national, path)

    assert count == 0 and "不是有效的 Excel" in problems[0].message
