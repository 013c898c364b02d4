"""Accounts: add, change password, disable, enable, unlock, list, assign; sign-in with lock-out; sessions."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from diagnose.access.policy import (
    LOCK_MINUTES,
    MAX_FAILED_ATTEMPTS,
    ROLES,
    Actor,
    password_problem,
    username_problem,
)
from diagnose.access.sessions import read_session, sign_session
from diagnose.problems import Problem
from diagnose.services.errors import NotFound, ServiceError, ValidationFailed
from diagnose.services.guard import require
from diagnose.store import Store, as_utc, now, records

HASHER = PasswordHasher()  # argon2id with the library's current parameters
# verified against when the user name is unknown, so both cases take the same time
_DUMMY_HASH = HASHER.hash("not a password of anyone")


class SignInRefused(ServiceError):
    """Wrong name or password, a locked or disabled account, or a client that failed too often.
    ``code`` is one of ``wrong``, ``locked``, ``disabled``, ``throttled``; ``minutes`` how long a
    lock or the client's pause still lasts."""

    def __init__(self, message: str, code: str = "wrong", minutes: int = 0):
        super().__init__(message)
        self.code = code
        self.minutes = minutes


def actor_of(row: dict) -> Actor:
    """The Actor a user row stands for (name, role, id, enterprise, organisation)."""
    return Actor(row["username"], row["role"], row["id"], row["enterprise_id"], row.get("organisation_id"))


# who may belong to an organisation: a provider must (a 牵引单位, a 联合体 member or a 服务商); an
# expert may (for the conflict check); a consultant may, to a 第三方机构 or a 牵引单位 and its 联合体
# (the visit team of the seed, part 五)
ORGANISATION_ROLES = ("provider", "expert", "consultant")
CONSULTANT_KINDS = ("agency", "lead", "member")


def add_user(store: Store, actor: Actor, username: str, role: str, password: str,
             credit_code: str | None = None, sample: bool = False, organisation: str | None = None) -> int:  # fmt: skip
    """A new active account; an enterprise account names its enterprise by credit code, a provider
    account its organisation (单位) by name, as may an expert or a consultant (``ORGANISATION_ROLES``)."""
    require(store, actor, "users.manage")
    problems = []
    if reason := username_problem(username):
        problems.append(Problem("账户", "username", reason))
    if role not in ROLES:
        problems.append(Problem("账户", "role", f"角色应为：{'、'.join(ROLES)}"))
    if reason := password_problem(password):
        problems.append(Problem("账户", "password", reason))
    if role == "enterprise" and not credit_code:
        problems.append(Problem("账户", "enterprise", "企业账户必须指定所属企业（统一社会信用代码）"))
    if role != "enterprise" and credit_code:
        problems.append(Problem("账户", "enterprise", "只有企业账户属于某个企业"))
    if role == "provider" and not organisation:
        problems.append(Problem("账户", "organisation", "服务商账户必须指定所属单位"))
    if role not in ORGANISATION_ROLES and organisation:
        problems.append(Problem("账户", "organisation", "只有服务商、评审专家和顾问账户属于某个单位"))
    if problems:
        raise ValidationFailed(problems)
    with store.write() as conn:
        if records.user_by_name(conn, username):
            raise ValidationFailed([Problem("账户", "username", f"用户名 {username} 已存在")])
        enterprise_id = None
        if credit_code:
            enterprise = records.enterprise_by_code(conn, credit_code.strip().upper())
            if enterprise is None:
                raise ValidationFailed([Problem("账户", "enterprise", f"没有统一社会信用代码为 {credit_code} 的企业")])
            enterprise_id = enterprise["id"]
        organisation_id = _organisation_id(conn, role, organisation)
        user_id = records.insert_user(conn, {"username": username, "role": role, "enterprise_id": enterprise_id,
                                             "organisation_id": organisation_id, "password_hash": HASHER.hash(password),
                                             "sample": sample})  # fmt: skip
        records.audit(conn, actor.username, "create", "user", user_id,
                      new={"username": username, "role": role, "enterprise_id": enterprise_id,
                           "organisation_id": organisation_id})  # fmt: skip
    return user_id


def _organisation_id(conn, role: str, organisation: str | None) -> int | None:
    """The id of the organisation named for an account of ``role`` (None for none), or refused."""
    from diagnose.services.applications import ORGANISATION_KINDS, PROVIDER_KINDS
    from diagnose.store import supply_records

    if not organisation:
        return None
    found = supply_records.organisation_by_name(conn, organisation.strip())
    if found is None:
        raise ValidationFailed([Problem("账户", "organisation", f"没有名为“{organisation}”的单位")])
    kind = ORGANISATION_KINDS[found["kind"]]
    if role == "consultant" and found["kind"] not in CONSULTANT_KINDS:
        why = f"顾问来自第三方机构或牵引单位（联合体），“{found['name']}”是{kind}"
        raise ValidationFailed([Problem("账户", "organisation", why)])
    if role == "provider" and found["kind"] not in PROVIDER_KINDS:
        why = f"服务商账户属于牵引单位、联合体成员或服务商，“{found['name']}”是{kind}"
        raise ValidationFailed([Problem("账户", "organisation", why)])
    return found["id"]


