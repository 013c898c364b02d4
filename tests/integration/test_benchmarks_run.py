"""The benchmarks run: a benchmark that no test starts broke once unseen (an actor passed as a
string). Each runs here at its smallest, for its last line only; its figures are not judged."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_autosave_benchmark_runs_on_both_databases_and_ends_with_its_figure():
    done = subprocess.run([sys.executable, "benchmarks/autosave.py", "--saves", "20", "--demo", "5"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip

    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("sqlite: saves=10 ") and lines[1].startswith("postgresql (fsync on): saves=10 ")
    assert re.fullmatch(r"sqlite_median_ms=\d+\.\d\d target<=20", lines[-1])
