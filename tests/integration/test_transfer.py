"""Demo data, Excel import and export through the CLI, on SQLite and PostgreSQL (backup: test_backup_restore)."""

from __future__ import annotations

import csv

import pytest
from openpyxl import Workbook, load_workbook

from diagnose.cli.commands import main
from diagnose.excel import MAX_IMPORT_BYTES
from diagnose.services.enterprises import find_enterprises
from diagnose.store import records
from diagnose.store.tables import assessments, enterprises, results

from .helpers import ADMIN, credit_code

HEAD = ["统一社会信用代码", "企业名称", "细分行业", "行政区", "从业人数（上年）", "营业收入（上年，万元）"]


def sheet(path, rows, head=HEAD):
    workbook = Workbook()
    workbook.active.append(head)
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def cli(store, *argv) -> int:
    return main([*argv, "--database", store.url, "--actor", "测试管理员"])


def count(store, table) -> int:
    with store.read() as conn:
        return records.count(conn, table)


def test_demo_fills_the_store_with_labelled_sample_data(store, capsys):
    assert cli(store, "demo", "--enterprises", "40", "--seed", "5") == 0

    found = find_enterprises(store, ADMIN)
    assert len(found) == 40
    assert all(e["name"].startswith("【示例】") and e["sample"] for e in found)
    assert {e["industry"] for e in found} >= {"纺织服装", "塑胶", "五金制造"}
    assert count(store, assessments) >= 40 and count(store, results) >= 36
    assert "已生成 40 家示例企业" in capsys.readouterr().out


def test_demo_if_empty_leaves_a_filled_store_alone(store, capsys):
    cli(store, "demo", "--enterprises", "3")

    assert cli(store, "demo", "--enterprises", "3", "--if-empty") == 0

    assert len(find_enterprises(store, ADMIN)) == 3
    assert "未生成示例数据" in capsys.readouterr().out


def test_import_reports_every_bad_row_by_row_and_column_and_imports_nothing(store, tmp_path, capsys):
    path = sheet(tmp_path / "firms.xlsx", [
        [credit_code(1), "揭阳甲塑胶有限公司", "塑胶", "榕城区", 30, 500],
        [credit_code(2)[:-1] + "0", "揭阳乙五金有限公司", "五金制造", "揭东区", 12, 80],
        [credit_code(3), "揭阳丙食品有限公司", "食品加工", "汕头市", "很多", 80],
        [credit_code(1), "揭阳甲塑胶有限公司", "塑胶", "榕城区", 30, 500],
    ])  # fmt: skip

    assert cli(store, "import", "enterprises", str(path)) == 1

    err = capsys.readouterr().err.splitlines()
    assert any("第 3 行，A 列（统一社会信用代码）: 统一社会信用代码校验位错误" in line for line in err)
    assert any("第 4 行，D 列（行政区）: 行政区应为以下之一" in line for line in err)
    assert any("第 4 行，E 列（从业人数（上年））: 从业人数（上年）应为数字" in line for line in err)
    assert any("第 5 行，A 列（统一社会信用代码）: 与第 2 行的统一社会信用代码重复" in line for line in err)
    assert count(store, enterprises) == 0
    with store.read() as conn:
        assert records.audit_entries(conn, "enterprise") == []


def test_import_with_skip_invalid_takes_the_good_rows(store, tmp_path):
    path = sheet(tmp_path / "firms.xlsx", [
        [credit_code(1), "揭阳甲塑胶有限公司", "塑胶", "榕城区", 30, 500],
        [credit_code(2), "揭阳乙五金有限公司", "五金", "揭东区", 12, 80],
    ])  # fmt: skip

    assert cli(store, "import", "enterprises", str(path), "--dry-run") == 1
    assert count(store, enterprises) == 0
    assert cli(store, "import", "enterprises", str(path), "--skip-invalid") == 1

    [imported] = find_enterprises(store, ADMIN)
    assert (imported["name"], imported["size_class"]) == ("揭阳甲塑胶有限公司", "小型")


