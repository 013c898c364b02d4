"""Which enterprises the plan brings to 二级: the least public money for the target, or the most
enterprises a budget pays for (pure).

Each enterprise's bundle is its own (what one buys changes no other's price), so the choice is
exact as a sort: the cheapest N enterprises cost the least of any N, and the longest run of the
cheapest that fits a budget is the most enterprises it can pay for (any k enterprises cost at
least the k cheapest). Ties go to the lower total price, then the lower enterprise id, so the
same data always gives the same plan. Coupling between enterprises (a district's minimum, a
provider's capacity) makes it an integer program: ``choose_coupled``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    """One enterprise that its bundle brings to 二级 by the deadline: what it costs the public and in all."""

    enterprise_id: int
    public: int  # 元, the subsidy rule applied to the bundle
    total: int  # 元, the bundle's price
    district: str = ""
    providers: tuple[str, ...] = ()  # whose products the bundle contracts


def cheapest_first(option: Option) -> tuple[int, int, int]:
    """The order every choice takes options in: public money, then total price, then enterprise id."""
    return (option.public, option.total, option.enterprise_id)


def choose(options: Sequence[Option], target: int | None, budget: int | None) -> tuple[Option, ...]:
    """The cheapest ``target`` options (all of them when None) whose public cost fits ``budget``
    (no limit when None), cheapest first."""
    chosen, spent = [], 0
    for option in sorted(options, key=cheapest_first):
        if target is not None and len(chosen) >= target:
            break
        if budget is not None and spent + option.public > budget:
            break  # sorted: no later option fits either
        chosen.append(option)
        spent += option.public
    return tuple(chosen)


def choose_coupled(options: Sequence[Option], target: int | None, budget: int | None,
                   district_minimum: Mapping[str, int] | None = None,
                   provider_capacity: Mapping[str, int] | None = None) -> tuple[Option, ...] | None:  # fmt: skip
    """As ``choose`` (the most enterprises up to ``target`` within ``budget``, and for that many
    the least public money), with at least ``district_minimum[d]`` chosen in each district d and
    at most ``provider_capacity[p]`` enterprises whose bundle contracts provider p: a 0/1 program
    solved exactly by HiGHS (scipy.optimize.milp, zero gap), cheapest first. None: no choice
    meets the minimums (the budget or the capacities leave too few)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp  # about half a second to import

    options = sorted(options, key=cheapest_first)
    minimum = {d: m for d, m in (district_minimum or {}).items() if m > 0}
    if not options:
        return None if minimum else ()
    public = np.array([o.public for o in options], dtype=float)
    # each more enterprise outweighs all the money: first the count, then the cost
    cost = public - (public.sum() + 1.0)
    rows, low, high = [], [], []

    def row(values, at_least: float, at_most: float) -> None:
        rows.append(np.array(values, dtype=float))
        low.append(at_least)
        high.append(at_most)

    if target is not None:
        row(np.ones(len(options)), -np.inf, target)
    if budget is not None:
        row(public, -np.inf, budget)
    for district, least in minimum.items():
        row([o.district == district for o in options], least, np.inf)
    for provider, most in (provider_capacity or {}).items():
        row([provider in o.providers for o in options], -np.inf, most)
    constraints = [LinearConstraint(np.array(rows), low, high)] if rows else []
    found = milp(cost, constraints=constraints, integrality=np.ones(len(options)), bounds=Bounds(0, 1),
                 options={"mip_rel_gap": 0.0})  # fmt: skip
    if not found.success:
        return None
    return tuple(o for o, x in zip(options, found.x, strict=True) if x > 0.5)
