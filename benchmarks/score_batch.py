"""Benchmark: 100,000 random complete assessments scored by the batch path.

Timed against the floor the issue names: a bare numpy pass over the same
answer matrix (one product for the points; comparisons and counts for the
scenes). Prints both medians and, last, ``ratio_to_numpy_floor=<number>``.
Run: ``.venv/bin/python benchmarks/score_batch.py [--n 100000] [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from diagnose.rule.batch import layout, score_matrix
from diagnose.rule.loading import DEFAULT_DIRECTORY, load_file
from diagnose.rule.simulate import random_matrix


def numpy_floor(matrix, points: np.ndarray, constrained: np.ndarray):
    """The least work any scorer must do: points by one product, scene counts by comparisons."""
    score = matrix.options @ points
    counts = [(matrix.scenes >= lv).sum(axis=1) for lv in range(1, 5)]
    starred = matrix.scenes[:, constrained]
    counts += [(starred >= lv).sum(axis=1) for lv in range(1, 5)]
    return score, counts


def timed_pair(first, second, repeat: int) -> tuple[list[float], list[float]]:
    """Time two functions alternately, so a busy moment of the machine hits both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--questionnaire", default="textiles")
    args = parser.parse_args()

    questionnaire = load_file(DEFAULT_DIRECTORY / f"{args.questionnaire}.yaml")
    matrix = random_matrix(questionnaire, args.n, seed=1)
    lay = layout(questionnaire)
    points = lay.dimension_points.sum(axis=1)

    score_matrix(questionnaire, matrix, lay)  # warm-up: first-touch page faults, BLAS threads
    batch, floor = timed_pair(
        lambda: score_matrix(questionnaire, matrix, lay),
        lambda: numpy_floor(matrix, points, lay.constrained),
        args.repeat,
    )
    batch_s, floor_s = statistics.median(batch), statistics.median(floor)
    levels = np.bincount(score_matrix(questionnaire, matrix, lay).level, minlength=5)
    print(f"questionnaire={questionnaire.id} assessments={args.n} repeat={args.repeat}")
    print(f"levels 0-4: {levels.tolist()}")
    print(f"batch_seconds_median={batch_s:.4f} (min {min(batch):.4f})")
    print(f"numpy_floor_seconds_median={floor_s:.4f} (min {min(floor):.4f})")
    print(f"ratio_to_numpy_floor={batch_s / floor_s:.2f}")


if __name__ == "__main__":
    main()
