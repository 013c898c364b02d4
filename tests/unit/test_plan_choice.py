"""The planner's choice (plan/choose.py): the cheapest set, against brute force on small instances."""

from __future__ import annotations

import itertools
import random

import pytest

from diagnose.plan.choose import Option, choose, choose_coupled


def options(*publics: int, districts: str = "") -> list[Option]:
    return [Option(i + 1, public, public * 2, districts[i] if districts else "") for i, public in enumerate(publics)]


def test_the_target_takes_the_cheapest_enterprises_and_ties_go_to_the_lower_price_then_id():
    made = [Option(1, 500, 900), Option(2, 100, 300), Option(3, 100, 200), Option(4, 300, 600), Option(5, 100, 200)]

    assert [o.enterprise_id for o in choose(made, target=3, budget=None)] == [3, 5, 2]


def test_a_budget_buys_as_many_as_it_can_cheapest_first():
    assert [o.public for o in choose(options(40, 10, 30, 20), target=None, budget=65)] == [10, 20, 30]
    assert choose(options(40, 10), target=None, budget=5) == ()
    # a target inside the budget stops at the target; one beyond it stops at the budget
    assert len(choose(options(1, 2, 3, 4), target=2, budget=100)) == 2
    assert [o.public for o in choose(options(1, 2, 3, 4), target=4, budget=6)] == [1, 2, 3]


def brute_force(made, target, budget, minimum=None, capacity=None):
    """The most options (up to ``target``), then the least public money, by trying every subset."""
    best = None
    for size in range(len(made) + 1):
        for subset in itertools.combinations(made, size):
            if target is not None and size > target:
                continue
            spent = sum(o.public for o in subset)
            if budget is not None and spent > budget:
                continue
            if any(sum(o.district == d for o in subset) < m for d, m in (minimum or {}).items()):
                continue
            if any(sum(p in o.providers for o in subset) > c for p, c in (capacity or {}).items()):
                continue
            key = (-size, spent)
            if best is None or key < best:
                best = key
    return best


def key(chosen):
    return None if chosen is None else (-len(chosen), sum(o.public for o in chosen))


@pytest.mark.parametrize("seed", range(40))
def test_the_sort_and_the_integer_program_match_brute_force_on_random_small_instances(seed):
    rng = random.Random(seed)
    made = [
        Option(i, rng.choice([0, 1500, 3000, 4200, 9000, 12000]), rng.randint(0, 40000), rng.choice("甲乙丙"),
               tuple(rng.sample(["P1", "P2", "P3"], rng.randint(1, 2))))
        for i in range(rng.randint(1, 9))
    ]  # fmt: skip
    target = rng.choice([None, 1, 3, 5])
    budget = rng.choice([None, 5000, 20000])

    assert key(choose(made, target, budget)) == brute_force(made, target, budget)
    assert key(choose_coupled(made, target, budget)) == brute_force(made, target, budget)

    minimum = {rng.choice("甲乙丙"): rng.randint(1, 2)}
    capacity = {rng.choice(["P1", "P2", "P3"]): rng.randint(0, 3)}
    assert key(choose_coupled(made, target, budget, minimum, capacity)) == brute_force(
        made, target, budget, minimum, capacity
    )


def test_a_district_minimum_takes_a_dearer_enterprise_over_a_cheaper_one():
    made = options(100, 200, 900, districts="甲甲乙")

    assert [o.enterprise_id for o in choose(made, target=2, budget=None)] == [1, 2]
    assert sorted(o.enterprise_id for o in choose_coupled(made, 2, None, {"乙": 1})) == [1, 3]
    assert choose_coupled(made, 2, 500, {"乙": 1}) is None  # the budget cannot pay for 乙's


def test_the_subsidy_rule_pays_its_share_of_eligible_types_only_and_stops_at_the_cap():
    from dataclasses import replace

    from diagnose.plan.subsidy import SubsidyRule, load_subsidy_rule
    from diagnose.plan.tables import item_shares
    from tests.unit.test_recommend import product

    rule = SubsidyRule("示例", True, 0.5, 60000, ("SaaS", "安全服务"))
    saas, box = product("A", 10001), replace(product("B", 50000), type="硬件")

    assert rule.public_share((saas,)) == 5000  # half of 10,001, rounded down to the yuan
    assert rule.public_share((saas, box)) == 5000  # hardware is not paid for
    assert rule.public_share((replace(saas, price=300000),)) == 60000  # capped
    assert item_shares((saas, box), rule) == [5000, 0]
    three = (product("C", 100), product("D", 100), product("E", 100))
    assert item_shares(three, SubsidyRule("示例", True, 0.5, 100, ("SaaS",))) == [34, 33, 33]  # whole yuan, summing up
    shipped = load_subsidy_rule()
    assert shipped.sample and "示例" in shipped.title


def test_a_broken_subsidy_file_names_each_bad_field(tmp_path):
    from diagnose.plan.subsidy import load_subsidy_rule
    from diagnose.problems import ProblemsError

    path = tmp_path / "subsidy.yaml"
    path.write_text("kind: subsidy\nshare: .inf\ncap_per_enterprise: -1\neligible_types: [飞船]\n", encoding="utf-8")

    with pytest.raises(ProblemsError) as raised:
        load_subsidy_rule(path)

    assert [p.place for p in raised.value.problems] == ["share", "cap_per_enterprise", "eligible_types"]


def test_a_bundle_kept_on_more_products_is_reused_only_where_it_must_still_be_the_cheapest():
    from dataclasses import replace

    from diagnose.plan.bundles import described, still_cheapest
    from tests.unit.test_recommend import product

    a, b, c = product("A", 100, {"营销管理": 2}), product("B", 200, {"营销管理": 2}), product("C", 300, {"质量管理": 2})
    everything = described((a, b, c))

    assert still_cheapest(("A",), everything, described((a, c)))  # B paused: A still the cheapest
    assert not still_cheapest(("A",), everything, described((b, c)))  # A itself paused
    assert still_cheapest(None, everything, described((a, b)))  # unreachable with more, so with fewer
    assert not still_cheapest(("A",), everything, described((a, b, c, product("D", 1, {"营销管理": 3}))))  # added
    assert not still_cheapest(("A",), everything, described((a, replace(b, price=50), c)))  # a price cut
