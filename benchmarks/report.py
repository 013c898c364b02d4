"""Benchmark: the time to build one enterprise's PDF report after the first (target ≤ 0.3 s), charts included.

Seeds sample enterprises into a temporary SQLite database and gathers the reports of those with a
scored result. The first build pays what a process pays once (fonts cut or read from the cache
folder, the first drawing) and is shown apart; then each other enterprise's report is built once
— its own data and charts, nothing of it drawn before — and the median of those builds is the figure.
Run: ``.venv/bin/python benchmarks/report.py [--reports 20]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from diagnose.access.policy import command_line_actor
from diagnose.report.document import build_pdf
from diagnose.services import open_store, questionnaires
from diagnose.services.demo import seed_demo
from diagnose.services.files import overview
from diagnose.services.report import report_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20, help="reports timed after the first")
    args = parser.parse_args()
    actor = command_line_actor("bench")
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'report.db'}", evidence_dir=Path(folder) / "evidence")
        store.upgrade()
        seed_demo(store, actor, args.reports + 10, 3, questionnaires())
        scored = [e for e in overview(store, actor, limit=10_000) if e["level"] is not None]
        first, *others = scored[: args.reports + 1]
        start = time.perf_counter()
        build_pdf(report_data(store, actor, first["id"]))
        first_s = time.perf_counter() - start
        gathers, builds, sizes = [], [], []
        for enterprise in others:
            start = time.perf_counter()
            data = report_data(store, actor, enterprise["id"])
            gathers.append(time.perf_counter() - start)
            start = time.perf_counter()
            sizes.append(len(build_pdf(data)))
            builds.append(time.perf_counter() - start)
        store.dispose()
    print(f"reports={len(builds)} first_build_s={first_s:.3f} gather_data_median_s={statistics.median(gathers):.3f}")
    print(f"pdf_bytes_median={statistics.median(sizes):.0f} build_max_s={max(builds):.3f}")
    print(f"build_median_s={statistics.median(builds):.3f} target<=0.3")


if __name__ == "__main__":
    main()
