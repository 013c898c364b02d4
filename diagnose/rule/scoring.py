"""Scoring one assessment by the national rule: pure, explainable, exact.

``score`` takes a questionnaire and checked answers and returns a frozen
``Result`` that says, for every number, where it came from: the points of
each answer, each scene's level and its source, each level's three
conditions, and the gap to the next level. It writes nothing anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from diagnose.rule.answers import Assessment
from diagnose.rule.figures import ratio_percent, trend_change_percent
from diagnose.rule.questionnaire import Questionnaire, to_points

SceneSource = Literal["explicit", "practices", "none"]


@dataclass(frozen=True)
class QuestionResult:
    """One question's answer and points; an unanswered question (``answered`` False) scores 0."""

    id: str
    item: str
    dimension: str
    answered: bool
    codes: tuple[str, ...]
    options: tuple[str, ...]  # the texts of the chosen options
    points_milli: int
    max_milli: int
    figures: Mapping[str, float] | None = None
    percent: float | None = None  # a ratio question's ratio, when answered by figures

    @property
    def points(self) -> float:
        """The points scored (``points_milli`` / 1000)."""
        return to_points(self.points_milli)


@dataclass(frozen=True)
class SceneResult:
    """One scene's level and its source: set explicitly, the highest ticked practice, or none (0)."""

    name: str
    group: str
    constrained: bool
    level: int
    source: SceneSource
    practices: tuple[str, ...] = ()  # the ticked practices behind the level (or overruled by it)


@dataclass(frozen=True)
class Condition:
    """One of a level's three conditions, with the figure it was checked against."""

    kind: Literal["score", "scenes", "constrained_scenes"]
    required: float
    actual: float
    met: bool
    text: str


@dataclass(frozen=True)
class LevelCheck:
    """One level's three conditions as checked for one result."""

    level: int
    label: str
    conditions: tuple[Condition, ...]

    @property
    def met(self) -> bool:
        """True when all three conditions hold."""
        return all(c.met for c in self.conditions)


@dataclass(frozen=True)
class Gap:
    """What the next level still needs; ``scenes_missing`` already counts the ★ ones."""

    level: int
    label: str
    points_missing_milli: int
    scenes_missing: int
    constrained_missing: int

    @property
    def points_missing(self) -> float:
        """The points still missing (``points_missing_milli`` / 1000)."""
        return to_points(self.points_missing_milli)

    @property
    def text(self) -> str:
        """The gap in words (还差 … 分；还需 … 个场景达到 L…), or "条件均已满足" when nothing is missing."""
        parts = []
        if self.points_missing_milli:
            parts.append(f"还差 {self.points_missing:g} 分")
        if self.scenes_missing:
            need = f"还需 {self.scenes_missing} 个场景达到 L{self.level}"
            if self.constrained_missing:
                need += f"，其中 {self.constrained_missing} 个约束性场景"
            parts.append(need)
        return "；".join(parts) or "条件均已满足"


@dataclass(frozen=True)
class Result:
    """The frozen outcome of ``score`` for one assessment: the score, level and gap, each with its workings."""

    questionnaire: str
    version: str
    content_hash: str
    score_milli: int
    dimension_milli: Mapping[str, int]
    questions: tuple[QuestionResult, ...]
    scenes: tuple[SceneResult, ...]
    scenes_at_or_above: tuple[int, ...]  # index L: scenes rated L or higher (index 0 counts all)
    constrained_at_or_above: tuple[int, ...]
    level: int
    level_label: str
    checks: tuple[LevelCheck, ...]  # from 四级 down, as the rule checks them
    gap: Gap | None  # None at the top level
    missing: tuple[str, ...]

    @property
    def score(self) -> float:
        """The total score in points, exact to the thousandth."""
        return to_points(self.score_milli)

    @property
    def complete(self) -> bool:
        """True when every question was answered."""
        return not self.missing

    def dimension(self, dimension_id: str) -> float:
        """One dimension's points; KeyError for an unknown dimension id."""
        return to_points(self.dimension_milli[dimension_id])

    def to_dict(self) -> dict:
        """The result as JSON-ready data; points are exact decimals, never rounded."""
        return {
            "questionnaire": self.questionnaire,
            "version": self.version,
            "content_hash": self.content_hash,
            "score": self.score,
            **{dim: to_points(milli) for dim, milli in self.dimension_milli.items()},
            "level": self.level,
            "level_label": self.level_label,
            "complete": self.complete,
            "missing": list(self.missing),
            "scene_counts": {
                f"L{lv}": {"scenes": self.scenes_at_or_above[lv], "constrained": self.constrained_at_or_above[lv]}
                for lv in range(1, 5)
            },
            "why": [
                {
                    "level": check.level,
                    "label": check.label,
                    "met": check.met,
                    "conditions": [
                        {"kind": c.kind, "required": c.required, "actual": c.actual, "met": c.met, "text": c.text}
                        for c in check.conditions
                    ],
                }
                for check in self.checks
            ],
            "gap": None
            if self.gap is None
            else {
                "level": self.gap.level,
                "label": self.gap.label,
                "points_missing": self.gap.points_missing,
                "scenes_missing": self.gap.scenes_missing,
                "constrained_scenes_missing": self.gap.constrained_missing,
                "text": self.gap.text,
            },
            "questions": [
                {
                    "id": q.id,
                    "item": q.item,
                    "answer": list(q.codes) if q.answered else None,
                    "options": list(q.options),
                    "points": q.points,
                    "max_points": to_points(q.max_milli),
                    **({"figures": dict(q.figures), "percent": q.percent} if q.figures else {}),
                }
                for q in self.questions
            ],
            "scenes": [
                {
                    "name": s.name,
                    "constrained": s.constrained,
                    "level": s.level,
                    "source": s.source,
                    "practices": list(s.practices),
                }
                for s in self.scenes
            ],
        }


