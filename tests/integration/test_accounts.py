"""Accounts and sign-in on both databases: hashes, lock-out, sessions, bad input."""

from __future__ import annotations

import stat
from datetime import timedelta

import pytest

from diagnose.access.sessions import secret_key
from diagnose.services.accounts import (
    SignInRefused,
    actor_for_session,
    add_user,
    disable_user,
    list_users,
    set_password,
    sign_in,
)
from diagnose.services.errors import ValidationFailed
from diagnose.services.guard import PermissionDenied
from diagnose.store import now, records

from .helpers import ADMIN, PASSWORD, new_enterprise, profile, user


def test_a_password_is_kept_only_as_an_argon2id_hash(store):
    add_user(store, ADMIN, "wang.fang", "official", PASSWORD)

    with store.read() as conn:
        row = records.user_by_name(conn, "wang.fang")
    assert row["password_hash"].startswith("$argon2id$") and PASSWORD not in row["password_hash"]
    assert "password_hash" not in list_users(store, ADMIN)[0]


def test_signing_in_gives_a_session_for_the_account(store):
    add_user(store, ADMIN, "官员一", "official", PASSWORD)

    signed = sign_in(store, "官员一", PASSWORD)

    assert (signed.actor.username, signed.actor.role) == ("官员一", "official")
    assert actor_for_session(store, signed.token) == signed.actor


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(store):
    add_user(store, ADMIN, "官员一", "official", PASSWORD)
    for attempt in range(4):
        with pytest.raises(SignInRefused, match="用户名或密码错误"):
            sign_in(store, "官员一", f"wrong password {attempt}")

    with pytest.raises(SignInRefused, match="账户已锁定 15 分钟") as fifth:
        sign_in(store, "官员一", "wrong password 5")
    with pytest.raises(SignInRefused, match="分钟后再试") as sixth:
        sign_in(store, "官员一", PASSWORD)  # even the right password, while locked

    assert (fifth.value.code, sixth.value.code) == ("locked", "locked")
    with store.write() as conn:  # fifteen minutes later
        records.update_user(conn, records.user_by_name(conn, "官员一")["id"], locked_until=now() - timedelta(seconds=1))
    assert sign_in(store, "官员一", PASSWORD).actor.username == "官员一"


def test_a_successful_sign_in_resets_the_failure_count(store):
    add_user(store, ADMIN, "官员一", "official", PASSWORD)
    for _ in range(4):
        with pytest.raises(SignInRefused):
            sign_in(store, "官员一", "wrong password")
    sign_in(store, "官员一", PASSWORD)

    with pytest.raises(SignInRefused, match="用户名或密码错误"):
        sign_in(store, "官员一", "wrong password")


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("", PASSWORD),
        ("官员一", ""),
        ("x" * 10_000, PASSWORD),
        ("官员一", "p" * 100_000),
        ("<script>alert(1)</script>", PASSWORD),
        ("' OR '1'='1", "' OR '1'='1"),
        ("官员一'; DROP TABLE users; --", PASSWORD),
        (None, PASSWORD),
        (["官员一"], PASSWORD),
    ],
)
def test_bad_names_and_passwords_never_sign_anyone_in(store, username, password):
    add_user(store, ADMIN, "官员一", "official", PASSWORD)

    with pytest.raises(SignInRefused, match="用户名或密码错误"):
        sign_in(store, username, password)

    with store.read() as conn:
        assert records.user_by_name(conn, "官员一")["active"]  # and the table is still there


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", PASSWORD, "用户名不能为空"),
        ("x" * 33, PASSWORD, "用户名过长"),
        ("<b>wang</b>", PASSWORD, "用户名只能包含"),
        ("wang'; DROP TABLE users;--", PASSWORD, "用户名只能包含"),
        ("wang", "short", "密码至少 10 个字符"),
        ("wang", "p" * 129, "密码过长"),
        ("wang", " leading space x", "不能以空格开头或结尾"),
    ],
)
def test_an_account_with_a_bad_name_or_password_is_refused(store, username, password, message):
    with pytest.raises(ValidationFailed, match=message):
        add_user(store, ADMIN, username, "official", password)

    assert list_users(store, ADMIN) == []


def test_an_enterprise_account_belongs_to_an_existing_enterprise(store):
    new_enterprise(store)

    with pytest.raises(ValidationFailed, match="企业账户必须指定所属企业"):
        add_user(store, ADMIN, "企业一", "enterprise", PASSWORD)
    with pytest.raises(ValidationFailed, match="没有统一社会信用代码为"):
        add_user(store, ADMIN, "企业一", "enterprise", PASSWORD, credit_code=profile(99)["credit_code"])
    add_user(store, ADMIN, "企业一", "enterprise", PASSWORD, credit_code=profile(1)["credit_code"])
    with pytest.raises(ValidationFailed, match="已存在"):
        add_user(store, ADMIN, "企业一", "enterprise", PASSWORD, credit_code=profile(1)["credit_code"])


def test_a_new_password_ends_old_sessions_and_a_disabled_account_cannot_sign_in(store):
    add_user(store, ADMIN, "官员一", "official", PASSWORD)
    old = sign_in(store, "官员一", PASSWORD)

    set_password(store, old.actor, "官员一", "another long password")

    assert actor_for_session(store, old.token) is None
    fresh = sign_in(store, "官员一", "another long password")
    disable_user(store, ADMIN, "官员一")
    assert actor_for_session(store, fresh.token) is None
    with pytest.raises(SignInRefused, match="账户已停用"):
        sign_in(store, "官员一", "another long password")


def test_only_an_administrator_sets_another_users_password(store):
    official = user(store, "官员一", "official")
    user(store, "官员二", "official")

    with pytest.raises(PermissionDenied):
        set_password(store, official, "官员二", "a fresh long password")


def test_an_expired_session_is_no_session(store, monkeypatch):
    import itsdangerous.timed

    add_user(store, ADMIN, "官员一", "official", PASSWORD)
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() - 8 * 3600 - 60)
    stale = sign_in(store, "官员一", PASSWORD).token
    monkeypatch.setattr(itsdangerous.timed.time, "time", real_time)

    assert actor_for_session(store, stale) is None
    assert actor_for_session(store, stale + "x") is None


def test_the_generated_secret_is_kept_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("DIAGNOSE_SECRET_KEY", raising=False)

    first, again = secret_key(tmp_path), secret_key(tmp_path)

    assert first == again and len(first) >= 40
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
