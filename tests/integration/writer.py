"""A separate writer process for the concurrency and crash tests.

``python writer.py race URL EVIDENCE ASSESSMENT NAME COUNT START``: at START
(epoch seconds), COUNT times: read the revision, then write a new note on Q5
based on that view; print one JSON line per attempt.
``python writer.py burst URL EVIDENCE ASSESSMENT``: save notes as fast as
possible, printing each counter only after its save returned.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from diagnose.services import assessments as visits
from diagnose.services.accounts import actor_of
from diagnose.services.errors import Conflict
from diagnose.store import Store, records


def account(store: Store, name: str):
    with store.read() as conn:
        return actor_of(records.user_by_name(conn, name))


def race(store: Store, assessment_id: int, name: str, count: int, start_at: float) -> None:
    actor = account(store, name)
    visits.load(store, actor, assessment_id)  # connect and warm up before the start line
    time.sleep(max(0.0, start_at - time.time()))
    for k in range(count):
        with store.read() as conn:
            seen = records.revision_of(conn, assessment_id)
        value = f"{name}-{k}"
        try:
            visits.save_note(store, actor, assessment_id, "Q5", value, base_revision=seen)
            print(json.dumps({"value": value, "ok": True}), flush=True)
        except Conflict:
            print(json.dumps({"value": value, "ok": False}), flush=True)


def burst(store: Store, assessment_id: int) -> None:
    actor = account(store, "顾问甲")
    revision = visits.load(store, actor, assessment_id).revision
    items = [f"Q{i}" for i in range(1, 16)]
    k = 0
    while True:
        k += 1
        revision = visits.save_note(store, actor, assessment_id, items[k % 15], f"n={k}", revision).revision
        print(k, flush=True)


if __name__ == "__main__":
    mode, url, evidence, assessment = sys.argv[1:5]
    store = Store(url, evidence_dir=Path(evidence))
    if mode == "race":
        race(store, int(assessment), sys.argv[5], int(sys.argv[6]), float(sys.argv[7]))
    else:
        burst(store, int(assessment))
