"""AppTest of the on-site visit: my enterprises, each section saving as it goes, restore, submit."""

from __future__ import annotations

import datetime

from diagnose.services import assessments as visits
from diagnose.services import questionnaires
from diagnose.store import records
from diagnose.ui.state import UNEXPECTED

from .conftest import ADMIN, CODE, open_app

VISIT = "diagnose/ui/visit.py"
MINE = "diagnose/ui/my_enterprises.py"


def open_visit(draft):
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["a"] = str(draft)
    at.run()
    at.switch_page(VISIT).run()
    return at


def to_tab(at, title: str):
    """Open a tab of the form as the consultant does (only the open tab's items are drawn)."""
    at.session_state["visit_tab"] = title
    return at.run()


def stored(seeded, consultant, draft) -> dict:
    return visits.load(seeded, consultant, draft).values


def test_a_new_enterprise_gets_field_by_field_messages_then_is_listed_and_chosen_even_under_a_filter(
    seeded, consultant
):
    at = open_app(MINE)
    assert "没有符合条件的企业" in at.info[0].value  # nothing assigned yet
    at.selectbox(key="mine_industry").set_value("食品加工").run()  # a filter the new one does not match

    at.text_input(key="new_enterprise:credit_code").input("91350100M000100Y44")
    at.text_input(key="new_enterprise:name").input("揭阳新建塑胶有限公司")
    at.selectbox(key="new_enterprise:industry").set_value("塑胶")
    at.button[0].click().run()

    assert "校验位错误" in at.error[0].value and "行政区不能为空" in at.error[1].value
    assert at.text_input(key="new_enterprise:name").value == "揭阳新建塑胶有限公司"  # nothing typed is lost

    at.text_input(key="new_enterprise:credit_code").input(CODE)
    at.selectbox(key="new_enterprise:district").set_value("揭东区")
    at.button[0].click().run()

    assert at.success[0].value == "已建档：揭阳新建塑胶有限公司，已选中，可开始评测"
    assert list(at.dataframe[0].value["企业名称"]) == ["揭阳新建塑胶有限公司"]
    assert at.selectbox(key="mine_pick").value is not None and at.button(key="FormSubmitter:start_visit-开始新评测")


def test_the_chosen_enterprise_is_in_the_address_and_a_reload_comes_back_to_it(seeded, consultant, draft):
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at = open_app(MINE)
    assert list(at.dataframe[0].value["最新等级"]) == ["未评测"]
    enterprise = at.selectbox(key="mine_pick").options[0]
    at.selectbox(key="mine_pick").select_index(0).run()
    assert at.query_params["e"] == str(at.selectbox(key="mine_pick").value)
    assert enterprise.startswith("揭阳测试塑胶有限公司")

    again = AppTest.from_file(APP, default_timeout=30)  # a reload: a new session, the same address
    again.query_params["e"] = at.query_params["e"]
    again.run()
    again.switch_page(MINE).run()
    assert again.selectbox(key="mine_pick").value == at.selectbox(key="mine_pick").value
    assert [link.proto.label for link in again.get("page_link")] == ["继续评测（改造前诊断）"]

    again.selectbox(key="mine_pick").set_value(None).run()
    assert "e" not in again.query_params


def test_starting_a_second_visit_of_the_same_stage_names_the_open_one(seeded, consultant, draft):
    at = open_app(MINE)
    at.selectbox(key="mine_pick").select_index(0).run()
    at.button(key="FormSubmitter:start_visit-开始新评测").click().run()

    assert at.error[0].value == f"该企业已有一次改造前诊断（编号 {draft}，草稿）：请继续填写该评测"
    assert [a["id"] for a in visits.history(seeded, consultant, at.selectbox(key="mine_pick").value)] == [draft]


def test_a_negative_or_absurd_figure_is_refused_in_chinese_naming_its_question_once(seeded, consultant, draft):
    at = to_tab(open_visit(draft), "数字化基础")
    at.number_input(key="v:Q2:digital").set_value(4).run()

    at.number_input(key="v:Q2:total").set_value(-5).run()
    assert [e.value for e in at.error] == ["Q2 设备数字化：生产设备总数不能为负数"]
    at.number_input(key="v:Q2:total").set_value(99_999_999_999).run()
    assert [e.value for e in at.error] == ["Q2 设备数字化：生产设备总数过大（超过一百万台），请核对位数"]
    assert "Q2" not in stored(seeded, consultant, draft)  # nothing of either was saved
    at.number_input(key="v:Q2:total").set_value(40).run()
    assert not at.error and stored(seeded, consultant, draft)["Q2"] == {"digital": 4, "total": 40}


