"""快速评测: answer the national questions (and an industry's practices) and see the result live.

A scratch page: nothing is saved. The on-site visit form replaces it.
"""

from __future__ import annotations

import streamlit as st

from diagnose.charts import radar
from diagnose.maturity import OPERATIONS_HOW
from diagnose.services import Evaluation, evaluate, score_breakdown
from diagnose.ui.session import require_actor
from diagnose.ui.state import shipped_questionnaires
from diagnose.ui.widgets import question_input, scene_input

SECTIONS = (("数字化基础", "basic"), ("数字化经营", None), ("数字化管理", "management"), ("数字化成效", "effect"))

require_actor()
st.title("快速评测")
st.caption("按《中小企业数字化水平评测指标（2024年版）》即时试算。本页不保存任何内容，刷新后答案会清空。")

registry = shipped_questionnaires()
questionnaire = registry[
    st.selectbox(
        "行业细则",
        list(registry),
        format_func=lambda qid: registry[qid].industry or "通用（仅国家指标）",
        key="questionnaire",
    )
]

form, panel = st.columns([3, 2], gap="large")
document: dict = {"answers": {}, "scenes": {}, "practices": []}
with form:
    for (_, dimension), tab in zip(SECTIONS, st.tabs([t for t, _ in SECTIONS]), strict=True):
        with tab:
            if dimension is None:
                st.caption("每个场景选择等级；行业细则下可勾选现场看到的实践，未评的场景按所勾实践的最高等级计。")
                for scene in questionnaire.scenes:
                    level, ticked = scene_input(questionnaire, scene)
                    if level is not None:
                        document["scenes"][scene.name] = level
                    document["practices"] += ticked
                continue
            for question in questionnaire.questions:
                if question.dimension == dimension:
                    answer = question_input(question)
                    if answer is not None:
                        document["answers"][question.id] = answer
                    st.divider()

evaluation: Evaluation = evaluate(questionnaire, document)
result = evaluation.result
with panel:
    for problem in evaluation.problems:
        st.error(f"{problem.place}：{problem.message}")
    st.metric("评测等级", result.level_label)
    top = st.columns(4)
    top[0].metric("总分", f"{result.score:g}", help="满分 100 分，等于下列三项之和")
    for column, dim in zip(top[1:], questionnaire.dimensions, strict=True):
        column.metric(f"{dim.name.removeprefix('数字化')}（满分 {dim.max_points:g}）", f"{result.dimension(dim.id):g}")
    answered = len(questionnaire.questions) - len(result.missing)
    st.progress(answered / len(questionnaire.questions), text=f"已答 {answered} / {len(questionnaire.questions)} 题")
    if result.missing:
        st.caption("未答：" + "、".join(result.missing) + "（未答按 0 分计）")
    if result.gap:
        st.info(f"距{result.gap.label}：{result.gap.text}")
    st.plotly_chart(radar({"本次": evaluation.axes}), key="radar", config={"displayModeBar": False})
    st.caption(OPERATIONS_HOW)
    with st.expander("得分明细"):
        st.dataframe(score_breakdown(questionnaire, result), hide_index=True, width="stretch")
    st.subheader("为什么是这个等级")
    for check in reversed(result.checks):
        # plain ✓ / ✗ rather than emoji: shop-floor tablets do not all carry an emoji font
        mark = ":green[✓ 满足]" if check.met else ":red[✗ 未满足]"
        lines = "\n".join(f"- {'✓' if c.met else '✗'} {c.text}" for c in check.conditions)
        st.markdown(f"**{check.label}** {mark}\n{lines}")
    st.caption(f"问卷 {questionnaire.id} 版本 {questionnaire.version} · 内容哈希 {questionnaire.short_hash}")
