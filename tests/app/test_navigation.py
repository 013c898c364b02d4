"""Each role gets exactly its pages; without a session there is only sign-in."""

from __future__ import annotations

import pytest

from diagnose.ui.navigation import PAGES, ROLE_LINKED, ROLE_PAGES

from .conftest import open_app

EXPECTED = {
    "consultant": {"我的企业", "现场评测", "改造项目", "企业画像", "一企一档"},
    "enterprise": {"企业画像", "一企一档"},
    "official": {"试点看板", "试点规划", "审核", "一企一档", "企业画像", "申报受理", "专家评审"},
    "admin": {
        "试点看板",
        "试点规划",
        "审核",
        "改造项目",
        "一企一档",
        "企业画像",
        "产品清单",
        "申报受理",
        "账户管理",
        "导入企业",
        "重新计分",
    },
    "provider": {"产品申报"},
    "expert": {"专家评审"},
}


def reachable(at) -> set[str]:
    """The titles of the pages this session can switch to (a page not registered cannot be opened)."""
    titles = set()
    for path, title, _ in PAGES.values():
        try:
            at.switch_page(path)
        except ValueError:
            continue
        titles.add(title)
    return titles


# pages a role opens only from another page's link, kept out of its menu
LINKED = {"consultant": {"离线工作簿"}}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_sees_exactly_its_pages_and_opens_only_those_and_its_linked_ones(sign_in_as, role):
    sign_in_as(role)

    at = open_app()

    assert not at.exception
    assert reachable(at) == EXPECTED[role] | LINKED.get(role, set())
    assert {PAGES[k][1] for k in ROLE_PAGES[role]} == EXPECTED[role]
    assert {PAGES[k][1] for k in ROLE_LINKED.get(role, ())} == LINKED.get(role, set())
    assert any(c.value.startswith(f"当前用户：test_{role}") for c in at.caption)


def test_without_a_session_every_page_goes_to_sign_in(seeded):
    at = open_app()

    assert reachable(at) == {"登录"}
    assert at.title[0].value == "登录"
    assert "/auth/login" in at.get("html")[0].proto.body


def test_a_forged_or_expired_cookie_is_no_session(seeded, monkeypatch):
    monkeypatch.setattr("diagnose.ui.session.session_cookie", lambda: "forged.token.value")

    at = open_app()

    assert at.title[0].value == "登录"


def test_a_disabled_account_loses_its_session_at_once(seeded, sign_in_as):
    from diagnose.services.accounts import disable_user

    from .conftest import ADMIN

    sign_in_as("official")
    disable_user(seeded, ADMIN, "test_official")

    at = open_app()

    assert at.title[0].value == "登录"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"error": "wrong"}, "用户名或密码错误。"),
        ({"error": "locked", "minutes": "12"}, "账户已锁定，请在 12 分钟后再试"),
        ({"error": "locked", "minutes": "<b>9</b>"}, "请在 15 分钟后再试"),
        ({"error": "disabled"}, "账户已停用"),
    ],
)
def test_the_sign_in_page_says_why_a_sign_in_failed(seeded, query, message):
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(query)
    at.run()

    assert message in at.error[0].value


def test_an_unexpected_error_in_a_page_is_said_in_chinese_and_logged_not_shown_as_a_traceback(
    sign_in_as, monkeypatch, caplog
):
    sign_in_as("official")

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("diagnose.services.dashboard.board", broken)
    at = open_app()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "页面出现意外错误，已记录下来。已保存的内容不受影响，未能保存的内容仍在表单中；请刷新页面后重试，如仍出现请联系管理员。"
    ]
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)
