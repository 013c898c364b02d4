"""The database's side of a backup and a restore: a consistent copy, what it holds, putting it back.

A copy is taken in one snapshot: SQLite's online backup, or ``pg_dump`` of a snapshot exported by
a repeatable-read transaction. In that same snapshot the copy is described: per table its row count
and a digest of its rows (in key order), and the hashes of the kept files its rows name. A restore
puts the copy back whole or not at all (SQLite: the file replaced with its ``-wal`` and ``-shm``
moved aside, so no old journal is replayed over it; PostgreSQL: one ``psql`` transaction), and the
restored database is described again the same way, so the caller can compare.

The app holds a shared lock while it runs (``hold_app_lock``): on SQLite a file beside the
database (``diagnose.db.app.lock``), so every process on that database shares it whatever data
folder it was given; on PostgreSQL ``app.lock`` in the data folder. A restore takes it exclusively,
so it refuses while an app process runs on this machine, and on PostgreSQL it also refuses while
another session is connected to the database.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, create_engine, select, text
from sqlalchemy.engine import make_url

from diagnose.store import Store, _store_errors, private_file, private_folder
from diagnose.store.tables import evidence, metadata, project_documents
from diagnose.store.throwaway_pg import server_bindir

APP_LOCK = "app.lock"


class RestoreRefused(Exception):
    """The restore cannot go ahead as things stand (an app is running, the target holds data, a tool
    is missing); nothing was changed. The message says why, in Chinese."""


@dataclass(frozen=True)
class Snapshot:
    """What a copy of the database holds: ``tables`` maps each table to ``{"rows": n, "sha256": h}``,
    ``files`` the SHA-256 of every kept file (evidence, project documents) its rows name."""

    revision: str | None
    tables: dict[str, dict]
    files: tuple[str, ...]


def _row_text(row) -> str:
    return json.dumps(list(row), ensure_ascii=False, default=str, sort_keys=True)


def describe(conn: Connection) -> Snapshot:
    """Row counts and row digests of every table, and the kept files named, as this transaction sees them."""
    tables = {}
    for table in metadata.sorted_tables:
        digest, rows = hashlib.sha256(), 0
        order = list(table.primary_key.columns) or list(table.columns)
        for row in conn.execute(select(table).order_by(*order)):
            digest.update(_row_text(row).encode())
            digest.update(b"\n")
            rows += 1
        tables[table.name] = {"rows": rows, "sha256": digest.hexdigest()}
    named = {row[0] for row in conn.execute(select(evidence.c.sha256))}
    named |= {row[0] for row in conn.execute(select(project_documents.c.sha256))}
    revision = MigrationContext.configure(conn).get_current_revision()
    return Snapshot(revision, tables, tuple(sorted(named)))


def integrity_ok(conn: Connection) -> bool:
    """SQLite's own integrity check of the whole file; PostgreSQL checks its pages as it reads them."""
    if conn.dialect.name != "sqlite":
        return True
    return conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"


def describe_sqlite_copy(path: Path) -> Snapshot:
    """Describe a SQLite backup file without changing it (opened read-only)."""
    copy = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with _store_errors(), copy.connect() as conn:
            return describe(conn)
    finally:
        copy.dispose()


def sqlite_path(store: Store) -> Path:
    """The SQLite database file of ``store``."""
    return Path(store.engine.url.database).resolve()


def copy_database(store: Store, target: Path) -> Snapshot:
    """Copy the database to ``target`` (SQLite file, or ``pg_dump`` custom format) while it is in
    use, and describe the copy. Raises ``RestoreRefused`` if ``pg_dump`` cannot be found or fails."""
    if store.dialect == "sqlite":
        store.copy_sqlite(target)
        return describe_sqlite_copy(target)
    with _store_errors(), store.engine.connect() as conn:
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        exported = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        _pg_tool(store, "pg_dump", "--format=custom", f"--snapshot={exported}", f"--file={target}")
        snapshot = describe(conn)  # the same snapshot pg_dump read
        conn.rollback()
    return snapshot


