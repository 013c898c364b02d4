"""Recommendations: optimal against brute force, projected by the rule itself, only what may be sold."""

from __future__ import annotations

import itertools
import random
from types import MappingProxyType

import pytest

from diagnose.catalog.products import DEFAULT_CATALOG, Catalog, Product, check_catalog, load_catalog
from diagnose.catalog.recommend import adopt, recommend
from diagnose.rule.answers import Assessment
from diagnose.rule.scoring import score
from diagnose.rule.simulate import random_assessment


def product(pid: str, price: int, scenes=None, questions=None, industries=("全部",), status="在库") -> Product:
    return Product(
        id=pid, name=f"产品{pid}（示例）", version="1", lead_firm="示例", provider="示例", type="SaaS",
        industries=tuple(industries), links=("管理",), scenes=MappingProxyType(scenes or {}),
        questions=MappingProxyType(questions or {}), deployment="云端", price=price, unit="年",
        implementation_days=5, showcase="示例", ip_status="无", batch="第1批", status=status,
    )  # fmt: skip


def random_product(rng: random.Random, questionnaire, pid: str) -> Product:
    scenes = {s.name: rng.randint(1, 4) for s in rng.sample(questionnaire.scenes, rng.randint(0, 5))}
    questions = {}
    for question in rng.sample(questionnaire.questions, rng.randint(0, 3)):
        plain = [o.code for o in question.options if not o.exclusive]
        if question.type == "multi":
            questions[question.id] = tuple(rng.sample(plain, rng.randint(1, min(3, len(plain)))))
        else:
            questions[question.id] = (rng.choice(plain[1:]),)
    return product(pid, rng.choice([1000, 1500, 2400, 3600, 5000, 8000, 12000, 20000]), scenes, questions)


def brute_force_cheapest(questionnaire, assessment, products, target):
    best = None
    for size in range(len(products) + 1):
        for subset in itertools.combinations(products, size):
            price = sum(p.price for p in subset)
            if best is not None and price >= best:
                continue
            if score(questionnaire, adopt(questionnaire, assessment, subset)).level >= target:
                best = price
    return best


@pytest.mark.parametrize("seed", range(40))
def test_the_cheapest_bundle_is_optimal_against_brute_force(national, seed):
    rng = random.Random(seed)
    products = tuple(random_product(rng, national, f"R{i}") for i in range(rng.randint(3, 9)))
    catalog = Catalog("t", "1", "t", True, products)
    assessment = random_assessment(national, rng, answer_share=0.6)
    target = rng.choice([1, 2, 3])

    found = recommend(national, catalog, assessment, "塑胶", target)

    expected = brute_force_cheapest(national, assessment, products, target)
    if expected is None:
        assert found.cheapest is None and found.unmet
    else:
        assert found.cheapest.total_price == expected
        assert found.cheapest.projected.level >= target


@pytest.mark.parametrize("seed", range(30))
def test_the_best_bundle_within_budget_reaches_the_highest_level_the_budget_can(national, seed):
    rng = random.Random(100 + seed)
    products = tuple(random_product(rng, national, f"R{i}") for i in range(rng.randint(3, 8)))
    catalog = Catalog("t", "1", "t", True, products)
    assessment = random_assessment(national, rng, answer_share=0.6)
    budget = rng.choice([2000, 5000, 10000, 20000])

    found = recommend(national, catalog, assessment, "塑胶", 3, budget=budget)

    if found.cheapest is not None and found.cheapest.total_price <= budget:
        assert found.within_budget is None
        return
    affordable = [s for n in range(len(products) + 1) for s in itertools.combinations(products, n)
                  if sum(p.price for p in s) <= budget]  # fmt: skip
    results = [(score(national, adopt(national, assessment, s)), sum(p.price for p in s)) for s in affordable]
    best_level = max(r.level for r, _ in results)
    if best_level > found.current.level:
        # a level the budget reaches: the cheapest bundle that reaches it, never none
        assert found.within_budget is not None
        assert found.within_budget.projected.level == best_level
        assert found.within_budget.total_price == min(price for r, price in results if r.level == best_level)
    else:
        # no level within reach: the most points the budget buys, none only when nothing adds a point
        most = max(r.score_milli for r, _ in results)
        if most > found.current.score_milli:
            assert found.within_budget is not None
            assert found.within_budget.projected.score_milli == most
            assert found.within_budget.total_price <= budget
        else:
            assert found.within_budget is None


