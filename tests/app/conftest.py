"""AppTest fixtures: a seeded store per test and a signed-in user of any role.

AppTest sends no cookies, so the cookie reader is replaced by one returning a
token signed by the real signer; everything after it (signature, expiry, the
account checked in the store) runs as in production.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from diagnose.access.policy import Actor
from diagnose.access.sessions import sign_session
from diagnose.services import open_store, questionnaires
from diagnose.services.accounts import add_user
from diagnose.services.demo import seed_demo
from diagnose.services.files import overview
from diagnose.store import Store, records

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ADMIN = Actor("测试管理员", "admin")
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory) -> Path:
    """One migrated database with 30 sample enterprises (seed 3, the session's clock), as a single
    file with no journal beside it, for each test to copy: seeding it per test cost a second each."""
    folder = tmp_path_factory.mktemp("seeded")
    store = open_store(f"sqlite:///{folder / 'made.db'}", evidence_dir=folder / "evidence")
    store.upgrade()
    seed_demo(store, ADMIN, 30, 3, questionnaires())
    store.copy_sqlite(folder / "seeded.db")
    store.dispose()
    return folder / "seeded.db"


@pytest.fixture
def seeded(seeded_database, tmp_path, monkeypatch) -> Store:
    """A store of its own with the 30 sample enterprises, which the app under test uses."""
    shutil.copyfile(seeded_database, tmp_path / "app.db")
    url = f"sqlite:///{tmp_path / 'app.db'}"
    store = open_store(url, evidence_dir=tmp_path / "evidence")
    monkeypatch.setenv("DIAGNOSE_DATABASE_URL", url)
    yield store
    store.dispose()


@pytest.fixture
def sign_in_as(seeded, monkeypatch):
    """``sign_in_as(role)`` makes an account of that role and signs this test's browser in."""

    def sign_in(role: str, username: str | None = None, organisation: str | None = None) -> Actor:
        """``organisation``: an existing one the account belongs to (else a provider gets its own)."""
        username = username or f"test_{role}"
        code = overview(seeded, ADMIN)[0]["credit_code"] if role == "enterprise" else None
        made = f"{username}的单位（示例）" if role == "provider" and organisation is None else None
        organisation = organisation or made
        if made:
            from diagnose.services.applications import add_organisation

            add_organisation(seeded, ADMIN, organisation, "provider")
        add_user(seeded, ADMIN, username, role, PASSWORD, credit_code=code, organisation=organisation)
        with seeded.read() as conn:
            row = records.user_by_name(conn, username)
        token = sign_session(row["id"], row["session_version"])
        monkeypatch.setattr("diagnose.ui.session.session_cookie", lambda: token)
        return Actor(username, role, row["id"], row["enterprise_id"], row["organisation_id"])

    return sign_in


CODE = "91350100M000100Y43"  # the test draft's enterprise


@pytest.fixture
def consultant(seeded, sign_in_as):
    """A signed-in consultant (who creates, so is assigned to, the ``draft``'s enterprise)."""
    return sign_in_as("consultant")


@pytest.fixture
def draft(seeded, consultant):
    """A plastics baseline draft of a new enterprise, started by ``consultant``."""
    from diagnose.services import assessments as visits
    from diagnose.services.enterprises import create_enterprise

    enterprise = create_enterprise(seeded, consultant, {"credit_code": CODE, "name": "揭阳测试塑胶有限公司",
                                                          "industry": "塑胶", "district": "榕城区"})  # fmt: skip
    return visits.start_assessment(seeded, consultant, enterprise, "baseline", questionnaires())


def open_app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    if page:
        at.switch_page(page).run()
    return at
