"""The four maturity dimensions on 0-100, as the radar shows them."""

from __future__ import annotations

from dataclasses import dataclass

from diagnose.rule.questionnaire import Questionnaire
from diagnose.rule.scoring import Result

OPERATIONS = "数字化经营"
OPERATIONS_HOW = "数字化经营 = 16 个场景等级（0-4）的平均值 ÷ 4 × 100；其余三项 = 得分 ÷ 该项满分 × 100。"


@dataclass(frozen=True)
class Axis:
    """One radar axis: its name, its value on 0-100 and the rule behind the value, in words."""

    name: str
    value: float  # 0-100
    how: str  # the rule behind the value, in words


def axes_from(questionnaire: Questionnaire, points: dict[str, float], mean_level: float,
              prefix: str = "") -> tuple[Axis, ...]:  # fmt: skip
    """基础, 经营, 管理, 成效 on 0-100: scored dimensions as a share of their maximum
    points; 经营 as the mean scene level over the top level (4). ``points`` by dimension id;
    ``prefix`` names whose figures they are (行业均值 …) in each axis's explanation."""
    axes = [
        Axis(dim.name, 100 * points[dim.id] / dim.max_points, f"{prefix}{points[dim.id]:g} / {dim.max_points:g} 分")
        for dim in questionnaire.dimensions
    ]
    # 经营 sits between 基础 and 管理, the order the national indicator lists them in
    axes.insert(1, Axis(OPERATIONS, 100 * mean_level / 4, f"{prefix}场景平均等级 {mean_level:.2f} / 4"))
    return tuple(axes)


def _mean(levels: list[int]) -> float:
    return sum(levels) / len(levels) if levels else 0.0


def maturity_axes(questionnaire: Questionnaire, result: Result) -> tuple[Axis, ...]:
    """The radar's four values of a freshly scored result."""
    points = {dim.id: result.dimension(dim.id) for dim in questionnaire.dimensions}
    return axes_from(questionnaire, points, _mean([s.level for s in result.scenes]))


def stored_axes(questionnaire: Questionnaire, detail: dict) -> tuple[Axis, ...]:
    """The radar's four values of a stored result (``Result.to_dict()``)."""
    points = {dim.id: detail[dim.id] for dim in questionnaire.dimensions}
    return axes_from(questionnaire, points, _mean([s["level"] for s in detail["scenes"]]))
