"""Input widgets for questions and scenes; each returns the answer in the pinned format.

Widget keys depend on the question or scene only, not on the industry, so
switching the rubric keeps every national answer already given.
"""

from __future__ import annotations

import streamlit as st

from diagnose.answers import check_answer
from diagnose.questionnaire import Figure, Question, Questionnaire, Scene

NOT_RATED = "未评"


def question_label(question: Question) -> str:
    return f"{question.id} {question.item}：{question.text}（{question.max_points:g} 分）"


def option_label(question: Question, code: str) -> str:
    option = question.option(code)
    return f"{code}. {option.text}（{option.points:g} 分）"


def evidence_caption(question: Question) -> None:
    if question.evidence:
        st.caption(f"取证：{question.evidence}")


def question_input(question: Question):
    """Render one question; returns its answer (None while unanswered)."""
    if question.type == "multi":
        return _multi_input(question)
    if question.type == "ratio":
        return _ratio_input(question)
    answer = st.radio(
        question_label(question),
        [o.code for o in question.options],
        index=None,
        format_func=lambda code: option_label(question, code),
        key=f"q_{question.id}",
    )
    evidence_caption(question)
    return answer


def _multi_input(question: Question):
    st.markdown(f"**{question_label(question)}**（可多选）")
    evidence_caption(question)
    exclusive = next((o for o in question.options if o.exclusive), None)
    others = [o for o in question.options if not o.exclusive]
    none_ticked = bool(exclusive) and st.session_state.get(f"q_{question.id}_{exclusive.code}", False)
    any_other = any(st.session_state.get(f"q_{question.id}_{o.code}", False) for o in others)
    ticked = []
    for option in question.options:
        # 无 excludes every other option: the widgets never allow the invalid pair
        disabled = (option.exclusive and any_other) or (not option.exclusive and none_ticked)
        if st.checkbox(option_label(question, option.code), key=f"q_{question.id}_{option.code}", disabled=disabled):
            ticked.append(option.code)
    return ticked or None


def _ratio_input(question: Question):
    num, den = question.numerator, question.denominator
    st.markdown(f"**{question_label(question)}**")
    evidence_caption(question)
    left, right = st.columns(2)
    with left:
        total = _figure_input(question, den)
    with right:
        part = _figure_input(question, num)
    if total is not None and part is not None:
        figures = {den.key: total, num.key: part}
        checked = check_answer(question, figures)
        if isinstance(checked, str):
            st.error(checked, icon=":material/warning:")  # shown next to the figures; the typed values stay
            return None
        code = checked[0][0]
        st.success(f"比例 {100 * part / total:.1f}% → {option_label(question, code)}", icon=":material/check_circle:")
        return figures
    with st.expander("没有原始数据时，直接选择区间"):
        return st.radio(
            question_label(question),
            [o.code for o in question.options],
            index=None,
            format_func=lambda code: option_label(question, code),
            key=f"q_{question.id}_band",
            label_visibility="collapsed",
        )


def _figure_input(question: Question, figure: Figure):
    if figure.whole:
        return st.number_input(
            f"{figure.label}（{figure.unit}）", min_value=0, step=1, value=None, key=f"q_{question.id}_{figure.key}"
        )
    return st.number_input(
        f"{figure.label}（{figure.unit}）",
        min_value=0.0,
        value=None,
        format="%.2f",
        key=f"q_{question.id}_{figure.key}",
    )


def scene_input(questionnaire: Questionnaire, scene: Scene) -> tuple[int | None, list[str]]:
    """Render one scene with its practices; returns (explicit level or None, ticked practice ids)."""
    star = "★ " if scene.constrained else ""
    descriptors = "\n".join(f"- L{i}：{text}" for i, text in enumerate(scene.levels, start=1))
    st.markdown(f"**{star}{scene.name}**（{scene.group}）", help=descriptors)
    ticked = [
        practice.id
        for practice in questionnaire.practices_for(scene.name)
        if st.checkbox(f"{practice.text}（L{practice.level}）", key=f"p_{practice.id}", help=practice.evidence or None)
    ]
    proposed = max((questionnaire.practice(pid).level for pid in ticked), default=0)
    names = questionnaire.scene_level_names
    hint = f"按所勾实践 L{proposed}" if proposed else "按 0 计"
    choice = st.radio(
        f"{scene.name} 等级",
        [NOT_RATED, 0, 1, 2, 3, 4],
        format_func=lambda v: f"{NOT_RATED}（{hint}）" if v == NOT_RATED else names[v],
        horizontal=True,
        key=f"s_{scene.name}",
        label_visibility="collapsed",
    )
    return (None if choice == NOT_RATED else choice), ticked
