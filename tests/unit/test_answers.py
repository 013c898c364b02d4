"""Bad answers: each gets a message naming the place and the question; nothing half-parsed."""

from __future__ import annotations

import pytest

from diagnose.problems import ProblemsError
from diagnose.rule.answers import check_answers, parse_document


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"Q2": {"total": 10, "digital": 11}}, "数字化设备数（11）不能大于生产设备总数（10）"),
        ({"Q2": {"total": 0, "digital": 0}}, "生产设备总数不能为 0"),
        ({"Q3": {"total": 10, "networked": -1}}, "联网设备数不能为负数"),
        ({"Q3": {"total": 10}}, "缺少联网设备数（networked）"),
        ({"Q11": {"revenue": "很多", "investment": 1}}, "近三年平均营业额应为数字"),
        ({"Q11": {"revenue": 10, "investment": 1, "profit": 3}}, "未知数据项 'profit'"),
        ({"Q2": {"total": True, "digital": 1}}, "生产设备总数应为数字"),
        ({"Q2": {"total": float("nan"), "digital": 1}}, "生产设备总数应为数字，而不是 nan"),
        ({"Q2": {"total": float("inf"), "digital": 1}}, "生产设备总数过大（超过一万亿）"),
        ({"Q2": {"total": 10**400, "digital": 1}}, "生产设备总数过大（超过一万亿）"),
        ({"Q2": {"total": 1e13, "digital": 1}}, "生产设备总数过大（超过一万亿）"),
        (
            {"Q12": {"before": {"energy": 5, "revenue": 100}, "after": {"energy": float("inf"), "revenue": 100}}},
            "上年综合能耗过大（超过一万亿）",
        ),
        (
            {"Q13": {"before": {"pass_rate": 150}, "after": {"pass_rate": 300}}},
            "改造前月均产品合格率不能超过 100%，而不是 150%",
        ),
        ({"Q1": ["A", "B"]}, "选项 A“无”不能与其他选项同时选择"),
        ({"Q1": ["B", "B"]}, "同一选项选了不止一次"),
        ({"Q1": ["Z"]}, "未知选项 'Z'（可选 A-E）"),
        ({"Q1": "B"}, "多选题的答案应为字母列表"),
        ({"Q5": ["C"]}, "应为一个选项字母 A-E"),
        ({"Q5": "F"}, "应为一个选项字母 A-E"),
        ({"Q12": "c"}, "应为一个选项字母 A-C"),
        ({"Q2": "F"}, "应为一个选项字母 A-E或原始数据"),
    ],
)
def test_a_wrong_answer_names_the_question(national, answers, message):
    qid = next(iter(answers))

    _, problems = check_answers(national, {"answers": answers}, "a.json")

    assert len(problems) == 1
    assert problems[0].file == "a.json"
    assert problems[0].place == f"answers.{qid}"
    assert problems[0].message.startswith(f"{qid} {national.question(qid).item}：")
    assert message in problems[0].message


def test_every_problem_of_a_document_is_reported_together(registry):
    document = {
        "questionnaire": "food",
        "answers": {"Q99": "A", "Q5": "Z"},
        "scenes": {"仓储": 2, "质量管理": 5, "产品设计": "2"},
        "practices": ["T01", 3],
        "extra": 1,
    }

    with pytest.raises(ProblemsError) as raised:
        parse_document(document, registry, "visit.json")

    places = [p.place for p in raised.value.problems]
    assert places == [
        "extra",
        "answers.Q99",
        "answers.Q5",
        "scenes.仓储",
        "scenes.质量管理",
        "scenes.产品设计",
        "practices[0]",
        "practices[1]",
    ]
    assert str(raised.value.problems[3]) == "visit.json: scenes.仓储: 未知场景 '仓储'"


def test_an_unknown_questionnaire_lists_the_known_ones(registry):
    with pytest.raises(ProblemsError) as raised:
        parse_document({"questionnaire": "textile"}, registry, "a.json")

    assert "未知问卷 'textile'（可用：food、hardware、national-2024、plastics、textiles）" in str(raised.value)


def test_a_document_that_is_not_an_object_is_refused(registry):
    with pytest.raises(ProblemsError, match="答卷应为 JSON 对象"):
        parse_document(["Q1"], registry, "a.json")


def test_national_questionnaire_has_no_practices_to_tick(national):
    _, problems = check_answers(national, {"practices": ["T01"]})

    assert "全国通用问卷没有行业实践" in problems[0].message


def test_a_null_answer_means_not_answered(national):
    checked, problems = check_answers(national, {"answers": {"Q5": None}})

    assert problems == []
    assert "Q5" not in checked.choices
