"""In Chromium, as an official: 试点规划 plans the cheapest enterprises for a target, shows the product
demand, gives the whole plan as a workbook that adds up, and a chosen row opens its 企业画像."""

from __future__ import annotations

import re

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from .conftest import download, sign_in


def test_an_official_plans_the_target_downloads_the_workbook_and_opens_a_chosen_enterprise(
    page: Page, app_server, artifacts, tmp_path
):
    from diagnose.access.policy import Actor
    from diagnose.services import open_store
    from diagnose.services.planner import PlanRequest, plan

    url, folder = app_server
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, url, "demo_official")
    page.get_by_role("link", name="试点规划").click()
    expect(page.get_by_role("heading", name="试点规划")).to_be_visible(timeout=30_000)

    target = page.get_by_label("目标（家）")
    target.fill("5")
    target.press("Tab")
    page.get_by_role("button", name="生成规划").click()
    chosen_metric = page.get_by_test_id("stMetric").filter(has_text="选中企业（家）")
    expect(chosen_metric).to_be_visible(timeout=120_000)
    expect(page.get_by_text(re.compile(r"补助规则：财政补助规则（示例"))).to_be_visible()
    page.screenshot(path=artifacts / "planner-chosen-1280x900.png", full_page=True)

    store = open_store(f"sqlite:///{folder / 'diagnose.db'}")
    expected = plan(store, Actor("demo_official", "official"), PlanRequest(target=5))
    store.dispose()
    assert expected.chosen, "the sample has enterprises below 二级 that a bundle brings there by the deadline"
    expect(chosen_metric).to_contain_text(str(len(expected.chosen)))
    expect(page.get_by_test_id("stMetric").filter(has_text="财政资金（元）")).to_contain_text(f"{expected.public:,}")

    page.get_by_role("tab", name="产品需求").click()
    expect(page.get_by_role("heading", name="按服务商")).to_be_visible(timeout=30_000)
    # the grid lays out its columns once its tab is shown: wait until it is as wide as the page
    page.wait_for_function(
        "() => [...document.querySelectorAll('[role=tabpanel] [data-testid=stDataFrame]')]"
        ".some(g => g.getBoundingClientRect().width > 800)",
        timeout=30_000,
    )
    page.screenshot(path=artifacts / "planner-demand-1280x900.png", full_page=True)

    book = load_workbook(
        download(page, page.get_by_role("button", name=re.compile("^下载整份规划")), tmp_path / "plan.xlsx")
    )
    demand = list(book["产品需求"].iter_rows(min_row=2, values_only=True))
    assert sum(row[10] for row in demand) == expected.public
    names = [row[0] for row in book["选中的企业"].iter_rows(min_row=2, values_only=True)]
    assert names == [line.name for line in expected.chosen]

    page.get_by_role("tab", name=re.compile("^选中的企业")).click()
    grid = page.get_by_role("tabpanel").locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible(timeout=30_000)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # the row marker of row 1, under the header
    expect(page.get_by_role("heading", name="企业画像")).to_be_visible(timeout=30_000)
    assert re.search(rf"[?&]e={expected.chosen[0].enterprise_id}\b", page.url)
