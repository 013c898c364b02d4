"""离线工作簿: a visit as an Excel workbook to fill without a network, and its upload.

The page is its own (``?a=…`` like the visit): the visit form's widgets are not drawn while a
workbook is applied, so the form draws every answer afresh from the store when the consultant
goes back to it.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from diagnose.excel import XLSX_TYPE
from diagnose.pilot import EDITABLE, STAGES, STATUSES
from diagnose.services import workbook as offline
from diagnose.services.errors import ServiceError, ValidationFailed
from diagnose.ui.session import require_actor
from diagnose.ui.state import store
from diagnose.ui.visit_widgets import visit_at_address

NOTICE = "workbook_notice"
actor = require_actor()
st.title("离线工作簿")
file = visit_at_address(actor, None, "请先在“我的企业”中打开一次评测，再从评测页进入离线工作簿。")
assessment_id = str(file.row["id"])

st.caption(
    f"{file.enterprise['name']} · {STAGES[file.row['stage']]} · {STATUSES[file.status]} · 评测编号 {assessment_id}"
)
st.page_link(
    "diagnose/ui/visit.py", label="返回现场评测", icon=":material/arrow_back:", query_params={"a": assessment_id}
)
st.markdown(
    "车间没有网络时：先下载工作簿，在 Excel 或 WPS 中逐行填写“填写值”和“备注”（选项从单元格的下拉列表中选），"
    "回到有网络的地方后在这里上传。只应用工作簿中改动过的内容；下载后又在系统中改过的同一项，会请你逐项选择保留哪一个。"
)
st.download_button("下载离线工作簿（Excel）", key="workbook_download", mime=XLSX_TYPE, icon=":material/download:",
                   data=lambda: offline.download(store(), actor, int(assessment_id)),
                   file_name=f"离线工作簿-{assessment_id}.xlsx")  # fmt: skip

if notice := st.session_state.pop(NOTICE, None):
    st.success(notice)
    if changed := st.session_state.pop(NOTICE + "_list", ()):
        with st.expander(f"应用的 {len(changed)} 项修改", expanded=len(changed) <= 10):
            st.text("\n".join(changed))  # as text: answers and notes are never markup
if file.status not in EDITABLE:
    st.info(f"评测{STATUSES[file.status]}，不能再上传工作簿修改。")
    st.stop()

# a new uploader after each applied workbook: the file just applied is not offered again
uploaded = st.file_uploader(
    "上传填好的工作簿（.xlsx）", key=f"workbook_file_{st.session_state.get('workbook_round', 0)}"
)
if uploaded is None:
    st.stop()
content = uploaded.getvalue()
digest = hashlib.sha256(content).hexdigest()[:16]


def apply(keep: dict[str, str] | None = None) -> None:
    try:
        applied = offline.upload(store(), actor, int(assessment_id), uploaded.name, content, keep)
    except offline.WorkbookConflicts as conflicted:
        st.session_state["workbook_conflicts"] = (digest, conflicted.conflicts)
        st.rerun()
    except ValidationFailed as refused:
        st.session_state["workbook_conflicts"] = None
        st.error("工作簿未应用，请改正以下问题后重新上传：\n" + "\n".join(
            f"- {p.place}：{p.message}" if p.place else f"- {p.message}" for p in refused.problems))  # fmt: skip
        return
    except ServiceError as refused:
        st.session_state["workbook_conflicts"] = None
        st.error(str(refused))
        return
    st.session_state["workbook_conflicts"] = None
    st.session_state["workbook_round"] = st.session_state.get("workbook_round", 0) + 1
    _forget_form_bookkeeping()
    if applied.revision is None:
        st.session_state[NOTICE] = "工作簿与系统中的内容相同，没有需要应用的修改。"
    else:
        kept = f"；{applied.kept_tool} 项按你的选择保留系统中的值" if applied.kept_tool else ""
        st.session_state[NOTICE] = (f"已应用工作簿：{applied.values} 项答案、{applied.notes} 条备注"
                                    f"（第 {applied.revision} 版）{kept}。")  # fmt: skip
        st.session_state[NOTICE + "_list"] = applied.changed
    st.rerun()


def _forget_form_bookkeeping() -> None:
    """The visit form's revision and widget values in this session are older than the workbook's
    writes: the form starts again from the store, as after a reload."""
    visit_state = st.session_state.get("_visit")
    if visit_state and visit_state.get("id") == int(assessment_id) and not visit_state.get("unsaved"):
        del st.session_state["_visit"]


pending = st.session_state.get("workbook_conflicts")
if pending and pending[0] == digest:
    conflicts = pending[1]
    st.warning(f"有 {len(conflicts)} 项在下载工作簿后已在系统中被修改。请逐项选择保留哪一个值；选好后点“按所选应用”。"
               "其余修改会一并应用。")  # fmt: skip
    keep = {}
    for conflict in conflicts:
        st.markdown(f"**{conflict.label}**（工作簿第 {conflict.row} 行）")
        st.caption(
            f"下载时：{conflict.at_download}；之后 {conflict.changed_by or '他人'} 在系统中改为：{conflict.in_tool}"
        )
        choice = st.radio(conflict.label, (offline.KEEP_TOOL, offline.KEEP_WORKBOOK), key=f"keep:{conflict.slot}",
                          format_func=lambda k, c=conflict: f"保留系统中的值：{c.in_tool}"
                          if k == offline.KEEP_TOOL else f"采用工作簿中的值：{c.in_workbook}",
                          label_visibility="collapsed", index=None)  # fmt: skip
        if choice:
            keep[conflict.slot] = choice
    if st.button("按所选应用", type="primary", key="workbook_resolve", disabled=len(keep) < len(conflicts)):
        apply(keep)
    if len(keep) < len(conflicts):
        st.caption(f"还有 {len(conflicts) - len(keep)} 项未选择。")
elif st.button("应用工作簿", type="primary", key="workbook_apply"):
    apply()
