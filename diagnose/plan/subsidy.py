"""The subsidy rule as data (questionnaires/subsidy.yaml): what share of which item types the public
pays, capped per enterprise. The shipped rule is sample data and says so wherever it shows."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from diagnose.catalog.products import TYPES, Product
from diagnose.problems import Problem, ProblemsError
from diagnose.rule.loading import DEFAULT_DIRECTORY, display_path, read_document

DEFAULT_SUBSIDY = DEFAULT_DIRECTORY / "subsidy.yaml"


@dataclass(frozen=True)
class SubsidyRule:
    """The public share of an eligible item's price, the most one enterprise receives (元), and the
    item types it pays for."""

    title: str
    sample: bool
    share: float
    cap_per_enterprise: int
    eligible_types: tuple[str, ...]

    def described(self) -> str:
        """The rule in a sentence, as the plan's page and workbook state it."""
        return (f"{self.title}——符合类型（{'、'.join(self.eligible_types)}）的产品按价格的 {self.share:.0%} 补助，"
                f"每家企业最多 {self.cap_per_enterprise:,} 元")  # fmt: skip

    def public_share(self, products: tuple[Product, ...] | list[Product]) -> int:
        """What the public pays for one of each of ``products``: ``share`` of the eligible items'
        prices, rounded down to the yuan, at most ``cap_per_enterprise``."""
        eligible = sum(p.price for p in products if p.type in self.eligible_types)
        return min(self.cap_per_enterprise, math.floor(eligible * self.share))


def load_subsidy_rule(path: Path = DEFAULT_SUBSIDY) -> SubsidyRule:
    """The rule in ``path``; ProblemsError naming every bad field."""
    raw, problems = read_document(path)
    label = display_path(path)
    if raw is None:
        raise ProblemsError(problems)
    share, cap, types = raw.get("share"), raw.get("cap_per_enterprise"), raw.get("eligible_types")
    if raw.get("kind") != "subsidy":
        problems.append(Problem(label, "kind", f"应为 subsidy，而不是 {raw.get('kind')!r}"))
    if isinstance(share, bool) or not isinstance(share, int | float) or not math.isfinite(share) or not 0 <= share <= 1:
        problems.append(Problem(label, "share", f"应为 0 到 1 之间的比例，而不是 {share!r}"))
    if isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
        problems.append(Problem(label, "cap_per_enterprise", f"应为不小于 0 的整数（元），而不是 {cap!r}"))
    if not isinstance(types, list) or not all(t in TYPES for t in types):
        problems.append(Problem(label, "eligible_types", f"应为产品类型的列表（{'、'.join(TYPES)}），而不是 {types!r}"))
    if problems:
        raise ProblemsError(problems)
    return SubsidyRule(str(raw.get("title", "")), bool(raw.get("sample")), float(share), cap, tuple(types))
