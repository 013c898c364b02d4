"""The records store: the only place with SQL. SQLite for one city, PostgreSQL for a province.

``DIAGNOSE_DATABASE_URL`` chooses the database; the default is a SQLite file
in the data folder (``DIAGNOSE_DATA_DIR``, default ``data/`` at the project
root). Evidence files live beside it, outside the rows, named by their hash.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from diagnose import clock

PROJECT_ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger(__name__)
SQLITE_BUSY_MS = 30_000


# What services and pages see of the database: an open transaction, and two failures.
Transaction = Connection


class StoreError(Exception):
    """The database failed a read or a write; nothing of that transaction was kept."""


class Duplicate(StoreError):
    """A unique key was taken, typically by another writer between a check and the insert."""


class Unavailable(StoreError):
    """The database could not be reached or refused the transaction (locked, gone, broken)."""


@contextmanager
def _store_errors() -> Iterator[None]:
    # the database library's exceptions stop here: beyond the store they are StoreErrors
    try:
        yield
    except IntegrityError as exc:
        raise Duplicate(str(exc.orig)) from exc
    except SQLAlchemyError as exc:
        raise Unavailable(str(exc)) from exc


def data_dir() -> Path:
    """The data folder: ``DIAGNOSE_DATA_DIR``, or ``data/`` at the project root."""
    return Path(os.environ.get("DIAGNOSE_DATA_DIR") or PROJECT_ROOT / "data")


def database_url() -> str:
    """The database: ``DIAGNOSE_DATABASE_URL``, or the SQLite file in the data folder."""
    return os.environ.get("DIAGNOSE_DATABASE_URL") or f"sqlite:///{data_dir() / 'diagnose.db'}"


def private_folder(folder: Path) -> Path:
    """``folder``, made if missing, readable by the owner only (0700) whatever the umask: the data
    folder holds every enterprise's records, evidence and the sign-in secret. A folder that exists
    already is narrowed only if it is the configured data folder: a database file placed in a
    shared folder (``/tmp``, ``/var/lib``) must not take that folder from its other users."""
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    if made or folder.resolve() == data_dir().resolve():
        os.chmod(folder, 0o700)
    return folder


def private_file(path: Path) -> Path:
    """``path``, created empty if missing, readable and writable by the owner only (0600). Not for a
    SQLite database this process may have open (opening and closing it would drop SQLite's locks)."""
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
    return path


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


def _without_password(url: str) -> str:
    """``url`` with any password in it replaced by ***, to be shown in a message."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def make_engine(url: str) -> Engine:
    """An engine with the settings each database needs for safe concurrent writes."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            private_folder(Path(path).parent)
        engine = create_engine(url, json_serializer=_dumps, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
        _sqlite_settings(engine, Path(path) if path and path != ":memory:" else None)
        return engine
    return create_engine(url, json_serializer=_dumps, pool_pre_ping=True)


def _sqlite_settings(engine: Engine, database: Path | None) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        if database is not None:
            # owner-only before the journals exist: SQLite gives its -wal and -shm the database's
            # mode. chmod, never open(): closing another descriptor of the file would drop this
            # process's SQLite locks on it (POSIX locks belong to the process, not the descriptor)
            os.chmod(database, 0o600)
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


TOUCHED = "diagnose_touched_enterprises"


class KeptSums(Protocol):
    """Figures kept beside the records and brought up to date inside each writing transaction
    (``store.board_cells``, the dashboard's sums, is one: a module with these four functions)."""

    def built(self, conn: Connection) -> bool:
        """Whether the sums have ever been built (a new or migrated database has none)."""

    def rebuild(self, conn: Connection) -> int:
        """Build the sums from the records, whole."""

    def refresh(self, conn: Connection, enterprise_ids: set[int]) -> None:
        """Bring the sums of these enterprises up to date with their records."""

    def stop(self, conn: Connection) -> None:
        """Mark the sums out of date, so readers use the records until a rebuild."""


def touch(conn: Connection, enterprise_id: int | None = None, assessment_id: int | None = None) -> None:
    """Note that this transaction changes what an enterprise (given itself or by one of its
    assessments) adds to the kept sums; ``Store.write`` refreshes them before committing."""
    enterprise_ids, assessment_ids = conn.info.setdefault(TOUCHED, (set(), set()))
    if enterprise_id is not None:
        enterprise_ids.add(int(enterprise_id))
    if assessment_id is not None:
        assessment_ids.add(int(assessment_id))


def _touched_enterprises(conn: Connection) -> set[int]:
    """The enterprises this transaction touched, its assessments resolved to their enterprises."""
    from diagnose.store.tables import assessments

    enterprise_ids, assessment_ids = conn.info.pop(TOUCHED, (set(), set()))
    if assessment_ids:
        found = conn.execute(select(assessments.c.enterprise_id).where(assessments.c.id.in_(sorted(assessment_ids))))
        enterprise_ids |= {row[0] for row in found}
    return enterprise_ids


def _refresh(conn: Connection, sums: KeptSums, enterprise_ids: set[int]) -> None:
    try:
        with conn.begin_nested():  # a savepoint: a failure here undoes the sums only
            sums.refresh(conn, enterprise_ids)
    except Exception:  # noqa: BLE001 - the kept sums must never cost anyone a save
        # the write goes through; readers use the records until the sums are rebuilt
        log.exception("kept sums not updated; stopped until `diagnose db rebuild`")
        sums.stop(conn)


class Store:
    """A database and an evidence folder; hands out read and write transactions.

    ``sums`` are the figures kept beside the records (``KeptSums``): each write brings those of the
    enterprises it touched up to date before it commits. The pages and commands open the store
    through ``services.open_store``, which keeps the dashboard's sums; a store opened without them
    (a migration, a test of the records alone) leaves any built sums to ``diagnose db rebuild``.
    """

    def __init__(self, url: str | None = None, evidence_dir: Path | None = None, sums: Sequence[KeptSums] = ()):
        self.url = url or database_url()
        try:
            self.engine = make_engine(self.url)
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            # a mistyped DIAGNOSE_DATABASE_URL, or a database this tool does not support (mysql://)
            raise StoreError(f"数据库地址无法使用：{_without_password(self.url)}（应为 sqlite:///文件 或 "
                             f"postgresql+psycopg://用户@主机/库；{type(exc).__name__}）") from None  # fmt: skip
        self.evidence_dir = evidence_dir or data_dir() / "evidence"
        self.sums = tuple(sums)

    @property
    def dialect(self) -> str:
        """The database's kind: ``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading; what it sees is whatever each statement finds committed.
        A database failure raises ``Unavailable``."""
        with _store_errors(), self.engine.connect() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back whole if it raises.
        Before it commits, the kept sums of the enterprises it touched are brought up to date
        (``touch``), in the same transaction. A taken unique key raises ``Duplicate``, any other
        database failure ``Unavailable``; the service's own exceptions pass through unchanged."""
        with (
            _store_errors(),
            self.engine.connect().execution_options(immediate=True) as connection,
            connection.begin(),
        ):
            connection.info.pop(TOUCHED, None)
            yield connection
            touched = _touched_enterprises(connection) if self.sums else set()
            for sums in self.sums if touched else ():
                _refresh(connection, sums, touched)

    def upgrade(self, build_sums: bool = True) -> None:
        """Migrate to the newest schema; then, unless told not to, build the kept sums that
        have never been built (a new database, or one migrated from before them)."""
        from diagnose.store.migrate import upgrade

        with _store_errors():
            upgrade(self.engine)
        if build_sums and self.sums:
            with self.write() as conn:
                for sums in self.sums:
                    if not sums.built(conn):
                        sums.rebuild(conn)

    def revision(self) -> str | None:
        """The schema's migration revision, or None for an empty database."""
        from diagnose.store.migrate import current_revision

        return current_revision(self.engine)

    @property
    def shown_url(self) -> str:
        """The database's address with any password hidden, to print."""
        return self.engine.url.render_as_string(hide_password=True)

    def copy_sqlite(self, target: Path) -> None:
        """Copy a SQLite database while it is in use (SQLite's online backup) to ``target``,
        which afterwards is a whole copy or absent, never half a file."""
        import sqlite3

        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with _store_errors(), self.engine.connect() as conn:
            source = conn.connection.dbapi_connection
            with sqlite3.connect(partial) as copy:
                source.backup(copy)
            copy.close()
        partial.replace(target)

    def dispose(self) -> None:
        """Close every pooled connection (before the database file is moved or deleted)."""
        self.engine.dispose()
