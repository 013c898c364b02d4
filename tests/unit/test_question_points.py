"""Every question's options and bands score as DOMAIN.md §2a says."""

from __future__ import annotations

import pytest

from diagnose.rule.answers import check_answers
from diagnose.rule.scoring import score

from .helpers import assessment

# the published points of each question's options, in letter order
PUBLISHED = {
    "Q1": [0, 2, 2, 2, 2],
    "Q2": [0, 1.5, 3, 4.5, 6],
    "Q3": [0, 1.5, 3, 4.5, 6],
    "Q4": [0] + [0.7] * 13 + [0.9],
    "Q5": [0, 2.5, 5, 7.5, 10],
    "Q6": [0, 1.25, 1.25, 1.25, 1.25],
    "Q7": [0, 1.25, 1.25, 1.25, 1.25],
    "Q8": [0, 1.5, 3, 4.5, 6, 7.5],
    "Q9": [0, 1.875, 1.875, 1.875, 1.875],
    "Q10": [0, 1.5, 1.5, 1.5, 1.5, 1.5],
    "Q11": [0, 1.875, 3.75, 5.625, 7.5],
    "Q12": [0, 3.5, 7],
    "Q13": [0, 3.5, 7],
    "Q14": [0, 1.5, 3],
    "Q15": [0, 1.5, 3],
}
OPTIONS = [(qid, chr(ord("A") + i), points) for qid, row in PUBLISHED.items() for i, points in enumerate(row)]


def test_the_dimensions_are_fifty_thirty_twenty(national):
    assert [(d.name, d.max_points) for d in national.dimensions] == [
        ("数字化基础", 50),
        ("数字化管理", 30),
        ("数字化成效", 20),
    ]
    assert national.max_milli == 100_000


@pytest.mark.parametrize(("qid", "code", "points"), OPTIONS)
def test_each_option_alone_scores_its_published_points(national, qid, code, points):
    kind = national.question(qid).type

    result = score(national, assessment(national, {qid: (code,)}))

    assert result.questions[int(qid[1:]) - 1].points == pytest.approx(points, abs=0)
    assert result.score == points
    assert kind in ("single", "multi", "ratio")


def test_multi_choice_points_add_up_to_exactly_the_maximum(national):
    every = {q.id: tuple(o.code for o in q.options if not o.exclusive) for q in national.questions if q.type == "multi"}

    result = score(national, assessment(national, every))

    assert {q.id: q.points for q in result.questions if q.id in every} == {
        "Q1": 8,
        "Q4": 10,
        "Q6": 5,
        "Q7": 5,
        "Q9": 7.5,
        "Q10": 7.5,
    }


def test_an_empty_multi_choice_answer_is_answered_and_scores_zero(national):
    result = score(national, assessment(national, {"Q1": ()}))

    assert result.questions[0].answered
    assert result.questions[0].points == 0
    assert "Q1" not in result.missing


# (numerator, denominator, expected letter): bands are left-open, right-closed
WHOLE_BANDS = [
    (0, 40, "A"), (4, 40, "A"), (5, 40, "B"), (8, 40, "B"), (9, 40, "C"), (16, 40, "C"),
    (17, 40, "D"), (24, 40, "D"), (25, 40, "E"), (40, 40, "E"), (1, 10, "A"), (1001, 10000, "B"),
]  # fmt: skip
# typed decimals land a hair off the band edge in binary; the edge still belongs to the lower band
FRACTION_BANDS = [(0.1, 1, "A"), (0.2, 1, "B"), (0.4, 1, "C"), (0.6, 1, "D"), (0.30000001, 1, "C"), (33.3, 333, "A")]
RATIO_KEYS = {"Q2": ("digital", "total"), "Q3": ("networked", "total"), "Q11": ("investment", "revenue")}


@pytest.mark.parametrize("qid", RATIO_KEYS)
@pytest.mark.parametrize(("numerator", "denominator", "letter"), WHOLE_BANDS)
def test_raw_figures_fall_in_left_open_right_closed_bands(national, qid, numerator, denominator, letter):
    answer = {RATIO_KEYS[qid][0]: numerator, RATIO_KEYS[qid][1]: denominator}

    checked, problems = check_answers(national, {"answers": {qid: answer}})

    assert problems == []
    assert checked.choices[qid] == (letter,)
    assert checked.figures[qid] == answer


