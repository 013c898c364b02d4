"""账户管理 (administrators): the accounts, a new account, consultant assignments, and for a
chosen account: disable, enable, unlock, reset the password, move it to another organisation."""

from __future__ import annotations

import streamlit as st

from diagnose import clock
from diagnose.access.policy import ROLES
from diagnose.pilot import INDUSTRIES
from diagnose.services.accounts import (
    ORGANISATION_ROLES,
    add_user,
    assign,
    disable_user,
    enable_user,
    list_users,
    set_organisation,
    set_password,
    unlock_user,
)
from diagnose.services.applications import ORGANISATION_KINDS, add_organisation, organisations
from diagnose.services.errors import ServiceError, ValidationFailed
from diagnose.ui.acting import act
from diagnose.ui.session import require_actor
from diagnose.ui.state import store

NOTICE = "accounts_notice"  # what the last change did, shown after the rerun that refreshes the table

actor = require_actor()
st.title("账户管理")

try:
    users = list_users(store(), actor)
    known_organisations = organisations(store(), actor)
except ServiceError as refused:  # the service is the guard; the menu only hides the page
    st.error(str(refused))
    st.stop()

if notice := st.session_state.pop(NOTICE, None):
    st.success(notice)
organisation_names = {o["id"]: o["name"] for o in known_organisations}
st.dataframe(
    [{"用户名": u["username"], "角色": ROLES[u["role"]],
      "所属单位": organisation_names.get(u.get("organisation_id"), ""),
      "状态": "启用" if u["active"] else "停用", "示例账户": "是" if u["sample"] else "",
      "连续失败": u["failed_attempts"], "锁定至": clock.minute(u["locked_until"]) if u["locked_until"] else ""}
     for u in users],
    hide_index=True,
    width="stretch",
)  # fmt: skip

left, right = st.columns(2)
with left, st.form("new_account", clear_on_submit=True):
    st.subheader("新建账户")
    username = st.text_input("用户名", max_chars=32)
    role = st.selectbox("角色", list(ROLES), format_func=ROLES.get, placeholder="请选择")
    credit_code = st.text_input("所属企业统一社会信用代码（仅企业账户）", max_chars=18)
    organisation = st.selectbox("所属单位（服务商必填；评审专家、顾问可选）",
                                [o["name"] for o in known_organisations], index=None,
                                placeholder="选择单位（先在下方登记）")  # fmt: skip
    password = st.text_input("初始密码（至少 10 个字符）", type="password", max_chars=128)
    again = st.text_input("再输入一次", type="password", max_chars=128)
    if st.form_submit_button("新建"):
        if password != again:
            st.error("两次输入的密码不一致")
        else:
            try:
                add_user(store(), actor, username.strip(), role, password, credit_code=credit_code.strip() or None,
                         organisation=organisation)  # fmt: skip
                st.success(f"已新建账户 {username}")
            except ValidationFailed as refused:  # each problem as a person reads it, without the field's code
                for problem in refused.problems:
                    st.error(problem.message)
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

names = [u["username"] for u in users]
roles = {u["username"]: ROLES[u["role"]] for u in users}


def done(message: str) -> None:
    st.session_state[NOTICE] = message
    st.rerun()  # the table above shows the change


state_col, password_col = st.columns(2)
with state_col, st.form("account_state"):
    st.subheader("停用、启用、解锁")
    picked = st.selectbox("账户", names, index=None, placeholder="选择账户", key="account_state_pick",
                          format_func=lambda n: f"{n}（{roles[n]}）")  # fmt: skip
    buttons = st.columns(3)
    disable = buttons[0].form_submit_button("停用", key="account_disable")
    enable = buttons[1].form_submit_button("启用", key="account_enable")
    unlock = buttons[2].form_submit_button("解锁", key="account_unlock")
    st.caption("停用后该账户立即退出登录；解锁清除连续失败次数和锁定时间。")
    if (disable or enable or unlock) and not picked:
        st.error("请先选择账户")
    elif disable or enable or unlock:
        try:
            if disable:
                disable_user(store(), actor, picked)
                done(f"已停用 {picked}")
            elif enable:
                changed = enable_user(store(), actor, picked)
                done(f"已启用 {picked}" if changed else f"{picked} 本来就是启用状态，无变化")
            else:
                changed = unlock_user(store(), actor, picked)
                done(f"已解锁 {picked}" if changed else f"{picked} 没有被锁定，无变化")
        except ServiceError as refused:
            st.error(str(refused))

