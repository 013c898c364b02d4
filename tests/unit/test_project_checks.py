"""A project's fields are checked one by one, each bad one named (no database: the rules alone).

The service refuses a project with any problem and stores nothing (tests/integration)."""

from __future__ import annotations

import math

import pytest

from diagnose.services.projects import check_project
from tests.integration.helpers import project_data

PRICES = {
    "S001": {"name": "云进销存（示例）", "unit": "年", "price": 6800, "status": "在库"},
    "S009": {"name": "售后服务小程序（示例）", "unit": "年", "price": 1200, "status": "暂停"},
}


@pytest.mark.parametrize(
    ("changes", "place", "message"),
    [
        ({"contract_no": ""}, "contract_no", "合同编号不能为空"),
        ({"measures": ""}, "measures", "改造措施不能为空"),
        ({"goals": "长" * 2001}, "goals", "不超过 2000 字"),
        ({"funding_amount": None}, "funding_amount", "财政资金金额"),
        ({"funding_amount": math.inf}, "funding_amount", "财政资金金额"),
        ({"funded": False, "funding_amount": 5}, "funding_amount", "未获财政资金支持时不填金额"),
        ({"finished_on": "2025-01-01"}, "finished_on", "完成日期不能早于开始日期"),
        ({"finished_on": "2099-01-01"}, "finished_on", "不能晚于今天"),
        ({"contract_signed_on": "昨天"}, "contract_signed_on", "应为日期"),
        ({"status": "accepted"}, "status", "已验收由改造后评测审核通过确定"),
        ({"status": "finished", "finished_on": None}, "finished_on", "项目已完成时须填写完成日期"),
        ({"items": []}, "items", "至少列出一项"),
        ({"items": [{"product_id": "S001", "quantity": math.nan}]}, "items[0].quantity", "第 1 项的数量"),
        ({"items": [{"product_id": "S001", "quantity": 1e12}]}, "items[0].quantity", "不超过"),
        ({"items": [{"product_id": "S001", "quantity": 1, "unit_price": 1}]}, "items[0].unit_price", "清单价格"),
        ({"items": [{"product_id": "S009", "quantity": 1}]}, "items[0].product_id", "暂停"),
        ({"items": [{"product_id": "NOPE", "quantity": 1}]}, "items[0].product_id", "不在产品清单中"),
        ({"items": [{"name": "", "quantity": 1, "unit_price": 10}]}, "items[0].name", "名称不能为空"),
        ({"items": [{"name": "培训", "quantity": 1, "unit_price": -5}]}, "items[0].unit_price", "单价"),
    ],
)
def test_a_bad_project_field_is_named(changes, place, message):
    _, _, problems = check_project(project_data(**changes), PRICES)

    assert any(p.place == place and message in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("changes", "place", "message"),
    [
        ({"funding_amount": None}, "funding_amount", "财政资金金额（元）必须填写"),
        ({"funding_amount": math.inf}, "funding_amount", "财政资金金额（元）应为有限的数字，而不是“inf”"),
        ({"funding_amount": True}, "funding_amount", "财政资金金额（元）应为数字，而不是“True”"),
        ({"funding_amount": "很多"}, "funding_amount", "财政资金金额（元）应为数字，而不是“很多”"),
        ({"items": [{"product_id": "S001", "quantity": math.nan}]}, "items[0].quantity",
         "第 1 项的数量应为有限的数字，而不是“nan”"),
        ({"items": [{"product_id": "S001", "quantity": 1e12}]}, "items[0].quantity",
         "第 1 项的数量应为大于 0、不超过 1,000,000 的数字，而不是 1,000,000,000,000"),
        ({"items": [{"name": "培训", "quantity": 1, "unit_price": -5}]}, "items[0].unit_price",
         "第 1 项的单价（元）应为不小于 0、不超过 1,000,000,000 的数字，而不是 -5"),
    ],
)  # fmt: skip
def test_a_figure_that_is_no_number_or_out_of_range_is_said_exactly(changes, place, message):
    _, _, problems = check_project(project_data(**changes), PRICES)

    assert [p.message for p in problems if p.place == place] == [message]


def test_a_good_project_has_no_problem_and_takes_the_catalogs_price():
    fields, items, problems = check_project(project_data(), PRICES)

    assert problems == []
    assert (items[0]["name"], items[0]["unit_price"], items[1]["product_id"]) == ("云进销存（示例）", 6800.0, "")
    assert fields["funding_amount"] == 20000.0
