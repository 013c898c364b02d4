"""The sign-in and sign-out routes beside the app: the cookie they set, the refusals they pass on."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from diagnose import web
from diagnose.access.sessions import COOKIE
from diagnose.services.accounts import actor_for_session, add_user

from .helpers import ADMIN, PASSWORD


@pytest.fixture
def client(store, monkeypatch):
    monkeypatch.setenv("DIAGNOSE_DATABASE_URL", store.url)
    web._store.cache_clear()
    add_user(store, ADMIN, "官员一", "official", PASSWORD)
    routes = [
        Route("/auth/login", web.login, methods=["POST"]),
        Route("/auth/logout", web.logout, methods=["GET", "POST"]),
    ]
    yield TestClient(Starlette(routes=routes), follow_redirects=False)
    web._store.cache_clear()


def test_a_good_sign_in_sets_an_http_only_signed_cookie_for_eight_hours(store, client):
    response = client.post("/auth/login", data={"username": "官员一", "password": PASSWORD})

    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Max-Age=28800" in cookie
    token = response.cookies[COOKIE]
    assert actor_for_session(store, token).username == "官员一"


@pytest.mark.parametrize(
    ("form", "query"),
    [
        ({"username": "官员一", "password": "wrong password"}, "error=wrong"),
        ({"username": "", "password": ""}, "error=wrong"),
        ({"username": "<img src=x onerror=alert(1)>", "password": PASSWORD}, "error=wrong"),
        ({"username": "官员一' --", "password": "' OR 1=1 --"}, "error=wrong"),
        ({"username": "官员一", "password": "p" * 50_000}, "error=wrong"),
    ],
)
def test_a_refused_sign_in_sets_no_cookie_and_says_why(client, form, query):
    response = client.post("/auth/login", data=form)

    assert response.status_code == 303
    assert response.headers["location"] == f"/?{query}"
    assert "set-cookie" not in response.headers


def test_the_fifth_wrong_password_redirects_with_the_lock(client):
    for _ in range(4):
        client.post("/auth/login", data={"username": "官员一", "password": "wrong password"})

    response = client.post("/auth/login", data={"username": "官员一", "password": "wrong password"})

    assert response.headers["location"] == "/?error=locked&minutes=15"


def test_sign_out_clears_the_cookie(client):
    response = client.post("/auth/logout")

    assert response.status_code == 303 and response.headers["location"] == "/?signed_out=1"
    assert f'{COOKIE}=""' in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
