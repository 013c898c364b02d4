"""AppTest of the administrators' doors: account actions on 账户管理, 导入企业, 重新计分."""

from __future__ import annotations

import io
import shutil

import pytest
from openpyxl import Workbook

from diagnose.access.policy import Actor
from diagnose.enterprise import CODE_CHARSET, credit_code_check_char
from diagnose.rule.loading import DEFAULT_DIRECTORY
from diagnose.services.accounts import add_user, list_users, sign_in
from diagnose.services.enterprises import find_enterprises
from diagnose.store import records

from .conftest import ADMIN, PASSWORD, open_app

ACCOUNTS = "diagnose/ui/accounts_admin.py"
IMPORT = "diagnose/ui/import_enterprises.py"
RESCORE = "diagnose/ui/rescore.py"
HEADER = ["统一社会信用代码", "企业名称", "细分行业", "行政区", "从业人数（上年）", "营业收入（上年，万元）"]


def code(n: int) -> str:
    body = "91445299" + "".join(CODE_CHARSET[(n * 7 + i) % 31] for i in range(9))
    return body + credit_code_check_char(body)


def sheet(*rows, header=HEADER) -> bytes:
    book = Workbook()
    for row in (header, *rows):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def damaged() -> bytes:
    """A real .xlsx whose sheet is cut off halfway."""
    import zipfile

    whole, out = zipfile.ZipFile(io.BytesIO(sheet([code(9), "某厂", "塑胶", "榕城区"]))), io.BytesIO()
    with zipfile.ZipFile(out, "w") as cut:
        for item in whole.infolist():
            data = whole.read(item.filename)
            cut.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


def account(store, username: str) -> dict:
    return next(u for u in list_users(store, ADMIN) if u["username"] == username)


# --- 账户管理 ---


def test_an_admin_disables_enables_unlocks_and_resets_a_chosen_account(seeded, sign_in_as):
    add_user(seeded, ADMIN, "wang.official", "official", PASSWORD)
    sign_in_as("admin")
    at = open_app(ACCOUNTS)

    at.selectbox(key="account_state_pick").set_value("wang.official")
    at.button(key="account_disable").click().run()
    assert at.success[0].value == "已停用 wang.official"
    assert not account(seeded, "wang.official")["active"]
    assert "停用" in list(at.dataframe[0].value["状态"])

    at.selectbox(key="account_state_pick").set_value("wang.official")
    at.button(key="account_enable").click().run()
    assert at.success[0].value == "已启用 wang.official" and account(seeded, "wang.official")["active"]

    with seeded.write() as conn:
        records.update_user(conn, account(seeded, "wang.official")["id"], failed_attempts=3)
    at.selectbox(key="account_state_pick").set_value("wang.official")
    at.button(key="account_unlock").click().run()
    assert at.success[0].value == "已解锁 wang.official"
    assert account(seeded, "wang.official")["failed_attempts"] == 0

    at.selectbox(key="reset_password_pick").set_value("wang.official")
    at.text_input(key="reset_password_1").input("the new passphrase")
    at.text_input(key="reset_password_2").input("the new passphrase")
    at.button(key="reset_password_go").click().run()
    assert at.success[0].value == "已重设 wang.official 的密码"
    assert sign_in(seeded, "wang.official", "the new passphrase").actor.username == "wang.official"
    assert not at.exception


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [("the new passphrase", "another passphrase", "两次输入的密码不一致"), ("short", "short", "密码至少 10 个字符")],
)
def test_a_bad_reset_password_is_refused_in_chinese(seeded, sign_in_as, first, second, message):
    add_user(seeded, ADMIN, "wang.official", "official", PASSWORD)
    sign_in_as("admin")
    at = open_app(ACCOUNTS)

    at.selectbox(key="reset_password_pick").set_value("wang.official")
    at.text_input(key="reset_password_1").input(first)
    at.text_input(key="reset_password_2").input(second)
    at.button(key="reset_password_go").click().run()

    assert message in at.error[0].value and not at.exception
    assert sign_in(seeded, "wang.official", PASSWORD)


