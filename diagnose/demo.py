"""Sample data (示例): realistic but invented enterprises, visits, projects and results.

Every enterprise name starts with 【示例】, every row carries ``sample = true``,
providers and products say 示例: nothing here is a real firm. The data is
drawn from a seeded generator, so the same seed gives the same database.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from diagnose import clock
from diagnose.enterprise import CODE_CHARSET, credit_code_check_char, size_class
from diagnose.pilot import DISTRICTS, INDUSTRY_QUESTIONNAIRES
from diagnose.rule.answers import Assessment
from diagnose.rule.questionnaire import Questionnaire

SAMPLE_MARK = "【示例】"
INDUSTRY_WEIGHTS = {"纺织服装": 30, "塑胶": 30, "五金制造": 20, "食品加工": 15, "其他": 5}
DISTRICT_WEIGHTS = dict(zip(DISTRICTS, (20, 18, 10, 8, 30, 5, 6, 3), strict=True))
BRAND_CHARACTERS = "华盛金源宏达恒丰永兴鸿发新利佳美荣泰德信广隆锦汇顺昌联合创业富强茂安康瑞祥和嘉益东升万宝丽中天"
PRODUCT_WORDS = {
    "纺织服装": ("服装", "制衣", "针织", "内衣", "牛仔服饰"),
    "塑胶": ("塑胶制品", "塑料制品", "日用塑料", "注塑制品"),
    "五金制造": ("五金制品", "不锈钢制品", "金属制品", "刀剪"),
    "食品加工": ("食品", "农产品加工", "调味品", "凉果"),
    "其他": ("电子", "包装材料", "陶瓷"),
}
PROVIDERS = ("示例数字科技有限公司", "示例工业互联网服务有限公司", "示例智能制造系统有限公司")
# the diagnosis agencies (第三方机构) the sample consultants 示例顾问1-20 work for: 1-10 and 11-20
AGENCIES = ("示例诊断机构甲", "示例诊断机构乙")


def agency_of(consultant: str) -> str | None:
    """The sample agency of a sample consultant (示例顾问N), or None for anyone else."""
    number = consultant.removeprefix("示例顾问")
    return AGENCIES[int(number) > 10] if number.isdigit() and 1 <= int(number) <= 20 else None


def catalog_products() -> list[dict]:
    """The 在库 products of the sample catalog (questionnaires/catalog.yaml), which demo projects
    buy from, so that the dashboard's product adoption has something to show."""
    from diagnose.catalog.products import read_catalog

    raw, _ = read_catalog()
    return [p for p in (raw or {}).get("products", []) if p.get("status") == "在库"]


@dataclass
class DemoVisit:
    """One generated visit: its stage, date, status, form values and the assessment they make."""

    stage: str
    visit_date: date
    status: str  # draft | submitted | approved
    values: dict  # item → value, as the visit form stores them
    assessment: Assessment


@dataclass
class DemoEnterprise:
    """One generated enterprise: its profile row, its visits (baseline first) and its project, if any."""

    profile: dict
    visits: list[DemoVisit] = field(default_factory=list)
    project: dict | None = None


def credit_code(rng: random.Random, used: set[str]) -> str:
    """A valid 统一社会信用代码 starting 914452 that is not in ``used``; adds it to ``used``."""
    while True:
        body = "914452" + "".join(rng.choice(CODE_CHARSET) for _ in range(11))
        code = body + credit_code_check_char(body)
        if code not in used:
            used.add(code)
            return code


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def make_profile(rng: random.Random, used: set[str]) -> dict:
    """A random 【示例】 enterprise profile row with its size class and a credit code new to ``used``."""
    industry = _pick(rng, INDUSTRY_WEIGHTS)
    district = _pick(rng, DISTRICT_WEIGHTS)
    brand = "".join(rng.sample(BRAND_CHARACTERS, 2))
    head_count = max(5, int(rng.lognormvariate(4.0, 0.8)))
    revenue = round(head_count * rng.uniform(12, 60), 1)
    return {
        "credit_code": credit_code(rng, used),
        "name": f"{SAMPLE_MARK}揭阳市{brand}{rng.choice(PRODUCT_WORDS[industry])}有限公司",
        "industry": industry,
        "district": district,
        "address": f"{district}示例工业区{rng.randint(1, 99)}号",
        "founded_on": date(rng.randint(1995, 2020), rng.randint(1, 12), rng.randint(1, 28)),
        "contact_name": f"示例联系人{rng.randint(1, 999)}",
        "contact_phone": f"0663-{rng.randint(1000000, 9999999)}",
        "main_products": rng.choice(PRODUCT_WORDS[industry]),
        "ownership": "民营",
        "above_scale": revenue >= 2000,
        "head_count": head_count,
        "head_count_prev": max(5, int(head_count * rng.uniform(0.85, 1.1))),
        "revenue": revenue,
        "revenue_prev": round(revenue * rng.uniform(0.8, 1.1), 1),
        "size_class": size_class(head_count, revenue),
    }


