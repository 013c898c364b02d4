"""The diagnose command: help for every command, located errors, never a traceback."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from diagnose.cli.commands import build_parser, main

SAMPLE = {
    "questionnaire": "textiles",
    "answers": {
        "Q1": ["B", "C"],
        "Q2": {"total": 40, "digital": 12},
        "Q3": {"total": 40, "networked": 8},
        "Q5": "C",
        "Q11": {"revenue": 3000, "investment": 90},
        "Q12": "C",
    },
    "scenes": {"产品设计": 2, "生产管控": 1},
    "practices": ["T01", "T08"],
}


def commands(parser=None, prefix=()):
    """Every command path, nested ones included: ("db",), ("db", "upgrade") ..."""
    parser = parser or build_parser()
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((*prefix, name))
                found += commands(sub, (*prefix, name))
    return found


def test_the_commands_are_the_ones_the_readme_names():
    assert commands() == [
        ("validate",), ("score",), ("db",), ("db", "upgrade"), ("db", "check"), ("db", "rebuild"), ("demo",),
        ("import",), ("import", "enterprises"), ("export",), ("backup",), ("restore",), ("user",), ("user", "add"),
        ("user", "passwd"), ("user", "disable"), ("user", "list"), ("assign",), ("review",), ("review", "list"),
        ("review", "approve"), ("review", "return"), ("project",), ("project", "add"), ("project", "list"),
        ("print",), ("print", "questionnaire"), ("plan",), ("report",), ("rescore",),
    ]  # fmt: skip


@pytest.mark.parametrize("argv", [[], *[list(c) for c in commands()]], ids=lambda a: " ".join(a) or "diagnose")
def test_every_command_has_help(argv, capsys):
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])

    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("用法：diagnose") and "选项:" in shown and "显示本帮助并退出" in shown


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["report", "--out"], "diagnose report：错误：参数 --out：需要一个值"),
        (["report", "--jobs", "x", "--out", "y"], "diagnose report：错误：参数 --jobs：'x' 不是有效的整数"),
        (["report"], "diagnose report：错误：缺少必需的参数：--out"),
        (["frob"], "diagnose：错误：参数 COMMAND：没有 'frob' 这一项（可选：'validate'"),
        (["user", "add", "x", "--role", "boss"], "diagnose user add：错误：参数 --role：没有 'boss' 这一项"),
        (["validate", "--no-such"], "diagnose：错误：无法识别的参数：--no-such"),
    ],
    ids=["no-value", "not-a-number", "missing", "no-such-command", "no-such-choice", "unknown-option"],
)
def test_a_wrong_call_is_answered_in_chinese_with_its_usage_and_exit_2(argv, said, capsys):
    with pytest.raises(SystemExit) as done:
        main(argv)

    err = capsys.readouterr().err
    assert done.value.code == 2 and said in err and err.startswith("用法：diagnose")
    assert not re.search(r"\b(usage|error|invalid|expected|required|unrecognized|choose)\b", err), err


def test_validate_passes_the_shipped_questionnaires(capsys):
    assert main(["validate"]) == 0

    out = capsys.readouterr().out
    assert out.count("通过") == 5


def test_validate_lists_every_problem_and_fails(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "kind: questionnaire\nid: x\nversion: '1'\ntitle: t\ndimensions: []\nquestions: []\nscenes: []\nlevels: []\n",
        encoding="utf-8",
    )

    assert main(["validate", str(bad), str(tmp_path / "missing.yaml")]) == 1

    err = capsys.readouterr().err.splitlines()
    assert any(line.endswith("bad.yaml: scene_level_names: is required") for line in err)
    assert any(line.endswith("missing.yaml: no such file") for line in err)


def test_score_prints_the_result_as_json(tmp_path, capsys):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(SAMPLE, ensure_ascii=False), encoding="utf-8")

    assert main(["score", str(path)]) == 0

    result = json.loads(capsys.readouterr().out)
    assert (result["score"], result["basic"], result["management"], result["effect"]) == (20.5, 13.5, 0, 7)
    assert result["level"] == 0 and result["complete"] is False
    assert result["missing"] == ["Q4", "Q6", "Q7", "Q8", "Q9", "Q10", "Q13", "Q14", "Q15"]
    assert result["gap"]["text"] == "还需 3 个场景达到 L1，其中 1 个约束性场景"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"questionnaire": "textiles",\n "answers": {"Q1": [B]}}', "a.json: line 2, column 21: 不是有效的 JSON"),
        ('{"questionnaire": "textiles", "answers": {"Q1": ["Z"]}}', "a.json: answers.Q1: Q1 网络建设：未知选项 'Z'"),
        (
            '{"questionnaire": "textiles", "scenes": {"产品设计": 9}}',
            "a.json: scenes.产品设计: 场景等级应为 0-4 的整数",
        ),
        ('{"questionnaire": "textiles", "practices": ["P01"]}', "a.json: practices[0]: 未知实践 'P01'"),
        ('{"questionnaire": "textiles", "answers": {"Q16": "A"}}', "a.json: answers.Q16: 未知题目 'Q16'"),
        (
            '{"questionnaire": "textiles", "answers": {"Q2": {"total": Infinity, "digital": 1}}}',
            "a.json: answers.Q2: Q2 设备数字化：生产设备总数过大（超过一万亿）",
        ),
        (
            '{"questionnaire": "textiles", "answers": {"Q2": {"total": NaN, "digital": 1}}}',
            "a.json: answers.Q2: Q2 设备数字化：生产设备总数应为数字，而不是 nan",
        ),
        (
            '{"questionnaire": "textiles", "answers": {"Q11": {"revenue": 1e400, "investment": 1}}}',
            "a.json: answers.Q11: Q11 资金保障：近三年平均营业额过大（超过一万亿）",
        ),
    ],
)
def test_bad_input_exits_non_zero_with_one_located_line_per_problem(tmp_path, capsys, content, expected):
    path = tmp_path / "a.json"
    path.write_text(content, encoding="utf-8")

    assert main(["score", str(path)]) == 1

    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err


def test_batch_scores_line_by_line_and_reports_bad_lines_in_place(tmp_path, capsys):
    lines = [
        json.dumps(SAMPLE, ensure_ascii=False),
        "{broken",
        "",
        json.dumps({"questionnaire": "food", "answers": {"Q5": "E"}}),
    ]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert main(["score", "--batch", str(path)]) == 1

    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3, 4]
    assert out[0]["score"] == 20.5 and out[0]["questionnaire"] == "textiles"
    assert "不是有效的 JSON" in out[1]["error"] and "空行" in out[2]["error"]
    assert (out[3]["score"], out[3]["level"], out[3]["questionnaire"]) == (10, 0, "food")


def test_batch_of_good_lines_exits_zero(tmp_path, capsys):
    path = tmp_path / "ok.jsonl"
    path.write_text(json.dumps(SAMPLE, ensure_ascii=False) + "\n", encoding="utf-8")

    assert main(["score", "--batch", str(path)]) == 0


def test_the_installed_command_shows_no_traceback_on_a_missing_file(tmp_path):
    done = subprocess.run(
        [Path(sys.executable).parent / "diagnose", "score", str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 1
    assert done.stderr.strip() == f"{tmp_path / 'nope.json'}: 文件不存在"


def stricter_national(tmp_path) -> Path:
    """A copy of the shipped questionnaires whose national part is a new version: 二级 needs 45 points."""
    import shutil

    from diagnose.rule.loading import DEFAULT_DIRECTORY

    folder = tmp_path / "questionnaires"
    shutil.copytree(DEFAULT_DIRECTORY, folder)
    national = folder / "national-2024.yaml"
    text = national.read_text(encoding="utf-8").replace('version: "2024.1"', 'version: "2024.2"')
    national.write_text(text.replace("min_score: 40\n", "min_score: 45\n"), encoding="utf-8")
    return folder


def rescored_results(url: str) -> int:
    from sqlalchemy import func, select

    from diagnose.services import open_store
    from diagnose.store import tables

    store = open_store(url)
    with store.read() as conn:
        found = conn.execute(select(func.count()).where(tables.results.c.reason == "rescored")).scalar_one()
    store.dispose()
    return found


def test_rescore_dry_run_lists_each_assessment_and_writes_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["demo", "--enterprises", "4", "--database", url]) == 0
    capsys.readouterr()

    folder = str(stricter_national(tmp_path))

    assert main(["rescore", "--questionnaire", folder, "--dry-run", "--database", url]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("共 ") and out[-1].endswith("未写入（--dry-run）")
    assert all("【示例】" in line and " → " in line for line in out[:-1]) and len(out) > 1
    assert rescored_results(url) == 0

    assert main(["rescore", "--questionnaire", folder, "--database", url]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(f"已重新计分 {len(out) - 1} 次评测（原结果保留）")
    assert rescored_results(url) == len(out) - 1


def test_rescore_refuses_an_invalid_folder_with_located_problems(tmp_path, capsys):
    folder = stricter_national(tmp_path)
    national = folder / "national-2024.yaml"
    national.write_text(national.read_text(encoding="utf-8").replace("min_score: 45\n", "min_score: lots\n", 1),
                        encoding="utf-8")  # fmt: skip

    assert main(["rescore", "--questionnaire", str(folder), "--database", f"sqlite:///{tmp_path / 'x.db'}"]) == 1
    assert main(["rescore", "--questionnaire", str(tmp_path / "nowhere"), "--dry-run"]) == 1

    err = capsys.readouterr().err.splitlines()
    assert any("national-2024.yaml: levels[1].min_score" in line for line in err)
    assert err[-1] == f"{tmp_path / 'nowhere'}: 目录不存在"
    assert not (tmp_path / "x.db").exists()  # the folder is checked before the database is opened


@pytest.mark.parametrize("out", ["missing/dir/x.pdf", "."], ids=["missing-folder", "a-folder"])
def test_a_report_to_an_impossible_path_is_a_located_problem_before_any_work(tmp_path, capsys, monkeypatch, out):
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "never-opened.db"

    code = main(["report", "91445200MA4UXXXX0X", "--out", out, "--database", f"sqlite:///{database}"])

    assert code == 1
    assert capsys.readouterr().err.startswith(f"{out}: ")
    assert not database.exists()  # refused before the store was even opened


def test_a_report_for_a_malformed_credit_code_says_it_is_malformed_not_missing(tmp_path, capsys):
    database = f"sqlite:///{tmp_path / 'a.db'}"

    code = main(["report", "ABC", "--out", str(tmp_path / "x.pdf"), "--database", database])

    assert code == 1
    assert "统一社会信用代码“ABC”应为 18 位，实际 3 位" in capsys.readouterr().err


def test_json_nested_too_deep_is_a_located_problem_not_an_internal_error(tmp_path, capsys):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")

    assert main(["score", str(tmp_path / "deep.json")]) == 1
    assert "JSON 嵌套过深" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["foo", "mysql://user:secret@host/db"], ids=["not-a-url", "unsupported"])
def test_a_database_address_that_cannot_work_is_said_in_chinese_without_its_password(url, capsys):
    assert main(["review", "list", "--database", url]) == 1

    err = capsys.readouterr().err
    assert "数据库地址无法使用" in err and "secret" not in err and "内部错误" not in err
