"""现场评测: the consultant's form for one visit; every answer is saved as it is given.

The assessment id lives in the URL (?a=…), so a reload, a new tab or a
restarted server comes back to the same visit with everything typed.
"""

from __future__ import annotations

import os

import streamlit as st
import streamlit.components.v1 as components

from diagnose.pilot import EDITABLE, STAGES, STATUSES
from diagnose.report.result_charts import radar
from diagnose.rule.maturity import OPERATIONS_HOW
from diagnose.services import assessments as visits
from diagnose.services import evaluate_items
from diagnose.services.after_visits import before_after
from diagnose.services.errors import ServiceError, SubmitRefused
from diagnose.services.paper import visit_form
from diagnose.ui import visit_widgets as w
from diagnose.ui.session import require_actor
from diagnose.ui.state import guarded, store
from diagnose.visit.form import NEEDS_FIELDS, SECTIONS, VISIT_FIELDS, section_items, section_progress
from diagnose.visit.items import VISIT_ITEMS

# the live panel beside the form scrolls with the page no further than its top: always in sight
STICKY_PANEL = """
[data-testid="stColumn"]:has(.st-key-visit_panel) {
  position: sticky; top: 3.75rem; align-self: flex-start; max-height: calc(100vh - 4.5rem); overflow-y: auto;
}
"""
# The faster design (the open visit as a fragment drawing only the open tab) is off until it
# holds under load: a browser run beside two busy loops lost a typed visit date with it. Kept
# behind this switch so that benchmarks/visit_latency.py measures both designs in one run.
FRAGMENT = os.environ.get("DIAGNOSE_VISIT_FRAGMENT") == "1"
# A text box sends what was typed when it loses focus; a click on a page link in the same moment
# sends the page change right behind it, and Streamlit keeps only the newer request's widget
# values, so the typing was dropped. On the visit page, a link clicked while a box has the focus
# first takes the focus away (the box sends its text, saved at the start of the next run) and
# follows the link a moment later.
SEND_BEFORE_LEAVING = """<script>
// put into the page itself: a listener of this frame would die with the frame (another page)
const page = window.parent.document;
if (!page.getElementById("visit-sends-before-leaving")) {
  const guard = page.createElement("script");
  guard.id = "visit-sends-before-leaving";
  guard.textContent = `
    const typing = () => ["INPUT", "TEXTAREA"].includes(document.activeElement?.tagName);
    const onVisit = () => location.pathname.endsWith("/visit");
    let leftBoxAt = 0;
    // the box loses the focus at the press, before the click: remember that it had it
    document.addEventListener("mousedown", (event) => {
      if (onVisit() && typing() && event.target.closest("a[href]")) leftBoxAt = Date.now();
    }, true);
    document.addEventListener("click", (event) => {
      const link = event.target.closest("a[href]");
      if (!link || link.dataset.sent || !onVisit() || !(typing() || Date.now() - leftBoxAt < 1500)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      leftBoxAt = 0;
      document.activeElement?.blur();
      setTimeout(() => { link.dataset.sent = "1"; link.click(); delete link.dataset.sent; }, 700);
    }, true);
    // a box typed in and not yet sent (Enter or leaving it sends it): a reload or closing the
    // tab asks first, since what is in it would be lost
    const typed = (box) => box && (box.tagName === "TEXTAREA" || ["text", "number", "search"].includes(box.type));
    let unsent = null;
    document.addEventListener("input", (event) => {
      if (onVisit() && typed(event.target)) unsent = event.target;
    }, true);
    document.addEventListener("focusout", (event) => { if (event.target === unsent) unsent = null; }, true);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target === unsent && event.target.tagName === "INPUT") unsent = null;
    }, true);
    window.addEventListener("beforeunload", (event) => {
      if (unsent && document.contains(unsent)) { event.preventDefault(); event.returnValue = ""; }
    });`;
  page.head.appendChild(guard);
}
</script>"""
TO_THE_TOP = """<script>
for (const box of [window.parent, window.parent.document.querySelector('[data-testid="stMain"]')]) {
  box?.scrollTo({top: 0});
}
</script>"""
SHOW_SUBMIT = """<script>
window.parent.document.querySelector(".st-key-visit_submit")?.scrollIntoView({block: "start"});
</script>"""
actor = require_actor()
assessment_id = st.query_params.get("a", "")
file = w.visit_at_address(actor, "现场评测", "请在“我的企业”中选择企业，开始或继续一次评测。")
w.restore(file, actor)
questionnaire = file.questionnaire
enterprise = file.enterprise
editable = file.status in EDITABLE