def make_values(questionnaire: Questionnaire, rng: random.Random, maturity: float, visit_date: date) -> dict:
    """Item values as a consultant would type them for an enterprise of this maturity (0-1)."""
    values: dict = {"visit.date": visit_date.isoformat(), "visit.consultants": [f"示例顾问{rng.randint(1, 20)}"]}
    for question in questionnaire.questions:
        drift = min(1.0, max(0.0, maturity + rng.gauss(0, 0.15)))
        if question.type == "multi":
            plain = [o.code for o in question.options if not o.exclusive]
            ticked = [c for c in plain if rng.random() < drift]
            values[question.id] = ticked or [question.options[0].code]
        elif question.type == "ratio":
            total = rng.randint(10, 200)
            part = round(total * drift) if question.numerator.whole else round(total * drift * 0.3, 1)
            values[question.id] = {question.denominator.key: total, question.numerator.key: part}
        else:
            index = round(drift * (len(question.options) - 1))
            values[question.id] = question.options[index].code
    for scene in questionnaire.scenes:
        level = min(4, max(0, round(maturity * 3.2 + rng.gauss(0, 0.7))))
        values[f"scene:{scene.name}"] = level
        for practice in questionnaire.practices_for(scene.name):
            if practice.level <= level and rng.random() < 0.6:
                values[f"practice:{practice.id}"] = True
    values["report.pain_points"] = rng.choice(("订单交期难以预估", "设备故障停机多", "库存数据不准", "质量问题追溯难"))
    return values


def to_assessment(questionnaire: Questionnaire, values: dict) -> Assessment:
    """The assessment the form ``values`` make; raises AssertionError if any value does not check."""
    from diagnose.visit.items import assessment_from_items

    assessment, invalid = assessment_from_items(questionnaire, values)
    assert not invalid, invalid  # the generator only writes valid values
    return assessment


def make_enterprise(rng: random.Random, used: set[str], questionnaires: dict[str, Questionnaire], today: date,
                    products: list[dict] | None = None):  # fmt: skip
    """One sample enterprise: a baseline visit (1 in 10 submitted, else approved) and, for about 45%, a project
    buying up to four fitting ``products``, with an after-visit when its date is not after ``today``; an approved
    after-visit makes the project accepted."""
    profile = make_profile(rng, used)
    questionnaire = questionnaires[INDUSTRY_QUESTIONNAIRES[profile["industry"]]]
    maturity = min(1.0, max(0.0, rng.betavariate(2.2, 3.5)))
    baseline_date = date(2024, 3, 1) + timedelta(days=rng.randint(0, 460))
    values = make_values(questionnaire, rng, maturity, baseline_date)
    status = "approved" if rng.random() < 0.9 else "submitted"
    made = DemoEnterprise(
        profile, [DemoVisit("baseline", baseline_date, status, values, to_assessment(questionnaire, values))]
    )
    if rng.random() < 0.45:
        started = baseline_date + timedelta(days=rng.randint(20, 90))
        finished = started + timedelta(days=rng.randint(90, 270))
        fitting = [p for p in products or [] if {"全部", profile["industry"]} & set(p["industries"])]
        chosen = rng.sample(fitting, min(len(fitting), rng.randint(1, 4)))
        made.project = {
            "provider": rng.choice(PROVIDERS),
            "contract_signed_on": started - timedelta(days=rng.randint(3, 20)),
            "started_on": started,
            "finished_on": finished,
            "funded": rng.random() < 0.8,
            "items": [{"name": p["name"], "product_id": p["id"], "unit": p["unit"], "unit_price": p["price"],
                       "quantity": rng.randint(1, 12) if p["unit"] == "台" else 1} for p in chosen],
            # one contract, one project: the enterprise's code makes the number its own
            "contract_no": f"示例-HT-{started:%Y%m%d}-{rng.randint(100, 999)}-{profile['credit_code'][-6:]}",
            "responsibilities": "示例：企业提供场地、数据与人员配合；服务商负责部署、培训与一年运维",
            "measures": "示例：按产品和服务清单部署系统，完成关键设备联网与数据采集",
            "period": f"示例：{started.isoformat()} 至 {finished.isoformat()}",
            "goals": "示例：改造后数字化水平达到二级",
            "status": "finished" if finished <= today else "implementing",
            "funding_amount": None,
        }  # fmt: skip
        if made.project["funded"]:  # an invented share of the contract, like every demo figure
            total = sum(i["unit_price"] * i["quantity"] for i in made.project["items"])
            made.project["funding_amount"] = float(round(total * rng.uniform(0.2, 0.5)))
        after_date = finished + timedelta(days=rng.randint(7, 60))
        if after_date <= today:
            better = min(1.0, maturity + rng.uniform(0.1, 0.35))
            after_values = make_values(questionnaire, rng, better, after_date)
            status = rng.choices(("approved", "submitted", "draft"), weights=(70, 20, 10))[0]
            if status == "approved":  # the after-visit's approval is the project's acceptance
                made.project["status"] = "accepted"
            made.visits.append(
                DemoVisit("after", after_date, status, after_values, to_assessment(questionnaire, after_values))
            )
    return made


def generate(
    count: int, seed: int, questionnaires: dict[str, Questionnaire], today: date | None = None
) -> Iterator[DemoEnterprise]:
    """``count`` sample enterprises, made lazily from ``seed`` (the same seed, the same enterprises), dated against
    ``today`` (default the clock's)."""
    rng = random.Random(seed)
    used: set[str] = set()
    products = catalog_products()
    for _ in range(count):
        yield make_enterprise(rng, used, questionnaires, today or clock.today(), products)


ProgressFn = Callable[[int, int], None]
