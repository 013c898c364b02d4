"""Services the visit page calls: evaluation of a visit's items as they stand, the widget mapping."""

from __future__ import annotations

from diagnose.services import evaluate_items


def test_evaluate_scores_what_is_valid_and_names_the_rest(national):
    evaluation = evaluate_items(national, {"Q5": "E", "Q6": ["A", "B"]})

    assert evaluation.result.score == 10
    assert [p.message.split("：")[0] for p in evaluation.problems] == ["Q6 网络安全"]
    assert [a.name for a in evaluation.axes] == ["数字化基础", "数字化经营", "数字化管理", "数字化成效"]
    assert evaluation.axes[0].value == 20


def test_the_operations_axis_is_the_mean_scene_level_over_four(national):
    evaluation = evaluate_items(national, {f"scene:{s.name}": 2 for s in national.scenes})

    assert evaluation.axes[1].value == 50
    assert evaluation.axes[1].how == "场景平均等级 2.00 / 4"


def test_trend_widgets_map_to_figures_and_back(national):
    from diagnose.visit.form import Incomplete, item_value, widget_state

    value = {"before": {"cost": 800, "revenue": 1000}, "after": {"cost": 700, "revenue": 1000}}

    state = widget_state(national, "Q15", value)

    assert state["v:Q15:before:cost"] == 800 and state["v:Q15:band"] is None
    assert item_value(national, "Q15", state) == value
    assert isinstance(item_value(national, "Q15", state | {"v:Q15:after:cost": None}), Incomplete)
    assert item_value(national, "Q15", widget_state(national, "Q15", "B"), "v:Q15:band") == "B"