def resolve_scenes(questionnaire: Questionnaire, assessment: Assessment) -> tuple[SceneResult, ...]:
    """Each scene's level: an explicit level always wins, else the highest ticked practice, else 0."""
    ticked = set(assessment.practices)
    resolved = []
    for scene in questionnaire.scenes:
        behind = tuple(p for p in questionnaire.practices_for(scene.name) if p.id in ticked)
        if scene.name in assessment.scenes:
            level, source = assessment.scenes[scene.name], "explicit"
        elif behind:
            level, source = max(p.level for p in behind), "practices"
        else:
            level, source = 0, "none"
        proposing = tuple(p.id for p in behind if p.level == max(pr.level for pr in behind)) if behind else ()
        resolved.append(SceneResult(scene.name, scene.group, scene.constrained, level, source, proposing))
    return tuple(resolved)


def score_questions(questionnaire: Questionnaire, assessment: Assessment) -> tuple[QuestionResult, ...]:
    """Each question's chosen options and points, in questionnaire order; an unanswered question scores 0.

    Multi-choice points stop at the question's maximum; ``percent`` is a ratio question's ratio, or a trend
    question's change from the earlier period, when it was answered by figures.
    """
    results = []
    for question in questionnaire.questions:
        codes = assessment.choices.get(question.id)
        chosen = [question.option(c) for c in codes or ()]
        # multi-choice points add up; the data guarantees they stop at the maximum
        points = min(sum(o.points_milli for o in chosen), question.max_milli)
        figures = assessment.figures.get(question.id)
        percent = None
        if figures and question.numerator and question.denominator:
            percent = ratio_percent(figures[question.numerator.key], figures[question.denominator.key])
        elif figures and question.trend:
            percent = trend_change_percent(question, figures["before"], figures["after"])
        results.append(
            QuestionResult(
                id=question.id,
                item=question.item,
                dimension=question.dimension,
                answered=codes is not None,
                codes=tuple(codes or ()),
                options=tuple(o.text for o in chosen),
                points_milli=points,
                max_milli=question.max_milli,
                figures=dict(figures) if figures else None,
                percent=percent,
            )
        )
    return tuple(results)


def check_levels(questionnaire: Questionnaire, score_milli: int, at_or_above, constrained_at_or_above):
    """Every level's three conditions, from the top level down."""
    checks = []
    for rule in sorted(questionnaire.levels, key=lambda r: -r.level):
        scenes, constrained = at_or_above[rule.level], constrained_at_or_above[rule.level]
        conditions = (
            Condition(
                "score",
                rule.min_score,
                to_points(score_milli),
                score_milli >= rule.min_score_milli,
                f"总分 {to_points(score_milli):g} 分，要求 ≥ {rule.min_score:g} 分",
            ),
            Condition(
                "scenes",
                rule.min_scenes,
                scenes,
                scenes >= rule.min_scenes,
                f"L{rule.level} 及以上场景 {scenes} 个，要求 ≥ {rule.min_scenes} 个",
            ),
            Condition(
                "constrained_scenes",
                rule.min_constrained_scenes,
                constrained,
                constrained >= rule.min_constrained_scenes,
                f"其中约束性场景 {constrained} 个，要求 ≥ {rule.min_constrained_scenes} 个",
            ),
        )
        checks.append(LevelCheck(rule.level, rule.label, conditions))
    return tuple(checks)


def gap_to(
    questionnaire: Questionnaire, level: int, score_milli: int, at_or_above, constrained_at_or_above
) -> Gap | None:
    """What ``level`` still needs (points, scenes, ★ scenes), never negative; None when no rule has that level.

    ``at_or_above`` and ``constrained_at_or_above`` are scene counts indexed by level, as in ``Result``.
    """
    rule = questionnaire.level_rule(level)
    if rule is None:
        return None
    constrained_missing = max(0, rule.min_constrained_scenes - constrained_at_or_above[level])
    # raising a ★ scene counts toward both conditions, so the total to raise is the larger
    scenes_missing = max(rule.min_scenes - at_or_above[level], constrained_missing, 0)
    return Gap(level, rule.label, max(0, rule.min_score_milli - score_milli), scenes_missing, constrained_missing)


def score(questionnaire: Questionnaire, assessment: Assessment) -> Result:
    """Score one assessment; the level is the highest whose three conditions all hold."""
    questions = score_questions(questionnaire, assessment)
    dimension_milli = {
        d.id: sum(q.points_milli for q in questions if q.dimension == d.id) for d in questionnaire.dimensions
    }
    score_milli = sum(dimension_milli.values())
    scenes = resolve_scenes(questionnaire, assessment)
    # the national rule counts scenes at or above a level, not exactly at it
    at_or_above = tuple(sum(s.level >= lv for s in scenes) for lv in range(5))
    constrained = tuple(sum(s.level >= lv for s in scenes if s.constrained) for lv in range(5))
    checks = check_levels(questionnaire, score_milli, at_or_above, constrained)
    level = next((c.level for c in checks if c.met), 0)
    return Result(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        content_hash=questionnaire.content_hash,
        score_milli=score_milli,
        dimension_milli=dimension_milli,
        questions=questions,
        scenes=scenes,
        scenes_at_or_above=at_or_above,
        constrained_at_or_above=constrained,
        level=level,
        level_label=questionnaire.level_label(level),
        checks=checks,
        gap=gap_to(questionnaire, level + 1, score_milli, at_or_above, constrained),
        missing=tuple(q.id for q in questions if not q.answered),
    )
