"""专家评审 (评审专家, and officials named as reviewers): the applications one was named for, and
the score sheet of one — every criterion of its batch out of its weight, on one's own; the
others' scores appear only after one's own are submitted, and a submitted sheet is final."""

from __future__ import annotations

import streamlit as st

from diagnose.services import product_review as review
from diagnose.services.errors import ServiceError
from diagnose.ui.acting import act
from diagnose.ui.product_review_panel import application_card
from diagnose.ui.session import require_actor
from diagnose.ui.state import store

FLASH = "_expert_flash"


def _points(reviewer: dict, criterion: str) -> str:
    return f"{reviewer['scores'][criterion]:g}" if reviewer["submitted_at"] else "待评分"


actor = require_actor()
st.title("专家评审")
try:
    mine = review.my_reviews(store(), actor)
except ServiceError as refused:
    st.error(str(refused))
    st.stop()
if flash := st.session_state.pop(FLASH, None):
    st.success(flash)
    st.toast(flash, icon=":material/check_circle:")  # seen where the button was, far below the top
if not mine:
    st.info("目前没有指定给你评审的产品申报。")
    st.stop()
st.dataframe(
    [{"编号": a["id"], "产品名称": a["fields"].get("name", ""), "申报单位": a["organisation"], "批次": a["batch"],
      "我的评分": "已提交" if a["submitted"] else "待评分"} for a in mine],
    hide_index=True, width="stretch",
)  # fmt: skip
by_id = {a["id"]: a for a in mine}


def _named(i: int) -> str:
    return f"{i} {by_id[i]['fields'].get('name', '')}（{by_id[i]['organisation']}）"


chosen = st.selectbox("评审申报", list(by_id), key="expert_pick", format_func=_named, placeholder="请选择")
sheet = review.review_sheet(store(), actor, chosen)
application, criteria, own = sheet["application"], sheet["criteria"], sheet["own"]

application_card(actor, application, f"申报单位：{application['organisation']} · {application['batch']}"
                 f" · 评审标准 {criteria.title}（{criteria.version}）")  # fmt: skip

if own["submitted_at"] is None and application["status"] == "accepted":
    with st.form(f"score:{chosen}"):
        st.markdown("#### 评分")
        scores = {}
        for part, part_name in criteria.parts.items():
            st.markdown(f"**{part_name}**")
            for criterion in (c for c in criteria.criteria if c.part == part):
                scores[criterion.id] = st.number_input(
                    f"{criterion.name}（0 至 {criterion.weight:g} 分）", min_value=0.0, max_value=criterion.weight,
                    value=None, step=0.5, format="%.1f", help=criterion.guide or None,
                    key=f"score:{chosen}:{criterion.id}",
                )  # fmt: skip
        comment = st.text_area("评审意见", max_chars=review.MAX_COMMENT)
        st.caption("评分提交后不能修改；提交后可看到其他评审专家的评分。")
        if st.form_submit_button("提交评分", type="primary"):
            given = {k: v for k, v in scores.items() if v is not None}
            act(lambda: review.submit_scores(store(), actor, chosen, given, comment), FLASH,
                lambda total: f"已提交评分：合计 {total:g} 分")  # fmt: skip
else:
    rows = []
    for criterion in criteria.criteria:
        row = {
            "评审指标": f"{criterion.name}（{criterion.weight:g} 分）",
            "我的评分": _points(own, criterion.id),
        }
        for other in sheet["others"]:
            row[other["reviewer"]] = _points(other, criterion.id)
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption("我的评分已提交。" if own["submitted_at"] else "评审已结束。")