def test_a_budget_below_the_cheapest_bundle_gets_the_level_below_it(national):
    empty = Assessment(national.id, {}, {}, {}, ())
    top = {q.id: (max(q.options, key=lambda o: o.points_milli).code,) for q in national.questions if q.type != "multi"}
    every = {q.id: tuple(o.code for o in q.options if not o.exclusive) for q in national.questions if q.type == "multi"}
    one = product("ONE", 3000, {s.name: 1 for s in national.scenes}, top)  # 一级 at most: no scene at L2
    two = product("TWO", 50000, {s.name: 2 for s in national.scenes}, top | every)
    catalog = Catalog("t", "1", "t", True, (one, two))

    found = recommend(national, catalog, empty, "塑胶", 2, budget=10000)

    assert found.cheapest is not None and found.cheapest.total_price > 10000
    assert found.within_budget is not None
    assert [p.id for p in found.within_budget.products] == ["ONE"]
    assert found.within_budget.projected.level == 1


def test_the_projected_result_is_the_rule_applied_to_the_adjusted_answers(registry):
    plastics = registry["plastics"]
    catalog = load_catalog(plastics)
    assessment = random_assessment(plastics, random.Random(3), answer_share=0.5)

    found = recommend(plastics, catalog, assessment, "塑胶")

    again = score(plastics, adopt(plastics, assessment, found.cheapest.products))
    assert again == found.cheapest.projected
    assert [p.price for p in found.cheapest.products] == sorted(p.price for p in found.cheapest.products)


def test_paused_withdrawn_and_other_industries_never_appear(national):
    lift = {s.name: 4 for s in national.scenes}
    everything = {q.id: (q.options[-1].code,) for q in national.questions if q.type != "multi"}
    everything |= {
        q.id: tuple(o.code for o in q.options if not o.exclusive) for q in national.questions if q.type == "multi"
    }
    products = (
        product("PAUSED", 1, lift, everything, status="暂停"),
        product("GONE", 1, lift, everything, status="退出"),
        product("FOOD", 1, lift, everything, industries=("食品加工",)),
        product("OK", 100000, lift, everything, industries=("塑胶",)),
    )
    catalog = Catalog("t", "1", "t", True, products)

    found = recommend(national, catalog, Assessment(national.id), "塑胶", 4)

    assert [p.id for p in found.cheapest.products] == ["OK"]


def test_an_unreachable_target_names_the_conditions_it_cannot_meet(national):
    catalog = Catalog("t", "1", "t", True, (product("A", 1000, {"产品设计": 2}, {"Q5": ("E",)}),))

    found = recommend(national, catalog, Assessment(national.id), "塑胶", 2)

    assert found.cheapest is None
    assert found.unmet == (
        "即使采用全部 1 个适用的在库产品，总分 10 分，仍达不到要求的 ≥ 40 分",
        "即使采用全部 1 个适用的在库产品，L2 及以上场景 1 个，仍达不到要求的 ≥ 6 个",
        "即使采用全部 1 个适用的在库产品，其中约束性场景 1 个，仍达不到要求的 ≥ 3 个",
    )


def test_an_enterprise_already_at_the_target_needs_nothing(national):
    scenes = {s.name: 2 for s in national.scenes}
    choices = {q.id: (q.options[-1].code,) for q in national.questions if q.type != "multi"}

    found = recommend(national, load_catalog(national), Assessment(national.id, choices, {}, scenes), "塑胶")

    assert found.current.level >= 2 and found.cheapest.products == () and found.cheapest.total_price == 0


