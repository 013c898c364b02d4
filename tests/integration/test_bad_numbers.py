"""Numbers that are not numbers, swept over every door that takes one: answers scored by the command,
enterprises imported from Excel, projects recorded from JSON, the catalog imported from Excel.

The values below were not used while the checks were written (a held-out list): whatever they
are, the answer is a located refusal or a kept value, never an internal error (exit 70) or a
stored infinity.
"""

from __future__ import annotations

import json
import math

import pytest
from openpyxl import Workbook, load_workbook

from diagnose.cli.commands import EXIT_INTERNAL, main
from diagnose.services import open_store
from diagnose.services.catalog_admin import export_catalog, import_catalog, live_catalog
from diagnose.services.enterprises import find_enterprises

from .helpers import ADMIN, FULL_ANSWERS, credit_code, project_data

# as JSON tokens (Python's json reads Infinity and NaN) and as sheet cells
JSON_TOKENS = ["-Infinity", "NaN", "1e999", "-1e999", "1.7976931348623157e308", "-0.5", "12345678901234567890123",
               "5e-324", '"Infinity"', '"nan"', '"１e5"', '"4 2"', '"--1"', "false", "[1]", '{"n": 1}']  # fmt: skip
# a project file is slower to try (an enterprise imported first): every kind of token once
PROJECT_TOKENS = ["-Infinity", "NaN", "1e999", "1.7976931348623157e308", "-0.5", "5e-324", '"nan"', "[1]"]
CELLS = ["Infinity", "-nan", "1E+999", "1.8e308", -1e-9, 10**25, -(2**63), 3.0000001, "1_000", "+-3", "∞", "一百"]


@pytest.fixture
def national(questionnaires):
    return questionnaires["national-2024"]


def fill(path, head, row):
    book = Workbook()
    book.active.append(head)
    book.active.append(row)
    book.save(path)


@pytest.mark.parametrize("token", JSON_TOKENS)
@pytest.mark.parametrize("place", [("Q2", "total"), ("Q3", "networked"), ("Q11", "revenue"), ("Q11", "investment")])
def test_a_bad_figure_in_scored_answers_is_refused_by_question_or_kept(tmp_path, capsys, place, token):
    question, field = place
    answers = {k: (dict(v) if isinstance(v, dict) else v) for k, v in FULL_ANSWERS.items()}
    answers[question][field] = "__X__"
    text = json.dumps({"questionnaire": "national-2024", "answers": answers}).replace('"__X__"', token)
    (tmp_path / "a.json").write_text(text, encoding="utf-8")

    code = main(["score", str(tmp_path / "a.json")])

    out, err = capsys.readouterr()
    assert code in (0, 1), err
    if code == 1:
        assert question in err and "内部错误" not in err
    else:  # kept: only a finite figure within range (5e-324 is 0, 1e308 a slip refused elsewhere)
        assert "Infinity" not in out and "NaN" not in out


@pytest.mark.parametrize("cell", CELLS, ids=str)
@pytest.mark.parametrize("column", [("E", "从业人数（上年）"), ("F", "营业收入（上年，万元）")])
def test_a_bad_figure_in_an_enterprise_sheet_is_refused_by_row_and_column_or_stored_finite(
    tmp_path, capsys, column, cell
):
    letter, title = column
    head = ["统一社会信用代码", "企业名称", "细分行业", "行政区", "从业人数（上年）", "营业收入（上年，万元）"]
    row = [credit_code(9), "揭阳乙塑胶有限公司", "塑胶", "榕城区", 30, 500]
    row["EF".index(letter) + 4] = cell
    fill(tmp_path / "e.xlsx", head, row)
    database = f"sqlite:///{tmp_path / 'd.db'}"

    code = main(["import", "enterprises", str(tmp_path / "e.xlsx"), "--database", database])

    err = capsys.readouterr().err
    assert code in (0, 1) and code != EXIT_INTERNAL, err
    if code == 1:
        assert f"第 2 行，{letter} 列（{title}）" in err and "内部错误" not in err
    else:  # read as a number a person meant (1_000 is 1000): finite, within range, stored as such
        [stored] = find_enterprises(open_store(database), ADMIN)
        value = stored["head_count" if letter == "E" else "revenue"]
        assert math.isfinite(value) and 0 <= value <= 100_000_000


