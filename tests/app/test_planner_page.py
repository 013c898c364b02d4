"""AppTest of 试点规划 (officials and admins) on the 30 sample enterprises."""

from __future__ import annotations

import pytest

from diagnose.access.policy import Actor
from diagnose.services.planner import PlanRequest, plan

from .conftest import ADMIN, open_app

PAGE = "diagnose/ui/planner.py"


def generate(at, **typed):
    for key, value in typed.items():
        at.text_input(key=key).input(str(value))
    return at.button[0].click().run()  # the form's 生成规划


@pytest.mark.parametrize("role", ["official", "admin"])
def test_the_plan_shows_the_chosen_enterprises_their_cost_and_the_product_demand(seeded, sign_in_as, role):
    sign_in_as(role)
    at = open_app(PAGE)
    assert not at.exception and at.title[0].value == "试点规划"

    generate(at, plan_target=3)

    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    expected = plan(seeded, ADMIN, PlanRequest(target=3))
    assert metrics["选中企业（家）"] == str(len(expected.chosen)) == "3"
    assert metrics["财政资金（元）"] == f"{expected.public:,}"
    chosen = at.dataframe(key="plan_chosen").value
    assert list(chosen["企业"]) == [line.name for line in expected.chosen]
    assert all("示例" in name for name in chosen["企业"])  # sample enterprises say so
    demand = next(d.value for d in at.dataframe if "产品编号" in d.value.columns)
    as_number = lambda column: demand[column].str.replace(",", "").astype(int).sum()  # noqa: E731 - shown with separators
    assert as_number("财政资金（元）") == expected.public and as_number("金额（元）") == expected.total
    assert any("补助规则：财政补助规则（示例" in c.value for c in at.caption)
    assert any("精确" in c.value for c in at.caption)


def test_a_budget_too_small_for_the_target_says_how_far_it_reaches(seeded, sign_in_as):
    sign_in_as("official")
    at = open_app(PAGE)
    cheapest = plan(seeded, ADMIN, PlanRequest(target=1)).public

    generate(at, plan_target=5, plan_budget=cheapest)

    assert at.warning[0].value.startswith(f"预算 {cheapest:,} 元只够支持 1 家")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "财政资金预算应为 0 到 100,000,000,000 之间的整数，而不是 -5"),
        ("999999999999999999999", "财政资金预算应为 0 到 100,000,000,000 之间的整数，而不是 1e+21"),
        ("1234.56", "财政资金预算应为 0 到 100,000,000,000 之间的整数，而不是 1,234.56"),
        ("很多", "财政资金预算应为数字，而不是“很多”"),
        ("inf", "财政资金预算应为有限的数字，而不是“inf”"),
    ],
)
def test_a_budget_that_is_no_whole_number_is_refused_in_chinese(seeded, sign_in_as, typed, message):
    sign_in_as("official")
    at = open_app(PAGE)

    generate(at, plan_budget=typed)

    assert at.error[0].value == message
    assert not at.metric


def test_a_budget_typed_with_separators_is_read(seeded, sign_in_as):
    sign_in_as("official")
    at = open_app(PAGE)

    generate(at, plan_target="2", plan_budget="1,000,000")

    assert not at.error and at.caption and any(c.value.startswith("预算 1,000,000 元，用去") for c in at.caption)


def test_one_enterprise_is_planned_from_its_approved_baseline(seeded, sign_in_as):
    sign_in_as("official")
    at = open_app(PAGE)
    line = plan(seeded, ADMIN, PlanRequest(target=1)).chosen[0]

    at.text_input(key="plan_one_code").input(line.credit_code)
    at.button(key="plan_one_go").click().run()

    said = " ".join(m.value for m in at.markdown)
    assert line.name in said and "审核通过" in said
    assert f"总价 {line.to_two.total:,} 元，财政资金 {line.to_two.public:,} 元" in said


@pytest.mark.parametrize("role", ["consultant", "enterprise", "provider", "expert"])
def test_other_roles_have_no_planner_page(sign_in_as, role):
    sign_in_as(role)
    at = open_app()

    with pytest.raises(ValueError):
        at.switch_page(PAGE)


def test_were_the_page_reached_by_another_role_the_service_refuses_in_chinese(seeded, sign_in_as, monkeypatch):
    sign_in_as("admin")
    monkeypatch.setattr("diagnose.ui.session.require_actor", lambda: Actor("test_admin", "consultant"))
    at = open_app(PAGE)

    generate(at, plan_target=3)

    assert "顾问账户无权查看试点规划" in at.error[0].value and not at.exception and not at.metric
