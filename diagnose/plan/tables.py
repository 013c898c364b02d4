"""The plan's lines and tables (pure, pandas): each enterprise's bundles, the product demand, the
count by place. Every table adds up to the plan's totals: the public money of an enterprise is
shared out over its eligible items in proportion to their prices, to the yuan."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from diagnose.catalog.products import Product
from diagnose.pilot import LEVEL_NAMES
from diagnose.plan.bundles import bundle_days
from diagnose.plan.subsidy import SubsidyRule

DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class Bundle:
    """The products (one of each) that bring an enterprise to a level, their price, the public share
    under the subsidy rule, and the days they take."""

    products: tuple[Product, ...]
    total: int
    public: int
    days: int

    @classmethod
    def of(cls, products: tuple[Product, ...], rule: SubsidyRule) -> Bundle:
        products = tuple(sorted(products, key=lambda p: (p.price, p.id)))
        return cls(products, sum(p.price for p in products), rule.public_share(products), bundle_days(products))


@dataclass(frozen=True)
class Line:
    """One diagnosed enterprise below 二级 in the plan: its latest approved baseline, its bundle to 二级
    (None: none reaches it, or none by the deadline; ``note`` says which) and to 三级."""

    enterprise_id: int
    name: str
    credit_code: str
    industry: str
    district: str
    size_class: str
    assessment_id: int
    level: int
    score: float
    to_two: Bundle | None
    to_three: Bundle | None
    note: str = ""  # why it is left out, or that a slower cheaper bundle was set aside for the deadline


def months(days: int) -> int:
    """Days as whole months, rounded up (30 days a month)."""
    return math.ceil(days / DAYS_PER_MONTH)


def item_shares(products: tuple[Product, ...], rule: SubsidyRule) -> list[int]:
    """The public money of each of ``products``: ``rule.public_share`` of them all, shared over the
    eligible ones in proportion to their prices (largest remainders get the odd yuan)."""
    whole = rule.public_share(products)
    eligible = [p.price if p.type in rule.eligible_types else 0 for p in products]
    if whole == 0 or sum(eligible) == 0:
        return [0] * len(products)
    exact = [whole * price / sum(eligible) for price in eligible]
    shares = [math.floor(x) for x in exact]
    for i in sorted(range(len(products)), key=lambda i: shares[i] - exact[i])[: whole - sum(shares)]:
        shares[i] += 1
    return shares


def lines_table(lines: list[Line] | tuple[Line, ...]) -> pd.DataFrame:
    """One row per enterprise: who, where, the baseline, and both bundles."""
    rows = []
    for line in lines:
        two, three = line.to_two, line.to_three
        rows.append({
            "企业": line.name, "统一社会信用代码": line.credit_code, "细分行业": line.industry,
            "行政区": line.district, "规模": line.size_class, "改造前等级": LEVEL_NAMES[line.level],
            "改造前总分": round(line.score, 3),
            "到二级的产品": "、".join(p.name for p in two.products) if two else "",
            "到二级总价（元）": two.total if two else None, "到二级财政资金（元）": two.public if two else None,
            "实施周期（月）": months(two.days) if two else None,
            "到三级总价（元）": three.total if three else None, "到三级财政资金（元）": three.public if three else None,
            "说明": line.note, "企业编号": line.enterprise_id,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=LINE_COLUMNS)


LINE_COLUMNS = ["企业", "统一社会信用代码", "细分行业", "行政区", "规模", "改造前等级", "改造前总分", "到二级的产品",
                "到二级总价（元）", "到二级财政资金（元）", "实施周期（月）", "到三级总价（元）",
                "到三级财政资金（元）", "说明", "企业编号"]  # fmt: skip
DEMAND_COLUMNS = ["服务商", "牵引单位", "产品编号", "产品和服务", "类型", "单位", "单价（元）", "企业数", "数量",
                  "金额（元）", "财政资金（元）"]  # fmt: skip


def demand_table(lines: list[Line] | tuple[Line, ...], rule: SubsidyRule) -> pd.DataFrame:
    """For each catalog product the chosen bundles contract, by provider: how many enterprises need
    it, the quantity (one per enterprise), the amount and its public money."""
    items = []
    for line in lines:
        if line.to_two is None:
            continue
        for product, public in zip(line.to_two.products, item_shares(line.to_two.products, rule), strict=True):
            items.append((product.provider, product.lead_firm, product.id, product.name, product.type, product.unit,
                          product.price, line.enterprise_id, public))  # fmt: skip
    frame = pd.DataFrame(items, columns=[*DEMAND_COLUMNS[:7], "enterprise", "public"])
    table = (
        frame.groupby(DEMAND_COLUMNS[:7], sort=True)
        .agg(企业数=("enterprise", "nunique"), 数量=("enterprise", "size"), 金额=("单价（元）", "sum"),
             财政资金=("public", "sum"))
        .reset_index()
        .rename(columns={"金额": "金额（元）", "财政资金": "财政资金（元）"})
    )  # fmt: skip
    return table[DEMAND_COLUMNS].sort_values(["服务商", "产品编号"], ignore_index=True)


def provider_table(demand: pd.DataFrame) -> pd.DataFrame:
    """The demand summed per provider: products, units, amount and public money."""
    return (
        demand.groupby("服务商", sort=True)
        .agg(产品数=("产品编号", "nunique"), 数量=("数量", "sum"), 金额=("金额（元）", "sum"),
             财政资金=("财政资金（元）", "sum"))
        .reset_index()
        .rename(columns={"金额": "金额（元）", "财政资金": "财政资金（元）"})
    )  # fmt: skip


def place_table(lines: list[Line] | tuple[Line, ...]) -> pd.DataFrame:
    """The chosen enterprises counted by industry and district, with their amounts."""
    rows = [(line.industry, line.district, line.to_two.total, line.to_two.public) for line in lines if line.to_two]
    frame = pd.DataFrame(rows, columns=["细分行业", "行政区", "总价", "财政资金"])
    return (
        frame.groupby(["细分行业", "行政区"], sort=True)
        .agg(企业数=("总价", "size"), 产品总价=("总价", "sum"), 财政资金=("财政资金", "sum"))
        .reset_index()
        .rename(columns={"产品总价": "产品总价（元）", "财政资金": "财政资金（元）"})
    )  # fmt: skip
