"""Backup and restore of everything the tool keeps: the database, the evidence files, a manifest.

A backup is a folder: ``database.sqlite`` (SQLite's online backup) or ``database.pgdump``
(``pg_dump`` custom format), ``evidence/`` with every kept file the copy's rows name, and
``manifest.json`` (tool version, schema revision, per-table row counts and digests, the database
file's and every kept file's SHA-256). It is written beside its name and renamed when whole, so a
backup folder is whole or absent.

A restore checks the folder against its manifest before touching anything, refuses while an app
process runs (or, on PostgreSQL, another session is connected) and while the target holds data
unless told to replace it; then it moves what was there aside (``before-restore-<time>/`` in the
data folder), puts the copy back, and describes the restored database again: the restore is done
only when every table's rows match the manifest. Then every session is ended (a cookie signed out
after the backup must not sign in again) and the restore is written to the audit log.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from diagnose import __version__, clock
from diagnose.access.policy import Actor
from diagnose.services.errors import ServiceError
from diagnose.services.guard import require
from diagnose.store import Store, private_folder, records
from diagnose.store import backup as copies
from diagnose.visit.evidence import file_path

MANIFEST = "manifest.json"
KIND = "diagnose-backup"
DATABASE_FILES = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}


class BackupRefused(ServiceError):
    """A backup or restore that cannot go ahead; the message says why and what to do, and nothing
    was changed (a restore that fails its final check says where the data before it was moved)."""


@dataclass(frozen=True)
class BackupDone:
    """A written backup: its folder, how many rows and kept files it holds, and any named file that
    was already missing from the evidence folder or no longer matched its hash (listed, not invented)."""

    folder: Path
    rows: int
    files: int
    missing: tuple[str, ...]


@dataclass(frozen=True)
class RestoreDone:
    """A finished restore: rows and files put back, and where the data before it was moved (None
    when the target was empty)."""

    rows: int
    files: int
    aside: Path | None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_serving: list = []  # the app locks this process holds, open until it exits


def serve_from(store: Store) -> None:
    """Mark this process as an app serving ``store``: it holds the database's shared app lock until it
    exits (however it ends), so a restore refuses while it runs; any number of app processes may."""
    _serving.append(copies.hold_app_lock(store))


def data_folder(store: Store) -> Path:
    """The store's data folder: where its evidence folder, the app's lock and set-aside data live."""
    return store.evidence_dir.parent


def backup(store: Store, actor: Actor, target: Path) -> BackupDone:
    """Write a backup folder at ``target`` while the tool is in use (admins only). Raises
    ``BackupRefused`` if ``target`` exists and is not an empty folder, or the database tool fails."""
    require(store, actor, "store.backup")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupRefused(f"{target} 已存在且不是空文件夹：请指定一个新的备份文件夹")
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    private_folder(partial)  # a backup holds what the data folder holds: the owner's only
    database = partial / DATABASE_FILES[store.dialect]
    try:
        snapshot = copies.copy_database(store, database)
    except copies.RestoreRefused as refused:
        shutil.rmtree(partial, ignore_errors=True)
        raise BackupRefused(str(refused)) from None
    kept, missing, size = [], [], 0
    for digest in snapshot.files:
        source = file_path(store.evidence_dir, digest)
        if not source.exists():
            missing.append(digest)
            continue
        copy = file_path(partial / "evidence", digest)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
        if _sha256(copy) != digest:  # damaged in the evidence folder: listed as missing, not carried on
            copy.unlink()
            missing.append(digest)
            continue
        kept.append(digest)
        size += copy.stat().st_size
    manifest = {
        "kind": KIND,
        "tool_version": __version__,
        "created": clock.local(clock.now()).isoformat(timespec="seconds"),
        "dialect": store.dialect,
        "revision": snapshot.revision,
        "database": {"file": database.name, "sha256": _sha256(database), "bytes": database.stat().st_size},
        "tables": snapshot.tables,
        "evidence": {"files": kept, "bytes": size, "missing": missing},
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    for kept_path in partial.rglob("*"):
        os.chmod(kept_path, 0o700 if kept_path.is_dir() else 0o600)
    if target.exists():
        target.rmdir()  # empty, checked above
    os.replace(partial, target)
    with store.write() as conn:  # after the copy: the backup itself need not record that it was taken
        records.audit(conn, actor.username, "backup", "store", None, new={"folder": str(target)})
    rows = sum(table["rows"] for table in snapshot.tables.values())
    return BackupDone(target, rows, len(kept), tuple(missing))


def read_manifest(folder: Path, dialect: str) -> dict:
    """The manifest of a backup folder for a ``dialect`` database, checked against the files beside
    it: its shape, the kind of database it was taken from, the
    database file's hash, every kept file's hash and, for SQLite, every table of the copy against
    the manifest's counts and digests. Raises ``BackupRefused`` naming what differs."""
    if not folder.is_dir():
        raise BackupRefused(f"备份文件夹 {folder} 不存在（或不是文件夹）")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupRefused(f"{folder} 不是备份文件夹：缺少 {MANIFEST}") from None
    except (OSError, ValueError):
        raise BackupRefused(f"备份已损坏：{folder / MANIFEST} 不是有效的清单文件") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise BackupRefused(f"{folder / MANIFEST} 不是数字化诊断的备份清单")
    if not _well_formed(manifest):
        raise BackupRefused(f"备份已损坏：{folder / MANIFEST} 缺少必要内容或内容格式不对")
    if manifest["dialect"] != dialect:
        raise BackupRefused(f"这是 {manifest['dialect']} 数据库的备份，不能恢复到 {dialect} 数据库")
    database = folder / manifest["database"]["file"]
    if not database.is_file() or _sha256(database) != manifest["database"]["sha256"]:
        raise BackupRefused(f"备份已损坏：{database.name} 缺失或与清单不符")
    for digest in manifest["evidence"]["files"]:
        kept = file_path(folder / "evidence", digest)
        if not kept.is_file() or _sha256(kept) != digest:
            raise BackupRefused(f"备份已损坏：证据文件 evidence/{digest[:2]}/{digest} 缺失或内容不符")
    if manifest["dialect"] == "sqlite":  # the copy itself read before anything is replaced
        copy = copies.describe_sqlite_copy(database)
        listed = set(manifest["evidence"]["files"]) | set(manifest["evidence"]["missing"])
        what = _disagreement(copy, manifest) or ("证据文件清单" if set(copy.files) != listed else None)
        if what:
            raise BackupRefused(f"备份已损坏：数据库副本与清单不符（{what}）")
    return manifest