@pytest.mark.parametrize(("numerator", "denominator", "letter"), FRACTION_BANDS)
def test_investment_shares_typed_as_decimals_fall_in_the_right_band(national, numerator, denominator, letter):
    checked, problems = check_answers(national, {"answers": {"Q11": {"investment": numerator, "revenue": denominator}}})

    assert problems == []
    assert checked.choices["Q11"] == (letter,)


def test_device_counts_must_be_whole_numbers(national):
    _, problems = check_answers(national, {"answers": {"Q2": {"total": 10, "digital": 2.5}}})

    assert problems[0].message == "Q2 设备数字化：数字化设备数应为整数，而不是 2.5"


def test_figures_are_kept_with_the_result_as_evidence(national):
    checked, _ = check_answers(national, {"answers": {"Q2": {"total": 40, "digital": 12}}})

    result = score(national, checked)

    assert result.questions[1].figures == {"total": 40, "digital": 12}
    assert result.questions[1].percent == 30
    assert result.questions[1].points == 3


# (question, before, after, expected letter): a relative change within 1 % is 持平
TRENDS = [
    ("Q12", {"energy": 100, "revenue": 1000}, {"energy": 101, "revenue": 1000}, "B"),  # +1 % exactly: 持平
    ("Q12", {"energy": 100, "revenue": 1000}, {"energy": 102, "revenue": 1000}, "A"),  # energy per 100 元 up
    ("Q12", {"energy": 100, "revenue": 1000}, {"energy": 100, "revenue": 1100}, "C"),  # down: better
    ("Q13", {"pass_rate": 95}, {"pass_rate": 95.9}, "B"),
    ("Q13", {"pass_rate": 95}, {"pass_rate": 97}, "C"),
    ("Q13", {"pass_rate": 95}, {"pass_rate": 90}, "A"),
    ("Q14", {"revenue": 1000, "staff": 50}, {"revenue": 1100, "staff": 50}, "C"),
    ("Q14", {"revenue": 1000, "staff": 50}, {"revenue": 1000, "staff": 55}, "A"),
    ("Q15", {"cost": 800, "revenue": 1000}, {"cost": 700, "revenue": 1000}, "C"),
    ("Q15", {"cost": 800, "revenue": 1000}, {"cost": 804, "revenue": 1000}, "B"),
]


@pytest.mark.parametrize(("qid", "before", "after", "letter"), TRENDS)
def test_two_periods_figures_give_the_trend_option(national, qid, before, after, letter):
    checked, problems = check_answers(national, {"answers": {qid: {"before": before, "after": after}}})

    assert problems == []
    assert checked.choices[qid] == (letter,)
    assert score(national, checked).questions[int(qid[1:]) - 1].percent is not None


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"after": {"pass_rate": 95}}, "缺少改造前的数据"),
        ({"before": {"pass_rate": 0}, "after": {"pass_rate": 95}}, "改造前月均产品合格率为 0，无法计算变化幅度"),
        ({"before": {"pass_rate": "高"}, "after": {"pass_rate": 95}}, "改造前月均产品合格率应为数字"),
        ({"before": {"pass_rate": 90}, "after": {"pass_rate": 95}, "later": {}}, "未知期间 'later'"),
    ],
)
def test_bad_trend_figures_name_the_period_and_the_figure(national, answer, message):
    _, problems = check_answers(national, {"answers": {"Q13": answer}})

    assert message in problems[0].message and problems[0].place == "answers.Q13"


def test_an_earlier_period_measuring_zero_is_refused_by_name_not_divided_by(national):
    answer = {"before": {"energy": 0, "revenue": 100}, "after": {"energy": 5, "revenue": 100}}

    _, problems = check_answers(national, {"answers": {"Q12": answer}})

    assert [p.message for p in problems] == ["Q12 绿色低碳：前年综合能耗为 0，无法计算变化幅度，请直接选择选项"]


def test_a_later_period_measuring_zero_is_a_change_like_any_other(national):
    checked, problems = check_answers(
        national, {"answers": {"Q13": {"before": {"pass_rate": 90}, "after": {"pass_rate": 0}}}}
    )

    assert problems == [] and checked.choices["Q13"] == ("A",)
