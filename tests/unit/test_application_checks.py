"""A product application's fields: every bad one is named, in Chinese, at its place."""

from __future__ import annotations

import math

import pytest

from diagnose.catalog.applications import application_problems, showcase_text, summary_lines
from diagnose.services import questionnaires

NATIONAL = questionnaires()["national-2024"]
COMPLETE = {
    "name": "注塑MES（示例）", "version": "2.0", "type": "SaaS", "industries": ["塑胶"], "links": ["制造"],
    "scenes": {"生产管控": 2}, "questions": {"Q5": ["C"], "Q4": ["F", "G"]}, "deployment": "云端", "price": 12000,
    "unit": "年", "implementation_days": 15, "ip_status": "软件著作权", "showcase_enterprise": "示例：揭阳某塑胶厂",
    "showcase_contract_date": "2024-03-15", "showcase_level_before": 1, "showcase_level_after": 2,
}  # fmt: skip


def places(fields: dict, complete: bool = True) -> dict[str, str]:
    return {p.place: p.message for p in application_problems(NATIONAL, fields, complete)}


def test_a_complete_application_has_no_problem():
    assert places(COMPLETE) == {}


def test_a_draft_may_leave_fields_empty_but_submitting_names_each_missing_one():
    assert places({"name": "云MES"}, complete=False) == {}
    missing = places({"name": "云MES"})
    assert missing["version"] == "版本：必须填写"
    assert missing["showcase_contract_date"] == "样板项目合同签订日期：必须填写"
    assert "至少填写一项" in missing["scenes"]


@pytest.mark.parametrize(
    ("field", "value", "place", "words"),
    [
        ("price", math.inf, "price", "价格（元）：应为 0 至 1,000,000,000 元的整数"),
        ("price", math.nan, "price", "价格（元）：应为 0 至"),
        ("price", True, "price", "价格（元）：应为 0 至"),
        ("price", -1, "price", "价格（元）：应为 0 至"),
        ("price", 10**12, "price", "价格（元）：应为 0 至"),
        ("implementation_days", 4000, "implementation_days", "实施周期（天）：应为 0 至 3,650 天的整数"),
        ("type", "区块链", "type", "类型：“区块链”不是可选项"),
        ("industries", ["化工"], "industries", "适用行业：“化工”不是可选项"),
        ("links", ["物流"], "links", "覆盖环节：“物流”不是可选项"),
        ("name", "名" * 101, "name", "产品名称：最多 100 个字，现有 101 个"),
        ("ip_status", "盗版", "ip_status", "知识产权：“盗版”不是可选项"),
        ("scenes", {"生产管控": 5}, "scenes.生产管控", "提升的场景 · 生产管控：等级应为 L1 至 L4，不是 5"),
        ("scenes", {"造飞机": 2}, "scenes.造飞机", "没有名为“造飞机”的场景"),
        ("questions", {"Q99": ["A"]}, "questions.Q99", "没有题号为“Q99”的题目"),
        ("questions", {"Q5": ["C", "D"]}, "questions.Q5", "单选题只能选一个选项"),
        ("questions", {"Q4": ["Z"]}, "questions.Q4", "选项应为"),
        ("showcase_contract_date", "2023-10-11", "showcase_contract_date", "合同须晚于 2023-10-11 签订（当天不算）"),
        ("showcase_contract_date", "去年", "showcase_contract_date", "应为日期（如 2024-03-15），不是 '去年'"),
        ("showcase_level_before", 7, "showcase_level_before", "样板项目改造前等级：应为 未达一级、一级"),
        ("showcase_level_after", 1, "showcase_level_after", "应高于改造前等级（一级）"),
    ],
)
def test_each_bad_field_is_named_at_its_place(field, value, place, words):
    found = places(COMPLETE | {field: value}, complete=False)

    assert list(found) == [place]
    assert words in found[place]


def test_the_showcase_reads_as_one_line():
    assert showcase_text(COMPLETE) == "示例：揭阳某塑胶厂（合同 2024-03-15，一级 → 二级）"


def test_a_reviewer_reads_the_questions_and_options_by_name_not_by_code():
    lines = summary_lines(NATIONAL, COMPLETE)

    assert "- **价格（元）**：12,000" in lines
    assert "- **改进的题目**：Q5 信息系统 → C. 多个（≥2）业务环节；Q4 数据采集 → F. 计划排程、G. 生产管控" in lines
    assert "- **提升的场景**：生产管控 → L2" in lines
