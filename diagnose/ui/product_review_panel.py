"""The expert review of one accepted application on 申报受理: name its reviewers, see their scores
side by side (criterion by criterion, with each total and the mean), and decide 入库 or 不入库."""

from __future__ import annotations

import streamlit as st

from diagnose.catalog.applications import summary_lines
from diagnose.services import applications as supply
from diagnose.services import product_review as review
from diagnose.services.errors import ServiceError
from diagnose.ui.acting import act
from diagnose.ui.state import shipped_questionnaires, store


def application_card(actor, application: dict, caption: str) -> None:
    """An application as the official and the reviewers read it: its name, ``caption``, every field
    by name, and a download per file (a file gone from the storage folder is named, the page goes on)."""
    fields = application["fields"]
    st.markdown(f"#### {fields.get('name', '')} {fields.get('version', '')}")
    st.caption(caption)
    st.markdown("\n".join(summary_lines(shipped_questionnaires()["national-2024"], fields)))
    for found in application["files"]:
        try:
            row, content = supply.file_content(store(), actor, application["id"], found["id"])
        except ServiceError as gone:
            st.warning(str(gone))
            continue
        st.download_button(f"下载{supply.FILE_KINDS[row['kind']]}：{row['filename']}", data=content,
                           file_name=row["filename"], mime=row["content_type"], key=f"file:{row['id']}")  # fmt: skip
    if not application["files"]:
        st.caption("没有附件")


def reviewers_and_decision(actor, application: dict, flash: str = "_intake_flash") -> None:
    """Draw the panel for ``application`` (accepted); a change reruns the page with ``flash`` set."""
    st.markdown("#### 专家评审")
    candidates = review.reviewer_candidates(store(), actor)
    found = review.scores_of(store(), actor, application["id"])
    named = [r["reviewer"] for r in found["reviewers"]]
    with st.form(f"assign:{application['id']}"):
        roles = {c["username"]: c["role"] for c in candidates}
        chosen_reviewers = st.multiselect(
            f"指定评审专家（至少 {review.MIN_REVIEWERS} 位；申报单位的人员须回避）",
            [c["username"] for c in candidates if c["username"] not in named], placeholder="选择评审专家",
            format_func=lambda n: f"{n}（{'评审专家' if roles[n] == 'expert' else '主管部门'}）",
        )  # fmt: skip
        if st.form_submit_button("指定"):
            act(lambda: review.assign_reviewers(store(), actor, application["id"], chosen_reviewers), flash,
                lambda added: f"已指定 {added} 位评审专家" + _still_needed(len(named) + added))  # fmt: skip
    own = next((r for r in found["reviewers"] if r["reviewer_id"] == actor.id), None)
    if own is not None and own["submitted_at"] is None:
        st.info("你也是这份申报的评审专家：请先在“专家评审”页提交你的评分；提交后，这里显示全部评分，并可作评审决定。")
    elif found["reviewers"]:
        scores_table(found)
    if found["complete"]:
        with st.form(f"decide:{application['id']}"):
            admit = st.radio("评审决定", [True, False], format_func=lambda v: "入库" if v else "不入库",
                             index=0 if found["mean"] >= found["criteria"].pass_score else 1,
                             horizontal=True)  # fmt: skip
            reason = st.text_area("理由（必填，服务商将看到）", max_chars=review.MAX_COMMENT)
            if st.form_submit_button("确定评审决定", type="primary"):
                decided = "入库" if admit else "不入库"
                act(lambda: review.decide_application(store(), actor, application["id"], admit, reason), flash,
                    lambda _: f"申报 {application['id']}：{decided}（发布批次后生效）")  # fmt: skip


def _still_needed(named: int) -> str:
    short = review.MIN_REVIEWERS - named
    return f"（还需至少 {short} 位，才能作评审决定）" if short > 0 else ""


def scores_table(found: dict) -> None:
    """Each reviewer's scores side by side, criterion by criterion, with each total and the mean."""
    table = []
    for criterion in found["criteria"].criteria:
        row = {"评审指标": f"{criterion.name}（{criterion.weight:g} 分）"}
        for reviewer in found["reviewers"]:
            scores = reviewer["scores"] or {}
            row[reviewer["reviewer"]] = f"{scores[criterion.id]:g}" if reviewer["submitted_at"] else "待评分"
        table.append(row)
    total = {"评审指标": "合计（100 分）"}
    for reviewer in found["reviewers"]:
        submitted = reviewer["submitted_at"] is not None
        total[reviewer["reviewer"]] = f"{sum(reviewer['scores'].values()):g}" if submitted else "待评分"
    st.dataframe([*table, total], hide_index=True, width="stretch")
    waiting = [r["reviewer"] for r in found["reviewers"] if not r["submitted_at"]]
    st.caption(("尚未提交评分：" + "、".join(waiting)) if waiting else
               f"平均分 {found['mean']:g}；入库分数线 {found['criteria'].pass_score:g}")  # fmt: skip
    for reviewer in found["reviewers"]:
        if reviewer["comment"]:
            st.caption(f"{reviewer['reviewer']} 的意见：{reviewer['comment']}")
