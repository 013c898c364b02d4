"""In Chromium: sign in, reload and stay signed in, sign out; five wrong passwords lock the account."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import sign_in


def test_a_sign_in_survives_a_reload_and_sign_out_ends_it(page: Page, app_url, artifacts):
    page.set_viewport_size({"width": 1024, "height": 768})
    served = page.goto(app_url)
    assert served.headers["x-frame-options"] == "DENY"  # the app's own pages, not only the sign-in route
    assert served.headers["content-security-policy"] == "frame-ancestors 'none'"
    expect(page.get_by_role("heading", name="登录")).to_be_visible(timeout=30_000)
    page.screenshot(path=artifacts / "sign-in.png")

    sign_in(page, app_url, "demo_official")
    expect(page.get_by_text("当前用户：demo_official（主管部门）")).to_be_visible(timeout=30_000)
    cookie = next(c for c in page.context.cookies() if c["name"] == "diagnose_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find("diagnose_session") == -1  # scripts cannot read it

    page.reload()
    expect(page.get_by_text("当前用户：demo_official（主管部门）")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="试点看板")).to_be_visible()
    page.wait_for_timeout(1500)  # the chart draws
    page.screenshot(path=artifacts / "dashboard-1024x768.png", full_page=True)

    for address in ("dashboard", "no-such-page"):  # the home page's own name, a typo: the home page
        page.goto(f"{app_url}/{address}")
        expect(page.get_by_role("heading", name="试点看板")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Page not found")).to_have_count(0)

    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_text("已退出登录。")).to_be_visible(timeout=30_000)
    page.goto(app_url)
    expect(page.get_by_role("heading", name="登录")).to_be_visible(timeout=30_000)
    assert not [c for c in page.context.cookies() if c["name"] == "diagnose_session"]
    page.goto(f"{app_url}/review?r=1")  # a link kept from before: the sign-in form, not "Page not found"
    expect(page.get_by_role("heading", name="登录")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Page not found")).to_have_count(0)


def test_an_enterprise_account_sees_its_own_view_and_file_only(page: Page, app_url, artifacts):
    sign_in(page, app_url, "demo_enterprise")

    expect(page.get_by_text("当前用户：demo_enterprise（企业）")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="企业画像")).to_be_visible()
    page.wait_for_timeout(1500)  # the charts draw
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=artifacts / "enterprise-view-1280x900.png")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.wait_for_timeout(1500)  # the charts lay themselves out again
    page.screenshot(path=artifacts / "enterprise-view-768x1024.png")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="一企一档").click()
    expect(page.get_by_text("显示 1 家")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("link", name="现场评测")).to_have_count(0)
    page.goto(f"{app_url}/visit?a=1")  # a consultant's page: refused in Chinese, not Streamlit's English
    expect(page.get_by_role("heading", name="无权打开此页面")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    page.screenshot(path=artifacts / "not-for-this-role-768x1024.png")


def test_five_wrong_passwords_lock_the_account(page: Page, app_url, artifacts):
    for attempt in range(5):
        sign_in(page, app_url, "lock_target", f"wrong password {attempt}")
        expect(page.get_by_role("heading", name="登录")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("账户已锁定")).to_be_visible(timeout=30_000)

    sign_in(page, app_url, "lock_target")  # the right password, too late

    expect(page.get_by_text("账户已锁定")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("当前用户：lock_target")).to_have_count(0)
    page.screenshot(path=artifacts / "sign-in-locked.png")
