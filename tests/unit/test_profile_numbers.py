"""A profile's figures are finite numbers: inf and NaN are named as bad, never stored or crashing."""

from __future__ import annotations

import pytest

from diagnose.enterprise import check_profile

BASE = {"credit_code": "91350100M000100Y43", "name": "揭阳测试塑胶有限公司", "industry": "塑胶", "district": "榕城区"}


@pytest.mark.parametrize("field", ["head_count", "revenue"])
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", float("inf"), float("nan"), "1e999"])
def test_an_infinite_or_missing_number_is_refused_with_its_field(field, value):
    profile, problems = check_profile(BASE | {field: value})

    assert profile is None
    assert [p.place for p in problems] == [field]
    assert "应为有限的数字" in problems[0].message


def test_a_negative_head_count_is_still_called_negative():
    _, problems = check_profile(BASE | {"head_count": -3})

    assert problems[0].message.endswith("不能为负数")


@pytest.mark.parametrize(
    ("field", "value"),
    [("head_count", 10**30), ("head_count_prev", "2000000"), ("revenue", 1e13), ("revenue_prev", "1e9")],
)
def test_an_absurdly_large_figure_is_refused_by_name_not_stored(field, value):
    profile, problems = check_profile(BASE | {field: value})

    assert profile is None and [p.place for p in problems] == [field]
    assert "过大" in problems[0].message and "请核对单位与位数" in problems[0].message


def test_the_largest_plausible_figures_are_kept():
    profile, problems = check_profile(BASE | {"head_count": 1_000_000, "revenue": 100_000_000})

    assert problems == [] and (profile.head_count, profile.revenue) == (1_000_000, 100_000_000)
