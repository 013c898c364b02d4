"""In Chromium at 1024×768, the catalog's supply side walked by its people on one server:

a provider applies a product with its 样板项目 and the showcase contract → the official accepts
it, names two reviewers (an expert and itself) → both score on their own → the official decides
入库 and publishes the batch → on a visit of an enterprise for which the product is now the
cheapest way to 二级, the consultant sees it recommended.

The product copies what the cheapest bundle of that enterprise does today (read from the app's
database before the walk) at a lower price: any bundle without it still costs what it did, so
the new cheapest bundle must contain it.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from .test_pilot_loop_browser import no_error_box, signed_in

PRODUCT = "浏览器测试财务一体化（示例）"
CONTRACT = b"%PDF-1.4\n% the showcase contract for the browser test\n"


def target(folder) -> dict:
    """A scored visit of a sample enterprise below 二级 whose cheapest bundle is one product, the
    one with the fewest effects: the visit, the enterprise's industry and that product."""
    from diagnose.access.policy import command_line_actor
    from diagnose.services import open_store
    from diagnose.services.files import overview
    from diagnose.services.recommendations import for_assessment

    store = open_store(f"sqlite:///{folder / 'diagnose.db'}", evidence_dir=folder / "evidence")
    admin = command_line_actor("e2e")
    found = []
    try:
        for e in overview(store, admin, limit=1000):
            if e["sample"] and e["level"] is not None and e["level"] < 2 and e["assessment_status"] == "approved":
                cheapest = for_assessment(store, admin, e["assessment_id"]).cheapest
                if cheapest is not None and len(cheapest.products) == 1:
                    product = cheapest.products[0]
                    found.append((len(product.scenes) + len(product.questions), e, product))
    finally:
        store.dispose()
    assert found, "no sample visit whose cheapest bundle is one product"
    _, enterprise, product = min(found, key=lambda f: f[0])
    return {"assessment": enterprise["assessment_id"], "industry": enterprise["industry"], "product": product}


def choose(page: Page, label: str, option: str, many: bool = False) -> None:
    """Pick ``option`` in the select box (or, ``many``, the multiselect) called ``label``: typing
    filters the list to it, Enter (or, in a multiselect, a click) takes it. A page redrawn
    while typing (a busy machine) may drop keys, so the filter is typed again until the option
    shows. Waits until the box shows it: a select box as its value, a multiselect as a chip.

    A multiselect's chosen option leaves its list, so each try first looks for the chip: a click
    that landed while the page redrew may already have chosen it."""
    box = page.get_by_label(label, exact=True)
    wanted = page.get_by_role("option", name=option, exact=True)
    chip = (
        page.get_by_test_id("stMultiSelect")
        .filter(has=page.get_by_label(label, exact=True))
        .get_by_role("group", name="Selected values")
        .locator(f'[data-tag][aria-label="{option}"]')
    )
    for _ in range(5):
        try:
            expect(box).to_have_count(1, timeout=30_000)  # not while a redrawn page still shows the old box too
            if many and chip.count():
                break
            box.click()
            box.fill(option)
            expect(wanted).to_be_visible(timeout=5_000)
            if many:  # the filtered list's first entry is "select all": click the option itself
                wanted.click()
                page.keyboard.press("Escape")
                expect(chip).to_have_count(1, timeout=10_000)
                return
            break
        except (AssertionError, PlaywrightError):  # the page was redrawn under the click or the typing
            page.keyboard.press("Escape")
    if many:
        expect(chip).to_have_count(1, timeout=30_000)
        return
    expect(wanted).to_be_visible()
    page.keyboard.press("Enter")
    expect(box).to_have_value(option, timeout=30_000)