def holds_data(store: Store) -> bool:
    """Whether the database has any enterprise, user or assessment (an empty schema does not)."""
    from diagnose.store.tables import assessments, enterprises, users

    try:
        with store.read() as conn:
            return any(conn.execute(select(table).limit(1)).first() for table in (enterprises, users, assessments))
    except Exception:  # noqa: BLE001 - no tables yet (a database never migrated) holds no data
        return False


def other_sessions(store: Store) -> int:
    """How many other sessions are connected to this PostgreSQL database (0 on SQLite)."""
    if store.dialect != "postgresql":
        return 0
    with store.read() as conn:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        return conn.execute(text(query)).scalar_one()


def app_lock_path(store: Store) -> Path:
    """The app's lock of this store's database: beside the SQLite file (the database, not the data
    folder a process was given, is what a restore replaces), or in the data folder on PostgreSQL."""
    if store.dialect == "sqlite":
        database = sqlite_path(store)
        return database.with_name(database.name + "." + APP_LOCK)
    return store.evidence_dir.parent / APP_LOCK


def _lock_file(store: Store):
    place = app_lock_path(store)
    private_folder(place.parent)
    return open(private_file(place), "a+")  # noqa: SIM115 - the caller keeps it


def hold_app_lock(store: Store):
    """Take the app's shared lock on the store's database for as long as the returned handle lives
    (the process); many app processes share it, a restore's exclusive lock waits for none of them."""
    handle = _lock_file(store)
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def exclusive_lock(store: Store):
    """The database's app lock taken exclusively, or ``RestoreRefused`` while an app process holds it."""
    handle = _lock_file(store)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise RestoreRefused("应用正在运行：请先停止所有应用进程（make run / systemd 服务），再恢复") from None
    return handle


def put_back(store: Store, source: Path, aside: Path | None) -> None:
    """Replace the database of ``store`` with the copy at ``source``, whole or not at all. On SQLite
    the current file and its ``-wal``/``-shm`` are moved into ``aside`` first (deleted when ``aside``
    is None: the caller found no data in them); on PostgreSQL the
    schema is dropped and the copy loaded in one transaction (nothing changes if loading fails)."""
    store.dispose()
    if store.dialect == "sqlite":
        _put_back_sqlite(sqlite_path(store), source, aside)
    else:
        _put_back_postgres(store, source)
    store.dispose()


def _put_back_sqlite(database: Path, source: Path, aside: Path | None) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=database.parent, prefix=".restore-", delete=False) as handle:
        with source.open("rb") as copy:
            shutil.copyfileobj(copy, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(handle.name, 0o600)
    for suffix in ("", "-wal", "-shm", "-journal"):
        old = database.with_name(database.name + suffix)
        if not old.exists():
            continue
        if aside is None:  # an old journal left beside the copy would be replayed over it
            old.unlink()
        else:
            aside.mkdir(parents=True, exist_ok=True)
            os.replace(old, aside / old.name)
    os.replace(handle.name, database)


def _put_back_postgres(store: Store, source: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "restore.sql"
        script.write_text("DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n", encoding="utf-8")
        body = Path(scratch) / "body.sql"
        _pg_tool(store, "pg_restore", "--no-owner", "--no-privileges", f"--file={body}", str(source), connect=False)
        with script.open("a", encoding="utf-8") as whole, body.open(encoding="utf-8") as loaded:
            shutil.copyfileobj(loaded, whole)
        _pg_tool(store, "psql", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1", f"--file={script}")


def _pg_tool(store: Store, tool: str, *arguments: str, connect: bool = True) -> None:
    """Run one of PostgreSQL's client tools on the store's database (the password through the
    environment, never the command line); raises ``RestoreRefused`` if it is missing or fails."""
    found = shutil.which(tool)
    if found is None:
        try:
            found = str(server_bindir() / tool)
        except Exception:  # noqa: BLE001 - no server install either: say which tool is missing
            found = ""
    if not found or not Path(found).exists():
        raise RestoreRefused(f"找不到 {tool}：请安装 PostgreSQL 客户端工具（postgresql-client）")
    url = make_url(store.url)
    database = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    command = [found, *([f"--dbname={database}"] if connect else []), *arguments]
    environment = os.environ | {"PGPASSWORD": url.password or ""}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    if done.returncode != 0:
        raise RestoreRefused(f"{tool} 失败：{done.stderr.strip()[-500:]}")
