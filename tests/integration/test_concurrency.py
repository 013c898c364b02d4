"""Several processes at once, and a writer killed mid-burst: nothing lost, nothing overwritten."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from diagnose.services import assessments as visits
from diagnose.services import open_store
from diagnose.services.dashboard import board
from diagnose.store import board_cells, records

from .helpers import OFFICIAL, consultant_of, enterprise_of, new_enterprise

WRITER = Path(__file__).with_name("writer.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def draft(consultant, store, questionnaires):
    return visits.start_assessment(store, consultant, new_enterprise(store), "baseline", questionnaires)


def writer(store, *args) -> subprocess.Popen:
    command = [sys.executable, str(WRITER), *args[:1], store.url, str(store.evidence_dir), *args[1:]]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_writing_one_answer_lose_nothing(consultant, store, draft, tmp_path):
    go = tmp_path / "go"
    names = [consultant_of(store, enterprise_of(store, draft), name).username for name in ("顾问乙", "顾问丙")]
    racers = [writer(store, "race", str(draft), name, "60", str(go)) for name in names]
    for process in racers:  # both past their imports and connected before the first write
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
    go.touch()
    outcomes = []
    for process in racers:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outcomes += [json.loads(line) for line in out.splitlines()]

    with store.read() as conn:
        chain = [e for e in records.audit_entries(conn, "assessment", draft) if e["field"] == "Q5"]
    landed = {o["value"] for o in outcomes if o["ok"]}
    assert len(outcomes) == 120
    assert not all(o["ok"] for o in outcomes), "the writers never raced; the test proved nothing"
    # every write that returned landed, and only those
    assert {e["new_value"] for e in chain} == landed and len(chain) == len(landed)
    # each write replaced exactly the value the one before it left: nothing overwritten unseen
    assert [e["old_value"] for e in chain] == [None] + [e["new_value"] for e in chain[:-1]]
    assert visits.load(store, consultant, draft).notes["Q5"] == chain[-1]["new_value"]


def test_a_writer_killed_mid_burst_loses_no_save_that_returned(consultant, store, draft):
    process = writer(store, "burst", str(draft))
    returned = []
    deadline = time.monotonic() + 60
    while len(returned) < 150 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        returned.append(int(line))
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert len(returned) >= 150, process.stderr.read()

    reopened = open_store(store.url, evidence_dir=store.evidence_dir)
    with reopened.read() as conn:
        if reopened.dialect == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        saved = {e["new_value"] for e in records.audit_entries(conn, "assessment", draft) if e["action"] == "save note"}
    reopened.dispose()
    assert {f"n={k}" for k in returned} <= saved
    file = visits.load(store, consultant, draft)
    assert file.revision >= returned[-1]


def test_writers_moving_the_same_dashboard_sums_at_once_keep_them_exact(store):
    firms = [new_enterprise(store, seed=s) for s in (81, 82, 83)]  # one industry, district and size class
    start = str(time.time() + 3)
    racers = [writer(store, "projects", str(firm), "15", start) for firm in firms]
    for process in racers:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        assert out.strip() == "ok"

    with store.read() as conn:
        assert board_cells.check(conn) == []
    adoption = board(store, OFFICIAL).adoption.set_index("product_id")
    # 45 projects of one S002 each, at the catalog's price of 19,800 元
    assert adoption.loc["S002", ["enterprises", "projects", "amount"]].tolist() == [3, 45, 45 * 19800.0]
