"""The web entry: the Streamlit app (app.py) with the sign-in and sign-out routes beside it.

Run with ``streamlit run diagnose/web.py``. The sign-in route checks the name
and password and sets an HttpOnly, signed, SameSite cookie valid for eight
hours; pages read it back on every run and check the account in the store.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from diagnose.access.policy import SESSION_HOURS
from diagnose.access.sessions import COOKIE
from diagnose.services import open_store
from diagnose.services.accounts import SignInRefused, sign_in, sign_out
from diagnose.services.backup import serve_from
from diagnose.store import Store
from diagnose.ui import warmup

APP_SCRIPT = Path(__file__).resolve().parent.parent / "app.py"
MAX_FIELD = 4096  # longer than any name or password the store accepts


@asynccontextmanager
async def _serving(_app):
    # from the server's start, not its first page: a restore refuses until this process has stopped
    serve_from(open_store())
    warmup.arm()  # the report's faces and the pages' modules, once the first page is drawn
    yield None


@cache
def _store() -> Store:
    store = open_store()
    store.upgrade()
    return store


def _same_site(request: Request) -> bool:
    """Whether a form post comes from a page of this site: its Origin (or, failing that, Referer)
    names the host the request was sent to. A cross-site post, or one naming neither, is refused:
    another site must not sign a browser in (login CSRF) or out."""
    host = request.headers.get("host", "")
    claimed = request.headers.get("origin") or request.headers.get("referer")
    return bool(host and claimed) and urlsplit(claimed).netloc == host


def _from_trusted_proxy(request: Request) -> bool:
    """Whether the peer is a reverse proxy named in ``DIAGNOSE_TRUSTED_PROXIES`` (comma-separated)."""
    trusted = {a.strip() for a in os.environ.get("DIAGNOSE_TRUSTED_PROXIES", "").split(",") if a.strip()}
    return bool(request.client) and request.client.host in trusted


def _client(request: Request) -> str | None:
    """The address a sign-in comes from: the peer's, or, behind a trusted reverse proxy, the last
    address it put in X-Forwarded-For (earlier ones the browser could have written itself)."""
    forwarded = request.headers.get("x-forwarded-for", "").strip()
    if forwarded and _from_trusted_proxy(request):
        return forwarded.split(",")[-1].strip()
    return request.client.host if request.client else None


def _https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS: directly, or through a trusted proxy saying so."""
    if request.url.scheme == "https":
        return True
    return _from_trusted_proxy(request) and request.headers.get("x-forwarded-proto", "") == "https"


def _back(query: dict) -> RedirectResponse:
    return RedirectResponse("/?" + urlencode(query), status_code=303)


async def login(request: Request) -> RedirectResponse:
    """Check the posted name and password and set the session cookie, or send the browser back to
    the sign-in page with the refusal's code (a cross-site post is refused as ``cross_site``)."""
    if not _same_site(request):
        return _back({"error": "cross_site"})
    form = await request.form()
    username, password = form.get("username", ""), form.get("password", "")
    if not isinstance(username, str) or not isinstance(password, str) or len(username) + len(password) > MAX_FIELD:
        return _back({"error": "wrong"})
    try:
        # argon2 and the database off the event loop: other users' pages keep moving meanwhile
        signed = await run_in_threadpool(sign_in, _store(), username.strip(), password, _client(request))
    except SignInRefused as refused:
        return _back({"error": refused.code} | ({"minutes": refused.minutes} if refused.minutes else {}))
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        COOKIE,
        signed.token,
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="lax",
        secure=_https(request),  # behind nginx's TLS too: the cookie never travels in clear
        path="/",
    )
    return response


async def logout(request: Request) -> RedirectResponse:
    """Void the session on the server (every copy of the cookie) and clear the cookie; POST only,
    from this site, so no link, image or other site can sign anyone out."""
    if not _same_site(request):
        return _back({"error": "cross_site"})
    await run_in_threadpool(sign_out, _store(), request.cookies.get(COOKIE))
    response = _back({"signed_out": 1})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
    return response


SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),  # no other site may frame the sign-in page or any other
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response, the app's pages included."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message = message | {"headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, with_headers)


ROUTES = [Route("/auth/login", login, methods=["POST"]), Route("/auth/logout", logout, methods=["POST"])]
MIDDLEWARE = [Middleware(SecurityHeaders)]
app = st.App(str(APP_SCRIPT), routes=ROUTES, middleware=MIDDLEWARE, lifespan=_serving)
