"""Services the first page calls: evaluation of answers being typed, the score breakdown."""

from __future__ import annotations

from diagnose.answers import check_answers
from diagnose.scoring import score
from diagnose.services import evaluate, score_breakdown


def test_the_breakdown_names_each_answer_and_its_points(national):
    checked, _ = check_answers(national, {"answers": {"Q1": ["B", "C"], "Q2": {"total": 40, "digital": 12}}})

    rows = score_breakdown(national, score(national, checked))

    assert rows[0] == {
        "题号": "Q1",
        "评测项": "网络建设",
        "回答": "B. 车间工控网络、C. 应用系统网络（设备/人员/系统互联）",
        "得分": 4,
        "满分": 8,
    }
    assert rows[1]["回答"] == "30.0% → C. 20%-40%（含）" and rows[1]["得分"] == 3
    assert rows[2]["回答"] == "未答"


def test_evaluate_scores_what_is_valid_and_names_the_rest(national):
    evaluation = evaluate(national, {"answers": {"Q5": "E", "Q6": ["A", "B"]}, "scenes": {}})

    assert evaluation.result.score == 10
    assert [p.place for p in evaluation.problems] == ["answers.Q6"]
    assert [a.name for a in evaluation.axes] == ["数字化基础", "数字化经营", "数字化管理", "数字化成效"]
    assert evaluation.axes[0].value == 20


def test_the_operations_axis_is_the_mean_scene_level_over_four(national):
    evaluation = evaluate(national, {"scenes": {s.name: 2 for s in national.scenes}})

    assert evaluation.axes[1].value == 50
    assert evaluation.axes[1].how == "场景平均等级 2.00 / 4"


def test_trend_widgets_map_to_figures_and_back(national):
    from diagnose.visit_form import Incomplete, item_value, widget_state

    value = {"before": {"cost": 800, "revenue": 1000}, "after": {"cost": 700, "revenue": 1000}}

    state = widget_state(national, "Q15", value)

    assert state["v:Q15:before:cost"] == 800 and state["v:Q15:band"] is None
    assert item_value(national, "Q15", state) == value
    assert isinstance(item_value(national, "Q15", state | {"v:Q15:after:cost": None}), Incomplete)
    assert item_value(national, "Q15", widget_state(national, "Q15", "B"), "v:Q15:band") == "B"
