"""The four maturity dimensions on 0-100, as the radar shows them."""

from __future__ import annotations

from dataclasses import dataclass

from diagnose.questionnaire import Questionnaire
from diagnose.scoring import Result

OPERATIONS = "数字化经营"
OPERATIONS_HOW = "数字化经营 = 16 个场景等级（0-4）的平均值 ÷ 4 × 100；其余三项 = 得分 ÷ 该项满分 × 100。"


@dataclass(frozen=True)
class Axis:
    name: str
    value: float  # 0-100
    how: str  # the rule behind the value, in words


def maturity_axes(questionnaire: Questionnaire, result: Result) -> tuple[Axis, ...]:
    """基础, 经营, 管理, 成效 on 0-100: scored dimensions as a share of their maximum
    points; 经营 as the mean scene level over the top level (4)."""
    axes = []
    for dim in questionnaire.dimensions:
        points = result.dimension_milli[dim.id]
        axes.append(Axis(dim.name, 100 * points / dim.max_milli, f"{points / 1000:g} / {dim.max_points:g} 分"))
    levels = [s.level for s in result.scenes]
    mean = sum(levels) / len(levels) if levels else 0.0
    # 经营 sits between 基础 and 管理, the order the national indicator lists them in
    axes.insert(1, Axis(OPERATIONS, 100 * mean / 4, f"场景平均等级 {mean:.2f} / 4"))
    return tuple(axes)