def test_an_admin_is_told_they_cannot_disable_themselves(seeded, sign_in_as):
    sign_in_as("admin")
    at = open_app(ACCOUNTS)

    at.selectbox(key="account_state_pick").set_value("test_admin")
    at.button(key="account_disable").click().run()

    assert "不能停用自己正在使用的账户" in at.error[0].value and not at.exception
    assert account(seeded, "test_admin")["active"]


def test_an_account_action_without_a_chosen_account_says_so(seeded, sign_in_as):
    sign_in_as("admin")
    at = open_app(ACCOUNTS)

    at.button(key="account_unlock").click().run()

    assert at.error[0].value == "请先选择账户"


# --- 导入企业 ---


def test_a_check_lists_every_bad_row_and_skipping_them_imports_the_rest(seeded, sign_in_as):
    sign_in_as("admin")
    at = open_app(IMPORT)
    assert not at.exception
    content = sheet(
        [code(1), "揭阳导入测试一厂", "塑胶", "榕城区", 50, 1200],
        [code(2), "揭阳导入测试二厂", "塑胶", "火星区", 50, 1200],
        [code(3), "揭阳导入测试三厂", "五金制造", "普宁市", 50, "inf"],
        [code(4), "揭阳导入测试四厂", "五金制造", "普宁市", "NaN", 1200],
    )

    at.file_uploader(key="import_file").upload("名单.xlsx", content, "application/octet-stream").run()
    at.button(key="import_check").click().run()

    assert "检查了 4 行，发现 3 个问题（涉及 3 行）" in at.error[0].value
    problems = at.dataframe[0].value
    assert list(problems["行"]) == [3, 4, 5]
    assert list(problems["列"]) == ["D 列（行政区）", "F 列（营业收入（上年，万元））", "E 列（从业人数（上年））"]
    assert "应为有限的数字，而不是“inf”" in problems["问题"][1]
    assert at.button(key="import_go").disabled
    assert not find_enterprises(seeded, ADMIN, text="导入测试")

    at.checkbox(key="import_skip_invalid").check().run()
    at.button(key="import_go").click().run()

    assert at.success[0].value.startswith("已导入 1 家企业（共 4 行）")
    assert [e["name"] for e in find_enterprises(seeded, ADMIN, text="导入测试")] == ["揭阳导入测试一厂"]


def test_a_clean_sheet_is_imported_after_the_check(seeded, sign_in_as):
    sign_in_as("admin")
    at = open_app(IMPORT)

    at.file_uploader(key="import_file").upload("名单.xlsx", sheet([code(5), "揭阳导入测试五厂", "食品加工", "揭东区"]),
                                               "application/octet-stream").run()  # fmt: skip
    at.button(key="import_check").click().run()
    assert at.success[0].value == "检查了 1 行，没有发现问题。"
    at.button(key="import_go").click().run()

    assert at.success[0].value.startswith("已导入 1 家企业")
    assert find_enterprises(seeded, ADMIN, text="导入测试五厂")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("空.xlsx", b"", "文件是空的"),
        ("名单.csv", "统一社会信用代码,企业名称\n".encode(), "只能导入 Excel（.xlsx）文件"),
        ("名单.xlsx", b"PK\x03\x04 not really a zip", "不是有效的 Excel（.xlsx）文件"),
        ("损坏.xlsx", damaged(), "文件已损坏，无法读取表格内容"),
        ("巨大.xlsx", b"PK" + b"\x00" * (11 * 1024 * 1024), "文件过大（11.0 MB），不超过 10 MB"),
        ("只有表头.xlsx", sheet(), "表格中只有表头，没有企业"),
        ("错表头.xlsx", sheet(header=["统一社会信用代码", "名字"]), "第 1 行，B 列：未知表头“名字”"),
    ],
)
def test_an_absurd_file_gets_a_clear_chinese_message(seeded, sign_in_as, name, content, message):
    sign_in_as("admin")
    at = open_app(IMPORT)

    at.file_uploader(key="import_file").upload(name, content, "application/octet-stream").run()
    at.button(key="import_check").click().run()

    assert message in at.error[0].value and not at.exception
    assert at.error[0].value.startswith("无法导入此文件：")


