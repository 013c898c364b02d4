"""Recommendations for a stored visit, and the contract-ready list, on both databases."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from diagnose.services import assessments as visits
from diagnose.services.guard import PermissionDenied
from diagnose.services.recommendations import contract_list, for_assessment

from .helpers import fill_visit, new_enterprise, user


def test_a_submitted_visit_gets_the_cheapest_bundle_and_a_contract_list(store, consultant, questionnaires):
    draft = visits.start_assessment(store, consultant, new_enterprise(store), "baseline", questionnaires)
    fill_visit(store, draft, scenes=1)
    result = visits.submit(store, consultant, draft)

    found = for_assessment(store, consultant, draft, target=2)

    assert result.level < 2 <= found.cheapest.projected.level
    assert all(p.status == "在库" and p.serves("塑胶") for p in found.cheapest.products)
    sheet = load_workbook(io.BytesIO(contract_list(found.cheapest, "揭阳测试塑胶制品有限公司1"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "示例数据" in rows[0][0]
    assert rows[1][:2] == ("序号", "产品和服务")
    assert [r[1] for r in rows[2:-1]] == [p.name for p in found.cheapest.products]
    assert rows[-1][9] == found.cheapest.total_price == sum(r[9] for r in rows[2:-1])


def test_another_enterprise_account_may_not_ask_for_this_visits_recommendation(store, consultant, questionnaires):
    draft = visits.start_assessment(store, consultant, new_enterprise(store, seed=1), "baseline", questionnaires)
    new_enterprise(store, seed=2)
    from .helpers import profile

    other = user(store, "其他企业", "enterprise", credit_code=profile(2)["credit_code"])

    with pytest.raises(PermissionDenied):
        for_assessment(store, other, draft)
