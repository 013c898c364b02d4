"""In Chromium, as an official: the pilot board, a click on a bar lists the enterprises behind
it, and choosing one opens that enterprise's page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import sign_in

LIST_TITLE = re.compile(
    r"^(纺织服装|塑胶|五金制造|食品加工|其他) · 改造(前|后) · (未达一级|一级|二级|三级|四级)（(\d+) 家）$"
)


def test_a_bar_lists_its_enterprises_and_a_row_opens_one(page: Page, app_url, artifacts):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, app_url, "demo_official")
    expect(page.get_by_role("heading", name="试点看板")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"^企业 \d+ 家"))).to_be_visible(timeout=30_000)

    panel = page.get_by_role("tabpanel")
    page.get_by_role("tab", name="场景短板").click()
    expect(panel.get_by_role("heading", name="各行业最薄弱的三个场景")).to_be_visible(timeout=30_000)
    panel.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # the heatmap draws
    page.screenshot(path=artifacts / "dashboard-heatmap-1280x900.png")

    page.get_by_role("tab", name="等级分布").click()
    bars = panel.locator(".js-plotly-plot .barlayer .point path")
    expect(bars.first).to_be_attached(timeout=30_000)
    panel.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the chart settles after the scroll
    tall = next(box for box in (b.bounding_box() for b in bars.all()) if box and box["height"] > 8)
    # plotly's drag layer lies over the bars and takes the click, as it does for a person
    page.mouse.click(tall["x"] + tall["width"] / 2, tall["y"] + tall["height"] / 2)
    title = panel.get_by_role("heading", name=LIST_TITLE)
    expect(title).to_be_visible(timeout=30_000)
    listed = int(LIST_TITLE.match(title.inner_text()).group(4))
    assert listed > 0
    page.screenshot(path=artifacts / "dashboard-levels-1280x900.png", full_page=True)

    # the list is the second table in this tab (after the distribution itself); tick its first row
    grid = panel.locator('[data-testid="stDataFrame"]').nth(1)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # the row marker of row 1, under the header
    expect(page.get_by_role("heading", name="企业画像")).to_be_visible(timeout=30_000)
    assert re.search(r"[?&]e=\d+", page.url)
    expect(page.get_by_text(re.compile(r"^总分"))).to_be_visible()
    page.wait_for_timeout(1500)  # the radar draws
    page.screenshot(path=artifacts / "dashboard-opened-enterprise-1280x900.png")
