"""In Chromium: open the first page, answer a few questions, see the level change."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import sign_in


def level(page: Page):
    return page.get_by_test_id("stMetric").filter(has_text="评测等级").get_by_test_id("stMetricValue")


def test_answering_questions_changes_the_level(page: Page, app_url, artifacts):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, app_url, "demo_consultant")
    expect(page.get_by_text("当前用户：demo_consultant")).to_be_visible(timeout=30_000)
    page.goto(f"{app_url}/quick_assessment")
    expect(level(page)).to_have_text("未达一级", timeout=30_000)

    page.get_by_text("E. 全部业务环节（10 分）").click()
    page.get_by_role("tab", name="数字化成效").click()
    page.get_by_text("C. 降低（7 分）").first.click()
    page.get_by_text("C. 增加（3 分）").click()
    total = page.get_by_test_id("stMetric").filter(has_text="总分").get_by_test_id("stMetricValue")
    expect(total).to_have_text("20")

    page.get_by_role("tab", name="数字化经营").click()
    for scene in ["产品设计", "营销管理", "生产管控", "工艺设计", "售后服务", "计划排程"]:
        page.get_by_role("radiogroup", name=f"{scene} 等级").get_by_text("L1 工具辅助").click()

    expect(level(page)).to_have_text("一级 信息技术工具辅助")
    page.screenshot(path=artifacts / "quick-assessment-level-1.png", full_page=True)
