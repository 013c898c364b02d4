"""导入企业 (administrators): upload an Excel sheet, check it (every bad row named by row and
column), then import it with an explicit button."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import streamlit as st

from diagnose.enterprise import LABELS, REQUIRED
from diagnose.excel import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, XLSX_TYPE
from diagnose.pilot import DISTRICTS, INDUSTRIES
from diagnose.services.errors import ServiceError
from diagnose.services.transfer import import_enterprises_upload, problem_rows, template_xlsx
from diagnose.ui.session import require_actor
from diagnose.ui.state import store

CHECKED = "import_checked"  # (file digest, report) of the last check
NOTICE = "import_notice"  # what the last import did, shown after the rerun
actor = require_actor()
st.title("导入企业")
optional = [label for key, label in LABELS.items() if key not in REQUIRED]
st.caption(
    f"第一行为表头，必需的列：{'、'.join(LABELS[k] for k in REQUIRED)}；可选：{'、'.join(optional)}。"
    f"细分行业为{'、'.join(INDUSTRIES)}之一；行政区为{'、'.join(DISTRICTS)}之一。"
    f"一次最多 {MAX_IMPORT_ROWS} 行、{MAX_IMPORT_BYTES // 1024 // 1024} MB。"
)


def template() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        template_xlsx(path)
        return path.read_bytes()


st.download_button("下载导入模板（Excel）", data=template, file_name="企业导入模板.xlsx", mime=XLSX_TYPE,
                   key="import_template")  # fmt: skip

if notice := st.session_state.pop(NOTICE, None):
    st.success(notice)
# no type filter: any other file gets the service's Chinese reason, not the widget's English refusal
uploaded = st.file_uploader("选择 Excel（.xlsx）文件", key="import_file")
skip_invalid = st.checkbox("跳过有错的行，只导入无误的行", key="import_skip_invalid")
if uploaded is None:
    st.session_state.pop(CHECKED, None)
    st.info("请先上传企业名单。")
    st.stop()

content = uploaded.getvalue()
digest = hashlib.sha256(content).hexdigest()


def run(dry_run: bool):
    try:
        return import_enterprises_upload(store(), actor, uploaded.name, content, dry_run, skip_invalid)
    except ServiceError as refused:  # the service is the guard; the menu only hides the page
        st.error(str(refused))
        st.stop()


if st.button("检查", key="import_check", type="primary"):
    st.session_state[CHECKED] = (digest, run(dry_run=True))

checked = st.session_state.get(CHECKED)
if checked is None or checked[0] != digest:
    st.caption("检查不写入任何数据；检查无误（或勾选跳过有错的行）后才能导入。")
    st.stop()

report = checked[1]
if not report.checked:  # the file itself: empty, not Excel, too big, a bad header, or no rows
    reasons = [f"{p.place}：{p.message}" if p.place else p.message for p in report.problems]
    st.error("无法导入此文件：" + ("；".join(reasons) or "表格中只有表头，没有企业"))
    st.stop()
table = problem_rows(report.problems)
bad_rows = len({row["行"] for row in table if row["行"]})
if report.problems:
    st.error(f"检查了 {report.checked} 行，发现 {len(report.problems)} 个问题（涉及 {bad_rows} 行）：")
    st.dataframe(table, hide_index=True, width="stretch")
else:
    st.success(f"检查了 {report.checked} 行，没有发现问题。")

importable = report.checked - bad_rows
blocked = bool(report.problems) and not skip_invalid
if blocked:
    st.caption("有错误时不导入任何一行：请修改后重新上传，或勾选“跳过有错的行”。")
if st.button(f"导入 {importable} 家企业", key="import_go", disabled=blocked or importable == 0):
    done = run(dry_run=False)  # checked again: the records may have changed since
    if not done.imported:
        st.error("没有导入任何企业：" + "；".join(str(p) for p in done.problems[:5]))
        st.stop()
    st.session_state.pop(CHECKED, None)
    st.session_state[NOTICE] = f"已导入 {done.imported} 家企业（共 {done.checked} 行），已记入操作日志。"
    st.rerun()
