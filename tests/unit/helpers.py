"""Small builders for scoring tests: answers that reach an exact score, scene sets."""

from __future__ import annotations

from diagnose.rule.answers import Assessment
from diagnose.rule.questionnaire import Questionnaire

# Hand-picked answers whose points add up exactly to each level's score threshold.
AT_20 = {"Q5": ("E",), "Q12": ("C",), "Q14": ("C",)}  # 10 + 7 + 3
AT_40 = AT_20 | {"Q1": ("B", "C", "D", "E"), "Q13": ("C",), "Q6": ("B", "C", "D", "E")}  # + 8 + 7 + 5
AT_60 = AT_40 | {"Q7": ("B", "C", "D", "E"), "Q8": ("F",), "Q9": ("B", "C", "D", "E")}  # + 5 + 7.5 + 7.5
AT_80 = AT_60 | {"Q11": ("E",), "Q2": ("E",), "Q15": ("C",), "Q4": ("B", "C", "D", "E", "F")}  # + 7.5 + 6 + 3 + 3.5
AT_THRESHOLD = {1: AT_20, 2: AT_40, 3: AT_60, 4: AT_80}


def scene_levels(questionnaire: Questionnaire, level: int, count: int, starred: int, background: int) -> dict[str, int]:
    """``count`` scenes at ``level`` of which ``starred`` are ★; every other scene at ``background``."""
    stars = [s.name for s in questionnaire.scenes if s.constrained]
    plain = [s.name for s in questionnaire.scenes if not s.constrained]
    chosen = stars[:starred] + plain[: count - starred]
    assert len(chosen) == count, "not enough scenes of that kind"
    return {s.name: (level if s.name in chosen else background) for s in questionnaire.scenes}


def assessment(questionnaire: Questionnaire, choices=None, scenes=None, practices=(), figures=None) -> Assessment:
    return Assessment(questionnaire.id, choices or {}, figures or {}, scenes or {}, practices)
