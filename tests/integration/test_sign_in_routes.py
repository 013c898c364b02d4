"""The sign-in and sign-out routes beside the app: the cookie they set, the refusals they pass on,
cross-site posts refused, sign-out voiding the session on the server, the security headers."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from diagnose import web
from diagnose.access.sessions import COOKIE
from diagnose.services.accounts import actor_for_session, add_user, client_failures

from .helpers import ADMIN, PASSWORD


@pytest.fixture
def client(store, monkeypatch):
    monkeypatch.setenv("DIAGNOSE_DATABASE_URL", store.url)
    web._store.cache_clear()
    add_user(store, ADMIN, "官员一", "official", PASSWORD)
    app = Starlette(routes=web.ROUTES, middleware=web.MIDDLEWARE)  # the routes and middleware make run serves
    yield TestClient(app, follow_redirects=False, headers={"origin": "http://testserver"})
    web._store.cache_clear()
    client_failures.__init__()  # the throttle is per process: each test starts with none


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


def test_sign_out_clears_the_cookie_and_voids_every_copy_of_it_on_the_server(store, client):
    token = client.post("/auth/login", data={"username": "官员一", "password": PASSWORD}).cookies[COOKIE]
    assert actor_for_session(store, token) is not None

    response = client.post("/auth/logout")

    assert response.status_code == 303 and response.headers["location"] == "/?signed_out=1"
    assert f'{COOKIE}=""' in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
    assert actor_for_session(store, token) is None  # a copy kept elsewhere signs in no one


@pytest.mark.parametrize(
    "headers",
    [{"origin": "https://evil.example"}, {"origin": "null"}, {"referer": "https://evil.example/form"}, {}],
    ids=["other-origin", "null-origin", "other-referer", "neither"],
)
def test_a_cross_site_sign_in_or_sign_out_is_refused(store, client, headers):
    token = client.post("/auth/login", data={"username": "官员一", "password": PASSWORD}).cookies[COOKIE]
    client.headers.pop("origin")

    signed_in = client.post("/auth/login", data={"username": "官员一", "password": PASSWORD}, headers=headers)
    signed_out = client.post("/auth/logout", headers=headers)

    assert signed_in.headers["location"] == signed_out.headers["location"] == "/?error=cross_site"
    assert "set-cookie" not in signed_in.headers and "set-cookie" not in signed_out.headers
    assert actor_for_session(store, token) is not None  # not signed out by another site


def test_a_same_site_referer_is_enough_when_the_browser_sends_no_origin(client):
    client.headers.pop("origin")

    response = client.post(
        "/auth/login", data={"username": "官员一", "password": PASSWORD}, headers={"referer": "http://testserver/"}
    )

    assert response.headers["location"] == "/" and COOKIE in response.cookies


def test_sign_out_by_a_link_or_an_image_is_not_possible(client):
    assert client.get("/auth/logout").status_code == 405


def test_every_response_carries_the_security_headers(client):
    for response in (client.post("/auth/login", data={}), client.get("/auth/logout")):
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["content-security-policy"] == "frame-ancestors 'none'"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"


def test_a_client_failing_ten_times_waits_whatever_the_account_and_others_do_not(store, client, monkeypatch):
    add_user(store, ADMIN, "官员二", "official", PASSWORD)
    for k in range(10):  # two failures on each of five accounts: no account is locked
        client.post("/auth/login", data={"username": f"官员{'一二三四五'[k % 5]}", "password": "wrong password"})

    refused = client.post("/auth/login", data={"username": "官员二", "password": PASSWORD})
    monkeypatch.setenv("DIAGNOSE_TRUSTED_PROXIES", "testclient")  # now behind a proxy naming the client
    other = client.post(
        "/auth/login", data={"username": "官员二", "password": PASSWORD}, headers={"x-forwarded-for": "10.0.0.9"}
    )

    assert refused.headers["location"] == "/?error=throttled&minutes=15" and "set-cookie" not in refused.headers
    assert other.headers["location"] == "/" and COOKIE in other.cookies


def test_behind_a_trusted_tls_proxy_the_cookie_is_secure_and_an_untrusted_claim_is_ignored(client, monkeypatch):
    form = {"username": "官员一", "password": PASSWORD}
    claimed = {"x-forwarded-proto": "https"}

    untrusted = client.post("/auth/login", data=form, headers=claimed)
    monkeypatch.setenv("DIAGNOSE_TRUSTED_PROXIES", "testclient")
    trusted = client.post("/auth/login", data=form, headers=claimed)

    assert "Secure" not in untrusted.headers["set-cookie"]
    assert "Secure" in trusted.headers["set-cookie"]
