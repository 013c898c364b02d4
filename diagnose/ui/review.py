"""审核 (officials and admins): the queue of submitted assessments; open one, approve or return it.

The chosen assessment lives in the URL (?r=…), so a reload or a shared link
opens the same review.
"""

from __future__ import annotations

import streamlit as st

from diagnose import clock
from diagnose.pilot import DISTRICTS, INDUSTRIES, STAGES
from diagnose.services import assessments as visits
from diagnose.services import reviews
from diagnose.services.errors import ServiceError
from diagnose.ui import visit_widgets as w
from diagnose.ui.session import require_actor
from diagnose.ui.state import store
from diagnose.visit.form import SECTIONS, section_items
from diagnose.visit.items import item_label, shown_value

ALL = "全部"
IMAGE_TYPES = ("image/jpeg", "image/png")

actor = require_actor()
st.title("审核")


def _all(value: str) -> str:
    return "" if value == ALL else value


def queue_table() -> None:
    left, middle, right, last = st.columns(4)
    industry = left.selectbox("细分行业", [ALL, *INDUSTRIES], key="review_industry", placeholder="请选择")
    district = middle.selectbox("行政区", [ALL, *DISTRICTS], key="review_district", placeholder="请选择")
    stage = right.selectbox(
        "阶段", [ALL, *STAGES], format_func=lambda s: STAGES.get(s, s), key="review_stage", placeholder="请选择"
    )
    consultant = last.text_input("顾问", key="review_consultant", placeholder="顾问用户名")
    try:
        waiting = reviews.queue(store(), actor, _all(industry), _all(district), consultant.strip(), _all(stage))
    except ServiceError as refused:  # the service is the guard; the menu only hides the page
        st.error(str(refused))
        st.stop()
    if not waiting:
        st.success("没有待审核的评测。")
        return
    st.caption(f"待审核 {len(waiting)} 份，等待最久的在前。名称以【示例】开头的企业为虚构的示例数据。")
    rows = [{"编号": r["id"], "企业": r["name"], "细分行业": r["industry"], "行政区": r["district"],
             "顾问": r["created_by"], "阶段": r["stage_name"],
             "提交时间": clock.minute(r["submitted_at"]),
             "已等待": r["waited"]} for r in waiting]  # fmt: skip
    picked = st.dataframe(rows, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                          key="review_queue")  # fmt: skip
    chosen = picked.selection.rows if picked else []
    by_id = {r["id"]: r for r in waiting}
    choice = st.selectbox("打开评测", list(by_id), index=None, placeholder="选择一份评测（或点击上表中的一行）",
                          format_func=lambda i: f"{by_id[i]['name']} · {by_id[i]['stage_name']} · 编号 {i}",
                          key="review_pick")  # fmt: skip
    opened = waiting[chosen[0]]["id"] if chosen else choice
    if opened is not None:
        st.query_params["r"] = str(opened)
        st.rerun()


def decide(assessment_id: int) -> None:
    st.subheader("审核意见")
    approve, back = st.columns(2)
    with approve:
        if st.button("审核通过", type="primary", key="approve"):
            try:
                visits.approve(store(), actor, assessment_id)
            except ServiceError as refused:
                st.error(str(refused))
            else:
                st.session_state["_review_done"] = f"已审核通过评测 {assessment_id}"
                del st.query_params["r"]
                st.rerun()
    with back, st.form("return_form"):
        comment = st.text_area("退回意见（必填：说明需要修改或补充什么）", max_chars=2000, key="return_comment")
        if st.form_submit_button("退回修改"):
            try:
                visits.return_for_changes(store(), actor, assessment_id, comment)
            except ServiceError as refused:
                st.error(str(refused))
            else:
                st.session_state["_review_done"] = f"已退回评测 {assessment_id}，顾问将看到退回意见"
                del st.query_params["r"]
                st.rerun()


def answers(found: reviews.ReviewFile) -> None:
    file = found.file
    questionnaire = file.questionnaire
    tabs = st.tabs([s.title for s in SECTIONS])
    for section, tab in zip(SECTIONS, tabs, strict=True):
        with tab:
            for item in section_items(questionnaire, section.key):
                value = file.values.get(item)
                if item.startswith("practice:"):
                    if value:  # only the practices seen on site
                        practice = questionnaire.practice(item.removeprefix("practice:"))
                        st.markdown(f"- ✓ 实践：{practice.text}（{practice.scene} L{practice.level}）")
                    continue
                st.markdown(f"**{item_label(questionnaire, item)}**：{shown_value(questionnaire, item, value)}")
                if file.notes.get(item):
                    st.text(f"备注：{file.notes[item]}")
                evidence(file, item)


