"""AppTest of 产品清单's Excel import (administrators): problems named in Chinese at their row and
column, nothing imported; a warning shown beside the import it does not stop."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from diagnose.services import questionnaires
from diagnose.services.catalog_admin import export_catalog, live_catalog

from .conftest import ADMIN, open_app

CATALOG = "diagnose/ui/catalog_admin.py"


def exported(store, tmp_path, **changes) -> bytes:
    """The live catalog's export with ``changes`` ({(row, column title): value}) made to it."""
    path = tmp_path / "清单.xlsx"
    export_catalog(store, ADMIN, questionnaires()["national-2024"], path)
    book = load_workbook(path)
    head = [c.value for c in book.active[1]]
    for (row, title), value in changes["cells"].items():
        book.active.cell(row=row, column=head.index(title) + 1).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(at, content: bytes, check_only: bool):
    at.file_uploader(key="catalog_import").upload("清单.xlsx", content, "application/octet-stream").run()
    if not check_only:
        at.checkbox(key="catalog_dry_run").uncheck().run()
    return at.button(key="catalog_import_go").click().run()


def test_a_bad_catalog_sheet_is_refused_with_chinese_places_and_nothing_changes(seeded, sign_in_as, tmp_path):
    sign_in_as("admin")
    at = open_app(CATALOG)
    content = exported(seeded, tmp_path, cells={(4, "类型"): "魔法", (6, "场景提升"): "冷库:2", (3, "价格（元）"): 1})

    upload(at, content, check_only=False)

    assert not at.exception
    said = at.error[0].value
    assert said.startswith("发现以下问题，未导入")
    assert "第 4 行，F 列（类型）：类型“魔法”不是可选的一项" in said
    assert "第 6 行，I 列（场景提升）：问卷中没有场景“冷库”" in said
    assert live_catalog(seeded, questionnaires()["national-2024"]).products[1].price != 1


def test_a_warning_does_not_stop_the_import_and_is_shown_beside_its_success(seeded, sign_in_as, tmp_path):
    sign_in_as("admin")
    at = open_app(CATALOG)
    content = exported(seeded, tmp_path, cells={(2, "场景提升"): None, (2, "题目提升"): None, (3, "价格（元）"): 4321})

    upload(at, content, check_only=False)

    assert not at.exception and not at.error
    assert at.success[0].value == "已导入 47 个产品（已记入操作日志）"
    assert "第 2 行：既不提升任何场景，也不提升任何题目" in at.warning[0].value
    assert live_catalog(seeded, questionnaires()["national-2024"]).products[1].price == 4321
