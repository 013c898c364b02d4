"""In Chromium, as a consultant: create an enterprise, fill a whole visit, reload in the middle,
lose the connection while typing, submit, see the level; screenshots at tablet sizes."""

from __future__ import annotations

import re
import statistics
import time

from playwright.sync_api import Page, expect

from .conftest import download, sign_in
from .proxy import CuttableProxy

CODE_BODY = "91445200MA4W0RKJ8"  # the check character is computed (GB 32100-2015)
SINGLE = {
    "Q5": "D. 绝大部分（>80%）业务环节（7.5 分）", "Q8": "D. 已开始单点或多点数字化改造（4.5 分）",
    "Q12": "C. 降低（7 分）", "Q13": "C. 增加（7 分）", "Q14": "C. 增加（3 分）", "Q15": "C. 降低（3 分）",
}  # fmt: skip
MULTI = {"Q1": ["B. 车间工控网络（2 分）", "C. 应用系统网络（设备/人员/系统互联）（2 分）"],
         "Q4": ["C. 工艺设计（0.7 分）", "H. 质量管理（0.7 分）"],
         "Q6": ["B. 制定网络安全管理制度（1.25 分）"], "Q7": ["B. 制定数据安全管理制度（1.25 分）"],
         "Q9": ["B. 数字化转型实施工作流程（1.875 分）"], "Q10": ["B. 配备专职或兼职数字化人才（1.5 分）"]}  # fmt: skip


def credit_code() -> str:
    from diagnose.enterprise import credit_code_check_char

    return CODE_BODY + credit_code_check_char(CODE_BODY)


def panel(page: Page):
    return page.get_by_role("tabpanel")  # the visible tab only


def open_tab(page: Page, title: str) -> None:
    """Open a section of the form and wait until it is drawn (only the open tab's items are)."""
    tab = page.get_by_role("tab", name=re.compile(f"^{title}"))
    for _ in range(3):  # a click that lands while the page is redrawn may not take
        tab.click()
        try:
            expect(tab).to_have_attribute("aria-selected", "true", timeout=5_000)
            break
        except AssertionError:
            continue
    drawn = page.get_by_role("tabpanel", name=title).get_by_text(re.compile("^本部分已完成"))
    expect(drawn).to_be_visible(timeout=30_000)


def saved_version(page: Page) -> int:
    text = page.get_by_text(re.compile(r"第 \d+ 版")).first.inner_text()
    return int(re.search(r"第 (\d+) 版", text).group(1))


def change_and_wait(page: Page, act) -> float:
    """Do one change; return the seconds until the page says it is saved (the version goes up)."""
    before = saved_version(page)
    start = time.perf_counter()
    act()
    # saved: the page shows a later version than before (one change may store more than one
    # version when the form sends back values it was just given; what was typed is checked after)
    page.wait_for_function(
        """before => [...document.querySelectorAll('strong')].some(node => {
            const found = node.innerText.match(/已保存 .* 第 (\\d+) 版/);
            return found && Number(found[1]) > before;
        })""",
        arg=before,
        timeout=30_000,
    )
    return time.perf_counter() - start


def expand(header, inside) -> None:
    """Open an expander; a click that lands while the page is redrawn may not take, so try again."""
    for _ in range(3):
        if inside.is_visible():
            return
        header.click()
        try:
            expect(inside).to_be_visible(timeout=5_000)
            return
        except AssertionError:
            continue
    expect(inside).to_be_visible()


def pick(scope, text: str, radio) -> None:
    """Click a radio option by its text within ``scope`` (the open tab, or one question's box when
    options repeat) and see it ticked in the browser before waiting for the save; a click that lands
    while the page is redrawn may not take (on a busy machine), so try again."""
    for _ in range(3):
        scope.get_by_text(text).click()
        try:
            expect(radio).to_be_checked(timeout=5_000)
            return
        except AssertionError:
            continue
    expect(radio).to_be_checked()


def fill_number(page: Page, label: str, value: str, nth: int = 0) -> None:
    field = panel(page).get_by_label(label).nth(nth)
    field.fill(value)
    field.press("Enter")


