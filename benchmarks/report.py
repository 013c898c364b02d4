"""Benchmark: the time to build one PDF report (target ≤ 2 s), charts included.

Seeds a few sample enterprises into a temporary SQLite database, gathers the
report of one with a baseline and an after-transformation assessment, then
times ``build_pdf`` (and, apart, gathering the data).
Run: ``.venv/bin/python benchmarks/report.py [--repeat 5]``.
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
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    actor = command_line_actor("bench")
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'report.db'}", evidence_dir=Path(folder) / "evidence")
        store.upgrade()
        seed_demo(store, actor, 40, 3, questionnaires())
        enterprise = next(
            e for e in overview(store, actor) if e["assessment_stage"] == "after" and e["level"] is not None
        )
        start = time.perf_counter()
        data = report_data(store, actor, enterprise["id"])
        gather = time.perf_counter() - start
        build_pdf(data)  # warm-up: fonts parsed, matplotlib imported
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            pdf = build_pdf(data)
            times.append(time.perf_counter() - start)
        store.dispose()
    print(f"pdf_bytes={len(pdf)} gather_data_s={gather:.3f}")
    print(f"build_pdf_median_s={statistics.median(times):.3f} max_s={max(times):.3f} target<=2")


if __name__ == "__main__":
    main()