def set_organisation(store: Store, actor: Actor, username: str, organisation: str | None) -> bool:
    """Move an account to the organisation named (None: to none); administrators only. A provider
    always has one; only ``ORGANISATION_ROLES`` take one. Visits already made keep the
    organisation they were made for. False when nothing changed."""
    require(store, actor, "users.manage")
    with store.write() as conn:
        row = _user(conn, username)
        if row["role"] not in ORGANISATION_ROLES and organisation:
            raise ValidationFailed([Problem("账户", "organisation", "只有服务商、评审专家和顾问账户属于某个单位")])
        if row["role"] == "provider" and not organisation:
            raise ValidationFailed([Problem("账户", "organisation", "服务商账户必须指定所属单位")])
        organisation_id = _organisation_id(conn, row["role"], organisation)
        if organisation_id == row.get("organisation_id"):
            return False
        records.update_user(conn, row["id"], organisation_id=organisation_id)
        records.audit(conn, actor.username, "update", "user", row["id"], field="organisation_id",
                      old=row.get("organisation_id"), new=organisation_id)  # fmt: skip
    return True


def _user(conn, username: str) -> dict:
    row = records.user_by_name(conn, username)
    if row is None:
        raise NotFound(f"没有用户 {username}")
    return row


def set_password(store: Store, actor: Actor, username: str, password: str) -> None:
    """An administrator sets anyone's password; a user their own. Old sessions end."""
    if username != actor.username:
        require(store, actor, "users.manage")
    if reason := password_problem(password):
        raise ValidationFailed([Problem("账户", "password", reason)])
    with store.write() as conn:
        row = _user(conn, username)
        records.update_user(conn, row["id"], password_hash=HASHER.hash(password), failed_attempts=0, locked_until=None,
                            session_version=row["session_version"] + 1)  # fmt: skip
        records.audit(conn, actor.username, "password", "user", row["id"])


def disable_user(store: Store, actor: Actor, username: str) -> None:
    """The account can no longer sign in and its sessions end; an administrator cannot disable
    their own account (raises ValidationFailed), so the one at the keyboard never locks themselves out."""
    require(store, actor, "users.manage")
    if username == actor.username:
        raise ValidationFailed([Problem("账户", "username", "不能停用自己正在使用的账户，请由另一位管理员操作")])
    with store.write() as conn:
        row = _user(conn, username)
        records.update_user(conn, row["id"], active=False, session_version=row["session_version"] + 1)
        records.audit(conn, actor.username, "disable", "user", row["id"], field="active", old=row["active"], new=False)


def enable_user(store: Store, actor: Actor, username: str) -> bool:
    """Let a disabled account sign in again (its old sessions stay void); False if it was active."""
    require(store, actor, "users.manage")
    with store.write() as conn:
        row = _user(conn, username)
        if row["active"]:
            return False
        records.update_user(conn, row["id"], active=True)
        records.audit(conn, actor.username, "enable", "user", row["id"], field="active", old=False, new=True)
    return True


def unlock_user(store: Store, actor: Actor, username: str) -> bool:
    """Clear the failed sign-in count and any lock; False if there was neither."""
    require(store, actor, "users.manage")
    with store.write() as conn:
        row = _user(conn, username)
        locked = as_utc(row["locked_until"])
        if not row["failed_attempts"] and locked is None:
            return False
        records.update_user(conn, row["id"], failed_attempts=0, locked_until=None)
        records.audit(conn, actor.username, "unlock", "user", row["id"], field="locked_until",
                      old={"failed_attempts": row["failed_attempts"], "locked_until": locked}, new=None)  # fmt: skip
    return True


def list_users(store: Store, actor: Actor) -> list[dict]:
    """Every account, by username, without its password hash; administrators only, else PermissionDenied."""
    require(store, actor, "users.manage")
    with store.read() as conn:
        found = records.all_users(conn)
    return [{k: v for k, v in row.items() if k != "password_hash"} for row in found]


