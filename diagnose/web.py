"""The web entry: the Streamlit app (app.py) with the sign-in and sign-out routes beside it.

Run with ``streamlit run diagnose/web.py``. The sign-in route checks the name
and password and sets an HttpOnly, signed, SameSite cookie valid for eight
hours; pages read it back on every run and check the account in the store.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from diagnose.access.policy import SESSION_HOURS
from diagnose.access.sessions import COOKIE
from diagnose.services import open_store
from diagnose.services.accounts import SignInRefused, sign_in
from diagnose.services.backup import serve_from
from diagnose.store import Store

APP_SCRIPT = Path(__file__).resolve().parent.parent / "app.py"
MAX_FIELD = 4096  # longer than any name or password the store accepts


@cache
def _store() -> Store:
    store = open_store()
    serve_from(store)  # a restore waits until this process has stopped
    store.upgrade()
    return store


async def login(request: Request) -> RedirectResponse:
    form = await request.form()
    username, password = form.get("username", ""), form.get("password", "")
    if not isinstance(username, str) or not isinstance(password, str) or len(username) + len(password) > MAX_FIELD:
        return RedirectResponse("/?" + urlencode({"error": "wrong"}), status_code=303)
    try:
        signed = sign_in(_store(), username.strip(), password)
    except SignInRefused as refused:
        query = {"error": refused.code} | ({"minutes": refused.minutes} if refused.minutes else {})
        return RedirectResponse("/?" + urlencode(query), status_code=303)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        COOKIE,
        signed.token,
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


async def logout(request: Request) -> RedirectResponse:
    response = RedirectResponse("/?" + urlencode({"signed_out": 1}), status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
    return response


app = st.App(
    str(APP_SCRIPT),
    routes=[Route("/auth/login", login, methods=["POST"]), Route("/auth/logout", logout, methods=["GET", "POST"])],
)
