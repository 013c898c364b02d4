"""Which pages each role gets; st.navigation is built from this on every run."""

from __future__ import annotations

import streamlit as st

PAGES = {
    "mine": ("diagnose/ui/my_enterprises.py", "我的企业", ":material/domain:"),
    "visit": ("diagnose/ui/visit.py", "现场评测", ":material/edit_note:"),
    "view": ("diagnose/ui/enterprise_view.py", "企业画像", ":material/radar:"),
    "board": ("diagnose/ui/dashboard.py", "试点看板", ":material/monitoring:"),
    "review": ("diagnose/ui/review.py", "审核", ":material/fact_check:"),
    "project": ("diagnose/ui/project.py", "改造项目", ":material/handshake:"),
    "files": ("diagnose/ui/enterprise_files.py", "一企一档", ":material/folder_shared:"),
    "catalog": ("diagnose/ui/catalog_admin.py", "产品清单", ":material/inventory_2:"),
    "accounts": ("diagnose/ui/accounts_admin.py", "账户管理", ":material/manage_accounts:"),
    "import": ("diagnose/ui/import_enterprises.py", "导入企业", ":material/upload_file:"),
    "rescore": ("diagnose/ui/rescore.py", "重新计分", ":material/calculate:"),
    "sign_in": ("diagnose/ui/sign_in.py", "登录", ":material/login:"),
}
ROLE_PAGES: dict[str | None, tuple[str, ...]] = {
    "consultant": ("mine", "visit", "project", "view", "files"),
    "enterprise": ("view", "files"),
    "official": ("board", "review", "files", "view"),
    "admin": ("board", "review", "project", "files", "view", "catalog", "accounts", "import", "rescore"),
    None: ("sign_in",),  # no session: sign-in is the only page there is
}


def pages_for(role: str | None, waiting: int | None = None) -> list:
    """The role's pages; ``waiting`` (assessments waiting for review) is shown beside 审核."""
    return [
        st.Page(PAGES[key][0], title=_title(key, waiting), icon=PAGES[key][2], default=i == 0)
        for i, key in enumerate(ROLE_PAGES[role])
    ]


def _title(key: str, waiting: int | None) -> str:
    title = PAGES[key][1]
    return f"{title}（{waiting}）" if key == "review" and waiting else title
