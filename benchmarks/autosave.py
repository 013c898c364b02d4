"""Benchmark: the latency of one autosaved answer, and how long the demo data takes.

Saves answers one at a time through ``save_item`` (one transaction each, as
the visit form does) on SQLite (a file, WAL, synchronous=FULL) and on a
throwaway PostgreSQL with fsync on, and prints median and p95 per database.
Then times ``seed_demo`` for ``--demo`` enterprises on SQLite.
Run: ``.venv/bin/python benchmarks/autosave.py [--saves 500] [--demo 100000]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from diagnose.access.policy import Actor
from diagnose.services import assessments as visits
from diagnose.services import open_store, questionnaires
from diagnose.services.accounts import actor_of, add_user
from diagnose.services.demo import seed_demo
from diagnose.services.enterprises import create_enterprise
from diagnose.store import Store, records
from diagnose.store.throwaway_pg import ThrowawayPostgres

ADMIN = Actor("基准测试管理员", "admin")  # makes the consultant and the demo data, as `diagnose` would
ANSWERS = [("Q5", "C"), ("Q5", "D"), ("Q1", ["B", "C"]), ("Q2", {"total": 40, "digital": 12}), ("scene:产品设计", 2)]


def consultant(store: Store) -> Actor:
    """A consultant account of this database, as the visit form's saves come from one."""
    add_user(store, ADMIN, "bench_consultant", "consultant", "benchmark password 2026")
    with store.read() as conn:
        return actor_of(records.user_by_name(conn, "bench_consultant"))


def save_latencies(store: Store, saves: int) -> list[float]:
    registry = questionnaires()
    actor = consultant(store)
    enterprise = create_enterprise(
        store,
        actor,
        {"credit_code": "91350100M000100Y43", "name": "基准测试企业", "industry": "塑胶", "district": "榕城区"},
    )
    draft = visits.start_assessment(store, actor, enterprise, "baseline", registry)
    revision, times = 0, []
    for i in range(saves):
        item, value = ANSWERS[i % len(ANSWERS)]
        start = time.perf_counter()
        revision = visits.save_item(store, actor, draft, item, value, revision).revision
        times.append(time.perf_counter() - start)
    return times[10:]  # the first saves warm the connection pool and the snapshot cache


def report(name: str, times: list[float]) -> float:
    ms = sorted(t * 1000 for t in times)
    median, p95 = statistics.median(ms), ms[int(len(ms) * 0.95) - 1]
    print(f"{name}: saves={len(ms)} median_ms={median:.2f} p95_ms={p95:.2f}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--demo", type=int, default=100_000, help="enterprises to generate (0 to skip)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        sqlite = open_store(f"sqlite:///{Path(folder) / 'bench.db'}", evidence_dir=Path(folder) / "evidence")
        sqlite.upgrade()
        sqlite_median = report("sqlite", save_latencies(sqlite, args.saves))
        sqlite.dispose()

        server = ThrowawayPostgres(fsync=True).start()
        try:
            server.execute("CREATE DATABASE bench")
            postgres = open_store(server.url("bench"), evidence_dir=Path(folder) / "evidence")
            postgres.upgrade()
            report("postgresql (fsync on)", save_latencies(postgres, args.saves))
            postgres.dispose()
        finally:
            server.stop()

        if args.demo:
            demo = open_store(f"sqlite:///{Path(folder) / 'demo.db'}", evidence_dir=Path(folder) / "evidence")
            demo.upgrade()
            start = time.perf_counter()
            seed_demo(demo, ADMIN, args.demo, 1, questionnaires())
            print(f"demo_enterprises={args.demo} sqlite_seconds={time.perf_counter() - start:.1f}")
            demo.dispose()
    print(f"sqlite_median_ms={sqlite_median:.2f} target<=20")


if __name__ == "__main__":
    main()
