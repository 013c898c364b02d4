"""Backup and restore of the database and the evidence files, on SQLite and PostgreSQL: the drill
(backup while a writer writes, more writes, the writer killed, restore) and every refusal."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import time
from pathlib import Path

import pytest

from diagnose.access.sessions import sign_session
from diagnose.cli.commands import main
from diagnose.services import assessments as visits
from diagnose.services import open_store
from diagnose.services.accounts import actor_for_session
from diagnose.services.backup import BackupRefused, backup, restore, serve_from
from diagnose.services.guard import PermissionDenied
from diagnose.store import backup as copies
from diagnose.store import records

from .helpers import ADMIN, new_enterprise, user
from .test_concurrency import writer

JPEG = b"\xff\xd8\xff" + b"\x00" * 40


@pytest.fixture
def draft(consultant, store, questionnaires):
    return visits.start_assessment(store, consultant, new_enterprise(store), "baseline", questionnaires)


def saves(process, until: int) -> list[int]:
    """Counters of the writer's saves that returned, read until there are ``until`` of them."""
    seen = []
    deadline = time.monotonic() + 60
    while len(seen) < until and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(int(line))
    assert len(seen) == until, process.stderr.read()
    return seen


def kept_files(folder: Path) -> set[str]:
    return {p.name for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def test_the_restore_drill_leaves_exactly_the_backups_rows_and_files(consultant, store, draft, tmp_path):
    visits.attach_evidence(store, consultant, draft, "Q5", "车间.jpg", JPEG + b"before")
    with store.read() as conn:
        signed = sign_session(consultant.id, records.user_by_id(conn, consultant.id)["session_version"])
    assert actor_for_session(store, signed) is not None
    process = writer(store, "burst", str(draft))
    before = saves(process, 20)[-1]
    done = backup(store, ADMIN, tmp_path / "backup")
    after = saves(process, 20)[-1]  # more writes once the backup is taken
    visits.attach_evidence(store, consultant, draft, "Q6", "仓库.jpg", JPEG + b"after")
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    if store.dialect == "sqlite":  # the hazard a plain file copy falls into: a journal of later writes
        assert Path(f"{copies.sqlite_path(store)}-wal").exists()
    store.dispose()
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))

    restored = open_store(store.url, evidence_dir=store.evidence_dir)
    outcome = restore(restored, ADMIN, tmp_path / "backup", replace=True)

    with restored.read() as conn:
        described = copies.describe(conn)
        assert copies.integrity_ok(conn)
    # after its check the restore ends every session and audits itself: two tables move on by that
    after_check = {"audit_log", "users"}
    assert {k: v for k, v in described.tables.items() if k not in after_check} == {
        k: v for k, v in manifest["tables"].items() if k not in after_check
    }
    assert described.revision == manifest["revision"]
    assert described.tables["users"]["rows"] == manifest["tables"]["users"]["rows"]
    assert described.tables["audit_log"]["rows"] == manifest["tables"]["audit_log"]["rows"] + 1
    with restored.read() as conn:
        assert records.audit_entries(conn)[-1]["action"] == "restore"
    assert actor_for_session(restored, signed) is None  # signed in before: everyone signs in again
    assert kept_files(restored.evidence_dir) == set(manifest["evidence"]["files"]) and done.files == 1
    file = visits.load(restored, consultant, draft)
    assert [e["filename"] for e in file.evidence] == ["车间.jpg"]
    counter = max(int(note.split("=")[1]) for note in file.notes.values())
    assert before <= counter < after  # what the backup saw, none of the writes after it
    later = hashlib.sha256(JPEG + b"after").hexdigest()  # attached after the backup: set aside, not lost
    assert later in kept_files(outcome.aside / "evidence") and later not in kept_files(restored.evidence_dir)
    restored.dispose()


def test_a_restore_refuses_while_an_app_runs_or_data_is_there_and_changes_nothing(consultant, store, draft, tmp_path):
    visits.attach_evidence(store, consultant, draft, "Q5", "车间.jpg", JPEG)
    backup(store, ADMIN, tmp_path / "backup")
    visits.save_note(store, consultant, draft, "Q5", "备份之后写的", visits.load(store, consultant, draft).revision)
    store.dispose()

    with pytest.raises(BackupRefused, match="已有数据.*--replace"):
        restore(store, ADMIN, tmp_path / "backup")
    serve_from(store)  # an app process of this data folder, holding its lock until it ends
    try:
        with pytest.raises(BackupRefused, match="应用正在运行"):
            restore(store, ADMIN, tmp_path / "backup", replace=True)
    finally:
        from diagnose.services.backup import _serving

        _serving.pop().close()
    if store.dialect == "sqlite":  # an app given another data folder, on this same database file
        elsewhere = open_store(store.url, evidence_dir=tmp_path / "another-data-folder" / "evidence")
        serve_from(elsewhere)
        try:
            with pytest.raises(BackupRefused, match="应用正在运行"):
                restore(store, ADMIN, tmp_path / "backup", replace=True)
        finally:
            from diagnose.services.backup import _serving

            _serving.pop().close()
            elsewhere.dispose()
    if store.dialect == "postgresql":
        watcher = open_store(store.url, evidence_dir=store.evidence_dir)
        # another session connected, as an app on another machine would be
        with watcher.read(), pytest.raises(BackupRefused, match="1 个连接"):
            restore(store, ADMIN, tmp_path / "backup", replace=True)
        watcher.dispose()
    assert visits.load(store, consultant, draft).notes["Q5"] == "备份之后写的"


