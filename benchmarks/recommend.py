"""Benchmark: recommendations against a 200-product catalog, and over a whole demo database.

The 200-product catalog is generated sample data (the shipped 47-product sample
catalog plus variants with random effects and prices). Prints the median time
of one recommendation, then the time to recommend for the latest assessment of
every enterprise in a demo database of ``--enterprises`` (default 10,000).
Run: ``.venv/bin/python benchmarks/recommend.py [--enterprises 10000]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from diagnose.access.policy import command_line_actor
from diagnose.catalog.products import Catalog, load_catalog
from diagnose.catalog.recommend import recommend
from diagnose.pilot import INDUSTRIES, INDUSTRY_QUESTIONNAIRES
from diagnose.rule.simulate import random_assessment
from diagnose.services import open_store, questionnaires
from diagnose.services.demo import seed_demo
from diagnose.store.tables import answers, assessments, enterprises


def big_catalog(national, size: int, seed: int = 5) -> Catalog:
    rng = random.Random(seed)
    shipped = load_catalog(national)
    products = list(shipped.products)
    while len(products) < size:
        base = rng.choice(shipped.products)
        scenes = {s.name: rng.randint(1, 4) for s in rng.sample(national.scenes, rng.randint(1, 4))}
        products.append(replace(base, id=f"V{len(products):03d}", name=f"{base.name} 变体{len(products)}（示例）",
                                price=rng.randint(10, 600) * 100, scenes=MappingProxyType(scenes),
                                industries=(rng.choice([*INDUSTRIES[:4], "全部"]),)))  # fmt: skip
    return Catalog("bench", "1", "200 个示例产品", True, tuple(products))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    registry = questionnaires()
    catalog = big_catalog(registry["national-2024"], 200)
    rng = random.Random(1)
    times = []
    for _ in range(args.repeat):
        industry = rng.choice(INDUSTRIES[:4])
        questionnaire = registry[INDUSTRY_QUESTIONNAIRES[industry]]
        assessment = random_assessment(questionnaire, rng, answer_share=0.5)
        start = time.perf_counter()
        recommend(questionnaire, catalog, assessment, industry)
        times.append(time.perf_counter() - start)
    print(f"catalog_products={len(catalog.products)} recommendations={args.repeat}")
    print(f"one_recommendation_median_s={statistics.median(times):.3f} max_s={max(times):.3f} target<1")

    if args.enterprises:
        whole_database(registry, catalog, args.enterprises)


def whole_database(registry, catalog, count: int) -> None:
    from sqlalchemy import select

    from diagnose.visit.items import assessment_from_items

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'demo.db'}", evidence_dir=Path(folder) / "evidence")
        store.upgrade()
        seed_demo(store, command_line_actor("bench"), count, 2, registry)
        start = time.perf_counter()
        with store.read() as conn:
            query = (
                select(assessments.c.enterprise_id, assessments.c.id, enterprises.c.industry)
                .join(enterprises, enterprises.c.id == assessments.c.enterprise_id)
                .order_by(assessments.c.id)
            )
            latest = {r.enterprise_id: (r.id, r.industry) for r in conn.execute(query)}  # the newest wins
            wanted = {aid for aid, _ in latest.values()}
            values: dict[int, dict] = {}
            for aid, item, value in conn.execute(select(answers.c.assessment_id, answers.c.item, answers.c.value)):
                if aid in wanted and value is not None:
                    values.setdefault(aid, {})[item] = value
        reached = 0
        for aid, industry in latest.values():
            questionnaire = registry[INDUSTRY_QUESTIONNAIRES[industry]]
            assessment, _ = assessment_from_items(questionnaire, values.get(aid, {}))
            reached += recommend(questionnaire, catalog, assessment, industry).cheapest is not None
        seconds = time.perf_counter() - start
        store.dispose()
    print(f"demo_enterprises={count} recommended_for={len(latest)} reachable={reached} whole_database_s={seconds:.1f}")


if __name__ == "__main__":
    main()
