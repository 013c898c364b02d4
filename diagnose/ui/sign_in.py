"""登录: a plain HTML form posting to the sign-in route, which sets the session cookie."""

from __future__ import annotations

import streamlit as st

from diagnose.access.policy import LOCK_MINUTES, MAX_FAILED_ATTEMPTS

MESSAGES = {
    "wrong": "用户名或密码错误。",
    "disabled": "账户已停用，请联系管理员。",
    "cross_site": "请从本站的登录页登录（来自其他网站的登录或退出请求不予处理）。",
}

st.title("登录")
st.caption("数字化诊断 · 揭阳中小企业数字化转型城市试点")

error = st.query_params.get("error")
if error == "locked":
    minutes = st.query_params.get("minutes", str(LOCK_MINUTES))
    minutes = minutes if minutes.isdigit() else str(LOCK_MINUTES)
    st.error(f"密码连续错误 {MAX_FAILED_ATTEMPTS} 次，账户已锁定，请在 {minutes} 分钟后再试。")
elif error == "throttled":
    minutes = st.query_params.get("minutes", "")
    st.error(f"此网络地址登录失败次数过多，请在 {minutes if minutes.isdigit() else '几'} 分钟后再试。")
elif error in MESSAGES:
    st.error(MESSAGES[error])
elif st.query_params.get("signed_out"):
    st.success("已退出登录。")

# The form posts to /auth/login beside the app (diagnose/web.py): the password never
# passes through a Streamlit widget or the session state.
st.html(
    """
<form method="post" action="/auth/login" class="sign-in" autocomplete="on">
  <label>用户名<input name="username" autocomplete="username" required maxlength="32"></label>
  <label>密码<input name="password" type="password" autocomplete="current-password" required maxlength="128"></label>
  <button type="submit">登录</button>
</form>
<style>
  .sign-in { display: flex; flex-direction: column; gap: 1rem; max-width: 24rem; font-size: 1rem; }
  .sign-in label { display: flex; flex-direction: column; gap: .35rem; }
  .sign-in input { font-size: 1rem; padding: .6rem .75rem; border: 1px solid #ccc; border-radius: .4rem;
                   min-height: 44px; }
  .sign-in button { font-size: 1rem; padding: .7rem; min-height: 44px; border: 0; border-radius: .4rem;
                    background: #ff4b4b; color: white; cursor: pointer; }
</style>
"""
)
st.caption(f"连续 {MAX_FAILED_ATTEMPTS} 次密码错误后，账户锁定 {LOCK_MINUTES} 分钟。登录 8 小时后需重新登录。")