def test_every_section_saves_each_answer_as_it_is_given(seeded, consultant, draft):
    at = open_visit(draft)
    assert at.title[0].value == "揭阳测试塑胶有限公司"

    at.date_input(key="v:visit.date").set_value(datetime.date(2026, 11, 20)).run()
    at.text_input(key="v:visit.consultants").input("顾问甲、顾问乙").run()
    to_tab(at, "数字化基础")
    at.radio(key="v:Q5").set_value("E").run()
    at.checkbox(key="v:Q1:B").check().run()
    at.checkbox(key="v:Q1:C").check().run()
    at.number_input(key="v:Q2:total").set_value(40).run()
    assert "还需填写数字化设备数" in at.info[0].value
    at.number_input(key="v:Q2:digital").set_value(12).run()
    assert any("比例 30.0% → C" in s.value for s in at.success)
    to_tab(at, "数字化经营")
    at.checkbox(key="v:practice:P13").check().run()
    at.radio(key="v:scene:设备管理").set_value(2).run()
    to_tab(at, "数字化基础")
    at.text_area(key="n:Q5").input("<script>alert(1)</script> ERP 覆盖销售与采购").run()

    assert not at.exception
    assert stored(seeded, consultant, draft) == {
        "visit.date": "2026-11-20", "visit.consultants": ["顾问甲", "顾问乙"], "Q5": "E", "Q1": ["B", "C"],
        "Q2": {"total": 40, "digital": 12}, "practice:P13": True, "scene:设备管理": 2,
    }  # fmt: skip
    assert visits.load(seeded, consultant, draft).notes["Q5"].startswith("<script>")
    assert any(md.value.startswith("**已保存 ") for md in at.markdown)
    assert any(c.value == "当前等级（按已填内容试算）" for c in at.caption)
    assert any(md.value.startswith("总分 **") for md in at.markdown)


def test_a_count_above_its_total_is_named_next_to_the_field_and_kept(seeded, consultant, draft):
    at = to_tab(open_visit(draft), "数字化基础")

    at.number_input(key="v:Q3:total").set_value(10).run()
    at.number_input(key="v:Q3:networked").set_value(12).run()

    assert "联网设备数（12）不能大于生产设备总数（10）" in at.error[0].value
    assert at.number_input(key="v:Q3:networked").value == 12
    assert "Q3" not in stored(seeded, consultant, draft)


def test_a_fresh_session_gets_back_everything_typed(seeded, consultant, draft):
    first = to_tab(open_visit(draft), "数字化管理")
    first.radio(key="v:Q8").set_value("D").run()
    first.number_input(key="v:Q11:revenue").set_value(3000.0).run()
    first.number_input(key="v:Q11:investment").set_value(90.0).run()
    to_tab(first, "数字化基础").checkbox(key="v:Q6:B").check().run()
    to_tab(first, "数字化经营").radio(key="v:scene:产品设计").set_value(3).run()

    again = open_visit(draft)  # a reload, a new tab, a restarted server: a new session

    assert to_tab(again, "数字化管理").radio(key="v:Q8").value == "D"
    assert again.number_input(key="v:Q11:investment").value == 90.0
    assert to_tab(again, "数字化基础").checkbox(key="v:Q6:B").value is True
    assert to_tab(again, "数字化经营").radio(key="v:scene:产品设计").value == 3


