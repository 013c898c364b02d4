"""The records store: the only place with SQL. SQLite for one city, PostgreSQL for a province.

``DIAGNOSE_DATABASE_URL`` chooses the database; the default is a SQLite file
in the data folder (``DIAGNOSE_DATA_DIR``, default ``data/`` at the project
root). Evidence files live beside it, outside the rows, named by their hash.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, create_engine, event, select
from sqlalchemy.engine import Engine

from diagnose import clock

PROJECT_ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger(__name__)
SQLITE_BUSY_MS = 30_000


def data_dir() -> Path:
    return Path(os.environ.get("DIAGNOSE_DATA_DIR") or PROJECT_ROOT / "data")


def database_url() -> str:
    return os.environ.get("DIAGNOSE_DATABASE_URL") or f"sqlite:///{data_dir() / 'diagnose.db'}"


def now() -> datetime:
    """The moment to store (UTC): the tool's one clock (``diagnose.clock``), which tests set."""
    return clock.now()


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


TOUCHED = "diagnose_board_touched"


def touch(conn: Connection, enterprise_id: int | None = None, assessment_id: int | None = None) -> None:
    """Note that this transaction changes what an enterprise (given itself or by one of its
    assessments) adds to the dashboard; ``Store.write`` refreshes its sums before committing."""
    enterprise_ids, assessment_ids = conn.info.setdefault(TOUCHED, (set(), set()))
    if enterprise_id is not None:
        enterprise_ids.add(int(enterprise_id))
    if assessment_id is not None:
        assessment_ids.add(int(assessment_id))


def _refresh_board(conn: Connection) -> None:
    enterprise_ids, assessment_ids = conn.info.pop(TOUCHED, (set(), set()))
    if not (enterprise_ids or assessment_ids):
        return
    from diagnose.store import board_cells  # the dashboard's modules need the store, not the other way
    from diagnose.store.tables import assessments

    if assessment_ids:
        found = conn.execute(select(assessments.c.enterprise_id).where(assessments.c.id.in_(sorted(assessment_ids))))
        enterprise_ids |= {row[0] for row in found}
    try:
        with conn.begin_nested():  # a savepoint: a failure here undoes the sums only
            board_cells.refresh(conn, enterprise_ids)
    except Exception:  # noqa: BLE001 - the dashboard's sums must never cost anyone a save
        # the write goes through; the dashboard reads the records until the sums are rebuilt
        log.exception("dashboard sums not updated; stopped until `diagnose db rebuild`")
        board_cells.stop(conn)


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
        """One transaction: committed when the block ends, rolled back whole if it raises.
        Before it commits, the dashboard's sums of the enterprises it touched are brought up
        to date (``touch``), in the same transaction."""
        with self.engine.connect().execution_options(immediate=True) as connection, connection.begin():
            connection.info.pop(TOUCHED, None)
            yield connection
            _refresh_board(connection)

    def upgrade(self, build_sums: bool = True) -> None:
        """Migrate to the newest schema; then, unless told not to, build the dashboard's sums
        if they have never been built (a new database, or one migrated from before them)."""
        from diagnose.store import board_cells
        from diagnose.store.migrate import upgrade

        upgrade(self.engine)
        if build_sums:
            with self.write() as conn:
                if not board_cells.built(conn):
                    board_cells.rebuild(conn)

    def dispose(self) -> None:
        self.engine.dispose()
