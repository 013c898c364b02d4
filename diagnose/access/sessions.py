"""Signed session tokens for the sign-in cookie, and the secret that signs them.

The token says which user and which session version; it is valid for eight
hours from signing. The secret comes from ``DIAGNOSE_SECRET_KEY`` or is made
once into the data folder, readable by the owner only. None is committed.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from diagnose.access.policy import SESSION_HOURS
from diagnose.store import data_dir

COOKIE = "diagnose_session"
SALT = "diagnose-session"


def secret_key(folder: Path | None = None) -> str:
    """The signing secret: ``DIAGNOSE_SECRET_KEY``, else the ``secret_key`` file in ``folder`` (default the data
    folder), made on first use with a random key, readable by the owner only."""
    configured = os.environ.get("DIAGNOSE_SECRET_KEY")
    if configured:
        return configured
    path = (folder or data_dir()) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # written whole beside its name, then linked in: a process starting at the same moment sees
        # no key or the whole key, never an empty file, and two never put down different keys
        handle, written = tempfile.mkstemp(dir=path.parent, prefix=".secret_key-")
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(written, path)
        except FileExistsError:
            pass  # another process linked its key first; theirs stands
        finally:
            os.unlink(written)
    return path.read_text(encoding="ascii").strip()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(), salt=SALT)


def sign_session(user_id: int, session_version: int) -> str:
    """A token for the user and session version, timestamped now (``read_session`` takes it for eight hours)."""
    return _serializer().dumps({"uid": user_id, "v": session_version})


def read_session(token: str | None) -> tuple[int, int] | None:
    """``(user id, session version)`` from a token signed less than eight hours ago, else None."""
    if not token:
        return None
    try:
        payload = _serializer().loads(token, max_age=SESSION_HOURS * 3600)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        return None
    return payload["uid"], payload.get("v", 0)


def sign_data(payload: dict, salt: str) -> str:
    """``payload`` signed with the secret under ``salt`` (a purpose of its own), for a file that
    leaves the tool and comes back: ``read_data`` with the same salt gives it back unchanged."""
    from itsdangerous import URLSafeSerializer

    return URLSafeSerializer(secret_key(), salt=salt).dumps(payload)


def read_data(token: str, salt: str) -> dict | None:
    """What ``sign_data`` signed under ``salt``, or None for a token altered, cut or signed elsewhere."""
    from itsdangerous import URLSafeSerializer

    try:
        payload = URLSafeSerializer(secret_key(), salt=salt).loads(token)
    except BadSignature:
        return None
    return payload if isinstance(payload, dict) else None
