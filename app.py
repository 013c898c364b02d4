"""数字化诊断: the entry script. Page config, who is signed in, then the pages of their role.

Served with the sign-in routes by ``streamlit run diagnose/web.py`` (``make run``).
"""

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

from diagnose.services import reviews  # noqa: E402
from diagnose.ui import warmup  # noqa: E402
from diagnose.ui.navigation import home_for_unknown_addresses, pages_for  # noqa: E402 - after the questionnaire check
from diagnose.ui.session import current_actor  # noqa: E402
from diagnose.ui.state import guarded, store  # noqa: E402

SIGN_OUT = """
<form method="post" action="/auth/logout"><button type="submit" class="sign-out">退出登录</button></form>
<style>.sign-out { border: 1px solid #ccc; border-radius: .4rem; padding: .35rem .8rem; background: white;
                   cursor: pointer; min-height: 36px; }</style>
"""
# Streamlit's own words are English: the hint in a box being typed in ("Press Enter to apply"),
# said in Chinese instead (it is the one sign that the typing is not saved yet); the running
# indicator's "Stop", the main menu (System/Light/Dark/Print/Record screen; the visit prints as
# its paper form), and the file uploader's "Upload" and "20MB per file" (each uploader's label
# says which files and how large)
CHINESE_ONLY = """<style>
[data-testid='stStatusWidget'], [data-testid='stMainMenu'],
[data-testid='stFileUploaderDropzoneInstructions'] { display: none; }
[data-testid='InputInstructions'] { font-size: 0; }
[data-testid='InputInstructions']::after { content: "按回车键或点击别处即保存"; font-size: 0.75rem; }
[data-testid='stTextArea'] [data-testid='InputInstructions']::after { content: "点击别处即保存"; }
[data-testid='stForm'] [data-testid='InputInstructions']::after { content: "填好后点击下方按钮提交"; }
[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p { font-size: 0; }
[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p::after {
  content: "选择文件"; font-size: 0.875rem; }
</style>"""

actor = current_actor()
waiting = reviews.waiting_count(store(), actor) if actor else None
pages = pages_for(actor.role if actor else None, waiting)
home_for_unknown_addresses(pages)
navigation = st.navigation(pages, position="top")
if actor:
    who, out = st.columns([6, 1], vertical_alignment="center")
    who.caption(f"当前用户：{actor.username}（{actor.role_name}）")
    with out:
        st.html(SIGN_OUT)
st.html(CHINESE_ONLY)
guarded(navigation.run, f"page {navigation.url_path}")
warmup.after_first_page()
