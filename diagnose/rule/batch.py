"""Scoring a whole table of assessments at once, with numpy and no loop per assessment.

The table is an ``AnswerMatrix``: one row per assessment, one 0/1 column per
option of every question, the explicitly set scene levels (-1 where none was
set) and one 0/1 column per practice. The rule is the same as
``diagnose.rule.scoring.score``: tests check the two agree on random assessments.
Points are integer thousandths held in float32: every partial sum is a whole
number no larger than 100,000, far below 2**24, so the product is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce

import numpy as np
import pandas as pd

from diagnose.rule.answers import Assessment
from diagnose.rule.questionnaire import Questionnaire, to_points

MAX_LEVEL = 4


@dataclass(frozen=True)
class Layout:
    """Where each option, scene and practice of a questionnaire sits in the matrix."""

    columns: dict[tuple[str, str], int]  # (question id, option code) → column
    question_columns: np.ndarray  # column → question index
    dimension_points: np.ndarray  # (options, dimensions) float32 points in thousandths
    dimension_ids: tuple[str, ...]
    constrained: np.ndarray  # (scenes,) bool
    scene_offset: np.ndarray  # (scenes,) int8: 5 for a ★ scene, else 0 (row of _PACKED)
    practice_scene: np.ndarray  # (practices,) scene index
    practice_level: np.ndarray  # (practices,) level 1-4
    practice_weights: np.ndarray  # (practices, scenes) float32, see effective_scene_levels
    practice_thresholds: np.ndarray  # (4,) float32
    min_score: np.ndarray  # (levels,) thousandths, index level-1
    min_scenes: np.ndarray
    min_constrained: np.ndarray


def layout(questionnaire: Questionnaire) -> Layout:
    """Where ``questionnaire``'s options, scenes and practices sit in an ``AnswerMatrix``, with its level thresholds.

    Raises ValueError when full marks in milli reach 2**24, where float32 sums stop being exact.
    """
    dimension_ids = tuple(d.id for d in questionnaire.dimensions)
    columns, owners, points = {}, [], []
    for qi, question in enumerate(questionnaire.questions):
        for option in question.options:
            columns[(question.id, option.code)] = len(owners)
            owners.append(qi)
            row = [0.0] * len(dimension_ids)
            row[dimension_ids.index(question.dimension)] = option.points_milli
            points.append(row)
    if questionnaire.max_milli >= 2**24:
        raise ValueError("points too large for exact float32 sums")
    scene_index = {name: i for i, name in enumerate(questionnaire.scene_names)}
    practice_scene = np.array([scene_index[p.scene] for p in questionnaire.practices], dtype=np.intp)
    practice_level = np.array([p.level for p in questionnaire.practices], dtype=np.intp)
    weights, thresholds = _practice_weights(practice_scene, practice_level, len(scene_index))
    rules = sorted(questionnaire.levels, key=lambda r: r.level)
    return Layout(
        columns=columns,
        question_columns=np.array(owners),
        dimension_points=np.array(points, dtype=np.float32).reshape(len(owners), len(dimension_ids)),
        dimension_ids=dimension_ids,
        constrained=np.array([s.constrained for s in questionnaire.scenes]),
        scene_offset=np.array([5 * s.constrained for s in questionnaire.scenes], dtype=np.int8),
        practice_scene=practice_scene,
        practice_level=practice_level,
        practice_weights=weights,
        practice_thresholds=thresholds,
        min_score=np.array([r.min_score_milli for r in rules], dtype=np.float32),
        min_scenes=np.array([r.min_scenes for r in rules]),
        min_constrained=np.array([r.min_constrained_scenes for r in rules]),
    )


def _practice_weights(scene: np.ndarray, level: np.ndarray, scenes: int) -> tuple[np.ndarray, np.ndarray]:
    """Weights that turn "highest ticked level per scene" into one product.

    A practice of level L weighs (K+1)**(L-1), K being the most practices any
    scene has at one level. All practices below level L together weigh less
    than one practice of level L, so a scene's weighted sum reaches
    (K+1)**(L-1) exactly when a practice of level L or higher is ticked.
    """
    most = int(np.bincount(scene * 5 + level).max()) if scene.size else 0
    base = float(most + 1)
    weights = np.zeros((scene.size, scenes), dtype=np.float32)
    weights[np.arange(scene.size), scene] = base ** (level - 1)
    return weights, np.array([base ** (lv - 1) for lv in range(1, MAX_LEVEL + 1)], dtype=np.float32)


@dataclass(frozen=True)
class AnswerMatrix:
    """Checked assessments as arrays, one row each, laid out by ``layout``; made by ``encode`` or ``random_matrix``."""

    options: np.ndarray  # (n, options) float32 0/1
    answered: np.ndarray  # (n, questions) bool
    scenes: np.ndarray  # (n, scenes) int8: the level set explicitly, -1 where none was
    practices: np.ndarray  # (n, practices) bool: ticked

    def __len__(self) -> int:
        return self.options.shape[0]


def encode(questionnaire: Questionnaire, assessments: Sequence[Assessment]) -> AnswerMatrix:
    """The matrix of checked assessments (parsing input is per row; scoring is not)."""
    lay = layout(questionnaire)
    n = len(assessments)
    qindex = {q.id: i for i, q in enumerate(questionnaire.questions)}
    sindex = {name: i for i, name in enumerate(questionnaire.scene_names)}
    pindex = {p.id: i for i, p in enumerate(questionnaire.practices)}
    options = np.zeros((n, len(lay.columns)), dtype=np.float32)
    answered = np.zeros((n, len(qindex)), dtype=bool)
    scenes = np.full((n, len(sindex)), -1, dtype=np.int8)
    practices = np.zeros((n, len(pindex)), dtype=bool)
    for row, assessment in enumerate(assessments):
        for qid, codes in assessment.choices.items():
            answered[row, qindex[qid]] = True
            for code in codes:
                options[row, lay.columns[(qid, code)]] = 1.0
        for name, level in assessment.scenes.items():
            scenes[row, sindex[name]] = level
        for pid in assessment.practices:
            practices[row, pindex[pid]] = True
    return AnswerMatrix(options, answered, scenes, practices)


@dataclass(frozen=True)
class BatchResult:
    """Per-assessment arrays; points in thousandths as exact whole floats."""

    dimension_ids: tuple[str, ...]
    dimension_milli: np.ndarray  # (n, dimensions)
    score_milli: np.ndarray  # (n,)
    level: np.ndarray  # (n,) 0-4
    complete: np.ndarray  # (n,) bool
    scene_levels: np.ndarray  # (n, scenes) effective levels
    scenes_at_or_above: np.ndarray  # (n, 4): column L-1 counts scenes at L or higher
    constrained_at_or_above: np.ndarray
    gap_points_milli: np.ndarray  # (n,) to the next level; 0 at the top
    gap_scenes: np.ndarray
    gap_constrained: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """One row per assessment: score, each dimension and gap_points in points (float64),
        level, complete, scenes_L1..4 and constrained_L1..4 (at or above), gap_scenes and gap_constrained_scenes.
        """
        # thousandths are exact in float32 but their decimal points are not: divide in float64
        frame = {"score": self.score_milli.astype(np.float64) / 1000}
        for i, dim in enumerate(self.dimension_ids):
            frame[dim] = self.dimension_milli[:, i].astype(np.float64) / 1000
        frame |= {"level": self.level, "complete": self.complete}
        for lv in range(1, MAX_LEVEL + 1):
            frame[f"scenes_L{lv}"] = self.scenes_at_or_above[:, lv - 1]
            frame[f"constrained_L{lv}"] = self.constrained_at_or_above[:, lv - 1]
        frame |= {
            "gap_points": self.gap_points_milli.astype(np.float64) / 1000,
            "gap_scenes": self.gap_scenes,
            "gap_constrained_scenes": self.gap_constrained,
        }
        return pd.DataFrame(frame)

    def row(self, i: int) -> dict:
        """One assessment's figures as JSON-ready data (the keys ``Result.to_dict`` uses)."""
        level = int(self.level[i])
        gap = None
        if level < MAX_LEVEL:
            gap = {
                "level": level + 1,
                "points_missing": to_points(int(self.gap_points_milli[i])),
                "scenes_missing": int(self.gap_scenes[i]),
                "constrained_scenes_missing": int(self.gap_constrained[i]),
            }
        return {
            "score": to_points(int(self.score_milli[i])),
            **{d: to_points(int(self.dimension_milli[i, k])) for k, d in enumerate(self.dimension_ids)},
            "level": level,
            "complete": bool(self.complete[i]),
            "scene_counts": {
                f"L{lv}": {
                    "scenes": int(self.scenes_at_or_above[i, lv - 1]),
                    "constrained": int(self.constrained_at_or_above[i, lv - 1]),
                }
                for lv in range(1, MAX_LEVEL + 1)
            },
            "gap": gap,
        }