with password_col, st.form("reset_password", clear_on_submit=True):
    st.subheader("重设密码")
    whose = st.selectbox("账户", names, index=None, placeholder="选择账户", key="reset_password_pick",
                         format_func=lambda n: f"{n}（{roles[n]}）")  # fmt: skip
    new_password = st.text_input("新密码（至少 10 个字符）", type="password", max_chars=128, key="reset_password_1")
    new_again = st.text_input("再输入一次", type="password", max_chars=128, key="reset_password_2")
    st.caption("重设后该账户已登录的会话失效，锁定也一并解除。")
    if st.form_submit_button("重设密码", key="reset_password_go"):
        if not whose:
            st.error("请先选择账户")
        elif new_password != new_again:
            st.error("两次输入的密码不一致")
        else:
            try:
                set_password(store(), actor, whose, new_password)
                done(f"已重设 {whose} 的密码")
            except ServiceError as refused:
                st.error(str(refused))

with st.form("account_organisation"):
    st.subheader("调整所属单位")
    st.caption("顾问可属于第三方机构或牵引单位（联合体）：此后的走访记在该单位名下，已有的走访不变。")
    members = [u["username"] for u in users if u["role"] in ORGANISATION_ROLES]
    member = st.selectbox("账户", members, index=None, placeholder="选择账户", key="account_organisation_pick",
                          format_func=lambda n: f"{n}（{roles[n]}）")  # fmt: skip
    moved_to = st.selectbox("所属单位", ["", *organisation_names.values()], key="account_organisation_to",
                            format_func=lambda n: n or "（不属于任何单位）", placeholder="请选择")  # fmt: skip
    if st.form_submit_button("保存所属单位", key="account_organisation_go"):
        if not member:
            st.error("请先选择账户")
        else:
            try:
                changed = set_organisation(store(), actor, member, moved_to or None)
                done(f"{member} 现属于{moved_to or '（无单位）'}" if changed else f"{member} 的所属单位无变化")
            except ValidationFailed as refused:
                for problem in refused.problems:
                    st.error(problem.message)
            except ServiceError as refused:
                st.error(str(refused))

st.subheader("单位")
st.caption("牵引单位（每个行业）、联合体成员、服务商和第三方机构。服务商账户属于一个单位，只能看到本单位的产品申报。")
if known_organisations:
    st.dataframe(
        [{"单位": o["name"], "类型": ORGANISATION_KINDS[o["kind"]], "行业": o["industry"],
          "所属牵引单位": o["lead_name"] or "", "示例": "是" if o["sample"] else ""} for o in known_organisations],
        hide_index=True, width="stretch",
    )  # fmt: skip
with st.form("new_organisation"):  # a refused form keeps what was typed
    org_name = st.text_input("单位名称", max_chars=100)
    org_kind = st.selectbox(
        "单位类型",
        list(ORGANISATION_KINDS),
        format_func=ORGANISATION_KINDS.get,
        index=list(ORGANISATION_KINDS).index("provider"),
        placeholder="请选择",
    )  # the most common; needs nothing more
    org_industry = st.selectbox(
        "行业（仅牵引单位）", ["", *INDUSTRIES], format_func=lambda i: i or "—", placeholder="请选择"
    )
    leads = [o["name"] for o in known_organisations if o["kind"] == "lead"]
    org_lead = st.selectbox(
        "所属牵引单位（仅联合体成员）", ["", *leads], format_func=lambda n: n or "—", placeholder="请选择"
    )
    if st.form_submit_button("登记单位"):
        act(lambda: add_organisation(store(), actor, org_name, org_kind, industry=org_industry, lead=org_lead), NOTICE,
            lambda _: f"已登记单位 {org_name.strip()}")  # fmt: skip
