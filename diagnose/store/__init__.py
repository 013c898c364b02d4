"""The records store: the only place with SQL. SQLite for one city, PostgreSQL for a province.

``DIAGNOSE_DATABASE_URL`` chooses the database; the default is a SQLite file
in the data folder (``DIAGNOSE_DATA_DIR``, default ``data/`` at the project
root). Evidence files live beside it, outside the rows, named by their hash.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import Engine

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SQLITE_BUSY_MS = 30_000


def data_dir() -> Path:
    return Path(os.environ.get("DIAGNOSE_DATA_DIR") or PROJECT_ROOT / "data")


def database_url() -> str:
    return os.environ.get("DIAGNOSE_DATABASE_URL") or f"sqlite:///{data_dir() / 'diagnose.db'}"


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without their zone; everything stored is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str) -> Engine:
    """An engine with the settings each database needs for safe concurrent writes."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, json_serializer=_dumps, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
        _sqlite_settings(engine)
        return engine
    return create_engine(url, json_serializer=_dumps, pool_pre_ping=True)


def _sqlite_settings(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # take transactions out of the driver's hands so BEGIN IMMEDIATE is ours to send
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a save that returned is on disk, even if the machine loses power next
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # a write transaction takes the write lock at once, so two writers queue
        # (busy_timeout) instead of one failing when it upgrades a read lock
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """A database and an evidence folder; hands out read and write transactions."""

    def __init__(self, url: str | None = None, evidence_dir: Path | None = None):
        self.url = url or database_url()
        self.engine = make_engine(self.url)
        self.evidence_dir = evidence_dir or data_dir() / "evidence"

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back whole if it raises."""
        with self.engine.connect().execution_options(immediate=True) as connection, connection.begin():
            yield connection

    def upgrade(self) -> None:
        from diagnose.store.migrate import upgrade

        upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
