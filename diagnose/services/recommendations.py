"""Recommendations for a stored assessment, and the contract-ready product list."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from diagnose.access.policy import Actor
from diagnose.catalog.recommend import DEFAULT_TARGET, Bundle, Recommendation, recommend
from diagnose.rule.scoring import score
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


def bundle_at_approval(store: Store, assessment_id: int) -> list[dict]:
    """What to keep when a baseline is approved (``records.keep_recommendation``): the products of
    the cheapest bundle that brings it to 二级 (or, for an enterprise already there, the next
    level, as on its result card), each with the target and the live catalog's price now; none
    for an after-visit, or when no bundle reaches the target. Read as the system: the caller has
    checked that the approver may decide on the assessment."""
    from diagnose.services.assessments import snapshot
    from diagnose.services.lookup import assessment_row
    from diagnose.store import records

    with store.read() as conn:
        row = assessment_row(conn, assessment_id)
        if row["stage"] != "baseline":
            return []
        questionnaire = snapshot(conn, row["questionnaire_hash"])
        values = {k: v["value"] for k, v in records.items(conn, assessment_id).items() if v["value"] is not None}
        industry = records.enterprise_by_id(conn, row["enterprise_id"])["industry"]
    assessment, _ = assessment_from_items(questionnaire, values)
    target = min(4, max(DEFAULT_TARGET, score(questionnaire, assessment).level + 1))
    found = recommend(questionnaire, live_catalog(store, questionnaire), assessment, industry, target)
    products = found.cheapest.products if found.cheapest else ()
    return [{"product_id": p.id, "target": target, "price": float(p.price)} for p in products]