def test_every_run_draws_the_widgets_from_their_stored_answers_and_never_sets_a_value_in_the_browser(
    seeded, consultant, draft
):
    revision = visits.load(seeded, consultant, draft).revision
    revision = visits.save_item(seeded, consultant, draft, "Q1", ["B", "C"], revision).revision
    revision = visits.save_item(seeded, consultant, draft, "Q2", {"total": 40, "digital": 20}, revision).revision
    revision = visits.save_item(seeded, consultant, draft, "visit.date", "2026-11-20", revision).revision
    revision = visits.save_item(seeded, consultant, draft, "scene:产品设计", 3, revision).revision
    visits.save_item(seeded, consultant, draft, "Q5", "D", revision)

    def drawn_from_the_store(at) -> None:
        # the browser draws a widget it has not drawn yet from its default, whichever run reaches it
        tab = at.session_state["visit_tab"] if "visit_tab" in at.session_state else "走访信息"  # noqa: SIM401 - no .get here
        if tab == "数字化基础":
            assert at.checkbox(key="v:Q1:C").proto.default is True
            assert at.checkbox(key="v:Q1:A").proto.default is False
            assert at.radio(key="v:Q5").proto.default == ["A", "B", "C", "D", "E"].index("D")
            assert at.number_input(key="v:Q2:digital").proto.default == 20
        elif tab == "数字化经营":
            assert at.radio(key="v:scene:产品设计").proto.default == 4  # 未评, 0, 1, 2, 3
        else:
            assert at.date_input(key="v:visit.date").proto.default == ["2026-11-20"]
        # a value set in the browser is applied whenever it arrives, even after a click (Streamlit
        # itself sets the widgets one cannot click: a disabled one keeps the server's value)
        widgets = at.get("radio") + at.get("checkbox") + at.get("number_input") + at.get("date_input")
        assert not [w.key for w in widgets if w.proto.set_value and not w.proto.disabled]

    at = open_visit(draft)  # a reloaded page: a new session, the first tab open
    drawn_from_the_store(at)
    at.session_state["visit_tab"] = "数字化基础"  # the consultant opens a tab
    at.run()
    drawn_from_the_store(at)
    at.checkbox(key="v:Q4:C").check().run()  # an ordinary save
    drawn_from_the_store(at)
    assert at.checkbox(key="v:Q4:C").proto.default is True  # the next first drawing shows it too
    drawn_from_the_store(to_tab(at, "数字化经营"))
    assert stored(seeded, consultant, draft)["Q1"] == ["B", "C"]


def test_an_empty_radio_sent_over_a_stored_answer_keeps_the_answer(seeded, consultant, draft):
    revision = visits.load(seeded, consultant, draft).revision
    visits.save_item(seeded, consultant, draft, "Q5", "D", revision)
    at = to_tab(open_visit(draft), "数字化基础")

    # what a radio drawn empty would send; a person cannot clear a radio, and an empty one reads
    # as its default, the stored answer
    at.radio(key="v:Q5").set_value(None).run()

    assert stored(seeded, consultant, draft)["Q5"] == "D"
    at.radio(key="v:Q5").set_value("E").run()  # a real choice is saved
    assert stored(seeded, consultant, draft)["Q5"] == "E"


def test_a_conflicting_save_says_so_and_keeps_the_value_for_a_retry(seeded, consultant, draft):
    from diagnose.services.accounts import add_user, assign

    at = open_visit(draft)
    add_user(seeded, ADMIN, "other.consultant", "consultant", "correct horse battery")
    assign(seeded, ADMIN, "other.consultant", CODE)
    with seeded.read() as conn:
        other = records.user_by_name(conn, "other.consultant")
    from diagnose.services.accounts import actor_of

    visits.save_item(seeded, actor_of(other), draft, "Q5", "B", base_revision=0)

    to_tab(at, "数字化基础").radio(key="v:Q5").set_value("E").run()

    assert "已被 other.consultant 改为 'B'" in at.error[0].value
    assert at.radio(key="v:Q5").value == "E"
    at.radio(key="v:Q5").set_value("D").run()  # having seen it, the consultant decides
    assert stored(seeded, consultant, draft)["Q5"] == "D"


