"""Stores on SQLite and on a real PostgreSQL that the tests start themselves.

Every test that takes ``store`` runs on both. If PostgreSQL cannot be started
the tests fail: a skipped database is an untested database.
"""

from __future__ import annotations

import itertools
import os
import shutil

import pytest

from diagnose.services import open_store
from diagnose.store import Store
from diagnose.store.throwaway_pg import PostgresUnavailable, ThrowawayPostgres

TEMPLATE = "diagnose_template"
_names = itertools.count()


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server with a migrated template database to copy per test."""
    try:
        server = ThrowawayPostgres().start()
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL could not be started for the integration tests: {exc}")
    server.execute(f"CREATE DATABASE {TEMPLATE}")
    template = open_store(server.url(TEMPLATE))
    template.upgrade()
    template.dispose()  # a template must have no open connections to be copied
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated, empty SQLite database (sums built) to copy per test: migrating per test cost
    about 0.2 s, times some nine hundred tests."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    made = open_store(f"sqlite:///{folder / 'made.db'}", evidence_dir=folder / "evidence")
    made.upgrade()
    made.copy_sqlite(folder / "template.db")
    made.dispose()
    return folder / "template.db"


def fresh_store(request, dialect: str, folder) -> Store:
    """A migrated, empty store: a copy of the SQLite template in ``folder``, or of the PostgreSQL one."""
    if dialect == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), folder / "diagnose.db")
        return open_store(f"sqlite:///{folder / 'diagnose.db'}", evidence_dir=folder / "evidence")
    server = request.getfixturevalue("postgres")
    name = f"test_{os.getpid()}_{next(_names)}"
    server.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    return open_store(server.url(name), evidence_dir=folder / "evidence")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    made = fresh_store(request, request.param, tmp_path)
    yield made
    made.dispose()


@pytest.fixture(scope="session")
def questionnaires():
    from diagnose.services import questionnaires as shipped

    return shipped()


@pytest.fixture
def consultant(store):
    """The consultant 顾问甲, who creates the test enterprises and so is assigned to them."""
    from .helpers import user

    return user(store, "顾问甲")