def test_each_reason_says_what_the_product_lifts(national):
    catalog = Catalog("t", "1", "t", True, (product("A", 1000, {"营销管理": 2}, {"Q5": ("D",), "Q6": ("B",)}),))
    assessment = Assessment(national.id, {"Q5": ("B",)}, {}, {"营销管理": 1})

    from diagnose.catalog.recommend import explain

    assert explain(national, assessment, score(national, assessment), catalog.products[0]) == (
        "场景「营销管理」L1 → L2（约束性★）",
        "Q5 信息系统：B → D. 绝大部分（>80%）业务环节（+5 分）",
        "Q6 网络安全：新增 B. 制定网络安全管理制度（+1.25 分）",
    )


def test_the_shipped_sample_catalog_is_clean_and_covers_the_pilot(national):
    catalog, problems = check_catalog(national, DEFAULT_CATALOG)

    assert problems == []
    assert catalog.sample and len(catalog.products) >= 40
    assert all("示例" in p.name and "示例" in p.provider and "示例" in p.showcase for p in catalog.products)
    assert {link for p in catalog.products for link in p.links} == {"设计", "制造", "销售", "服务", "管理", "安全"}
    assert {p.batch for p in catalog.products} == {"第1批", "第2批"}
    assert {p.status for p in catalog.products} == {"在库", "暂停", "退出"}
    for industry in ("纺织服装", "塑胶", "五金制造", "食品加工"):
        assert sum(industry in p.industries for p in catalog.products) >= 3


def test_a_broken_catalog_names_file_and_place(national, tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text(
        "kind: catalog\nid: x\nversion: '1'\ntitle: t\nproducts:\n"
        "  - {id: A, name: a, version: '1', lead_firm: f, provider: p, type: 软件, industries: [陶瓷], links: [研发],"
        " scenes: {仓储: 2, 产品设计: 5}, questions: {Q5: [C, D], Q99: A}, deployment: d, price: -1, unit: 年,"
        " implementation_days: 1, showcase: s, ip_status: i, batch: b, status: 在售}\n",
        encoding="utf-8",
    )

    _, problems = check_catalog(national, path)

    places = {p.place for p in problems}
    assert {"products[0].type", "products[0].status", "products[0].industries", "products[0].links",
            "products[0].price", "products[0].scenes.仓储", "products[0].scenes.产品设计",
            "products[0].questions.Q5", "products[0].questions.Q99"} <= places  # fmt: skip
    assert all(p.file.endswith("catalog.yaml") for p in problems)


@pytest.mark.parametrize("order", [0, 1])
def test_the_recommendation_prefers_no_provider_the_cheaper_of_two_equal_products_wins_whoever_sells_it(
    national, order
):
    from dataclasses import replace

    lift = {s.name: 4 for s in national.scenes}
    everything = {q.id: (q.options[-1].code,) for q in national.questions if q.type != "multi"}
    everything |= {
        q.id: tuple(o.code for o in q.options if not o.exclusive) for q in national.questions if q.type == "multi"
    }
    lead = replace(product("LEAD", 5000, lift, everything), provider="示例牵引单位甲", lead_firm="示例牵引单位甲")
    small = replace(product("SMALL", 4999, lift, everything), provider="示例小服务商", lead_firm="示例牵引单位乙")
    listed = (lead, small) if order == 0 else (small, lead)  # the catalog's order is no preference either

    found = recommend(national, Catalog("t", "1", "t", True, listed), Assessment(national.id), "塑胶", 4)

    assert [p.id for p in found.cheapest.products] == ["SMALL"]
    swapped = (replace(lead, price=4999), replace(small, price=5000))
    assert [p.id for p in recommend(national, Catalog("t", "1", "t", True, swapped), Assessment(national.id),
                                    "塑胶", 4).cheapest.products] == ["LEAD"]  # fmt: skip


def test_a_catalog_with_no_product_for_the_industry_says_why_instead_of_failing(national):
    paused = Catalog("t", "1", "t", True, (product("P", 100, {"营销管理": 2}, status="暂停"),))

    found = recommend(national, paused, Assessment(national.id, {}, {}, {}, ()), "塑胶", 2, budget=1000)

    assert found.cheapest is None and found.within_budget is None
    assert found.unmet[0].startswith("即使采用全部 0 个适用的在库产品，总分 0 分")