def test_evidence_of_a_forbidden_type_is_refused_next_to_the_field(seeded, consultant, draft):
    at = to_tab(open_visit(draft), "数字化基础")

    at.file_uploader(key="f:Q1").upload("网络拓扑.png", b"MZ not a picture", "image/png").run()

    assert "文件内容与扩展名“.png”不符" in at.error[0].value
    at.file_uploader(key="f:Q1").upload("网络拓扑.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "image/png").run()
    assert len(visits.load(seeded, consultant, draft).evidence) == 1


def test_submitting_lists_what_is_missing_then_asks_to_confirm_then_shows_the_result_card(seeded, consultant, draft):
    at = open_visit(draft)
    at.button(key="submit").click().run()
    assert at.error[0].value == "还不能提交，请补全以下内容："
    assert any("- Q1 网络建设未回答" in md.value for md in at.markdown)
    at.button(key="goto:数字化基础").click().run()  # the link to the first gap opens its section
    assert at.session_state["visit_tab"] == "数字化基础"

    from tests.integration.helpers import FULL_ANSWERS

    revision = visits.load(seeded, consultant, draft).revision
    items = {"visit.date": "2026-11-20", "visit.consultants": ["顾问甲"]} | FULL_ANSWERS
    items |= {f"scene:{s.name}": 2 for s in questionnaires()["plastics"].scenes}
    for item, value in items.items():
        revision = visits.save_item(seeded, consultant, draft, item, value, revision).revision
    at = open_visit(draft)
    at.button(key="submit").click().run()
    assert at.warning[0].value == "提交后答案不能再修改，评测将送主管部门审核。确认提交？"
    at.button(key="submit_cancel").click().run()  # 返回修改: still a draft, the button again
    assert visits.load(seeded, consultant, draft).status == "draft" and at.button(key="submit")
    at.button(key="submit").click().run()
    assert visits.load(seeded, consultant, draft).status == "draft"  # asked, not yet submitted
    at.button(key="submit_confirmed").click().run()

    assert not at.exception
    assert visits.load(seeded, consultant, draft).status == "submitted"
    assert "评测结果" in [h.value for h in at.subheader]
    assert at.radio(key="v:Q5").disabled  # submitted: every tab drawn, read-only
    assert any(md.value.startswith("### 等级：") for md in at.markdown)
    assert any(h.value.startswith("达到") and h.value.endswith("的推荐产品（示例清单）") for h in at.subheader)
    assert any(md.value.startswith("采用后预计：") for md in at.markdown)


def test_a_huge_file_is_refused_next_to_the_field_and_nothing_is_kept(seeded, consultant, draft):
    at = to_tab(open_visit(draft), "数字化基础")

    at.file_uploader(key="f:Q2").upload("台账.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), "application/pdf").run()

    assert "文件过大" in at.error[0].value
    assert visits.load(seeded, consultant, draft).evidence == []


def test_a_budget_below_the_cheapest_bundle_shows_the_best_it_buys(seeded, consultant, draft):
    from tests.integration.helpers import FULL_ANSWERS

    revision = visits.load(seeded, consultant, draft).revision
    items = {"visit.date": "2026-11-20", "visit.consultants": ["顾问甲"]} | FULL_ANSWERS
    items |= {f"scene:{s.name}": 1 for s in questionnaires()["plastics"].scenes}
    for item, value in items.items():
        revision = visits.save_item(seeded, consultant, draft, item, value, revision).revision
    visits.submit(seeded, consultant, draft)
    at = open_visit(draft)

    at.number_input(key="budget").set_value(10000).run()

    from diagnose.services.recommendations import for_assessment

    expected = for_assessment(seeded, consultant, draft, 2, 10000)
    assert not at.exception
    assert expected.cheapest.total_price > 10000
    if expected.within_budget is None:
        assert at.info[-1].value == "预算以内的产品组合不能提升等级。"
    else:
        assert "预算 10,000 元以内的最佳组合" in [h.value for h in at.subheader]
        total = f"合计 **{expected.within_budget.total_price:,} 元**"
        assert any(total in md.value for md in at.markdown)


def test_effect_questions_take_both_periods_figures_and_show_the_option(seeded, consultant, draft):
    at = to_tab(open_visit(draft), "数字化成效")

    at.number_input(key="v:Q13:before:pass_rate").set_value(95.0).run()
    assert "还需填写改造后月均产品合格率" in at.info[0].value
    at.number_input(key="v:Q13:after:pass_rate").set_value(97.0).run()

    assert stored(seeded, consultant, draft)["Q13"] == {"before": {"pass_rate": 95.0}, "after": {"pass_rate": 97.0}}
    assert any(s.value.startswith("变化 +2.1% → C. 增加（7 分") for s in at.success)


def test_a_scene_takes_a_note_and_evidence_too(seeded, consultant, draft):
    at = to_tab(open_visit(draft), "数字化经营")

    at.text_area(key="n:scene:仓储物流").input("仓库用 Excel 台账").run()
    at.file_uploader(key="f:scene:仓储物流").upload("仓库.jpg", b"\xff\xd8\xff" + b"\x00" * 40, "image/jpeg").run()

    file = visits.load(seeded, consultant, draft)
    assert file.notes["scene:仓储物流"] == "仓库用 Excel 台账"
    assert [(e["item"], e["filename"]) for e in file.evidence] == [("scene:仓储物流", "仓库.jpg")]


def test_a_save_the_database_refuses_says_so_keeps_the_value_and_retries(seeded, consultant, draft, monkeypatch):
    from diagnose.store import Unavailable

    real = visits.save_item
    at = to_tab(open_visit(draft), "数字化基础")

    def down(*args, **kwargs):
        raise Unavailable("database is locked")

    monkeypatch.setattr(visits, "save_item", down)
    at.radio(key="v:Q5").set_value("C").run()

    assert "保存失败：暂时连不上数据库" in at.error[-1].value
    assert at.radio(key="v:Q5").value == "C"
    assert "Q5" not in stored(seeded, consultant, draft)
    monkeypatch.setattr(visits, "save_item", real)
    retry = next(b for b in at.button if b.label == "重试保存")
    retry.click().run()
    assert stored(seeded, consultant, draft)["Q5"] == "C"


def test_an_unexpected_error_while_saving_is_said_in_chinese_and_the_value_and_note_are_kept_for_a_retry(
    seeded, consultant, draft, monkeypatch
):
    real_item, real_note = visits.save_item, visits.save_note
    at = to_tab(open_visit(draft), "数字化基础")

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(visits, "save_item", broken)
    monkeypatch.setattr(visits, "save_note", broken)
    at.radio(key="v:Q5").set_value("C").run()
    at.text_area(key="n:Q5").input("ERP 已上线").run()

    assert not at.exception
    assert [e.value for e in at.error if "意外错误" in e.value] and "未能保存" in at.error[0].value
    assert all("KeyError" not in e.value for e in at.error)
    assert at.radio(key="v:Q5").value == "C" and at.text_area(key="n:Q5").value == "ERP 已上线"
    monkeypatch.setattr(visits, "save_item", real_item)
    monkeypatch.setattr(visits, "save_note", real_note)
    next(b for b in at.button if b.label == "重试保存").click().run()
    file = visits.load(seeded, consultant, draft)
    assert (file.values["Q5"], file.notes["Q5"]) == ("C", "ERP 已上线")
    assert not [e for e in at.error if "未能保存" in e.value]


def test_after_a_reload_the_mark_says_when_the_visit_was_last_saved_and_its_version(seeded, consultant, draft):
    first = open_visit(draft)
    assert any(m.value == "**尚未填写 · 第 0 版**" for m in first.markdown)
    to_tab(first, "数字化基础").radio(key="v:Q5").set_value("C").run()
    first.radio(key="v:Q5").set_value("D").run()
    again = open_visit(draft)
    assert any(m.value.startswith("**已保存 ") and m.value.endswith(" · 第 2 版**") for m in again.markdown)


def test_a_bug_inside_the_open_visit_is_said_in_chinese_and_logged(seeded, consultant, draft, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("diagnose.services.evaluate_items", broken)
    at = open_visit(draft)
    assert not at.exception
    assert [e.value for e in at.error] == [UNEXPECTED]
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)


def test_a_callback_bringing_the_stored_value_or_note_writes_no_new_version(seeded, consultant, draft):
    at = to_tab(open_visit(draft), "数字化基础")
    at.radio(key="v:Q5").set_value("C").run()
    revision = visits.load(seeded, consultant, draft).revision
    # what the browser sends for a widget the server no longer holds: its value, as if new
    del at.session_state["v:Q5"]
    at.radio(key="v:Q5").set_value("C").run()
    at.text_area(key="n:Q5").input("").run()
    assert visits.load(seeded, consultant, draft).revision == revision and not at.error
