"""账户管理 (administrators): the accounts, a new account, and consultant assignments."""

from __future__ import annotations

import streamlit as st

from diagnose.accounts import ROLES
from diagnose.services.accounts import add_user, assign, list_users
from diagnose.services.errors import ServiceError
from diagnose.ui.session import require_actor
from diagnose.ui.state import store

actor = require_actor()
st.title("账户管理")

try:
    users = list_users(store(), actor)
except ServiceError as refused:  # the service is the guard; the menu only hides the page
    st.error(str(refused))
    st.stop()

st.dataframe(
    [{"用户名": u["username"], "角色": ROLES[u["role"]], "状态": "启用" if u["active"] else "停用",
      "示例账户": "是" if u["sample"] else "", "锁定至": u["locked_until"]} for u in users],
    hide_index=True,
    width="stretch",
)  # fmt: skip

left, right = st.columns(2)
with left, st.form("new_account", clear_on_submit=True):
    st.subheader("新建账户")
    username = st.text_input("用户名", max_chars=32)
    role = st.selectbox("角色", list(ROLES), format_func=ROLES.get)
    credit_code = st.text_input("所属企业统一社会信用代码（仅企业账户）", max_chars=18)
    password = st.text_input("初始密码（至少 10 个字符）", type="password", max_chars=128)
    again = st.text_input("再输入一次", type="password", max_chars=128)
    if st.form_submit_button("新建"):
        if password != again:
            st.error("两次输入的密码不一致")
        else:
            try:
                add_user(store(), actor, username.strip(), role, password, credit_code=credit_code.strip() or None)
                st.success(f"已新建账户 {username}")
            except ServiceError as refused:
                st.error(str(refused))

with right, st.form("assignment"):
    st.subheader("分配企业给顾问")
    consultants = [u["username"] for u in users if u["role"] == "consultant" and u["active"]]
    consultant = st.selectbox("顾问", consultants, index=None, placeholder="选择顾问")
    code = st.text_input("企业统一社会信用代码", max_chars=18)
    if st.form_submit_button("分配"):
        try:
            added = assign(store(), actor, consultant or "", code.strip())
            st.success("已分配" if added else "此前已分配，无变化")
        except ServiceError as refused:
            st.error(str(refused))
