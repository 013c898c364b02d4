"""重新计分 (administrators): which scored assessments the questionnaires in use would score
differently, level crossings first, and an explicit confirmation that adds the new results."""

from __future__ import annotations

import streamlit as st

from diagnose import services
from diagnose.pilot import STATUSES
from diagnose.services.errors import ServiceError
from diagnose.services.rescoring import apply_rescore, preview_rescore
from diagnose.ui.session import require_actor
from diagnose.ui.state import shipped_questionnaires, store

NOTICE = "rescore_notice"  # what the last apply did, shown after the rerun that refreshes the preview
CROSSING = {"up": "↑ 升级", "down": "↓ 降级", "": ""}

actor = require_actor()
registry = shipped_questionnaires()
st.title("重新计分")
st.caption(f"当前使用的问卷文件夹：{services.questionnaire_directory()}")
st.caption("；".join(f"{q.id} {q.version}（{q.short_hash}）" for q in registry.values()))

try:
    preview = preview_rescore(store(), actor, registry)
except ServiceError as refused:  # the service is the guard; the menu only hides the page
    st.error(str(refused))
    st.stop()

if notice := st.session_state.pop(NOTICE, None):
    st.success(notice)
if not preview:
    st.info("所有已提交和已通过的评测都已按当前问卷计分，没有需要重新计分的评测。")
    st.stop()

up = sum(p.crossing == "up" for p in preview)
down = sum(p.crossing == "down" for p in preview)
unscorable = [p for p in preview if p.problem]
scorable = [p.assessment_id for p in preview if not p.problem]
st.write(
    f"{len(preview)} 次评测的问卷有了新版本：按新版计分，{up} 次等级上升，{down} 次等级下降，"
    f"{sum(p.changed for p in preview)} 次得分或等级变化，{len(unscorable)} 次无法计分。"
)
if not any(p.changed for p in preview) and not unscorable:
    st.info("新版问卷不改变任何评测的得分和等级；重新计分只会为每次评测加上一条新版本的结果。")


def note(p) -> str:
    if p.problem:
        return f"无法按新版计分：{p.problem}"
    return f"新版中未回答：{'、'.join(p.missing)}（计 0 分）" if p.missing else ""


st.dataframe(
    [{"企业": p.enterprise, "统一社会信用代码": p.credit_code, "评测编号": p.assessment_id, "状态": STATUSES[p.status],
      "问卷": p.questionnaire, "原版本": f"{p.old_version}（{p.old_hash[:12]}）", "原得分": p.old_score,
      "原等级": p.old_level_label, "新版本": f"{p.new_version}（{p.new_hash[:12]}）", "新得分": p.new_score,
      "新等级": p.new_level_label, "等级变化": CROSSING[p.crossing], "说明": note(p)} for p in preview],
    hide_index=True,
    width="stretch",
)  # fmt: skip

if not scorable:
    st.warning("没有可以按新版计分的评测。")
    st.stop()
confirmed = st.checkbox(
    f"我已核对以上结果：为可计分的 {len(scorable)} 次评测各加一条新版本的结果（原结果保留，可追溯）",
    key="rescore_confirm",
)
if st.button("重新计分", key="rescore_apply", type="primary", disabled=not confirmed):
    try:
        done = apply_rescore(store(), actor, registry, scorable)
    except ServiceError as refused:
        st.error(str(refused))
        st.stop()
    skipped = "；".join(reason for _, reason in done.skipped)
    message = f"已重新计分 {len(done.rescored)} 次评测，原结果保留。"
    st.session_state[NOTICE] = message + (f" 未计分：{skipped}" if skipped else "")
    st.rerun()