def effective_scene_levels(lay: Layout, matrix: AnswerMatrix) -> np.ndarray:
    """An explicit level always wins, else the highest ticked practice of the scene, else 0."""
    explicit = matrix.scenes
    proposed = np.zeros(explicit.shape, dtype=np.int8)
    if lay.practice_scene.size:
        weighted = matrix.practices.astype(np.float32) @ lay.practice_weights
        for threshold in lay.practice_thresholds:
            proposed += weighted >= threshold
    # a branch-free select on int8: `explicit >> 7` is all ones where no level was set (-1)
    unset = explicit >> 7
    return explicit ^ ((explicit ^ proposed) & unset)


def _row_sum(table: np.ndarray) -> np.ndarray:
    """Sum across a few columns; adding whole columns beats numpy's short inner-axis reduction."""
    return reduce(np.add, (table[:, j] for j in range(table.shape[1])))


# Field f of a packed count holds bits 8f..8f+7: fields 0-3 count scenes at
# or above L1..L4, fields 4-7 the same for ★ scenes. Sixteen scenes never
# overflow a byte.
_PACKED = np.array(
    [
        [
            sum(
                1 << (8 * (lv - 1 + 4 * starred_field))
                for lv in range(1, level + 1)
                for starred_field in range(starred + 1)
            )
            for level in range(5)
        ]
        for starred in (0, 1)
    ],
    dtype=np.int64,
).ravel()