def assign(store: Store, actor: Actor, consultant: str, credit_code: str) -> bool:
    """Make the consultant responsible for the enterprise; False if already assigned."""
    require(store, actor, "users.manage")
    with store.write() as conn:
        row = _user(conn, consultant)
        if row["role"] != "consultant":
            raise ValidationFailed([Problem("分配", "consultant", f"{consultant} 不是顾问账户")])
        enterprise = records.enterprise_by_code(conn, credit_code.strip().upper())
        if enterprise is None:
            raise NotFound(f"没有统一社会信用代码为 {credit_code} 的企业")
        added = records.assign(conn, row["id"], enterprise["id"])
        if added:
            records.audit(
                conn, actor.username, "assign", "enterprise", enterprise["id"], new={"consultant": consultant}
            )
    return added


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: the actor and its signed session token."""

    actor: Actor
    token: str


class _ClientFailures:
    """Failed sign-ins per client address in this process, over a sliding window. Each app process
    keeps its own (N processes allow N times as many); the account lock is shared by all."""

    def __init__(self) -> None:
        self._seen: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str) -> deque:
        window = now() - timedelta(minutes=CLIENT_WINDOW_MINUTES)
        seen = self._seen.setdefault(client, deque())
        while seen and seen[0] <= window:
            seen.popleft()
        return seen

    def minutes_paused(self, client: str | None) -> int:
        """0 when the client may try, else how many minutes until its oldest failure leaves the window."""
        if not client:
            return 0
        with self._lock:
            seen = self._recent(client)
            if len(seen) < CLIENT_FAILURES:
                return 0
            return _minutes_left(seen[0] + timedelta(minutes=CLIENT_WINDOW_MINUTES))

    def note(self, client: str | None) -> None:
        """Count one failed sign-in of the client."""
        if client:
            with self._lock:
                self._recent(client).append(now())


CLIENT_FAILURES = 10  # failed sign-ins per client address ...
CLIENT_WINDOW_MINUTES = 15  # ... within this many minutes, then it waits: guessing across accounts is slow
client_failures = _ClientFailures()


def sign_in(store: Store, username: object, password: object, client: str | None = None) -> SignedIn:
    """Check a name and password; five failures lock the account for fifteen minutes, and a client
    address (``client``) with ten failures in fifteen minutes is paused before any account is tried.
    Raises ``SignInRefused`` saying which; the client's failures are counted in this process."""
    paused = client_failures.minutes_paused(client)
    if paused:
        raise SignInRefused(f"此地址登录失败次数过多，请在 {paused} 分钟后再试", "throttled", paused)
    try:
        return _sign_in(store, username, password)
    except SignInRefused as refused:
        if refused.code in ("wrong", "locked"):
            client_failures.note(client)
        raise


def _sign_in(store: Store, username: object, password: object) -> SignedIn:
    if username_problem(username) or not isinstance(password, str) or not password or len(password) > 1024:
        # a malformed name or password cannot belong to any account: refused before the store
        raise SignInRefused("用户名或密码错误")
    # the refusal is raised after the commit: a failed attempt must be counted and logged
    with store.write() as conn:
        row, refusal = _check_sign_in(conn, username, password)
    if refusal:
        raise refusal
    return SignedIn(actor_of(row), sign_session(row["id"], row["session_version"]))


def _check_sign_in(conn, username: str, password: str) -> tuple[dict | None, SignInRefused | None]:
    row = records.user_by_name(conn, username)
    if row is None:
        _verify(_DUMMY_HASH, password)
        records.audit(conn, username, "sign-in failed", "user", None, field="unknown user")
        return None, SignInRefused("用户名或密码错误")
    locked = as_utc(row["locked_until"])
    if locked and locked > now():
        records.audit(conn, row["username"], "sign-in refused", "user", row["id"], field="locked")
        left = _minutes_left(locked)
        return row, SignInRefused(f"失败次数过多，账户已锁定，请在 {left} 分钟后再试", "locked", left)
    if not _verify(row["password_hash"], password):
        failures = row["failed_attempts"] + 1
        lock = now() + timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILED_ATTEMPTS else None
        records.update_user(conn, row["id"], failed_attempts=0 if lock else failures, locked_until=lock)
        records.audit(conn, row["username"], "sign-in failed", "user", row["id"], new={"failures": failures})
        if lock:
            message = f"密码连续错误 {MAX_FAILED_ATTEMPTS} 次，账户已锁定 {LOCK_MINUTES} 分钟"
            return row, SignInRefused(message, "locked", LOCK_MINUTES)
        return row, SignInRefused("用户名或密码错误")
    if not row["active"]:
        records.audit(conn, row["username"], "sign-in refused", "user", row["id"], field="disabled")
        return row, SignInRefused("账户已停用，请联系管理员", "disabled")
    records.update_user(conn, row["id"], failed_attempts=0, locked_until=None)
    records.audit(conn, row["username"], "sign-in", "user", row["id"])
    return row, None


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _minutes_left(until) -> int:
    return max(1, int((until - now()).total_seconds() // 60) + 1)


def sign_out(store: Store, token: str | None) -> bool:
    """Void every session of the account the token stands for (this browser's and any copy of its
    cookie), so a sign-out holds on the server, not only in the browser; False if the token was no
    valid session (nothing to void)."""
    session = read_session(token)
    if session is None:
        return False
    user_id, version = session
    with store.write() as conn:
        row = records.user_by_id(conn, user_id)
        if row is None or row["session_version"] != version:
            return False
        records.update_user(conn, row["id"], session_version=version + 1)
        records.audit(conn, row["username"], "sign-out", "user", row["id"])
    return True


def actor_for_session(store: Store, token: str | None) -> Actor | None:
    """The user a session token stands for, if it is valid, unexpired, and the account still active."""
    session = read_session(token)
    if session is None:
        return None
    user_id, version = session
    with store.read() as conn:
        row = records.user_by_id(conn, user_id)
    if row is None or not row["active"] or row["session_version"] != version:
        return None
    return actor_of(row)
