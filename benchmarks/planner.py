"""Benchmark: the pilot plan over 1,000 and 10,000 diagnosed sample enterprises (target ≤ 5 s at 10,000).

For each size: seeds a sample database (SQLite, in a temporary folder; three visits per
enterprise, reviewed as the demo reviews them), then times the plan for the whole city (every
enterprise that can be brought to 二级, on 2026-06-01), as 试点规划 opens it: first with no bundle
kept (every enterprise's programs solved), then again with them kept (median of three), which is
what an official waits for once the bundles of the results and the catalog have been solved.
Prints both per size; the last line is the kept figure at 10,000.
Run: ``.venv/bin/python benchmarks/planner.py [--sizes 1000 10000]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from diagnose import clock
from diagnose.access.policy import command_line_actor
from diagnose.services import open_store, questionnaires
from diagnose.services.demo import seed_demo
from diagnose.services.planner import PlanRequest, plan

# every enterprise that can be brought to 二级 (the default target, 200 minus those counting, may
# be nothing at all in a large sample), on a fixed day with seven months of the window left
EVERYONE = PlanRequest(target=1_000_000)
DAY = "2026-06-01T10:00"


def measure(size: int) -> float:
    actor = command_line_actor("bench")
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'plan.db'}", evidence_dir=Path(folder) / "evidence")
        store.upgrade()
        start = time.perf_counter()
        seed_demo(store, actor, size, 3, questionnaires())
        seeded_s = time.perf_counter() - start
        start = time.perf_counter()
        first = plan(store, actor, EVERYONE)
        cold_s = time.perf_counter() - start
        kept = []
        for _ in range(3):
            start = time.perf_counter()
            again = plan(store, actor, EVERYONE)
            kept.append(time.perf_counter() - start)
        assert again.solved == 0 and [line.enterprise_id for line in again.chosen] == [
            line.enterprise_id for line in first.chosen
        ]
        store.dispose()
    planned = len(first.chosen) + len(first.spare) + len(first.left_out)
    print(f"enterprises={size} seeded_s={seeded_s:.1f} planned_below_level_2={planned} chosen={len(first.chosen)} "
          f"bundles_solved={first.solved} first_plan_s={cold_s:.1f} "
          f"kept_plan_median_s={statistics.median(kept):.2f}")  # fmt: skip
    return statistics.median(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    args = parser.parse_args()
    clock.set_clock(clock.parse_moment(DAY))
    figures = {size: measure(size) for size in args.sizes}
    last = args.sizes[-1]
    print(f"planner_{last}_s={figures[last]:.2f} target<=5")


if __name__ == "__main__":
    main()
