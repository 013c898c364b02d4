"""Questionnaires: the national rule and the industry rubrics, as frozen data.

Points are held as integers in thousandths of a point (``milli``) so that
sums are exact: 0.7 added thirteen times is 9.1, not 9.099999999999998, and
a score of exactly 40 is 二级 whichever order the answers were added in.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Literal

MILLI = 1000
OPTION_CODES = string.ascii_uppercase
QuestionType = Literal["single", "multi", "ratio"]
SCENE_LEVELS = (0, 1, 2, 3, 4)


def to_points(milli: int) -> float:
    """Points from integer thousandths (milli): 3500 → 3.5."""
    return milli / MILLI


@dataclass(frozen=True)
class Option:
    """A lettered answer option worth ``points_milli``; an ``exclusive`` one (无, 0 points) is chosen alone."""

    code: str
    text: str
    points_milli: int
    exclusive: bool = False
    upper_percent: float | None = None  # ratio questions: the band's closed upper end

    @property
    def points(self) -> float:
        """The option's points (``points_milli`` / 1000)."""
        return to_points(self.points_milli)


@dataclass(frozen=True)
class Figure:
    """A raw figure a ratio question is answered with (a device count, 万元)."""

    key: str
    label: str
    unit: str
    whole: bool = False  # a count of things (devices), never a fraction


@dataclass(frozen=True)
class Trend:
    """How a 上年/前年 (or 改造前/改造后) question is answered by its figures: a measure per
    period (numerator, or numerator / denominator), compared; a small change is 持平."""

    before: str  # the earlier period's name
    after: str
    numerator: Figure
    denominator: Figure | None
    better: Literal["lower", "higher"]
    worse_code: str
    flat_code: str
    better_code: str
    flat_within_percent: float


@dataclass(frozen=True)
class Question:
    """One scored question of a dimension, worth at most ``max_milli``, its options lettered A, B, C ...

    A ratio question may be answered by its ``numerator`` / ``denominator`` figures, a single-choice question
    with a ``trend`` by two periods' figures; ``evidence`` says what to look at on site.
    """

    id: str
    dimension: str
    item: str
    text: str
    type: QuestionType
    max_milli: int
    options: tuple[Option, ...]
    evidence: str = ""
    numerator: Figure | None = None
    denominator: Figure | None = None
    trend: Trend | None = None

    @property
    def max_points(self) -> float:
        """The most points the question can give (``max_milli`` / 1000)."""
        return to_points(self.max_milli)

    def option(self, code: str) -> Option | None:
        """The option with this letter, or None if there is none."""
        for option in self.options:
            if option.code == code:
                return option
        return None


@dataclass(frozen=True)
class Dimension:
    """A scored dimension (数字化基础, 管理, 成效); its questions' maxima add up to ``max_milli``."""

    id: str
    name: str
    max_milli: int

    @property
    def max_points(self) -> float:
        """The dimension's full marks in points (``max_milli`` / 1000)."""
        return to_points(self.max_milli)


@dataclass(frozen=True)
class Scene:
    """A 数字化经营 scene rated L0-L4; ``constrained`` marks a ★ 约束性 scene, ``levels`` describes L1..L4."""

    name: str
    group: str
    constrained: bool
    levels: tuple[str, ...]  # descriptors of L1..L4


@dataclass(frozen=True)
class LevelRule:
    """The three conditions of one national level (一级 .. 四级)."""

    level: int
    name: str
    title: str
    min_score_milli: int
    min_scenes: int
    min_constrained_scenes: int

    @property
    def min_score(self) -> float:
        """The least total score this level needs, in points."""
        return to_points(self.min_score_milli)

    @property
    def label(self) -> str:
        """Name and title, e.g. "二级 在线数据采集与规范管理"."""
        return f"{self.name} {self.title}"


@dataclass(frozen=True)
class Practice:
    """An observable practice of an industry; ticking it proposes a scene level."""

    id: str
    scene: str
    level: int
    text: str
    evidence: str = ""


@dataclass(frozen=True)
class Questionnaire:
    """A resolved questionnaire: the national part plus, for a rubric, its additions.

    ``content_hash`` is the SHA-256 of the parsed content of every file it is
    built from, so two results are comparable exactly when their hashes match.
    """

    id: str
    version: str
    title: str
    industry: str | None
    dimensions: tuple[Dimension, ...]
    questions: tuple[Question, ...]
    scenes: tuple[Scene, ...]
    levels: tuple[LevelRule, ...]
    scene_level_names: tuple[str, ...]
    practices: tuple[Practice, ...] = ()
    priority_scenes: tuple[str, ...] = ()
    base: str | None = None
    content_hash: str = ""
    files: tuple[str, ...] = ()
    # the canonical JSON of the parsed files (base first) that content_hash is taken
    # of: stored with every assessment, it rebuilds this questionnaire exactly
    source: str = field(default="", repr=False, compare=False)

    @cached_property
    def _questions(self) -> Mapping[str, Question]:
        return MappingProxyType({q.id: q for q in self.questions})

    @cached_property
    def _practices(self) -> Mapping[str, Practice]:
        return MappingProxyType({p.id: p for p in self.practices})

    @property
    def max_milli(self) -> int:
        """Full marks in milli: the sum of the dimensions' maxima."""
        return sum(d.max_milli for d in self.dimensions)

    @property
    def scene_names(self) -> tuple[str, ...]:
        """The scenes' names in questionnaire order."""
        return tuple(s.name for s in self.scenes)

    @property
    def short_hash(self) -> str:
        """The first 12 hex digits of ``content_hash``, for display."""
        return self.content_hash[:12]

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return self._questions.get(question_id)

    def scene(self, name: str) -> Scene | None:
        """The scene with this name, or None."""
        return next((s for s in self.scenes if s.name == name), None)

    def practice(self, practice_id: str) -> Practice | None:
        """The practice with this id, or None."""
        return self._practices.get(practice_id)

    def practices_for(self, scene: str) -> tuple[Practice, ...]:
        """The practices of one scene in questionnaire order; empty for a scene without any (or unknown)."""
        return tuple(p for p in self.practices if p.scene == scene)

    def level_rule(self, level: int) -> LevelRule | None:
        """The rule of this national level, or None (level 0, or above the top)."""
        return next((r for r in self.levels if r.level == level), None)

    def level_label(self, level: int) -> str:
        """The level's label ("二级 …"), or "未达一级" for a level without a rule (0)."""
        rule = self.level_rule(level)
        return rule.label if rule else "未达一级"
