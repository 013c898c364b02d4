"""One enterprise's bundles for the plan: the exact recommendation, keyed for keeping.

A kept bundle is valid for exactly the program it solved: the result (its answers and
questionnaire) and the candidate products, which ``fingerprint`` names. A new batch, a paused
product or a changed price changes the fingerprint of the industries it serves, and their bundles
are solved again; nothing else is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from diagnose.catalog.products import Catalog, Product
from diagnose.catalog.recommend import recommend
from diagnose.rule.answers import Assessment
from diagnose.rule.questionnaire import Questionnaire


def candidates(catalog: Catalog, industry: str, most_days: int | None = None) -> tuple[Product, ...]:
    """The products a bundle for ``industry`` is chosen from (as ``recommend`` chooses): 在库, for the
    industry, lifting something; and, given ``most_days``, done within that many days."""
    return tuple(
        p
        for p in catalog.available_for(industry)
        if (p.scenes or p.questions) and (most_days is None or p.implementation_days <= most_days)
    )


def described(products: Sequence[Product]) -> frozenset[str]:
    """Each of ``products`` as the one line of JSON a bundle depends on: which it is, its price, what
    it lifts and how long it takes."""
    return frozenset(
        json.dumps([p.id, p.price, p.implementation_days, sorted(p.scenes.items()),
                    sorted((q, list(c)) for q, c in p.questions.items())], ensure_ascii=False)
        for p in products
    )  # fmt: skip


def fingerprint(products: Sequence[Product]) -> str:
    """A digest of ``described(products)`` (64 hex characters)."""
    return hashlib.sha256("\n".join(sorted(described(products))).encode()).hexdigest()


def still_cheapest(ids: tuple[str, ...] | None, solved_on: frozenset[str], now: frozenset[str]) -> bool:
    """Whether a bundle (``ids``, or None: none reached the target) solved on the products described
    by ``solved_on`` is still the answer on ``now``: when ``now`` only takes products away (none
    changed) and none of the bundle's. A cheapest choice among more products that is still there
    is the cheapest among fewer; and what more products could not reach, fewer cannot."""
    if not now <= solved_on:
        return False
    if ids is None:
        return True
    left = {json.loads(line)[0] for line in now}
    return set(ids) <= left


def solve(questionnaire: Questionnaire, assessment: Assessment, industry: str, products: Sequence[Product],
          target: int) -> tuple[str, ...] | None:  # fmt: skip
    """The ids of the cheapest of ``products`` that bring ``assessment`` to ``target`` (exact: the
    recommendation's integer program, checked by the rule), or None when none do."""
    catalog = Catalog("plan", "", "", True, tuple(products))
    found = recommend(questionnaire, catalog, assessment, industry, target).cheapest
    return None if found is None else tuple(p.id for p in found.products)


def bundle_days(products: Sequence[Product]) -> int:
    """How long a bundle takes: its products are implemented side by side, so the longest one."""
    return max((p.implementation_days for p in products), default=0)
