"""What the tool writes to disk is its owner's only, whatever the umask: the data folder, the
SQLite database and its journals, the app's lock, a backup and everything in it."""

from __future__ import annotations

import os
import stat

from diagnose.services import assessments as visits
from diagnose.services import open_store
from diagnose.services.backup import backup, serve_from

from .helpers import ADMIN, new_enterprise, user


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_data_folder_database_journals_lock_and_backup_are_the_owners_only(tmp_path, questionnaires):
    previous = os.umask(0o022)  # a common default: files 0644, folders 0755
    try:
        data = tmp_path / "data"
        store = open_store(f"sqlite:///{data / 'diagnose.db'}", evidence_dir=data / "evidence")
        store.upgrade()
        consultant = user(store, "顾问甲")
        draft = visits.start_assessment(store, consultant, new_enterprise(store), "baseline", questionnaires)
        visits.attach_evidence(store, consultant, draft, "Q5", "车间.jpg", b"\xff\xd8\xff" + b"\x00" * 40)
        serve_from(store)
        done = backup(store, ADMIN, tmp_path / "backup")
    finally:
        os.umask(previous)
        from diagnose.services.backup import _serving

        _serving.pop().close()

    assert mode(data) == 0o700
    assert {p.name: mode(p) for p in data.iterdir() if p.is_file()} == {
        "diagnose.db": 0o600, "diagnose.db-wal": 0o600, "diagnose.db-shm": 0o600, "diagnose.db.app.lock": 0o600,
    }  # fmt: skip
    assert {mode(p) for p in done.folder.rglob("*") if p.is_file()} == {0o600}
    assert {mode(p) for p in [done.folder, *done.folder.rglob("*")] if p.is_dir()} == {0o700}
    store.dispose()


def test_a_database_in_a_shared_folder_keeps_the_folder_as_it_was(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)

    store = open_store(f"sqlite:///{shared / 'diagnose.db'}", evidence_dir=tmp_path / "evidence")
    store.upgrade()

    assert mode(shared) == 0o755  # not ours to narrow
    assert mode(shared / "diagnose.db") == 0o600
    store.dispose()
