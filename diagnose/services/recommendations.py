"""Recommendations for a stored assessment, and the contract-ready product list."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from diagnose.access.policy import Actor
from diagnose.catalog.recommend import DEFAULT_TARGET, Bundle, Recommendation, recommend
from diagnose.services import assessments as visits
from diagnose.services.catalog_admin import live_catalog
from diagnose.store import Store
from diagnose.visit.items import assessment_from_items


def for_assessment(store: Store, actor: Actor, assessment_id: int, target: int = DEFAULT_TARGET,
                   budget: int | None = None) -> Recommendation:  # fmt: skip
    """The cheapest 在库 products of the enterprise's industry that bring this assessment to ``target``."""
    file = visits.load(store, actor, assessment_id)  # checks that the actor may read it
    questionnaire = file.questionnaire
    assessment, _ = assessment_from_items(questionnaire, file.values)
    catalog = live_catalog(store, questionnaire)  # with the statuses administrators set
    return recommend(questionnaire, catalog, assessment, file.enterprise["industry"], target, budget)


CONTRACT_HEAD = ["序号", "产品和服务", "版本", "服务商", "牵引单位", "类型", "数量", "单位", "单价（元）", "金额（元）",
                 "清单批次", "说明"]  # fmt: skip


def contract_list(bundle: Bundle, enterprise_name: str) -> bytes:
    """产品和服务清单 with itemised prices, as an .xlsx a contract can attach."""
    book = Workbook()
    sheet = book.active
    sheet.title = "产品和服务清单"
    sheet.append([f"{enterprise_name} 数字化改造产品和服务清单（示例数据，仅供演示）"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(CONTRACT_HEAD)
    for number, product in enumerate(bundle.products, start=1):
        reasons = "；".join(bundle.reasons[product.id])
        sheet.append([number, product.name, product.version, product.provider, product.lead_firm, product.type, 1,
                      product.unit, product.price, product.price, product.batch, reasons])  # fmt: skip
    sheet.append(["", "合计", "", "", "", "", "", "", "", bundle.total_price, "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