st.title(enterprise["name"])
st.caption(f"{STAGES[file.row['stage']]} · {STATUSES[file.status]} · 问卷 {questionnaire.version}"
           f"（{questionnaire.industry or '国家指标'}）"
           + (f" · 诊断机构 {file.row['organisation']}" if file.row["organisation"] else ""))  # fmt: skip
if file.status == "returned" and file.row["return_comment"]:
    st.warning("退回意见：" + file.row["return_comment"])
if file.row["project_id"]:
    st.page_link("diagnose/ui/project.py", label=f"改造项目 {file.row['project_id']} 的改造后评测：答案沿用自改造前诊断"
                 f"（编号 {file.row['carried_from']}），逐项核实后确认或修改", icon=":material/handshake:",
                 query_params={"p": file.row["project_id"]})  # fmt: skip
paper, offline = st.columns(2)
# the PDF is built only when asked for (about a second): a visit's every rerun stays fast
paper.download_button("下载纸质记录表（PDF，可打印，含已填内容）", key="paper_form", mime="application/pdf",
                      data=lambda: visit_form(store(), actor, file.row["id"]), icon=":material/print:",
                      file_name=f"现场记录表-{file.row['id']}.pdf")  # fmt: skip
if editable and actor.role == "consultant":
    offline.page_link("diagnose/ui/visit_workbook.py", label="离线填写：下载或上传 Excel 工作簿",
                      icon=":material/table_view:", query_params={"a": file.row["id"]})  # fmt: skip


def answers(file, lazy: bool) -> None:
    """The form: a tab per section, each item saved the moment it is given (read-only once
    submitted); ``lazy``: only the open tab's items are drawn (a change redraws a section, not six)."""
    questionnaire, values, editable = file.questionnaire, file.values, file.status in EDITABLE
    # tab titles stay fixed: a title that changes makes Streamlit open the first tab again
    tabs = st.tabs([s.title for s in SECTIONS], key="visit_tab", on_change="rerun")
    for section, tab in zip(SECTIONS, tabs, strict=True):
        if lazy and tab.open is False:
            continue  # drawn when opened, from the stored answers (``w.restore``)
        with tab:
            done, total = section_progress(questionnaire, section.key, values)
            st.caption(f"本部分已完成 {done} / {total}")
            carried = [i for i in section_items(questionnaire, section.key) if i in file.carried]
            if carried and editable:
                st.button(f"确认本部分沿用改造前的 {len(carried)} 项答案", key=f"confirm_all:{section.key}",
                          on_click=w.confirm, args=(carried,), icon=":material/done_all:")  # fmt: skip
            if section.key in ("visit", "needs"):
                for item in VISIT_FIELDS if section.key == "visit" else NEEDS_FIELDS:
                    w.text_item(item, VISIT_ITEMS[item], not editable)
            elif section.key == "scenes":
                st.caption(
                    "勾选现场看到的实践；选“按所勾实践”的场景按所勾实践的最高等级计。评级与实践不同时请说明理由。"
                )
                for scene in questionnaire.scenes:
                    w.scene_input(questionnaire, scene, not editable)
                    st.divider()
            else:
                for question in questionnaire.questions:
                    if question.dimension == section.key:
                        w.question_input(question, not editable)
                        st.divider()


def live(file) -> None:
    """Where the visit stands: saved, how much is done, the level the answers give so far."""
    questionnaire, values = file.questionnaire, file.values
    st.markdown(f"**{w.saved_label()}**")
    evaluation = evaluate_items(questionnaire, values)
    result = evaluation.result
    progress = {s.title: section_progress(questionnaire, s.key, values) for s in SECTIONS if s.key != "needs"}
    done, total = sum(d for d, _ in progress.values()), sum(t for _, t in progress.values())
    st.progress(done / total, text=f"提交所需内容已完成 {done} / {total} 项")
    st.caption("　".join(f"{title} {d}/{t}" for title, (d, t) in progress.items()))
    # text that wraps, not st.metric: on a 768 px tablet a metric cuts long labels off
    st.caption("当前等级（按已填内容试算）")
    st.markdown(f"### {result.level_label}")
    st.markdown(
        w.scores_line(result.score, {d.name: (result.dimension(d.id), d.max_points) for d in questionnaire.dimensions})
    )
    if result.gap:
        st.info(f"距{result.gap.label}：{result.gap.text}")
    picture(file, evaluation)


def picture(file, evaluation) -> None:
    """The change from the baseline (for an after-visit) and the radar of the four parts."""
    change = before_after(store(), actor, file, evaluation.result.to_dict()) if file.row["carried_from"] else None
    if change is not None:
        label = file.questionnaire.level_label
        st.markdown(f"**改造前后**：{label(change.level.before)} → {label(change.level.after)}")
        st.caption("　".join(f"{c.name} {c.before:g} → {c.after:g}（{c.delta:+g}）" for c in change.sub_scores))
    st.plotly_chart(radar({"本次": evaluation.axes}), key="radar", config={"displayModeBar": False})
    st.caption(OPERATIONS_HOW)


