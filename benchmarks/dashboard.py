"""Benchmark: the officials' dashboard at 1,000 and 100,000 enterprises, on SQLite and PostgreSQL.

Builds each database with generated sample data: about three assessments per
enterprise (baseline, a second baseline for some, after-transformation, on-site,
a few drafts), each scored by the national rule (``batch.score_matrix`` over
random answers, so scores, scene levels and levels are the rule's own), projects
with catalog products for 40 % of enterprises (contracted with 10 organisations;
the visits are made for 5 agencies), 50 consultants. To keep the build
short it leaves out what the dashboard never reads: answers, the per-scene rows
(``result_scenes``) and each result's explanation (``detail`` holds a marker).
Rows are bulk-inserted, so the dashboard's kept sums are then built from them
once (``board_cells.rebuild``, as ``diagnose db upgrade`` does; timed) and
checked against a build from scratch.

Then times, cold (cache emptied), the whole dashboard as an official opens it
(``services.dashboard.board``: every figure of every view, from the kept sums),
the same for one industry, the whole dashboard computed from the records (as for
a filter the sums do not serve, e.g. a visit date range), and the lists of
enterprises behind the figures (``services.dashboard.members``, read from the
records when a list is opened). Prints the figures and the ratio 100k / 1k of
the whole dashboard per database.
Targets: whole dashboard < 2 s at 100k; ratio <= 5.
Run: ``.venv/bin/python benchmarks/dashboard.py [--sizes 1000 100000] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from diagnose.access.policy import Actor
from diagnose.board import records as views
from diagnose.enterprise import CODE_CHARSET, credit_code_check_char, size_class
from diagnose.pilot import DISTRICTS, INDUSTRIES, INDUSTRY_QUESTIONNAIRES
from diagnose.rule.batch import layout, score_matrix
from diagnose.rule.simulate import random_matrix
from diagnose.services import dashboard, open_store, questionnaires
from diagnose.store import Store, board_cells, records
from diagnose.store.tables import (
    assessments,
    assignments,
    board_parts,
    enterprises,
    organisations,
    project_items,
    projects,
    results,
    users,
)
from diagnose.store.throwaway_pg import ThrowawayPostgres

OFFICIAL = Actor("基准测试官员", "official")
TODAY = date(2026, 11, 27)
CHUNK = 20_000
# per enterprise: (stage, share of enterprises with it, status shares)
VISITS = [
    ("baseline", 1.0, {"approved": 0.85, "submitted": 0.10, "returned": 0.05}),
    ("baseline", 0.4, {"approved": 0.9, "submitted": 0.1}),
    ("after", 0.8, {"approved": 0.75, "submitted": 0.25}),
    ("onsite", 0.6, {"approved": 0.9, "submitted": 0.1}),
    ("after", 0.2, {"draft": 1.0}),
]


PROVIDERS = 10


def build(store: Store, size: int, seed: int = 7) -> int:
    """Write ``size`` sample enterprises with their assessments; returns how many assessments."""
    gen = np.random.default_rng(seed)
    registry = questionnaires()
    moment = datetime.now(UTC)
    catalog = [e for e in _catalog(store) if e["status"] == "在库"]
    with store.write() as conn:
        for q in registry.values():
            records.ensure_snapshot(conn, q)
        consultant_ids = [
            conn.execute(insert(users).values(username=f"示例顾问{i:02d}", role="consultant", password_hash="-",
                                              active=True, failed_attempts=0, session_version=1, sample=True,
                                              created_at=moment, updated_at=moment).returning(users.c.id)).scalar_one()
            for i in range(50)
        ]  # fmt: skip
        # the provider comparison's organisations: 10 providers (ids 1-10) and 5 agencies (11-15)
        for i in range(15):
            kind = "provider" if i < PROVIDERS else "agency"
            conn.execute(insert(organisations).values(id=i + 1, name=f"示例单位{i + 1:02d}", kind=kind, industry="",
                                                      sample=True, created_at=moment))  # fmt: skip
    industry = gen.integers(0, len(INDUSTRIES), size)
    heads, revenue = gen.integers(5, 600, size), gen.integers(100, 20_000, size)
    firms = [
        {"credit_code": _code(i), "name": f"示例企业{i:06d}（示例）", "industry": INDUSTRIES[industry[i]],
         "district": DISTRICTS[i % len(DISTRICTS)], "head_count": int(heads[i]), "revenue": float(revenue[i]),
         "size_class": size_class(int(heads[i]), float(revenue[i])), "sample": True, "revision": 1,
         "created_at": moment, "updated_at": moment}
        for i in range(size)
    ]  # fmt: skip
    _insert(store, enterprises, firms)
    ids = np.arange(1, size + 1)  # a fresh database numbers them from 1
    _insert(store, assignments, [{"consultant_id": consultant_ids[i % 50], "enterprise_id": int(e),
                                  "created_at": moment} for i, e in enumerate(ids)])  # fmt: skip
    count = 0
    for stage, share, statuses in VISITS:
        has = ids[gen.random(size) < share]
        status = gen.choice(list(statuses), len(has), p=list(statuses.values()))
        visited = [date(2024, 1, 1) + timedelta(days=int(d)) for d in gen.integers(0, 1060, len(has))]
        rows = [
            {"enterprise_id": int(e), "stage": stage, "visit_date": v, "status": s, "return_comment": "",
             "questionnaire_hash": registry[INDUSTRY_QUESTIONNAIRES[INDUSTRIES[industry[e - 1]]]].content_hash,
             "revision": 40, "created_by": f"示例顾问{(e - 1) % 50:02d}", "created_at": moment, "updated_at": moment,
             "organisation_id": PROVIDERS + 1 + int(e) % 5,
             "submitted_at": moment if s != "draft" else None,
             "decided_at": datetime.combine(v + timedelta(days=14), datetime.min.time(), UTC)
             if s == "approved" else None}
            for e, s, v in zip(has, status, visited, strict=True)
        ]  # fmt: skip
        first = _insert(store, assessments, rows)
        _results(store, registry, rows, first, gen, moment)
        count += len(rows)
    _projects(store, ids, catalog, gen, moment)
    with store.engine.connect() as conn:  # statistics for the planner, as after any bulk load
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    return count


def _code(i: int) -> str:
    body = "9144520" + "".join(CODE_CHARSET[(i // 31**k) % 31] for k in range(10))
    return body + credit_code_check_char(body)


def _catalog(store: Store) -> list[dict]:
    from diagnose.services.catalog_admin import live_catalog

    live_catalog(store, questionnaires()["national-2024"])  # stores the sample catalog on first use
    with store.read() as conn:
        return records.catalog_entries(conn)


def _insert(store: Store, table, rows: list[dict]) -> int:
    """Insert in chunks; returns the id of the first row (ids follow in order in a fresh table)."""
    first = None
    for start in range(0, len(rows), CHUNK):
        with store.write() as conn:
            if first is None and "id" in table.c:
                first = conn.execute(insert(table).returning(table.c.id), rows[:1]).scalar_one()
                conn.execute(insert(table), rows[1:CHUNK])
            else:
                conn.execute(insert(table), rows[start : start + CHUNK])
    return first or 0


def _results(store: Store, registry: dict, rows: list[dict], first_id: int, gen, moment) -> None:
    """Score random answers by the rule, one matrix per questionnaire; one result per submitted visit."""
    out = []
    by_hash: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row["status"] != "draft":
            by_hash.setdefault(row["questionnaire_hash"], []).append(i)
    for q in registry.values():
        picked = by_hash.get(q.content_hash, [])
        if not picked:
            continue
        scored = score_matrix(q, random_matrix(q, len(picked), seed=int(gen.integers(1 << 30))), layout(q))
        dims = {d: scored.dimension_milli[:, j] / 1000 for j, d in enumerate(scored.dimension_ids)}
        digits = ["".join(map(str, levels)) for levels in scored.scene_levels.astype(int).tolist()]
        out += [
            {"assessment_id": first_id + i, "questionnaire_hash": q.content_hash, "questionnaire_id": q.id,
             "version": q.version, "reason": "submitted", "score": float(scored.score_milli[k] / 1000),
             "basic": float(dims["basic"][k]), "management": float(dims["management"][k]),
             "effect": float(dims["effect"][k]), "level": int(scored.level[k]), "scene_levels": digits[k],
             "detail": {"generated": "benchmark"}, "scored_by": rows[i]["created_by"], "scored_at": moment}
            for k, i in enumerate(picked)
        ]  # fmt: skip
    _insert(store, results, out)


def _projects(store: Store, ids, catalog: list[dict], gen, moment) -> None:
    has = ids[gen.random(len(ids)) < 0.4]
    started = [date(2023, 9, 1) + timedelta(days=int(d)) for d in gen.integers(0, 850, len(has))]
    rows = [
        {"enterprise_id": int(e), "provider": "示例服务商", "organisation_id": 1 + int(e) % PROVIDERS, "started_on": s,
         "finished_on": s + timedelta(days=int(gen.integers(60, 400))), "funded": bool(gen.random() < 0.8),
         "created_at": moment}
        for e, s in zip(has, started, strict=True)
    ]  # fmt: skip
    first = _insert(store, projects, rows)
    items = [
        {"project_id": first + p, "name": product["name"], "product_id": product["id"], "quantity": 1, "unit": "套",
         "unit_price": float(product["price"])}
        for p in range(len(rows))
        for product in (catalog[int(k)] for k in gen.choice(len(catalog), int(gen.integers(1, 4)), replace=False))
    ]  # fmt: skip
    _insert(store, project_items, items)


def timed(act, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        act()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(store: Store, repeat: int) -> dict[str, float]:
    """Median seconds of the whole dashboard (cold) and of the other readings."""

    def cold(act, chosen=None):
        def run():
            dashboard._CACHE.clear()
            return act(store, OFFICIAL, chosen, today=TODAY)

        return run

    dated = views.BoardFilter(visited_from=date(2024, 1, 1))  # every visit, but a filter the sums do not serve
    figures = {
        "whole dashboard (cold)": timed(cold(dashboard.board), repeat),
        "  one industry (塑胶)": timed(cold(dashboard.board, views.BoardFilter(industry="塑胶")), repeat),
        "  from the records (date filter)": timed(cold(dashboard.board, dated), repeat),
        "enterprise lists (from records)": timed(cold(dashboard.members), repeat),
    }
    with store.read() as conn:
        cells = board_cells.read_cells(conn, "", "", "")
        figures["cells read"] = len(cells)
        figures["parts kept"] = records.count(conn, board_parts)
    board = dashboard.board(store, OFFICIAL, today=TODAY)
    with_dates = dashboard.board(store, OFFICIAL, dated, today=TODAY)
    figures["enterprises at 二级+ (check)"] = board.at_target_level
    figures["  same from the records (check)"] = with_dates.at_target_level
    figures["counting toward the target (check)"] = board.counting
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    server = ThrowawayPostgres().start() if "postgresql" in args.databases else None
    try:
        whole: dict[tuple[str, int], float] = {}
        with tempfile.TemporaryDirectory() as folder:
            for database in args.databases:
                for size in args.sizes:
                    if database == "sqlite":
                        store = open_store(f"sqlite:///{Path(folder) / f'bench-{size}.db'}")
                    else:
                        server.execute(f"CREATE DATABASE bench_{size}")
                        store = open_store(server.url(f"bench_{size}"))
                    store.upgrade()
                    start = time.perf_counter()
                    made = build(store, size)
                    built = time.perf_counter() - start
                    start = time.perf_counter()
                    with store.write() as conn:
                        parts = board_cells.rebuild(conn)
                    summed = time.perf_counter() - start
                    with store.read() as conn:
                        problems = board_cells.check(conn)
                    checked = "; ".join(problems) or "same as from scratch"
                    print(f"\n{database} enterprises={size} assessments={made} built in {built:.1f} s; "
                          f"sums built in {summed:.1f} s ({parts} parts), check: {checked}")  # fmt: skip
                    figures = measure(store, args.repeat)
                    whole[(database, size)] = figures["whole dashboard (cold)"]
                    for name, value in figures.items():
                        print(f"  {name:32s} {value:.4f} s" if isinstance(value, float) else f"  {name:32s} {value}")
                    store.dispose()
        small, large = min(args.sizes), max(args.sizes)
        print()
        for database in args.databases:
            ratio = whole[(database, large)] / whole[(database, small)]
            print(f"{database}: whole dashboard {whole[(database, small)]:.3f} s at {small}, "
                  f"{whole[(database, large)]:.3f} s at {large}; ratio_{large}_to_{small}={ratio:.2f}")  # fmt: skip
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
