"""The offline workbook round trip, on SQLite and PostgreSQL: download a visit as .xlsx, fill it
as Excel would (openpyxl), upload it; every refusal leaves the visit as it was."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from diagnose.services import assessments as visits
from diagnose.services import workbook as offline
from diagnose.services.errors import NotEditable, ValidationFailed
from diagnose.services.guard import PermissionDenied
from diagnose.store import records

from .helpers import OFFICIAL, fill_visit, new_enterprise, user


@pytest.fixture
def visit(store, consultant):
    return visits.start_assessment(store, consultant, new_enterprise(store), "baseline", _questionnaires())


def _questionnaires():
    from diagnose.services import questionnaires

    return questionnaires()


def fill(content: bytes, cells: dict[str, object], notes: dict[str, object] | None = None,
         keys: dict[int, str] | None = None) -> bytes:  # fmt: skip
    """The workbook with the value cell (E) of each row key in ``cells`` typed in, each note (F)
    of ``notes``, and (to tamper) key cells of ``keys`` by row number overwritten."""
    book = load_workbook(io.BytesIO(content))
    sheet = book["现场评测"]
    rows = {sheet[f"A{n}"].value: n for n in range(4, sheet.max_row + 1)}
    for key, value in cells.items():
        sheet[f"E{rows[key]}"] = value
    for key, value in (notes or {}).items():
        sheet[f"F{rows[key]}"] = value
    for number, value in (keys or {}).items():
        sheet[f"A{number}"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(content: bytes, key: str) -> int:
    sheet = load_workbook(io.BytesIO(content))["现场评测"]
    return next(n for n in range(4, sheet.max_row + 1) if sheet[f"A{n}"].value == key)


def stored(store, consultant, visit):
    file = visits.load(store, consultant, visit)
    return file.values, file.notes


def test_a_filled_workbook_stores_every_kind_of_answer_in_one_revision_audited_as_from_the_workbook(
    store, consultant, visit
):
    content = offline.download(store, consultant, visit)
    revision = visits.load(store, consultant, visit).revision
    filled = fill(content, {
        "visit.date": "2026-11-20", "visit.consultants": "顾问甲、顾问乙", "Q1:B": "是", "Q1:C": "是",
        "Q2:total": 40, "Q2:digital": "12", "Q5": "C. " + _option_text("Q5", "C"), "Q8": "D",
        "scene:产品设计": "L2 系统化管理", "Q12:band": "B", "report.pain_points": "排产靠经验",
    }, notes={"Q5": "ERP 已上线两年", "Q1:A": "车间无线覆盖"})  # fmt: skip
    applied = offline.upload(store, consultant, visit, "工作簿.xlsx", filled)
    assert (applied.values, applied.notes, applied.revision) == (9, 2, revision + 1)
    values, notes = stored(store, consultant, visit)
    assert values["Q1"] == ["B", "C"] and values["Q2"] == {"total": 40, "digital": 12.0}
    assert values["Q5"] == "C" and values["Q8"] == "D" and values["scene:产品设计"] == 2
    assert values["visit.consultants"] == ["顾问甲", "顾问乙"] and values["visit.date"] == "2026-11-20"
    assert notes == {"Q5": "ERP 已上线两年", "Q1": "车间无线覆盖"}
    with store.read() as conn:
        entries = records.audit_entries(conn, "assessment", visit)
        row = records.assessment_by_id(conn, visit)
    assert str(row["visit_date"])[:10] == "2026-11-20"
    actions = [e["action"] for e in entries]
    assert actions.count("workbook value") == 9 and actions.count("workbook note") == 2
    assert entries[-1]["action"] == "workbook" and entries[-1]["new_value"]["applied"] == 11


def _option_text(question: str, code: str) -> str:
    return _questionnaires()["plastics"].question(question).option(code).text


def test_the_downloaded_workbook_shows_the_stored_answers_locks_all_but_value_and_note_and_offers_dropdowns(
    store, consultant, visit
):
    fill_visit(store, visit)
    visits.save_note(store, consultant, visit, "Q5", "有照片", visits.load(store, consultant, visit).revision)
    content = offline.download(store, consultant, visit)
    sheet = load_workbook(io.BytesIO(content))["现场评测"]
    cells = {sheet[f"A{n}"].value: (sheet[f"E{n}"], sheet[f"F{n}"]) for n in range(4, sheet.max_row + 1)}
    assert cells["Q5"][0].value.startswith("C. ") and cells["Q5"][1].value == "有照片"
    assert cells["Q1:B"][0].value == "是" and cells["Q1:A"][0].value is None
    assert cells["Q2:total"][0].value == 40 and cells["scene:产品设计"][0].value == "L2 系统化管理"
    assert sheet.protection.sheet and not cells["Q5"][0].protection.locked and sheet["A5"].protection.locked
    dropdown = next(v for v in sheet.data_validations.dataValidation if "E" + str(row_of(content, "Q5")) in v.sqref)
    assert dropdown.type == "list" and dropdown.formula1.startswith("'选项'!")


def test_an_upload_that_changes_nothing_or_is_applied_again_writes_nothing(store, consultant, visit):
    fill_visit(store, visit)
    before = visits.load(store, consultant, visit).revision
    content = offline.download(store, consultant, visit)
    applied = offline.upload(store, consultant, visit, "w.xlsx", content)
    assert applied.revision is None and visits.load(store, consultant, visit).revision == before
    changed = fill(content, {"Q8": "A"})
    assert offline.upload(store, consultant, visit, "w.xlsx", changed).revision == before + 1
    again = offline.upload(store, consultant, visit, "w.xlsx", changed)
    assert again.revision is None and visits.load(store, consultant, visit).revision == before + 1


BAD_CELLS = [
    ({"Q5": "Z"}, "不是可选项"),
    ({"Q2:total": "四十"}, "应为数字"),
    ({"Q2:total": "inf"}, "应为数字"),  # Excel keeps no infinity or NaN but as text
    ({"Q2:total": "NaN"}, "应为数字"),
    ({"Q2:total": -3}, "不能为负数"),
    ({"Q2:total": 10, "Q2:digital": 12}, "不能大于"),
    ({"Q2:total": 10}, "还需填写"),
    ({"Q1:A": "是", "Q1:B": "是"}, "不能与其他选项同时选择"),
    ({"Q1:B": "也许"}, "应为“是”或“否”"),
    ({"visit.date": "昨天"}, "应为日期"),
    ({"scene:产品设计": "L7"}, "不是可选的等级"),
    ({"report.pain_points": "长" * 2001}, "不超过 2000 字"),
]


def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_applied(store, consultant, visit):
    content = offline.download(store, consultant, visit)
    good = {"Q8": "D"}  # a valid change beside the bad one is not applied either
    for cells, says in BAD_CELLS:
        with pytest.raises(ValidationFailed) as refused:
            offline.upload(store, consultant, visit, "w.xlsx", fill(content, good | cells))
        problem = refused.value.problems[0]
        first, last = (
            (int(n) for n in re.match(r"第 (\d+)(?:–(\d+))? 行，E 列", problem.place).group(1, 2) if n)
            if "–" in problem.place
            else (int(re.match(r"第 (\d+) 行", problem.place).group(1)),) * 2
        )
        assert any(first <= row_of(content, k) <= last for k in cells), (cells, problem)
        assert says in problem.message and ":" not in problem.message.split("：")[0], (cells, problem)
    assert stored(store, consultant, visit) == ({}, {})


def test_a_note_typed_beside_another_row_than_its_items_first_is_refused_not_dropped(store, consultant, visit):
    content = offline.download(store, consultant, visit)
    with pytest.raises(ValidationFailed, match="Q1 网络建设 的备注请写在第") as refused:
        offline.upload(store, consultant, visit, "w.xlsx", fill(content, {}, {"Q1:B": "车间无线覆盖"}))
    assert refused.value.problems[0].place == f"第 {row_of(content, 'Q1:B')} 行，F 列"
    assert stored(store, consultant, visit) == ({}, {})


def test_another_visits_workbook_is_refused_by_name(store, consultant, visit):
    other = visits.start_assessment(store, consultant, new_enterprise(store, seed=2), "baseline", _questionnaires())
    content = fill(offline.download(store, consultant, other), {"Q8": "D"})
    with pytest.raises(ValidationFailed, match=f"另一次评测（编号 {other}"):
        offline.upload(store, consultant, visit, "w.xlsx", content)
    assert stored(store, consultant, visit) == ({}, {}) and stored(store, consultant, other) == ({}, {})


def test_a_workbook_uploaded_after_the_visit_was_submitted_is_refused(store, consultant, visit):
    fill_visit(store, visit)
    content = fill(offline.download(store, consultant, visit), {"Q8": "A"})
    visits.submit(store, consultant, visit)
    with pytest.raises(NotEditable, match="评测已提交，工作簿中的修改不能再应用"):
        offline.upload(store, consultant, visit, "w.xlsx", content)
    assert stored(store, consultant, visit)[0]["Q8"] == "D"


def test_a_tampered_key_a_moved_row_or_a_forged_token_is_refused(store, consultant, visit):
    content = offline.download(store, consultant, visit)
    q8 = row_of(content, "Q8")
    with pytest.raises(ValidationFailed, match="条目键被改动") as refused:
        offline.upload(store, consultant, visit, "w.xlsx", fill(content, {"Q8": "D"}, keys={q8: "Q9"}))
    assert refused.value.problems[0].place == f"第 {q8} 行，A 列"
    book = load_workbook(io.BytesIO(fill(content, {"Q8": "D"})))
    book["校验"]["A1"] = book["校验"]["A1"].value[:-3] + "abc"
    forged = io.BytesIO()
    book.save(forged)
    with pytest.raises(ValidationFailed, match="校验信息无效"):
        offline.upload(store, consultant, visit, "w.xlsx", forged.getvalue())
    with pytest.raises(ValidationFailed, match="不是有效的 Excel"):
        offline.upload(store, consultant, visit, "w.xlsx", b"PK\x03\x04 not really")
    assert stored(store, consultant, visit) == ({}, {})


def test_an_item_changed_in_the_tool_since_the_download_is_a_conflict_resolved_either_way(store, consultant, visit):
    fill_visit(store, visit)
    content = fill(offline.download(store, consultant, visit), {"Q8": "A", "Q5": "B", "Q13:band": "A"})
    colleague = user(store, "顾问乙")
    from diagnose.services.accounts import assign

    from .helpers import ADMIN

    with store.read() as conn:
        code = records.enterprise_by_id(conn, visits.load(store, consultant, visit).row["enterprise_id"])["credit_code"]
    assign(store, ADMIN, "顾问乙", code)
    revision = visits.load(store, colleague, visit).revision
    revision = visits.save_item(store, colleague, visit, "Q8", "E", revision).revision
    visits.save_item(store, colleague, visit, "Q5", "B", revision)  # the same value as the workbook: no conflict
    with pytest.raises(offline.WorkbookConflicts) as conflicted:
        offline.upload(store, consultant, visit, "w.xlsx", content)
    (conflict,) = conflicted.value.conflicts
    assert conflict.slot == "value:Q8" and conflict.changed_by == "顾问乙"
    assert conflict.at_download.startswith("D.") and conflict.in_tool.startswith("E.")
    assert conflict.in_workbook.startswith("A.") and conflict.row == row_of(content, "Q8")
    assert stored(store, consultant, visit)[0]["Q13"] == "C"  # nothing applied while a conflict stands
    applied = offline.upload(store, consultant, visit, "w.xlsx", content, keep={"value:Q8": offline.KEEP_TOOL})
    values = stored(store, consultant, visit)[0]
    assert (values["Q8"], values["Q13"], applied.kept_tool) == ("E", "A", 1)
    again = fill(offline.download(store, consultant, visit), {"Q8": "B"})
    visits.save_item(store, colleague, visit, "Q8", "C", visits.load(store, colleague, visit).revision)
    offline.upload(store, consultant, visit, "w.xlsx", again, keep={"value:Q8": offline.KEEP_WORKBOOK})
    assert stored(store, consultant, visit)[0]["Q8"] == "B"


def test_only_whoever_may_write_the_visit_may_upload_a_workbook(store, consultant, visit):
    content = fill(offline.download(store, consultant, visit), {"Q8": "D"})
    stranger = user(store, "顾问丙")
    for actor in (OFFICIAL, stranger):
        with pytest.raises(PermissionDenied):
            offline.upload(store, actor, visit, "w.xlsx", content)
    with pytest.raises(PermissionDenied):
        offline.download(store, stranger, visit)
    assert stored(store, consultant, visit) == ({}, {})


def test_dates_as_chinese_excel_users_type_them_are_taken_and_a_cleared_answer_is_said_so(store, consultant, visit):
    fill_visit(store, visit)
    content = offline.download(store, consultant, visit)
    sheet = load_workbook(io.BytesIO(content))["现场评测"]
    unrated = [
        sheet[f"E{n}"].value for n in range(4, sheet.max_row + 1) if sheet[f"A{n}"].value == "report.pain_points"
    ]
    assert unrated == [None]
    applied = offline.upload(
        store, consultant, visit, "w.xlsx", fill(content, {"visit.date": "2026/11/21", "Q8": None})
    )
    values = stored(store, consultant, visit)[0]
    assert values["visit.date"] == "2026-11-21" and "Q8" not in values
    assert any(line.startswith("Q8 规划实施：清空（原为 D.") for line in applied.changed), applied.changed
    assert any(line.startswith("走访日期：2026-11-20 → 2026-11-21") for line in applied.changed), applied.changed