def evidence(file, item: str) -> None:
    for found in [e for e in file.evidence if e["item"] == item]:
        try:
            row, content = reviews.evidence_content(store(), actor, file.row["id"], found["id"])
        except ServiceError as missing:
            st.warning(str(missing))
            continue
        if row["content_type"] in IMAGE_TYPES:
            st.image(content, caption=row["filename"], width=360)
        else:
            st.download_button(f"下载佐证：{row['filename']}", data=content, file_name=row["filename"],
                               mime=row["content_type"], key=f"evidence:{row['id']}")  # fmt: skip


def comparison(found: reviews.ReviewFile) -> None:
    if found.previous is None:
        st.caption("该企业此前没有已计分的评测。")
        return
    previous = found.previous
    st.markdown(f"与上一次评测（编号 {previous['row']['id']}，{STAGES[previous['row']['stage']]}，"
                f"走访日期 {previous['row']['visit_date']}，{previous['status']}）相比：")  # fmt: skip
    change = found.comparison
    if not change.comparable:
        st.warning("两次评测所用问卷内容不同，分数仅供参考。")
    label = found.file.questionnaire.level_label
    crossed = "（跨越等级）" if change.level.crossed else ""
    st.markdown(f"等级：{label(int(change.level.before))} → {label(int(change.level.after))}{crossed}")
    st.dataframe([{"项目": c.name, "上一次": c.before, "本次": c.after, "变化": round(c.delta, 3)}
                  for c in change.sub_scores], hide_index=True)  # fmt: skip
    moved = [c for c in change.scenes if c.delta]
    if moved:
        st.dataframe([{"场景": ("★" if c.constrained else "") + c.name, "上一次": f"L{c.before:g}",
                       "本次": f"L{c.after:g}"} for c in moved], hide_index=True)  # fmt: skip


def review(assessment_id: int) -> None:
    try:
        found = reviews.review_file(store(), actor, assessment_id)
    except ServiceError as refused:
        st.error(str(refused))
        return
    file = found.file
    row = file.row
    st.header(file.enterprise["name"])
    submitted = f"{clock.local(row['submitted_at']):%Y-%m-%d %H:%M}" if row["submitted_at"] else "—"
    made_for = f"（{row['organisation']}）" if row.get("organisation") else ""
    st.caption(f"{STAGES[row['stage']]} · 顾问 {row['created_by']}{made_for} · 走访日期 {row['visit_date']}"
               f" · 提交于 {submitted}（已等待 {reviews.waited(row['submitted_at'])}）"
               f"· 问卷 {file.questionnaire.version}")  # fmt: skip
    if row["status"] != "submitted":
        st.info("这份评测不在待审核状态，无需审核。")
    for decision in found.decisions:
        verb = "通过" if decision["decision"] == "approved" else "退回"
        st.caption(f"此前：{decision['reviewer']} 于 {clock.local(decision['decided_at']):%Y-%m-%d %H:%M} {verb}"
                   + (f"，意见：{decision['comment']}" if decision["comment"] else ""))  # fmt: skip
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("回答、备注与佐证")
        answers(found)
    with right:
        w.result_card(file)
        st.subheader("与上一次评测对比")
        comparison(found)
        if found.recommendation and found.recommendation.cheapest:
            bundle = found.recommendation.cheapest
            st.subheader(f"达到{found.recommendation.target_label}的推荐产品（示例清单）")
            st.markdown(f"合计 **{bundle.total_price:,} 元**，预计 **{bundle.projected.level_label}**")
            st.markdown("\n".join(f"- {p.name}（{p.provider}，{p.price:,} 元/{p.unit}）" for p in bundle.products))
    if row["status"] == "submitted":
        decide(assessment_id)


if "_review_done" in st.session_state:
    st.success(st.session_state.pop("_review_done"))
opened = st.query_params.get("r", "")
if opened.isdigit():
    if st.button("← 返回审核列表", key="back_to_queue"):
        del st.query_params["r"]
        st.rerun()
    review(int(opened))
else:
    queue_table()
