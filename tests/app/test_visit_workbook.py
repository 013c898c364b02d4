"""AppTest of 离线工作簿: the visit links to it; an upload is applied, refused by row and column,
or held until each conflict is decided; the visit form then shows what the workbook gave."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from diagnose.services import assessments as visits
from diagnose.services import workbook as offline
from diagnose.services.accounts import add_user, assign
from diagnose.store import records

from .conftest import ADMIN, APP, CODE, PASSWORD

PAGE = "diagnose/ui/visit_workbook.py"
VISIT = "diagnose/ui/visit.py"


def open_page(page: str, draft: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["a"] = str(draft)
    at.run()
    return at.switch_page(page).run()


def filled(content: bytes, cells: dict[str, object]) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book["现场评测"]
    rows = {sheet[f"A{n}"].value: n for n in range(4, sheet.max_row + 1)}
    for key, value in cells.items():
        sheet[f"E{rows[key]}"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(at: AppTest, content: bytes) -> AppTest:
    """Upload into the page's uploader (a new one after each applied workbook)."""
    uploader = next(u for u in at.get("file_uploader") if u.key.startswith("workbook_file_"))
    uploader.upload("离线工作簿.xlsx", content, "application/octet-stream").run()
    return at


def test_the_visit_links_to_the_workbook_whose_upload_is_applied_and_then_shown_by_the_form(seeded, consultant, draft):
    at = open_page(VISIT, draft)
    assert any(link.label.startswith("离线填写") for link in at.get("page_link"))
    at = open_page(PAGE, draft)
    assert not at.exception and at.get("download_button")
    upload(at, filled(offline.download(seeded, consultant, draft), {"Q8": "D", "Q1:B": "是"}))
    at.button(key="workbook_apply").click().run()
    assert [s.value for s in at.success] == ["已应用工作簿：2 项答案、0 条备注（第 1 版）。"]
    assert not at.button  # a fresh uploader: the applied file is not offered again
    values = visits.load(seeded, consultant, draft).values
    assert (values["Q8"], values["Q1"]) == ("D", ["B"])
    at.switch_page(VISIT).run()
    at.session_state["visit_tab"] = "数字化管理"
    assert at.run().radio(key="v:Q8").value == "D"
    at.session_state["visit_tab"] = "数字化基础"
    assert at.run().checkbox(key="v:Q1:B").value


def test_a_bad_cell_is_listed_by_row_and_column_and_nothing_is_applied(seeded, consultant, draft):
    content = offline.download(seeded, consultant, draft)
    at = upload(open_page(PAGE, draft), filled(content, {"Q8": "D", "Q2:total": "四十"}))
    at.button(key="workbook_apply").click().run()
    (error,) = at.error
    assert error.value.startswith("工作簿未应用") and "E 列：Q2 设备数字化：生产设备总数（台）：应为数字" in error.value
    assert visits.load(seeded, consultant, draft).values == {}


def test_a_conflict_is_held_until_the_consultant_chooses_then_applied_as_chosen(seeded, consultant, draft):
    content = filled(offline.download(seeded, consultant, draft), {"Q8": "A", "Q5": "B"})
    add_user(seeded, ADMIN, "顾问乙", "consultant", PASSWORD)
    assign(seeded, ADMIN, "顾问乙", CODE)
    with seeded.read() as conn:
        from diagnose.services.accounts import actor_of

        colleague = actor_of(records.user_by_name(conn, "顾问乙"))
    visits.save_item(seeded, colleague, draft, "Q8", "E", 0)
    at = upload(open_page(PAGE, draft), content)
    at.button(key="workbook_apply").click().run()
    assert "有 1 项在下载工作簿后已在系统中被修改" in at.warning[0].value
    assert at.button(key="workbook_resolve").disabled
    assert "Q5" not in visits.load(seeded, consultant, draft).values
    at.radio(key="keep:value:Q8").set_value(offline.KEEP_WORKBOOK).run()
    at.button(key="workbook_resolve").click().run()
    assert at.success and visits.load(seeded, consultant, draft).values | {} == {"Q8": "A", "Q5": "B"}
