"""The live catalog on both databases: seeded from the sample, statuses audited, Excel in and out."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from diagnose.catalog.products import TYPES
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


def test_a_sheets_deeper_problems_are_said_in_chinese_at_their_row_and_column(store, national, tmp_path):
    path = tmp_path / "catalog.xlsx"
    export_catalog(store, ADMIN, national, path)
    book = load_workbook(path)
    sheet = book.active
    head = [c.value for c in sheet[1]]

    def put(row: int, title: str, value) -> None:
        sheet.cell(row=row, column=head.index(title) + 1).value = value  # cell(value=None) would keep the old

    put(3, "编号", sheet.cell(row=2, column=head.index("编号") + 1).value)
    put(4, "类型", "魔法")
    put(6, "场景提升", "冷库:2")
    put(7, "场景提升", "营销管理:7")
    put(8, "题目提升", "Q99:C")
    put(9, "题目提升", "Q5:C,D")
    put(10, "名称", None)
    put(12, "状态", "暂停啦")
    book.save(path)

    count, problems = import_catalog(store, ADMIN, national, path)

    assert count == 0
    said = {p.place: p.message for p in problems if p.severity == "error"}
    letter = {title: chr(ord("A") + i) for i, title in enumerate(head)}  # 18 columns: A to R
    first_id = sheet.cell(row=2, column=1).value
    assert said == {
        f"第 3 行，{letter['编号']} 列（编号）": f"产品编号 {first_id} 重复（与第 2 行相同）",
        f"第 4 行，{letter['类型']} 列（类型）": "类型“魔法”不是可选的一项（可选：" + "、".join(TYPES) + "）",
        f"第 6 行，{letter['场景提升']} 列（场景提升）": "问卷中没有场景“冷库”",
        f"第 7 行，{letter['场景提升']} 列（场景提升）": "营销管理 的等级应为 1 到 4，而不是 7",
        f"第 8 行，{letter['题目提升']} 列（题目提升）": "问卷中没有题目 Q99",
        f"第 9 行，{letter['题目提升']} 列（题目提升）": "Q5 是单选题：只能写一个选项",
        f"第 10 行，{letter['名称']} 列（名称）": "必须填写",
        f"第 12 行，{letter['状态']} 列（状态）": "状态“暂停啦”不是可选的一项（可选：在库、暂停、退出）",
    }
    # no message of the sheet reads in English: no word of three letters or more, but the type SaaS
    assert {word for p in problems for word in re.findall(r"[A-Za-z]{3,}", p.message)} == {"SaaS"}