def test_a_damaged_or_foreign_backup_and_a_taken_folder_are_refused_by_name(consultant, store, draft, tmp_path):
    visits.attach_evidence(store, consultant, draft, "Q5", "车间.jpg", JPEG)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x.txt").write_text("x")
    with pytest.raises(BackupRefused, match="已存在且不是空文件夹"):
        backup(store, ADMIN, tmp_path / "taken")
    with pytest.raises(PermissionDenied):
        backup(store, consultant, tmp_path / "mine")
    done = backup(store, ADMIN, tmp_path / "backup")
    kept = next(p for p in (done.folder / "evidence").rglob("*") if p.is_file())
    kept.write_bytes(JPEG + b"changed")  # put back below, for the next refusal
    store.dispose()

    with pytest.raises(BackupRefused, match=f"证据文件 evidence/{kept.name[:2]}/{kept.name} 缺失或内容不符"):
        restore(store, ADMIN, done.folder, replace=True)
    with pytest.raises(BackupRefused, match="不是备份文件夹"):
        restore(store, ADMIN, tmp_path)
    with pytest.raises(PermissionDenied):
        restore(store, consultant, done.folder, replace=True)
    kept.write_bytes(JPEG)
    manifest = json.loads((done.folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["dialect"] = "postgresql" if store.dialect == "sqlite" else "sqlite"
    manifest["database"]["file"] = "database.pgdump" if store.dialect == "sqlite" else "database.sqlite"
    (done.folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BackupRefused, match="不能恢复到"):
        restore(store, ADMIN, done.folder, replace=True)


def test_the_commands_back_up_and_restore_into_an_empty_store(store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DIAGNOSE_DATA_DIR", str(tmp_path / "data"))  # the commands' evidence and app lock
    url = store.url
    assert main(["demo", "--enterprises", "3", "--database", url]) == 0
    assert main(["backup", str(tmp_path / "b"), "--database", url]) == 0
    assert "已备份到" in capsys.readouterr().out
    store.dispose()
    if store.dialect == "sqlite":
        empty = f"sqlite:///{tmp_path / 'empty' / 'diagnose.db'}"
    else:
        empty = url.rsplit("/", 1)[0] + "/restore_target_" + str(os.getpid())
        from sqlalchemy import create_engine, text

        admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {empty.rsplit('/', 1)[1]}"))
        admin.dispose()

    assert main(["restore", str(tmp_path / "b"), "--database", empty]) == 0

    assert "逐表核对一致" in capsys.readouterr().out
    copy = open_store(empty)
    with copy.read() as conn:
        assert copies.describe(conn).tables["enterprises"]["rows"] == 3
    copy.dispose()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda m: m["tables"]["users"].update(rows=5), "数据库副本与清单不符（users）"),
        (lambda m: m["evidence"].update(files=[]), "数据库副本与清单不符（证据文件清单）"),
        (lambda m: m.pop("database"), "缺少必要内容或内容格式不对"),
        (lambda m: m["evidence"].update(files=None), "缺少必要内容或内容格式不对"),
        (lambda m: "{not json", "不是有效的清单文件"),
    ],
    ids=["row-count", "evidence-list", "no-database", "files-null", "not-json"],
)
def test_a_manifest_that_disagrees_with_its_sqlite_copy_is_refused_before_anything_changes(
    tmp_path, questionnaires, spoil, message
):
    data = tmp_path / "data"
    store = open_store(f"sqlite:///{data / 'diagnose.db'}", evidence_dir=data / "evidence")
    store.upgrade()
    consultant = user(store, "顾问甲")
    draft = visits.start_assessment(store, consultant, new_enterprise(store), "baseline", questionnaires)
    visits.attach_evidence(store, consultant, draft, "Q5", "车间.jpg", JPEG)
    done = backup(store, ADMIN, tmp_path / "backup")
    manifest = json.loads((done.folder / "manifest.json").read_text(encoding="utf-8"))
    spoilt = spoil(manifest)
    text = spoilt if isinstance(spoilt, str) else json.dumps(manifest)
    (done.folder / "manifest.json").write_text(text, encoding="utf-8")
    visits.save_note(store, consultant, draft, "Q5", "备份之后写的", visits.load(store, consultant, draft).revision)
    store.dispose()

    with pytest.raises(BackupRefused, match=re.escape(message)):
        restore(store, ADMIN, done.folder, replace=True)
    with pytest.raises(BackupRefused, match="不存在"):
        restore(store, ADMIN, tmp_path / "no-such-folder", replace=True)
    assert visits.load(store, consultant, draft).notes["Q5"] == "备份之后写的"
    assert not [p for p in data.iterdir() if p.name.startswith("before-restore")]
    store.dispose()


def test_a_kept_file_damaged_before_the_backup_is_listed_missing_not_carried(consultant, store, draft, tmp_path):
    visits.attach_evidence(store, consultant, draft, "Q5", "车间.jpg", JPEG)
    damaged = next(p for p in store.evidence_dir.rglob("*") if p.is_file())
    damaged.write_bytes(JPEG + b"bit rot")

    done = backup(store, ADMIN, tmp_path / "backup")

    assert done.files == 0 and done.missing == (damaged.name,)
    manifest = json.loads((done.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["evidence"] == {"files": [], "bytes": 0, "missing": [damaged.name]}
    assert kept_files(done.folder / "evidence") == set()