def typed(page: Page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    # On a busy machine the run started by the choice just before can land after the typing and
    # draw the box empty again (seen once in CI): type again, as a person seeing it empty would.
    # What was saved is checked after 保存草稿 and 提交申报 all the same.
    for _ in range(5):
        expect(box).to_have_count(1, timeout=30_000)
        box.fill(text)
        box.press("Enter")
        try:
            expect(box).to_have_value(text, timeout=5_000)
            return
        except AssertionError:
            continue
    expect(box).to_have_value(text)


def apply_for(page: Page, copied, industry: str, national) -> None:
    """The provider's application: the copied product's effects at a lower price, its showcase."""
    typed(page, "产品名称", PRODUCT)
    typed(page, "版本", "1.0")
    choose(page, "类型", "SaaS")
    choose(page, "知识产权", "软件著作权")
    choose(page, "适用行业", industry, many=True)
    choose(page, "覆盖环节", "管理", many=True)
    typed(page, "部署方式", "云端")
    typed(page, "价格（元）", str(copied.price - 100))
    typed(page, "计价单位", "年")
    typed(page, "实施周期（天）", "5")
    for scene, level in copied.scenes.items():
        choose(page, "提升的场景", scene, many=True)
        group = page.get_by_role("radiogroup", name=f"{scene}：提升到")
        group.get_by_text(f"L{level}", exact=True).click()
        expect(group.get_by_role("radio", name=f"L{level}", exact=True)).to_be_checked()
    for qid, codes in copied.questions.items():
        question = national.question(qid)
        choose(page, "改进的题目", f"{qid} {question.item}", many=True)
        label = f"{qid} {question.item}：{'增加的选项' if question.type == 'multi' else '提升到'}"
        for code in codes:
            choose(page, label, f"{code}. {question.option(code).text}", many=question.type == "multi")
    typed(page, "样板项目企业", "示例：揭阳某服装厂")
    page.get_by_role("spinbutton", name="year, 样板项目合同签订日期").click()
    page.keyboard.type("20240315")
    page.keyboard.press("Escape")
    choose(page, "样板项目改造前等级", "一级")
    choose(page, "样板项目改造后等级", "二级")


def test_a_product_goes_from_application_to_recommendation_in_the_browser(browser: Browser, app_server, artifacts):
    from diagnose.services import questionnaires

    app_url, folder = app_server
    chosen = target(folder)
    national = questionnaires()["national-2024"]

    # the provider applies
    provider = signed_in(browser, app_url, "demo_provider")
    expect(provider.get_by_role("heading", name="产品申报")).to_be_visible(timeout=30_000)
    apply_for(provider, chosen["product"], chosen["industry"], national)
    provider.get_by_role("button", name="保存草稿").click()
    expect(provider.get_by_text(re.compile(r"已保存草稿（申报编号 \d+）")).first).to_be_visible(timeout=30_000)
    saved = provider.get_by_text(re.compile("已保存草稿")).first.inner_text()
    application = int(re.search(r"申报编号 (\d+)", saved).group(1))
    uploader = provider.get_by_role("region", name="上传样板项目合同")
    uploader.locator('input[type="file"]').set_input_files(
        {"name": "样板项目合同.pdf", "mimeType": "application/pdf", "buffer": CONTRACT}
    )
    expect(provider.get_by_text("已上传样板项目合同：样板项目合同.pdf").first).to_be_visible(timeout=30_000)
    provider.screenshot(path=artifacts / "supply-1-application-1024x768.png", full_page=True)
    provider.get_by_role("button", name="提交申报").click()
    expect(provider.get_by_text(f"已提交申报 {application}，等待主管部门受理").first).to_be_visible(timeout=30_000)
    no_error_box(provider)

    # the official accepts it and names two reviewers: an expert and itself
    official = signed_in(browser, app_url, "demo_official")
    official.goto(f"{app_url}/application_check")
    expect(official.get_by_role("heading", name="申报受理")).to_be_visible(timeout=30_000)
    choose(official, "查看申报", f"{application} {PRODUCT}（示例牵引单位甲，已提交，待受理）")
    official.get_by_text("受理", exact=True).click()
    official.get_by_role("button", name="确定", exact=True).click()
    expect(official.get_by_text(f"申报 {application}：受理").first).to_be_visible(timeout=30_000)
    choose(official, "查看申报", f"{application} {PRODUCT}（示例牵引单位甲，已受理，评审中）")
    label = "指定评审专家（至少 2 位；申报单位的人员须回避）"
    choose(official, label, "demo_expert（评审专家）", many=True)
    choose(official, label, "demo_official（主管部门）", many=True)
    official.get_by_role("button", name="指定", exact=True).click()
    expect(official.get_by_text("已指定 2 位评审专家").first).to_be_visible(timeout=30_000)

    # each scores on their own
    # (专家评审 is the expert's only page, so its address is the app's own)
    expert = signed_in(browser, app_url, "demo_expert")
    for page, address in ((expert, app_url), (official, f"{app_url}/expert_review")):
        page.goto(address)
        expect(page.get_by_role("heading", name="专家评审")).to_be_visible(timeout=30_000)
        for name, points in (("自主知识产权", 14), ("场景契合度", 13), ("价格合理性", 9), ("现场演示与答辩", 12),
                             ("样板项目成效", 17), ("小快轻准", 13), ("本地服务能力", 8)):  # fmt: skip
            field = page.get_by_label(re.compile(f"^{name}（0 至"))
            field.fill(str(points))
        page.screenshot(path=artifacts / "supply-3-scores-1024x768.png", full_page=True)
        page.get_by_role("button", name="提交评分").click()
        expect(page.get_by_text("已提交评分：合计 86 分").first).to_be_visible(timeout=30_000)
        no_error_box(page)

    # the official decides and publishes
    official.goto(f"{app_url}/application_check")
    choose(official, "查看申报", f"{application} {PRODUCT}（示例牵引单位甲，已受理，评审中）")
    expect(official.get_by_text("平均分 86；入库分数线 70")).to_be_visible(timeout=30_000)
    official.get_by_label("理由（必填，服务商将看到）").fill("两位专家评分均在分数线以上，样板项目真实")
    official.get_by_role("button", name="确定评审决定").click()
    expect(official.get_by_text(f"申报 {application}：入库（发布批次后生效）").first).to_be_visible(timeout=30_000)
    official.screenshot(path=artifacts / "supply-4-decision-1024x768.png", full_page=True)
    official.get_by_role("button", name="截止申报", exact=True).click()
    expect(official.get_by_text("已截止申报").first).to_be_visible(timeout=30_000)
    official.get_by_role("button", name="发布", exact=True).click()
    published = official.get_by_text(f"已发布：1 个产品进入产品清单（A{application:04d}）").first
    expect(published).to_be_visible(timeout=30_000)
    no_error_box(official)

    # on the visit, the consultant sees it as the cheapest way to 二级
    consultant = signed_in(browser, app_url, "demo_consultant")
    consultant.goto(f"{app_url}/visit?a={chosen['assessment']}")
    expect(consultant.get_by_role("heading", name=re.compile("^达到二级.*的推荐产品"))).to_be_visible(timeout=30_000)
    expect(consultant.get_by_text(PRODUCT).first).to_be_visible()
    consultant.screenshot(path=artifacts / "supply-5-recommended-1024x768.png", full_page=True)
    no_error_box(consultant)
