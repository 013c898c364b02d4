"""Comparing two results of one enterprise: per sub-score and per scene, with level crossings."""

from __future__ import annotations

from dataclasses import dataclass

SUB_SCORES = (("score", "总分"), ("basic", "数字化基础"), ("management", "数字化管理"), ("effect", "数字化成效"))


@dataclass(frozen=True)
class Change:
    """One figure before and after (the level, a sub-score or a scene's level), with the levels crossed."""

    name: str
    before: float
    after: float
    crossed: tuple[int, ...] = ()  # levels newly reached (or lost, when negative)
    constrained: bool = False

    @property
    def delta(self) -> float:
        """``after - before``."""
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    """Two results side by side: the level, the four sub-scores, and every scene present in both."""

    comparable: bool  # same questionnaire content: the numbers mean the same thing
    level: Change
    sub_scores: tuple[Change, ...]
    scenes: tuple[Change, ...]


def crossings(before: int, after: int) -> tuple[int, ...]:
    """Levels passed on the way: 1 → 3 crosses 2 and 3; 3 → 1 loses 3 and 2 (as -3, -2)."""
    if after > before:
        return tuple(range(before + 1, after + 1))
    return tuple(-lv for lv in range(before, after, -1))


def compare(before: dict, after: dict) -> Comparison:
    """Compare two results as stored (``Result.to_dict()`` form)."""
    subs = tuple(Change(label, before[key], after[key]) for key, label in SUB_SCORES)
    old_scenes = {s["name"]: s for s in before["scenes"]}
    scenes = tuple(
        Change(
            s["name"],
            old_scenes[s["name"]]["level"],
            s["level"],
            crossings(old_scenes[s["name"]]["level"], s["level"]),
            s["constrained"],
        )
        for s in after["scenes"]
        if s["name"] in old_scenes
    )
    level = Change("等级", before["level"], after["level"], crossings(before["level"], after["level"]))
    return Comparison(before["content_hash"] == after["content_hash"], level, subs, scenes)
