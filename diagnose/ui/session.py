"""Who is using this browser session: the signed cookie, checked against the store on every run."""

from __future__ import annotations

import streamlit as st

from diagnose.access.policy import Actor
from diagnose.access.sessions import COOKIE
from diagnose.services.accounts import actor_for_session
from diagnose.ui.state import store


def session_cookie() -> str | None:
    """The sign-in cookie as the browser sent it (tests replace this: AppTest sends no cookies)."""
    return st.context.cookies.get(COOKIE)


def current_actor() -> Actor | None:
    """The signed-in, still active user; None when there is no valid session."""
    return actor_for_session(store(), session_cookie())


def require_actor() -> Actor:
    """For pages: the current user, or stop with a pointer to sign-in (a page is never open to nobody)."""
    actor = current_actor()
    if actor is None:
        st.warning("请先登录。")
        st.stop()
    return actor