def test_a_whole_visit_survives_a_reload_and_a_dropped_connection(page: Page, app_url, artifacts):
    page.set_viewport_size({"width": 1024, "height": 768})
    proxy = CuttableProxy(int(app_url.rsplit(":", 1)[1]))
    url = f"http://127.0.0.1:{proxy.port}"
    try:
        sign_in(page, url, "demo_consultant")
        expect(page.get_by_role("heading", name="我的企业")).to_be_visible(timeout=30_000)

        # a new enterprise profile
        page.get_by_text("新建企业档案").click()
        page.get_by_label("统一社会信用代码（必填）").fill(credit_code())
        page.get_by_label("企业名称（必填）").fill("揭阳浏览器测试塑胶有限公司")
        page.get_by_label("细分行业（必填）").click()
        page.get_by_role("option", name="塑胶").click()
        page.get_by_label("行政区（必填）").click()
        page.get_by_role("option", name="榕城区").click()
        page.get_by_role("button", name="保存企业信息").click()
        expect(page.get_by_text("已建档：揭阳浏览器测试塑胶有限公司")).to_be_visible(timeout=15_000)

        # the new enterprise is the one chosen: start its visit
        expect(page.get_by_role("combobox", name="选择企业")).to_have_value(
            re.compile("揭阳浏览器测试塑胶有限公司（9144")
        )
        page.get_by_role("button", name="开始新评测").click()
        expect(page.get_by_role("heading", name="揭阳浏览器测试塑胶有限公司")).to_be_visible(timeout=15_000)
        assert re.search(r"[?&]a=\d+", page.url)

        latencies = []
        year = panel(page).get_by_role("spinbutton", name="year, 走访日期")
        people = panel(page).get_by_label(re.compile("^诊断专家"))

        # the date field commits when it loses focus; its calendar, open over the next field, is closed first
        def typed() -> None:
            year.click()
            page.keyboard.type("20261120")
            page.keyboard.press("Escape")
            people.click()

        latencies.append(change_and_wait(page, typed))
        latencies.append(change_and_wait(page, lambda: (people.fill("示例顾问一、示例顾问二"), people.press("Enter"))))

        open_tab(page, "数字化基础")
        for qid in ("Q1", "Q4", "Q6", "Q7"):
            for label in MULTI[qid]:
                latencies.append(change_and_wait(page, lambda label=label: panel(page).get_by_text(label).click()))
        latencies.append(change_and_wait(page, lambda: panel(page).get_by_text(SINGLE["Q5"]).click()))
        fill_number(page, "生产设备总数（台）", "40", 0)
        expect(panel(page).get_by_text("还需填写数字化设备数")).to_be_visible(timeout=15_000)
        latencies.append(change_and_wait(page, lambda: fill_number(page, "数字化设备数（台）", "20")))

        # typed and not yet sent: a reload asks first (the typing would be lost); staying keeps it
        count = panel(page).get_by_label("数字化设备数（台）")
        count.fill("20")
        with page.expect_event("dialog") as asked:
            page.evaluate("setTimeout(() => location.reload(), 0)")
        assert asked.value.type == "beforeunload"
        asked.value.dismiss()
        expect(count).to_have_value("20")
        count.press("Enter")  # sent (the stored value: nothing to save)

        page.reload()  # in the middle of the visit
        expect(page.get_by_role("heading", name="揭阳浏览器测试塑胶有限公司")).to_be_visible(timeout=30_000)
        open_tab(page, "数字化基础")
        expect(panel(page).get_by_role("radio", name=SINGLE["Q5"])).to_be_checked()
        expect(panel(page).get_by_role("checkbox", name=MULTI["Q1"][1])).to_be_checked()
        expect(panel(page).get_by_label("数字化设备数（台）")).to_have_value("20")

        # the connection drops while the consultant types; it comes back a few seconds later
        fill_number(page, "生产设备总数（台）", "30", 1)
        expect(panel(page).get_by_text("还需填写联网设备数")).to_be_visible(timeout=15_000)
        networked = panel(page).get_by_label("联网设备数（台）")
        networked.fill("12")  # typed, not yet sent
        proxy.cut()
        time.sleep(4)
        proxy.restore()
        expect(networked).to_be_enabled(timeout=60_000)  # reconnected (Streamlit disables inputs while offline)
        expect(networked).to_have_value("12")  # what was typed is still in the form
        latencies.append(change_and_wait(page, lambda: networked.press("Enter")))
        expect(panel(page).get_by_role("radio", name=SINGLE["Q5"])).to_be_checked()

        open_tab(page, "数字化管理")
        latencies.append(change_and_wait(page, lambda: panel(page).get_by_text(SINGLE["Q8"]).click()))
        for qid in ("Q9", "Q10"):
            for label in MULTI[qid]:
                latencies.append(change_and_wait(page, lambda label=label: panel(page).get_by_text(label).click()))
        fill_number(page, "近三年平均营业额（万元）", "3000")
        expect(panel(page).get_by_text("还需填写近三年平均数字化投入")).to_be_visible(timeout=15_000)
        latencies.append(change_and_wait(page, lambda: fill_number(page, "近三年平均数字化投入（万元）", "90")))

        open_tab(page, "数字化成效")
        fill_number(page, "改造前月均产品合格率（%）", "95")
        expect(panel(page).get_by_text("还需填写改造后月均产品合格率")).to_be_visible(timeout=15_000)
        latencies.append(change_and_wait(page, lambda: fill_number(page, "改造后月均产品合格率（%）", "97")))
        expect(panel(page).get_by_text(re.compile(r"变化 \+2\.1% → C\. 增加"))).to_be_visible()
        for index, qid in ((0, "Q12"), (2, "Q14"), (3, "Q15")):  # no figures at hand: pick the option
            expand(panel(page).get_by_text("没有原始数据时，直接选择").nth(index), panel(page).get_by_text(SINGLE[qid]))
            option = panel(page).get_by_role("radio", name=SINGLE[qid])
            chosen = change_and_wait(page, lambda qid=qid, option=option: pick(panel(page), SINGLE[qid], option))
            latencies.append(chosen)

        open_tab(page, "数字化经营")
        names = ["产品设计", "工艺设计", "营销管理", "售后服务", "计划排程", "生产管控", "质量管理", "设备管理",
                 "安全生产", "能耗管理", "采购管理", "仓储物流", "财务管理", "人力资源", "协同办公",
                 "决策支持"]  # fmt: skip
        for name in names:
            group = panel(page).get_by_role("radiogroup", name=f"{name} 等级")
            latencies.append(change_and_wait(page, lambda group=group: group.get_by_text("L2 系统化管理").click()))
        page.screenshot(path=artifacts / "visit-1024x768.png")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        # the workbook, filled as if offline: downloaded, typed into, uploaded, shown by the form
        workbook_round_trip(page, artifacts)
        # typed, and straight to another page: what was typed is saved on the way out
        visit_url = page.url
        pain = panel(page).get_by_label("痛点与需求")
        pain.fill("换模时间长，排产靠经验")
        page.get_by_role("link", name="我的企业").click()
        expect(page.get_by_role("heading", name="我的企业")).to_be_visible(timeout=30_000)
        page.goto(visit_url)
        open_tab(page, "痛点与需求")
        expect(panel(page).get_by_label("痛点与需求")).to_have_value("换模时间长，排产靠经验")

        # after the dropped connection, the figures typed during the cut are there
        open_tab(page, "数字化基础")
        expect(panel(page).get_by_label("联网设备数（台）")).to_have_value("12")
        page.set_viewport_size({"width": 768, "height": 1024})
        page.screenshot(path=artifacts / "visit-768x1024.png")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        page.get_by_role("button", name="提交评测").click()
        # the question comes into sight, though the panel's foot was below the screen's
        expect(page.get_by_role("button", name="确认提交")).to_be_in_viewport(timeout=30_000)
        page.get_by_role("button", name="确认提交").click()
        expect(page.get_by_role("heading", name="评测结果")).to_be_visible(timeout=30_000)
        # the button was at the foot of the form: the result opens at the top of the page
        expect(page.get_by_role("heading", name="评测结果")).to_be_in_viewport()
        expect(page.get_by_role("heading", name=re.compile("^等级：二级"))).to_be_visible()
        page.screenshot(path=artifacts / "visit-submitted-768x1024.png")
        recommended = page.get_by_role("heading", name=re.compile("的推荐产品（示例清单）"))
        recommended.scroll_into_view_if_needed()
        expect(page.get_by_role("button", name="下载产品和服务清单（Excel）")).to_be_visible()
        page.screenshot(path=artifacts / "visit-recommendation-768x1024.png")

        median = statistics.median(latencies)
        (artifacts / "save-latency.txt").write_text(
            f"changes={len(latencies)} median_s={median:.3f} max_s={max(latencies):.3f}\n", encoding="utf-8"
        )
        print(f"median change → 已保存 in the browser: {median:.3f} s over {len(latencies)} changes")
    finally:
        proxy.stop()