def test_the_import_template_reads_back_as_a_valid_empty_sheet(tmp_path):
    from diagnose.excel import read_enterprise_rows
    from diagnose.services.transfer import template_xlsx

    template_xlsx(tmp_path / "template.xlsx")

    assert read_enterprise_rows(tmp_path / "template.xlsx") == ([], [])


# --- 重新计分 ---


@pytest.fixture
def new_version(tmp_path, monkeypatch):
    """The app's questionnaire folder now holds a national version where 二级 needs 45 points."""
    folder = tmp_path / "questionnaires"
    shutil.copytree(DEFAULT_DIRECTORY, folder)
    national = folder / "national-2024.yaml"
    text = national.read_text(encoding="utf-8")
    national.write_text(text.replace('version: "2024.1"', 'version: "2024.2"').replace("min_score: 40\n",
                                                                                      "min_score: 45\n"),
                        encoding="utf-8")  # fmt: skip
    monkeypatch.setenv("DIAGNOSE_QUESTIONNAIRES", str(folder))
    return folder


def rescored(store) -> int:
    with store.read() as conn:
        return sum(r["reason"] == "rescored" for a in records.assessment_export(conn)[0]
                   for r in records.results_of(conn, a.id))  # fmt: skip


def test_an_admin_previews_the_crossings_first_and_applies_the_rescore(seeded, sign_in_as, new_version):
    sign_in_as("admin")
    at = open_app(RESCORE)
    assert not at.exception
    assert str(new_version) in at.caption[1].value

    table = at.dataframe[0].value
    crossings = list(table["等级变化"])
    assert "↓ 降级" in crossings and "↑ 升级" not in crossings
    assert crossings == sorted(crossings, key=lambda c: c == "")  # the crossings come first
    assert rescored(seeded) == 0
    assert at.button(key="rescore_apply").disabled

    at.checkbox(key="rescore_confirm").check().run()
    at.button(key="rescore_apply").click().run()

    assert at.success[0].value == f"已重新计分 {len(table)} 次评测，原结果保留。"
    assert rescored(seeded) == len(table)
    assert "没有需要重新计分的评测" in at.info[0].value and not at.exception


def test_the_rescore_page_says_so_when_nothing_differs(seeded, sign_in_as):
    sign_in_as("admin")

    at = open_app(RESCORE)

    assert "没有需要重新计分的评测" in at.info[0].value and not at.exception
    assert not at.dataframe


def test_a_version_that_changes_no_result_is_said_to_change_nothing(seeded, sign_in_as, new_version):
    national = new_version / "national-2024.yaml"
    national.write_text(national.read_text(encoding="utf-8").replace("min_score: 45\n", "min_score: 40\n"),
                        encoding="utf-8")  # fmt: skip
    sign_in_as("admin")

    at = open_app(RESCORE)

    assert "新版问卷不改变任何评测的得分和等级" in at.info[0].value
    assert set(at.dataframe[0].value["等级变化"]) == {""}


# --- who may not ---


@pytest.mark.parametrize("role", ["consultant", "enterprise", "official"])
def test_the_admin_pages_cannot_be_reached_by_other_roles(sign_in_as, role):
    sign_in_as(role)
    at = open_app()

    for page in (ACCOUNTS, IMPORT, RESCORE):
        with pytest.raises(ValueError):
            at.switch_page(page)


@pytest.mark.parametrize(
    ("page", "message"),
    [(ACCOUNTS, "主管部门账户无权管理账户"), (IMPORT, "主管部门账户无权导入企业"),
     (RESCORE, "主管部门账户无权按新版问卷重新计分")],
)  # fmt: skip
def test_a_refusal_by_the_service_is_shown_as_text(seeded, sign_in_as, monkeypatch, page, message):
    # the menu hides these pages from an official; were one reached, the service still refuses
    sign_in_as("admin")
    monkeypatch.setattr("diagnose.ui.session.require_actor", lambda: Actor("test_admin", "official"))
    at = open_app(page)
    if page == IMPORT:
        at.file_uploader(key="import_file").upload("名单.xlsx", sheet(), "application/octet-stream").run()
        at.button(key="import_check").click().run()

    assert message in at.error[0].value and not at.exception
