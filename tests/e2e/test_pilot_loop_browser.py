"""In Chromium, the pilot's whole loop walked by its people on one server, at 1024×768:

consultant creates an enterprise and fills the baseline (ticking a practice under a scene still
未评) → submits → official returns it with a comment → consultant sees the comment, fixes,
resubmits → official approves → consultant records the funded project from the bundle with its
contract file → marks it finished → starts the after-visit (carried answers shown) → confirms and
submits → official approves → the pilot tracker counts the enterprise in the month of the
approval, and 企业画像 shows before and after.
"""

from __future__ import annotations

import re

from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from .conftest import PASSWORDS, download, sign_in
from .test_visit_browser import MULTI, SINGLE, change_and_wait, expand, open_tab, panel, pick

NAME = "揭阳全流程测试塑胶有限公司"
CODE_BODY = "91445200MA4W0RKL1"
SIZE = {"width": 1024, "height": 768}
FALLBACK = "没有原始数据时，直接选择区间"
CONTRACT = b"%PDF-1.4\n% a contract for the browser test\n"
SCENES = (
    "产品设计",
    "工艺设计",
    "营销管理",
    "售后服务",
    "计划排程",
    "生产管控",
    "设备管理",
    "安全生产",
    "能耗管理",
    "采购管理",
    "仓储物流",
    "财务管理",
    "人力资源",
    "协同办公",
    "决策支持",
)  # 质量管理 by its ticked practice


def credit_code() -> str:
    from diagnose.enterprise import credit_code_check_char

    return CODE_BODY + credit_code_check_char(CODE_BODY)


def signed_in(browser: Browser, app_url: str, username: str) -> Page:
    """A browser of its own for each person, signed in through the real form."""
    page = browser.new_context(viewport=SIZE).new_page()
    sign_in(page, app_url, username, PASSWORDS[username])
    expect(page.get_by_text(f"当前用户：{username}")).to_be_visible(timeout=30_000)
    return page


def no_error_box(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def go(page: Page, app_url: str, path: str) -> None:
    page.goto(f"{app_url}/{path}")


def type_date(page: Page, label: str, digits: str, then) -> None:
    """A date field takes its digits after a click on its year; it commits when it loses focus. Its
    calendar opens over the fields below, so it is closed (Escape) before the next click."""
    page.get_by_role("spinbutton", name=f"year, {label}").click()
    page.keyboard.type(digits)
    page.keyboard.press("Escape")
    then.click()


def provider_name(page: Page):
    """The project form's provider name box (a box to click away to, after typing a date)."""
    return page.get_by_label("服务商名称（未登记的服务商填写；选了单位则按单位名称）")


def choose(page: Page, label: str, option: str) -> None:
    """Pick a select box's option; a click that only focuses the box is followed by the arrow key."""
    box = page.get_by_label(label)
    box.click()
    try:
        expect(page.get_by_role("option", name=option)).to_be_visible(timeout=3_000)
    except AssertionError:
        box.press("ArrowDown")
    page.get_by_role("option", name=option).click()


def fill_baseline(page: Page) -> None:
    people = panel(page).get_by_label(re.compile("^诊断专家"))
    change_and_wait(page, lambda: type_date(page, "走访日期", "20261120", people))
    change_and_wait(page, lambda: (people.fill("示例顾问一"), people.press("Enter")))
    open_tab(page, "数字化基础")
    for qid in ("Q1", "Q4", "Q6", "Q7"):
        for label in MULTI[qid]:
            change_and_wait(page, lambda label=label: panel(page).get_by_text(label).click())
    change_and_wait(page, lambda: panel(page).get_by_text(SINGLE["Q5"]).click())
    for index, band in ((0, "C. 20%-40%（含）（3 分）"), (1, "B. 10%-20%（含）（1.5 分）")):  # Q2, Q3: the band
        box = panel(page).locator('[data-testid="stExpander"]').filter(has_text=FALLBACK).nth(index)
        expand(box.get_by_text(FALLBACK), box.get_by_text(band))
        change_and_wait(page, lambda box=box, band=band: pick(box, band, box.get_by_role("radio", name=band)))
    open_tab(page, "数字化管理")
    change_and_wait(page, lambda: panel(page).get_by_text(SINGLE["Q8"]).click())
    for qid in ("Q9", "Q10"):
        for label in MULTI[qid]:
            change_and_wait(page, lambda label=label: panel(page).get_by_text(label).click())
    expand(panel(page).get_by_text(FALLBACK), panel(page).get_by_text("A. ≤10%（0 分）"))
    change_and_wait(page, lambda: panel(page).get_by_text("A. ≤10%（0 分）").click())
    open_tab(page, "数字化成效")
    for index, qid in enumerate(("Q12", "Q13", "Q14", "Q15")):
        expand(panel(page).get_by_text("没有原始数据时，直接选择").nth(index), panel(page).get_by_text(SINGLE[qid]))
        option = panel(page).get_by_role("radio", name=SINGLE[qid])
        change_and_wait(page, lambda qid=qid, option=option: pick(panel(page), SINGLE[qid], option))
    open_tab(page, "数字化经营")
    # a practice ticked under a scene still 未评: the scene counts at the practice's level
    change_and_wait(page, lambda: panel(page).get_by_text("首件检验、巡检记录在平板或系统中填写（L2）").click())
    expect(panel(page).get_by_text("按所勾实践计为 L2")).to_be_visible()
    for name in SCENES:
        group = panel(page).get_by_role("radiogroup", name=f"{name} 等级")
        change_and_wait(page, lambda group=group: group.get_by_text("L2 系统化管理").click())
    no_error_box(page)
    open_tab(page, "痛点与需求")
    pain = panel(page).get_by_label("痛点与需求")
    change_and_wait(page, lambda: (pain.fill("排产靠经验，模具寿命无记录"), people_blur(page)))


def people_blur(page: Page) -> None:
    page.get_by_role("heading", name=NAME).click()  # a text area commits when it loses focus


def submit(page: Page) -> None:
    page.get_by_role("button", name="提交评测").click()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_role("heading", name="评测结果")).to_be_visible(timeout=30_000)


