"""What an enterprise's page (企业画像) and its report show: its latest result against its
baseline and its industry, and what to buy next (pure data; ``services/profile_view.py``
gathers it)."""

from __future__ import annotations

from dataclasses import dataclass

from diagnose.catalog.recommend import Recommendation
from diagnose.rule.maturity import Axis
from diagnose.rule.questionnaire import Questionnaire
from diagnose.visit.compare import Comparison


@dataclass(frozen=True)
class Benchmark:
    """The industry's mean axes over its enterprises' latest approved results; ``axes`` None below MIN_PEERS."""

    industry: str
    enterprises: int
    axes: tuple[Axis, ...] | None  # None below MIN_PEERS approved peers


@dataclass(frozen=True)
class EnterpriseView:
    """An enterprise's page: its latest scored assessment and result, the baseline beside an after-result,
    the industry benchmark, the recommendation for the next level and its projects."""

    enterprise: dict
    assessment: dict  # the latest scored assessment's row
    values: dict  # its answers as stored
    notes: dict
    questionnaire: Questionnaire  # the one it was scored with
    result: dict  # the latest scored result (Result.to_dict())
    axes: tuple[Axis, ...]
    baseline_axes: tuple[Axis, ...] | None
    comparison: Comparison | None
    benchmark: Benchmark
    recommendation: Recommendation | None
    projects: tuple[dict, ...]  # its transformation projects, each with its items (oldest first)
