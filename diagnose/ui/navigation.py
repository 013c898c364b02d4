"""Which pages each role gets; st.navigation is built from this on every run."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

PAGES = {
    "mine": ("diagnose/ui/my_enterprises.py", "我的企业", ":material/domain:"),
    "visit": ("diagnose/ui/visit.py", "现场评测", ":material/edit_note:"),
    "view": ("diagnose/ui/enterprise_view.py", "企业画像", ":material/radar:"),
    "board": ("diagnose/ui/dashboard.py", "试点看板", ":material/monitoring:"),
    "plan": ("diagnose/ui/planner.py", "试点规划", ":material/route:"),
    "review": ("diagnose/ui/review.py", "审核", ":material/fact_check:"),
    "project": ("diagnose/ui/project.py", "改造项目", ":material/handshake:"),
    "files": ("diagnose/ui/enterprise_files.py", "一企一档", ":material/folder_shared:"),
    "catalog": ("diagnose/ui/catalog_admin.py", "产品清单", ":material/inventory_2:"),
    "accounts": ("diagnose/ui/accounts_admin.py", "账户管理", ":material/manage_accounts:"),
    "import": ("diagnose/ui/import_enterprises.py", "导入企业", ":material/upload_file:"),
    "rescore": ("diagnose/ui/rescore.py", "重新计分", ":material/calculate:"),
    "apply": ("diagnose/ui/applications.py", "产品申报", ":material/add_business:"),
    "intake": ("diagnose/ui/application_check.py", "申报受理", ":material/assignment_turned_in:"),
    "score": ("diagnose/ui/expert_review.py", "专家评审", ":material/rate_review:"),
    "sign_in": ("diagnose/ui/sign_in.py", "登录", ":material/login:"),
    "workbook": ("diagnose/ui/visit_workbook.py", "离线工作簿", ":material/table_view:"),
}
ROLE_PAGES: dict[str | None, tuple[str, ...]] = {
    "consultant": ("mine", "visit", "project", "view", "files"),
    "enterprise": ("view", "files"),
    "official": ("board", "plan", "review", "files", "view", "intake", "score"),
    "admin": (
        "board",
        "plan",
        "review",
        "project",
        "files",
        "view",
        "catalog",
        "intake",
        "accounts",
        "import",
        "rescore",
    ),
    "provider": ("apply",),  # its own organisation's applications; never an enterprise's file
    "expert": ("score",),  # the applications it was named to review
    None: ("sign_in",),  # no session: sign-in is the only page there is
}
# pages a role opens from another page's link (with its ?a=…), kept out of its menu
ROLE_LINKED: dict[str | None, tuple[str, ...]] = {"consultant": ("workbook",)}


def pages_for(role: str | None, waiting: int | None = None) -> list:
    """The role's pages; ``waiting`` (assessments waiting for review) is shown beside 审核.

    Every other page's address is kept too, hidden from the menu: a link to a page the role does
    not have (an official following ``visit?a=…``, anyone signed out) lands on a page that says so
    in Chinese, or on the sign-in form, instead of Streamlit's English "Page not found"."""
    shown = [
        st.Page(PAGES[key][0], title=_title(key, waiting), icon=PAGES[key][2], default=i == 0)
        for i, key in enumerate(ROLE_PAGES[role])
    ]
    linked = [
        st.Page(PAGES[key][0], title=PAGES[key][1], icon=PAGES[key][2], visibility="hidden")
        for key in ROLE_LINKED.get(role, ())
    ]
    kept = set(ROLE_PAGES[role]) | set(ROLE_LINKED.get(role, ())) | {"sign_in"}
    stand_in = _sign_in_first if role is None else _not_for_this_role
    hidden = [
        st.Page(stand_in, title=PAGES[key][1], url_path=Path(PAGES[key][0]).stem, visibility="hidden")
        for key in PAGES
        if key not in kept
    ]
    return shown + linked + hidden


def home_for_unknown_addresses(pages: list) -> None:
    """Before ``st.navigation(pages)``: an address that names none of ``pages`` (a typo, an old
    bookmark, the home page's own name such as ``/dashboard``) opens the home page, instead of
    Streamlit's English "Page not found" box over it.

    Streamlit has no setting for this; it resolves the address from the run's intent, so the
    intent is cleared to "the home page" when its name is not one of ours."""
    context = get_script_run_ctx()
    if context is None:  # outside a served run (a bare script): nothing was asked for
        return
    manager = context.pages_manager
    wanted = manager.intended_page_name
    if manager.intended_page_script_hash or not wanted:  # a menu or link click, or the home page
        return
    if wanted not in {page.url_path for page in pages}:
        manager.set_script_intent("", "")


def _sign_in_first() -> None:
    st.switch_page(PAGES["sign_in"][0])


def _not_for_this_role() -> None:
    st.title("无权打开此页面")
    st.warning("你的账户没有这个页面。请打开你的首页（或从上方菜单选择页面）；如需此页面的权限，请联系管理员。")


def _title(key: str, waiting: int | None) -> str:
    title = PAGES[key][1]
    return f"{title}（{waiting}）" if key == "review" and waiting else title