def scene_counts(lay: Layout, levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scenes (and ★ scenes) at or above each level 1-4: one table look-up and one sum per row."""
    packed = _row_sum(_PACKED.take(levels + lay.scene_offset))
    fields = (packed[:, None] >> (8 * np.arange(2 * MAX_LEVEL))) & 0xFF
    return fields[:, :MAX_LEVEL], fields[:, MAX_LEVEL:]


def _gaps(lay: Layout, level, score_milli, at, con):
    """Points, scenes and ★ scenes still missing for the next level (zeros at the top)."""
    top = len(lay.min_score)
    nxt = np.minimum(level, top - 1)[:, None]  # column of the next level's rule
    below_top = level < top
    gap_points = np.maximum(lay.min_score[nxt[:, 0]] - score_milli, 0) * below_top
    gap_constrained = np.maximum(lay.min_constrained[nxt[:, 0]] - np.take_along_axis(con, nxt, 1)[:, 0], 0)
    gap_scenes = np.maximum(lay.min_scenes[nxt[:, 0]] - np.take_along_axis(at, nxt, 1)[:, 0], gap_constrained)
    return gap_points, gap_scenes * below_top, gap_constrained * below_top


def score_matrix(questionnaire: Questionnaire, matrix: AnswerMatrix, lay: Layout | None = None) -> BatchResult:
    """Score every row of ``matrix`` by the national rule in a few array passes."""
    lay = lay or layout(questionnaire)
    dimension_milli = matrix.options @ lay.dimension_points
    score_milli = _row_sum(dimension_milli)
    levels = effective_scene_levels(lay, matrix)
    at, con = scene_counts(lay, levels)
    met = (score_milli[:, None] >= lay.min_score) & (at >= lay.min_scenes) & (con >= lay.min_constrained)
    # The loader only accepts thresholds that never fall from one level to the
    # next, so a row that meets level L meets every level below it: counting
    # the levels met is the same as taking the highest one met.
    level = _row_sum(met.astype(np.int8))
    gap_points, gap_scenes, gap_constrained = _gaps(lay, level, score_milli, at, con)
    return BatchResult(
        dimension_ids=lay.dimension_ids,
        dimension_milli=dimension_milli,
        score_milli=score_milli,
        level=level,
        complete=reduce(np.logical_and, (matrix.answered[:, j] for j in range(matrix.answered.shape[1]))),
        scene_levels=levels,
        scenes_at_or_above=at,
        constrained_at_or_above=con,
        gap_points_milli=gap_points,
        gap_scenes=gap_scenes,
        gap_constrained=gap_constrained,
    )
