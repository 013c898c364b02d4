"""A separate writer process for the concurrency and crash tests.

``python writer.py race URL EVIDENCE ASSESSMENT NAME COUNT GO``: print "ready" once
warmed up, wait until the file GO exists, then COUNT times: read the revision, then
write a new note on Q5 based on that view; print one JSON line per attempt.
``python writer.py burst URL EVIDENCE ASSESSMENT``: save notes as fast as
possible, printing each counter only after its save returned.
``python writer.py projects URL EVIDENCE ENTERPRISE COUNT START``: at START,
record COUNT projects of the enterprise, one transaction each (each moves the
dashboard's sums); print "ok" after the last.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from diagnose.services import assessments as visits
from diagnose.services import open_store
from diagnose.services.accounts import actor_of
from diagnose.services.errors import Conflict
from diagnose.store import Store, records


def account(store: Store, name: str):
    with store.read() as conn:
        return actor_of(records.user_by_name(conn, name))


def race(store: Store, assessment_id: int, name: str, count: int, go: Path) -> None:
    actor = account(store, name)
    visits.load(store, actor, assessment_id)  # connect and warm up before the start line
    print("ready", flush=True)
    while not go.exists():  # both start together however long either took to import (a busy machine)
        time.sleep(0.005)
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


def projects(store: Store, enterprise_id: int, count: int, start_at: float) -> None:
    from diagnose.access.policy import Actor
    from diagnose.services.projects import record_project

    time.sleep(max(0.0, start_at - time.time()))
    for k in range(count):
        record_project(store, Actor("测试管理员", "admin"), enterprise_id, {
            "provider": f"示例服务商{k}", "contract_no": f"HT-{enterprise_id}-{k}", "contract_signed_on": "2023-12-20",
            "responsibilities": "示例", "measures": "示例", "period": "示例", "goals": "示例",
            "started_on": "2024-01-01", "finished_on": "2024-06-30", "funded": True, "funding_amount": 1000,
            "status": "finished", "items": [{"product_id": "S002", "quantity": 1}],
        })  # fmt: skip
    print("ok", flush=True)


if __name__ == "__main__":
    mode, url, evidence, assessment = sys.argv[1:5]
    store = open_store(url, evidence_dir=Path(evidence))
    if mode == "race":
        race(store, int(assessment), sys.argv[5], int(sys.argv[6]), Path(sys.argv[7]))
    elif mode == "projects":
        projects(store, int(assessment), int(sys.argv[5]), float(sys.argv[6]))
    else:
        burst(store, int(assessment))