def _well_formed(manifest: dict) -> bool:
    database, evidence, tables = manifest.get("database"), manifest.get("evidence"), manifest.get("tables")
    return (
        manifest.get("dialect") in DATABASE_FILES
        and isinstance(database, dict)
        and database.get("file") == DATABASE_FILES[manifest["dialect"]]
        and isinstance(database.get("sha256"), str)
        and isinstance(evidence, dict)
        and all(isinstance(evidence.get(k), list) for k in ("files", "missing"))
        and all(isinstance(d, str) and len(d) == 64 for d in evidence["files"])
        and isinstance(tables, dict)
        and all(isinstance(t, dict) and set(t) == {"rows", "sha256"} for t in tables.values())
    )


def restore(store: Store, actor: Actor, source: Path, replace: bool = False) -> RestoreDone:
    """Put the backup in ``source`` back as the store's whole state (admins only).

    Refuses (``BackupRefused``, nothing changed) when the backup does not match its manifest, was
    taken from the other kind of database, an app process is running, another session is connected
    (PostgreSQL), or the target holds data and ``replace`` is false. Afterwards the database holds
    exactly the backup's rows (checked table by table) and the evidence folder exactly its files;
    then every account's sessions are ended (everyone signs in again) and the restore is audited."""
    require(store, actor, "store.restore")
    manifest = read_manifest(source, store.dialect)
    folder = data_folder(store)
    try:
        lock = copies.exclusive_lock(store)
    except copies.RestoreRefused as refused:
        raise BackupRefused(str(refused)) from None
    try:
        store.dispose()
        sessions = copies.other_sessions(store)
        if sessions:
            raise BackupRefused(f"还有 {sessions} 个连接在使用该数据库：请先停止所有应用进程，再恢复")
        has_files = store.evidence_dir.exists() and any(p.is_file() for p in store.evidence_dir.rglob("*"))
        holds = copies.holds_data(store) or has_files
        if holds and not replace:
            raise BackupRefused(
                "目标数据库或证据文件夹已有数据：确认要用备份覆盖时，请加 --replace（原数据会移到数据文件夹中）"
            )
        aside = folder / f"before-restore-{clock.local(clock.now()):%Y%m%d-%H%M%S}" if holds else None
        try:
            copies.put_back(store, source / manifest["database"]["file"], aside)
        except copies.RestoreRefused as refused:
            raise BackupRefused(str(refused)) from None
        _put_back_evidence(store.evidence_dir, source / "evidence", manifest["evidence"]["files"], aside)
        _check_restored(store, manifest, aside)
        with store.write() as conn:
            # a cookie signed out after the backup was taken must not sign anyone in again
            records.end_all_sessions(conn)
            records.audit(conn, actor.username, "restore", "store", None,
                          new={"backup": str(source), "created": manifest.get("created")})  # fmt: skip
    finally:
        lock.close()
    rows = sum(table["rows"] for table in manifest["tables"].values())
    return RestoreDone(rows, len(manifest["evidence"]["files"]), aside)


def _put_back_evidence(evidence_dir: Path, source: Path, files: list[str], aside: Path | None) -> None:
    # a new folder filled beside the old one, then swapped in: never half of each
    fresh = evidence_dir.with_name(evidence_dir.name + ".restoring")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    for digest in files:
        copy = file_path(fresh, digest)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file_path(source, digest), copy)
    if evidence_dir.exists():
        if aside is not None:
            aside.mkdir(parents=True, exist_ok=True)
            os.replace(evidence_dir, aside / evidence_dir.name)
        else:
            shutil.rmtree(evidence_dir)  # held no files (checked by the caller): empty folders only
    os.replace(fresh, evidence_dir)


def _check_restored(store: Store, manifest: dict, aside: Path | None) -> None:
    with store.read() as conn:
        restored = copies.describe(conn)
        healthy = copies.integrity_ok(conn)
    what = _disagreement(restored, manifest) or (None if healthy else "完整性检查")
    if what:
        where = f"；恢复前的数据在 {aside}（把其中的文件移回数据文件夹即可撤销）" if aside else ""
        raise BackupRefused(f"恢复后的核对未通过（{what}）{where}")


def _disagreement(snapshot: copies.Snapshot, manifest: dict) -> str | None:
    """What of a described database differs from the manifest: the tables by name, else the schema
    revision; None when every table and the revision match."""
    differing = [name for name, table in manifest["tables"].items() if snapshot.tables.get(name) != table]
    if differing:
        return "、".join(differing)
    return "数据库结构版本" if snapshot.revision != manifest["revision"] else None