def workbook_round_trip(page: Page, artifacts) -> None:
    """From the visit to 离线工作簿 and back: the pain points and a note typed into the downloaded
    workbook are applied and the form shows them."""
    from openpyxl import load_workbook

    page.get_by_role("link", name=re.compile("离线填写")).click()
    expect(page.get_by_role("heading", name="离线工作簿")).to_be_visible(timeout=30_000)
    path = download(page, page.get_by_role("button", name="下载离线工作簿（Excel）"), artifacts / "visit-workbook.xlsx")
    book = load_workbook(path)
    sheet = book["现场评测"]
    rows = {sheet[f"A{n}"].value: n for n in range(4, sheet.max_row + 1)}
    sheet[f"E{rows['report.pain_points']}"] = "注塑排产靠经验，换模时间长"
    sheet[f"F{rows['Q5']}"] = "ERP 已覆盖采购、销售与仓储"
    book.save(path)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(path)
    page.get_by_role("button", name="应用工作簿").click()
    expect(page.get_by_text(re.compile(r"已应用工作簿：1 项答案、1 条备注"))).to_be_visible(timeout=30_000)
    page.screenshot(path=artifacts / "visit-workbook-applied-1024x768.png")
    page.get_by_role("link", name="返回现场评测").click()
    expect(page.get_by_role("heading", name="揭阳浏览器测试塑胶有限公司")).to_be_visible(timeout=30_000)
    open_tab(page, "痛点与需求")
    expect(panel(page).get_by_label("痛点与需求")).to_have_value("注塑排产靠经验，换模时间长", timeout=30_000)