@pytest.mark.parametrize("token", ['"abc"', "Infinity", "1e30", "7.5", "-3", "true"])
def test_a_baseline_that_is_no_assessment_number_is_refused_by_field(tmp_path, capsys, token):
    store = open_store(f"sqlite:///{tmp_path / 'd.db'}")
    fill(tmp_path / "e.xlsx", ["统一社会信用代码", "企业名称", "细分行业", "行政区"],
         [credit_code(9), "揭阳乙塑胶有限公司", "塑胶", "榕城区"])  # fmt: skip
    assert main(["import", "enterprises", str(tmp_path / "e.xlsx"), "--database", store.url]) == 0
    text = json.dumps(project_data(credit_code=credit_code(9), baseline_assessment_id="__X__"), ensure_ascii=False)
    (tmp_path / "p.json").write_text(text.replace('"__X__"', token), encoding="utf-8")

    code = main(["project", "add", str(tmp_path / "p.json"), "--database", store.url])

    err = capsys.readouterr().err
    assert code == 1 and "baseline_assessment_id" in err and "应为改造前诊断的编号" in err, err


@pytest.mark.parametrize("token", PROJECT_TOKENS)
@pytest.mark.parametrize("field", ["funding_amount", "items.0.quantity", "items.1.unit_price"])
def test_a_bad_amount_in_a_project_file_is_refused_by_field_or_kept(tmp_path, capsys, field, token):
    # the checks come before the database: SQLite is enough
    store = open_store(f"sqlite:///{tmp_path / 'd.db'}")
    fill(tmp_path / "e.xlsx", ["统一社会信用代码", "企业名称", "细分行业", "行政区"],
         [credit_code(9), "揭阳乙塑胶有限公司", "塑胶", "榕城区"])  # fmt: skip
    assert main(["import", "enterprises", str(tmp_path / "e.xlsx"), "--database", store.url]) == 0
    data = project_data(credit_code=credit_code(9))
    if field == "funding_amount":
        data["funding_amount"] = "__X__"
    else:
        _, index, key = field.split(".")
        data["items"][int(index)][key] = "__X__"
    text = json.dumps(data, ensure_ascii=False).replace('"__X__"', token)
    (tmp_path / "p.json").write_text(text, encoding="utf-8")

    code = main(["project", "add", str(tmp_path / "p.json"), "--database", store.url])

    err = capsys.readouterr().err
    assert code in (0, 1) and "内部错误" not in err, err
    if code == 1:
        assert field.replace(".", "[", 1).replace(".", "].", 1) in err or field in err, err


@pytest.mark.parametrize("cell", CELLS, ids=str)
@pytest.mark.parametrize("column", ["价格（元）", "实施周期（天）"])
def test_a_bad_number_in_a_catalog_sheet_names_its_row_and_column_in_chinese(tmp_path, national, column, cell):
    store = open_store(f"sqlite:///{tmp_path / 'd.db'}")  # the checks come before the database
    store.upgrade()
    export_catalog(store, ADMIN, national, tmp_path / "c.xlsx")
    book = load_workbook(tmp_path / "c.xlsx")
    head = [c.value for c in book.active[1]]
    book.active.cell(row=3, column=head.index(column) + 1, value=cell)
    book.save(tmp_path / "c.xlsx")
    before = live_catalog(store, national).products[1]

    count, problems = import_catalog(store, ADMIN, national, tmp_path / "c.xlsx")

    if cell == "1_000":  # read as the number a person meant, as in the enterprise sheet
        assert count == 47 and 1000 in (live_catalog(store, national).products[1].price,
                                        live_catalog(store, national).products[1].implementation_days)  # fmt: skip
        return
    assert count == 0
    [problem] = problems
    assert problem.place.startswith("第 3 行，") and problem.place.endswith(f" 列（{column}）")
    assert not any(word in problem.message for word in ("must", "required", "whole"))  # said in Chinese
    assert live_catalog(store, national).products[1] == before