def editing(loaded=None, lazy: bool = True) -> None:
    """The open visit: save problems, the form and the live panel. Given the visit this run
    ``loaded`` (the whole page reran), it draws that; run as a fragment, a change saves (its
    callback) and reruns only this, with the visit read again: the mark, progress and level
    follow the store, and only the open tab is drawn."""
    fresh = loaded
    if fresh is None:
        try:
            fresh = visits.load(store(), actor, int(assessment_id))
        except ServiceError as refused:
            st.error(str(refused))
            return
        if fresh.status not in EDITABLE:  # submitted meanwhile (another tab): the whole page again
            st.rerun()
        w.restore(fresh, actor)
    w.message("confirm")
    if w.visit()["unsaved"]:
        st.error(f"有 {len(w.visit()['unsaved'])} 项未能保存，内容仍在表单中。")
        st.button("重试保存", on_click=w.retry_unsaved, type="primary")
    # the panel stays in sight while the consultant fills the questions further down
    st.html(f"<style>{STICKY_PANEL}</style>")
    components.html(SEND_BEFORE_LEAVING, height=0)
    form, panel = st.columns([3, 2], gap="large")
    with form:
        answers(fresh, lazy)
    with panel, st.container(key="visit_panel"):
        live(fresh)
        with st.container(key="visit_submit"):
            st.subheader("提交")
            submit_step(fresh.row["id"])
            w.missing_list(fresh.questionnaire)
        if st.session_state.pop("_visit_show_submit", False):
            # what 提交评测 brought (the question to confirm, the gaps) is below the panel's fold
            components.html(SHOW_SUBMIT, height=0)


def submit_step(visit_id: int) -> None:
    """提交评测 in two steps: a visit with gaps lists them at once; a complete one asks to confirm,
    since a submitted visit is frozen for review. Confirmed, the page opens on the result at its top."""
    confirming = st.session_state.get("_visit_confirm") == visit_id
    if not confirming and st.button("提交评测", type="primary", key="submit"):
        st.session_state["_visit_show_submit"] = True
        try:
            gaps = visits.submission_gaps(store(), actor, visit_id)
        except ServiceError as refused:
            st.error(str(refused))
            return
        st.session_state["_visit_missing"] = gaps  # kept while the consultant goes to fix them
        if not gaps:
            st.session_state["_visit_confirm"] = confirming = visit_id
    if not confirming:
        return
    st.warning("提交后答案不能再修改，评测将送主管部门审核。确认提交？")
    yes, no = st.columns(2)
    if no.button("返回修改", key="submit_cancel"):
        st.session_state.pop("_visit_confirm", None)
        st.rerun()
    if yes.button("确认提交", type="primary", key="submit_confirmed"):
        st.session_state.pop("_visit_confirm", None)
        try:
            visits.submit(store(), actor, visit_id)
            st.session_state.pop("_visit_missing", None)
            st.session_state["_visit_just_submitted"] = visit_id
            st.rerun()  # the whole page: the result in place of the form
        except SubmitRefused as refused:  # changed meanwhile (another tab)
            st.session_state["_visit_missing"] = refused.missing
            st.session_state["_visit_show_submit"] = True
        except ServiceError as refused:
            st.error(str(refused))


if editable and not FRAGMENT:
    guarded(lambda: editing(file, lazy=False), f"visit {assessment_id}")
elif editable:

    def open_visit() -> None:
        # a fragment's rerun runs only this: a bug in it is said in Chinese here too
        guarded(editing, f"visit {assessment_id}")

    st.fragment(open_visit)()
else:
    # submitted: the result and what to do next first, across the page; the answers below
    if st.session_state.pop("_visit_just_submitted", None) == file.row["id"]:
        # the button was at the foot of a long form: open the result at the top of the page
        components.html(TO_THE_TOP, height=0)
    card, chart = st.columns(2, gap="large")
    with card:
        w.result_card(file)
        if file.row["stage"] == "baseline" and file.status == "approved":
            st.page_link("diagnose/ui/project.py", label="登记改造项目（按推荐产品预填）", icon=":material/handshake:",
                         query_params={"baseline": file.row["id"]})  # fmt: skip
    with chart:
        picture(file, evaluate_items(questionnaire, file.values))
    w.recommendation_card(file, actor)
    st.subheader("填写内容")
    answers(file, lazy=False)