def test_a_clean_sheet_imports_whole(store, tmp_path, capsys):
    path = sheet(
        tmp_path / "firms.xlsx",
        [[credit_code(i), f"揭阳{i}号塑胶有限公司", "塑胶", "普宁市", 30, 500] for i in range(5)],
    )

    assert cli(store, "import", "enterprises", str(path)) == 0

    assert len(find_enterprises(store, ADMIN)) == 5
    assert "导入 5 家企业" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a spreadsheet", "不是有效的 Excel（.xlsx）文件"),
        (b"PK\x03\x04broken zip", "不是有效的 Excel（.xlsx）文件"),
        (b"0" * (MAX_IMPORT_BYTES + 1), "文件过大"),
    ],
)
def test_a_malformed_or_oversized_file_is_refused_with_a_message(store, tmp_path, capsys, content, message):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)

    assert cli(store, "import", "enterprises", str(path)) == 1

    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_unknown_and_missing_headers_are_named(store, tmp_path, capsys):
    path = sheet(tmp_path / "firms.xlsx", [], head=["企业名称", "细分行业", "邮箱"])

    assert cli(store, "import", "enterprises", str(path)) == 1

    err = capsys.readouterr().err
    assert "第 1 行，C 列: 未知表头“邮箱”" in err
    assert "缺少必需的列：统一社会信用代码、行政区" in err


def test_export_writes_one_row_per_assessment_with_versions_and_raw_answers(store, tmp_path):
    cli(store, "demo", "--enterprises", "10")

    assert cli(store, "export", str(tmp_path / "all.csv")) == 0
    assert cli(store, "export", str(tmp_path / "all.xlsx")) == 0

    raw = (tmp_path / "all.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader((tmp_path / "all.csv").open(encoding="utf-8-sig")))
    assert len(rows) == count(store, assessments)
    assert rows[0]["问卷版本"].startswith("2024.1") and len(rows[0]["问卷内容哈希"]) == 64
    assert rows[0]["Q5 信息系统"] and rows[0]["场景：产品设计"] and rows[0]["示例数据"] == "是"
    assert not [head for head in rows[0] if head.startswith(("scene:", "practice:", "visit."))]  # no keys as heads
    sheet_rows = list(load_workbook(tmp_path / "all.xlsx", read_only=True).active.iter_rows(values_only=True))
    assert len(sheet_rows) == len(rows) + 1


def test_user_commands_add_list_assign_reset_and_disable(store, monkeypatch, capsys):
    import io

    from diagnose.services.accounts import SignInRefused, sign_in

    cli(store, "demo", "--enterprises", "2")
    code = find_enterprises(store, ADMIN)[0]["credit_code"]
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert cli(store, "user", "add", "zhang.wei", "--role", "consultant", "--password-stdin") == 0
    assert cli(store, "assign", "zhang.wei", code) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("another long password\n"))
    assert cli(store, "user", "passwd", "zhang.wei", "--password-stdin") == 0
    assert sign_in(store, "zhang.wei", "another long password").actor.role == "consultant"
    assert cli(store, "user", "disable", "zhang.wei") == 0
    assert cli(store, "user", "list") == 0

    out = capsys.readouterr().out
    assert "zhang.wei" in out and "停用" in out and "已分配：zhang.wei 负责" in out
    with pytest.raises(SignInRefused, match="账户已停用"):
        sign_in(store, "zhang.wei", "another long password")


def test_a_weak_password_or_unknown_role_is_refused_by_the_command(store, monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))

    assert cli(store, "user", "add", "li.na", "--role", "official", "--password-stdin") == 1

    assert "密码至少 10 个字符" in capsys.readouterr().err


def test_demo_prints_one_account_per_role_and_assigns_the_consultant(store, capsys):
    from diagnose.services.accounts import sign_in
    from diagnose.services.applications import batches, organisations

    cli(store, "demo", "--enterprises", "12")

    out = capsys.readouterr().out
    for username in (
        "demo_admin",
        "demo_official",
        "demo_consultant",
        "demo_enterprise",
        "demo_provider",
        "demo_expert",
    ):
        assert username in out
    consultant = sign_in(store, "demo_consultant", "demo-consultant-2026").actor
    assert len(find_enterprises(store, consultant)) == 12
    enterprise = sign_in(store, "demo_enterprise", "demo-enterprise-2026").actor
    assert len(find_enterprises(store, enterprise)) == 1
    provider = sign_in(store, "demo_provider", "demo-provider-2026").actor
    assert [o["name"] for o in organisations(store, provider)] == ["示例牵引单位甲"]
    assert [b["name"] for b in batches(store, provider) if b["accepting"]] == ["第3批（示例）"]
    # the sample catalog's batches, published
    assert {b["name"]: b["status"] for b in batches(store, provider)} == {
        "第3批（示例）": "open", "第2批": "published", "第1批": "published"}  # fmt: skip
