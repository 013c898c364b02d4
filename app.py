"""数字化诊断: the entry script. Page config, then the pages this user may open."""

from __future__ import annotations

import streamlit as st

from diagnose.problems import ProblemsError

st.set_page_config(page_title="数字化诊断", page_icon=":material/fact_check:", layout="wide")

try:
    from diagnose.ui.state import shipped_questionnaires

    shipped_questionnaires()
except ProblemsError as broken:
    # a broken questionnaire file is an administrator's problem: say which file and where
    st.error("问卷文件有错误，无法开始评测：\n\n" + "\n".join(f"- {p}" for p in broken.problems))
    st.stop()

pages = [
    st.Page("diagnose/ui/enterprise_files.py", title="一企一档", icon=":material/folder_shared:", default=True),
    st.Page("diagnose/ui/quick_assessment.py", title="快速评测", icon=":material/calculate:"),
]
st.navigation(pages, position="top").run()