def review(page: Page, app_url: str, assessment_id: int) -> None:
    go(page, app_url, "review")
    expect(page.get_by_role("heading", name="审核")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("link", name=re.compile(r"^审核（\d+）"))).to_be_visible()  # the count waiting
    page.get_by_label("打开评测").click()
    page.get_by_role("option", name=re.compile(f"编号 {assessment_id}$")).click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible(timeout=30_000)


def test_the_whole_pilot_loop_in_the_browser(browser: Browser, app_url, artifacts):
    consultant = signed_in(browser, app_url, "demo_consultant")
    official = signed_in(browser, app_url, "demo_official")

    # the consultant creates the enterprise and fills the baseline
    expect(consultant.get_by_role("heading", name="我的企业")).to_be_visible(timeout=30_000)
    consultant.get_by_text("新建企业档案").click()
    consultant.get_by_label("统一社会信用代码（必填）").fill(credit_code())
    consultant.get_by_label("企业名称（必填）").fill(NAME)
    consultant.get_by_label("细分行业（必填）").click()
    consultant.get_by_role("option", name="塑胶").click()
    consultant.get_by_label("行政区（必填）").click()
    consultant.get_by_role("option", name="普宁市").click()
    consultant.get_by_role("button", name="保存企业信息").click()
    expect(consultant.get_by_text(f"已建档：{NAME}")).to_be_visible(timeout=15_000)
    consultant.get_by_label("选择企业").click()
    consultant.keyboard.type("全流程")
    # the one option left is the focused one: Enter takes it (a click can miss a list that moves)
    expect(consultant.get_by_role("option", name=re.compile(NAME))).to_be_visible()
    consultant.keyboard.press("Enter")
    consultant.get_by_role("button", name="开始新评测").click()
    expect(consultant.get_by_role("heading", name=NAME)).to_be_visible(timeout=15_000)
    baseline = int(re.search(r"[?&]a=(\d+)", consultant.url).group(1))
    fill_baseline(consultant)
    consultant.screenshot(path=artifacts / "loop-1-baseline-1024x768.png")
    submit(consultant)

    # the official returns it with a comment
    review(official, app_url, baseline)
    expect(official.get_by_text("首件检验、巡检记录在平板或系统中填写")).to_be_attached()
    official.screenshot(path=artifacts / "loop-2-review-1024x768.png", full_page=True)
    official.get_by_role("button", name="退回修改").click()
    expect(official.get_by_text("退回时必须填写退回意见")).to_be_visible(timeout=15_000)
    official.get_by_label(re.compile("^退回意见")).fill("请补充 Q5 信息系统的使用截图")
    official.get_by_role("button", name="退回修改").click()
    expect(official.get_by_text(re.compile(f"已退回评测 {baseline}"))).to_be_visible(timeout=15_000)

    # the consultant sees it first on 我的企业, fixes and resubmits
    go(consultant, app_url, "")  # 我的企业 is the consultant's first page
    expect(consultant.get_by_text(f"已退回：{NAME}")).to_be_visible(timeout=30_000)
    expect(consultant.get_by_text("退回意见：请补充 Q5 信息系统的使用截图")).to_be_visible()
    consultant.screenshot(path=artifacts / "loop-3-returned-1024x768.png")
    consultant.get_by_role("link", name="修改后重新提交").click()
    expect(consultant.get_by_text("退回意见：请补充 Q5 信息系统的使用截图")).to_be_visible(timeout=30_000)
    open_tab(consultant, "数字化基础")
    change_and_wait(consultant, lambda: panel(consultant).get_by_text("E. 全部业务环节（10 分）").click())
    submit(consultant)

    # the official approves
    review(official, app_url, baseline)
    official.get_by_role("button", name="审核通过").click()
    expect(official.get_by_text(f"已审核通过评测 {baseline}")).to_be_visible(timeout=30_000)

    # the consultant records the funded project from the bundle, with its contract
    go(consultant, app_url, f"visit?a={baseline}")
    consultant.get_by_role("link", name=re.compile("^登记改造项目")).click()
    expect(consultant.get_by_text(re.compile("清单已按达到.*的推荐产品预填"))).to_be_visible(timeout=30_000)
    # contracted with a registered member of the sample 联合体: the provider comparison counts it
    choose(consultant, "服务商单位（已登记的牵引单位、联合体成员或服务商）", "示例数字科技有限公司")
    consultant.get_by_label("合同编号（必填）").fill("示例-HT-2026-001")
    for label, text in (("各方责任", "企业配合，服务商部署"), ("改造措施", "部署进销存与车间报工"),
                        ("实施期限", "2026-01-05 至 2026-11-20"), ("实现目标", "达到二级")):  # fmt: skip
        consultant.get_by_label(f"合同约定的{label}（必填）").fill(text)
    type_date(
        consultant,
        "合同签订日期（必填）",
        "20260102",
        provider_name(consultant),
    )
    consultant.get_by_text("获财政资金支持").click()
    amount = consultant.get_by_label("财政资金金额（元）")
    amount.fill("20000")
    amount.press("Tab")
    consultant.screenshot(path=artifacts / "loop-4-project-form-1024x768.png", full_page=True)
    consultant.get_by_role("button", name="保存改造项目").click()
    expect(consultant.get_by_text("已登记改造项目")).to_be_visible(timeout=30_000)
    expect(consultant.get_by_text(re.compile("服务商 示例数字科技有限公司（已登记单位）"))).to_be_visible()
    consultant.locator('input[type="file"]').set_input_files(
        {"name": "合同.pdf", "mimeType": "application/pdf", "buffer": CONTRACT}
    )
    expect(consultant.get_by_text("已上传合同：合同.pdf")).to_be_visible(timeout=30_000)
    expect(consultant.get_by_role("button", name=re.compile("^合同：合同.pdf"))).to_be_visible()

    # … and marks it finished
    consultant.get_by_text("修改项目信息、清单与状态").click()
    type_date(
        consultant,
        "开始日期",
        "20260105",
        provider_name(consultant),
    )
    type_date(
        consultant,
        "完成日期",
        "20261120",
        provider_name(consultant),
    )
    choose(consultant, "项目状态", "已完成")
    consultant.get_by_role("button", name="保存改造项目").click()
    expect(consultant.get_by_text("已保存改造项目")).to_be_visible(timeout=30_000)
    expect(consultant.get_by_text(re.compile(r"· 已完成 · 第 2 版"))).to_be_visible()

    # the after-visit starts from the baseline's answers, each marked until confirmed
    consultant.get_by_text("现场评定", exact=True).click()
    consultant.get_by_role("button", name="开始改造后评测").click()
    expect(consultant.get_by_text(re.compile("的改造后评测：答案沿用自改造前诊断"))).to_be_visible(timeout=30_000)
    open_tab(consultant, "数字化基础")
    expect(panel(consultant).get_by_role("radio", name="E. 全部业务环节（10 分）")).to_be_checked()
    expect(panel(consultant).get_by_text("沿用改造前的答案：请现场核实后确认，或直接修改").first).to_be_visible()
    consultant.screenshot(path=artifacts / "loop-5-after-visit-carried-1024x768.png")
    open_tab(consultant, "走访信息")
    people = panel(consultant).get_by_label(re.compile("^诊断专家"))
    change_and_wait(consultant, lambda: type_date(consultant, "走访日期", "20261125", people))
    change_and_wait(consultant, lambda: (people.fill("示例顾问一"), people.press("Enter")))
    for section in ("走访信息", "数字化基础", "数字化经营", "数字化管理", "数字化成效", "痛点与需求"):
        open_tab(consultant, section)
        confirm = panel(consultant).get_by_role("button", name=re.compile("^确认本部分沿用改造前的"))
        if confirm.count():
            change_and_wait(consultant, lambda confirm=confirm: confirm.click())
    open_tab(consultant, "数字化经营")
    group = panel(consultant).get_by_role("radiogroup", name="财务管理 等级")
    change_and_wait(consultant, lambda: group.get_by_text("L3 集成共享").click())  # what the project changed
    expect(consultant.get_by_text(re.compile(r"^改造前后"))).to_be_visible()
    after = int(re.search(r"[?&]a=(\d+)", consultant.url).group(1))
    submit(consultant)
    no_error_box(consultant)

    # the official approves the after-visit: the project is accepted
    review(official, app_url, after)
    expect(official.get_by_text(re.compile("与上一次评测（编号"))).to_be_visible()
    official.get_by_role("button", name="审核通过").click()
    expect(official.get_by_text(f"已审核通过评测 {after}")).to_be_visible(timeout=30_000)

    # the pilot tracker counts it in the month of the approval (the server's clock: 2026-11)
    go(official, app_url, "")  # 试点看板 is the official's first page
    expect(official.get_by_role("heading", name="试点看板")).to_be_visible(timeout=30_000)
    official.get_by_role("button", name="下载达标企业（Excel）").scroll_into_view_if_needed()
    official.screenshot(path=artifacts / "loop-6-pilot-target-1024x768.png")
    saved = download(official, official.get_by_role("button", name="下载达标企业（Excel）"),
                     artifacts / "loop-6-counting.xlsx")  # fmt: skip
    rows = [[str(c) for c in row] for row in load_workbook(saved).active.iter_rows(values_only=True)]
    [ours] = [row for row in rows if NAME in row]
    assert any(cell.startswith("2026-11") for cell in ours), ours

    # 企业画像 shows before and after
    go(consultant, app_url, "enterprise_view")
    search = consultant.get_by_label("查找企业")
    search.fill("全流程")
    search.press("Enter")
    expect(consultant.get_by_role("heading", name=NAME)).to_be_visible(timeout=30_000)  # the one match opens
    # under load the page being replaced may still show beside the new one: wait until one remains
    comparison = consultant.get_by_role("heading", name="改造前后对比")
    expect(comparison).to_have_count(1, timeout=30_000)
    expect(comparison).to_be_visible()
    consultant.screenshot(path=artifacts / "loop-7-enterprise-view-1024x768.png", full_page=True)
    no_error_box(consultant)
    no_error_box(official)
