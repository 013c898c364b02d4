"""The pilot planner on both databases: the cheapest enterprises, the deadline, a paused product,
the kept bundles, the tables adding up, and who may ask."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from diagnose import clock
from diagnose.plan.tables import demand_table, item_shares, place_table, provider_table
from diagnose.services import assessments as visits
from diagnose.services.catalog_admin import set_status
from diagnose.services.guard import PermissionDenied
from diagnose.services.planner import PlanRequest, plan
from diagnose.store import records
from diagnose.store.tables import plan_bundles

from .helpers import ADMIN, OFFICIAL, consultant_of, fill_visit, new_enterprise, user

# what makes each sample enterprise's baseline different (all below 二级: scenes at L1)
LOW = {"Q5": "B", "Q8": "B", "Q12": "A", "Q13": "A", "Q14": "A", "Q15": "A"}


def approved_baseline(store, questionnaires, seed: int, overrides: dict | None = None, **profile) -> int:
    enterprise = new_enterprise(store, seed, **profile)
    consultant = consultant_of(store, enterprise, f"顾问{seed}")
    draft = visits.start_assessment(store, consultant, enterprise, "baseline", questionnaires)
    fill_visit(store, draft, scenes=1, actor=consultant, overrides=overrides)
    visits.submit(store, consultant, draft)
    visits.approve(store, OFFICIAL, draft)
    return enterprise


@pytest.fixture
def five(store, questionnaires):
    """Five enterprises below 二级 with approved baselines, in two districts."""
    made = []
    for seed, (overrides, district) in enumerate(
        [(LOW, "榕城区"), ({}, "榕城区"), (LOW | {"Q5": "A"}, "普宁市"), ({"Q1": ["A"]}, "普宁市"), (LOW, "揭西县")],
        start=1,
    ):
        made.append(approved_baseline(store, questionnaires, seed, overrides, district=district))
    return made


def test_the_plan_takes_the_enterprises_needing_the_least_public_money(store, five):
    everyone = plan(store, OFFICIAL, PlanRequest(target=5))
    assert len(everyone.chosen) == 5 and all(line.level < 2 for line in everyone.chosen)
    publics = sorted(line.to_two.public for line in everyone.chosen)

    two = plan(store, OFFICIAL, PlanRequest(target=2))

    assert [line.to_two.public for line in two.chosen] == publics[:2]
    assert two.public == sum(publics[:2]) and two.shortfall == ""
    assert len(two.spare) == 3
    # every bundle reaches 二级 by the rule, and 三级 costs at least as much
    for line in everyone.chosen:
        assert line.to_two.products and (line.to_three is None or line.to_three.total >= line.to_two.total)


def test_the_default_target_is_the_pilot_target_less_those_counting(store, five):
    made = plan(store, OFFICIAL)

    assert made.counting == 0 and made.target == 200
    assert len(made.chosen) == 5
    assert made.shortfall.startswith(
        "可规划的企业只有 5 家（改造前诊断已审核通过、低于二级、截止日前可达到二级），距目标 200 家还差 195 家"
    )
    assert made.set_aside["尚无审核通过的改造前诊断（未走访，或诊断待审核、已退回）"] == 0
    # an enterprise with no approved baseline is listed by name with why
    waiting = new_enterprise(store, 8, district="惠来县")
    again = plan(store, OFFICIAL)
    assert again.set_aside["尚无审核通过的改造前诊断（未走访，或诊断待审核、已退回）"] == 1
    listed = again.aside.set_index("统一社会信用代码")
    with store.read() as conn:
        code = records.enterprise_by_id(conn, waiting)["credit_code"]
    assert listed.at[code, "不在规划内的原因"].startswith("尚无审核通过的改造前诊断")
    assert len(again.aside) == sum(again.set_aside.values())
    filtered = plan(store, OFFICIAL, PlanRequest(industry="塑胶"))
    assert filtered.warnings == ("目标按全市计算（200 家减去全市已计入的 0 家）；筛选只缩小了可选企业的范围。",)
    late = plan(store, OFFICIAL, PlanRequest(target=1, deadline=date(2027, 3, 1)))
    assert late.warnings == ("截止日期晚于试点期末（2026-12-31）：在此之后完成的项目不计入试点目标。",)


def test_a_budget_buys_the_most_enterprises_it_can(store, five):
    publics = sorted(line.to_two.public for line in plan(store, OFFICIAL, PlanRequest(target=5)).chosen)

    made = plan(store, OFFICIAL, PlanRequest(target=5, budget=publics[0] + publics[1]))

    assert len(made.chosen) == 2 and made.public <= publics[0] + publics[1]
    assert made.shortfall == (
        f"预算 {publics[0] + publics[1]:,} 元只够支持 2 家（用去 {made.public:,} 元），距目标 5 家还差 3 家。"
    )
    # a target beyond the plannable enterprises with a budget that binds first: the budget is named
    assert plan(store, OFFICIAL, PlanRequest(target=100, budget=publics[0])).shortfall.startswith(
        f"预算 {publics[0]:,} 元只够支持 1 家"
    )


def test_an_enterprise_whose_bundle_misses_the_deadline_is_replaced_or_left_out_and_said_so(store, five):
    soon = clock.today() + timedelta(days=10)
    unhurried = plan(store, OFFICIAL, PlanRequest(target=5))
    slow = [line for line in unhurried.chosen if line.to_two.days > 10]
    assert slow and len(slow) < 5  # the sample: some bundles take 20 days, one 7

    made = plan(store, OFFICIAL, PlanRequest(target=5, deadline=soon))

    assert made.chosen and all(line.to_two.days <= 10 for line in made.chosen)
    noted = {line.enterprise_id: line.note for line in (*made.chosen, *made.left_out) if line.note}
    assert set(noted) == {line.enterprise_id for line in slow}
    assert all("最便宜的组合需 20 天" in note and "剩 10 天" in note for note in noted.values())
    assert all(line.to_two is None for line in made.left_out)
    past = plan(store, OFFICIAL, PlanRequest(target=5, deadline=clock.today()))
    assert not past.chosen and all(line.note == "截止日期已到，来不及实施任何产品" for line in past.left_out)
    assert past.warnings == ("截止日期 2026-11-28 不晚于测算日 2026-11-28：来不及实施任何产品。",)


def test_a_paused_product_changes_the_plan_and_only_the_bundles_using_it_are_solved_again(store, five, questionnaires):
    first = plan(store, OFFICIAL, PlanRequest(target=5))
    assert first.solved == 0 and first.kept == 10  # both bundles of each, kept when it was approved
    used = first.chosen[0].to_two.products[0]
    using = sum(
        used.id in {p.id for p in bundle.products}
        for line in first.chosen
        for bundle in (line.to_two, line.to_three)
        if bundle is not None
    )

    set_status(store, ADMIN, questionnaires["national-2024"], used.id, "暂停")
    after = plan(store, OFFICIAL, PlanRequest(target=5))

    assert after.solved == using > 0  # the others are still the cheapest without it: reused
    assert all(used.id not in {p.id for p in line.to_two.products} for line in after.chosen)
    # the reused bundles are those a fresh solve gives
    with store.write() as conn:
        conn.execute(plan_bundles.delete())
    fresh = plan(store, OFFICIAL, PlanRequest(target=5))
    assert fresh.solved == 10
    assert [(line.enterprise_id, line.to_two, line.to_three) for line in fresh.chosen] == [
        (line.enterprise_id, line.to_two, line.to_three) for line in after.chosen
    ]


def test_pausing_a_product_no_bundle_uses_solves_nothing_again(store, five, questionnaires):
    from diagnose.plan.bundles import candidates
    from diagnose.services.catalog_admin import live_catalog

    first = plan(store, OFFICIAL, PlanRequest(target=5))
    used = {p.id for line in first.chosen for b in (line.to_two, line.to_three) if b for p in b.products}
    idle = next(p for p in candidates(live_catalog(store, questionnaires["national-2024"]), "塑胶") if p.id not in used)

    set_status(store, ADMIN, questionnaires["national-2024"], idle.id, "暂停")
    after = plan(store, OFFICIAL, PlanRequest(target=5))

    assert after.solved == 0
    assert [line.to_two for line in after.chosen] == [line.to_two for line in first.chosen]


def test_a_district_minimum_is_met_by_the_integer_program(store, five):
    plain = plan(store, OFFICIAL, PlanRequest(target=1))
    dearest = max(plan(store, OFFICIAL, PlanRequest(target=5)).chosen, key=lambda line: line.to_two.public)
    district = next(d for d in ("榕城区", "普宁市", "揭西县") if d != plain.chosen[0].district)

    made = plan(store, OFFICIAL, PlanRequest(target=1, district_minimum=((district, 1),)))

    assert [line.district for line in made.chosen] == [district]
    assert "整数规划" in made.exactness
    assert made.public <= dearest.to_two.public
    stuck = plan(store, OFFICIAL, PlanRequest(target=1, district_minimum=(("惠来县", 1),)))
    assert (
        stuck.infeasible and stuck.shortfall == "惠来县截止日前可达到二级的企业只有 0 家，少于要求的 1 家：请放宽条件。"
    )
    too_many = plan(store, OFFICIAL, PlanRequest(target=1, district_minimum=(("榕城区", 1), ("普宁市", 1))))
    assert too_many.shortfall == "各区县最低家数合计 2 家，超过目标 1 家：请降低最低家数或提高目标。"
    poor = plan(store, OFFICIAL, PlanRequest(target=2, budget=0, district_minimum=(("揭西县", 1),)))
    assert poor.shortfall == "在预算之内无法同时满足各区县的最低家数：请放宽条件。"


def test_the_tables_add_up_to_the_plans_totals(store, five):
    made = plan(store, OFFICIAL, PlanRequest(target=4))
    demand = demand_table(made.chosen, made.rule)

    assert demand["金额（元）"].sum() == made.total
    assert demand["财政资金（元）"].sum() == made.public
    assert demand["数量"].sum() == sum(len(line.to_two.products) for line in made.chosen)
    providers = provider_table(demand)
    assert providers["金额（元）"].sum() == made.total and providers["财政资金（元）"].sum() == made.public
    places = place_table(made.chosen)
    assert places["企业数"].sum() == 4 and places["财政资金（元）"].sum() == made.public
    for line in made.chosen:
        assert sum(item_shares(line.to_two.products, made.rule)) == line.to_two.public


@pytest.mark.parametrize("role", ["consultant", "enterprise", "provider", "expert"])
def test_only_officials_and_admins_may_plan(store, five, role):
    with store.read() as conn:
        code = records.enterprise_by_id(conn, five[0])["credit_code"]
    extra = {"enterprise": {"credit_code": code}, "provider": {"organisation": "示例服务商丁"}}.get(role, {})
    someone = user(store, f"某{role}", role, **extra)

    with pytest.raises(PermissionDenied):
        plan(store, someone)
    assert plan(store, ADMIN, PlanRequest(target=1)).chosen


def test_the_filters_narrow_the_enterprises_planned(store, five):
    made = plan(store, OFFICIAL, PlanRequest(target=5, district="普宁市"))

    assert {line.district for line in (*made.chosen, *made.spare, *made.left_out)} == {"普宁市"}
    assert made.deadline == date(2026, 12, 31)


def test_the_plan_command_writes_the_same_plan_as_a_workbook(store, five, tmp_path, capsys):
    from openpyxl import load_workbook

    from diagnose.cli.commands import main

    out = tmp_path / "规划.xlsx"
    expected = plan(store, OFFICIAL, PlanRequest(target=3, district="普宁市"))

    assert main(["plan", "--target", "3", "--district", "普宁市", "--out", str(out), "--database", store.url]) == 0

    book = load_workbook(out)
    assert book.sheetnames == [
        "概要",
        "选中的企业",
        "按行业和区县",
        "产品需求",
        "服务商需求",
        "备选企业",
        "未列入的企业",
        "其他不在规划内的企业",
    ]
    chosen = list(book["选中的企业"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in chosen] == [line.name for line in expected.chosen]
    summary = dict(book["概要"].iter_rows(min_row=2, values_only=True))
    assert summary["财政资金（元）"] == expected.public and summary["选中企业（家）"] == len(expected.chosen)
    demand = list(book["产品需求"].iter_rows(min_row=2, values_only=True))
    assert sum(row[10] for row in demand) == expected.public
    assert f"财政资金 {expected.public:,} 元" in capsys.readouterr().out


def test_the_plan_command_refuses_a_bad_output_before_planning(store, tmp_path, capsys):
    from diagnose.cli.commands import main

    assert main(["plan", "--out", str(tmp_path / "nope" / "x.xlsx"), "--database", store.url]) == 1
    assert main(["plan", "--out", str(tmp_path / "x.csv"), "--database", store.url]) == 2
    said = capsys.readouterr().err
    assert "所在文件夹" in said and "不存在" in said and "应以 .xlsx 结尾" in said
    with pytest.raises(SystemExit) as usage:
        main(["plan", "--budget", "很多", "--out", str(tmp_path / "x.xlsx")])
    assert usage.value.code == 2


def test_a_failure_to_keep_the_plan_bundles_never_stops_an_approval(store, questionnaires, monkeypatch):
    def broken(store, assessment_id):
        raise RuntimeError("solver unavailable")

    monkeypatch.setattr("diagnose.services.plan_keep._keep", broken)
    enterprise = approved_baseline(store, questionnaires, 9, LOW)

    with store.read() as conn:
        assert [a["status"] for a in records.assessments_of(conn, enterprise)] == ["approved"]
    made = plan(store, OFFICIAL, PlanRequest(target=1))
    assert made.solved == 2 and made.chosen  # the plan solves what was not kept


def test_one_enterprise_is_planned_from_its_draft_when_asked_and_never_kept(store, questionnaires):
    from diagnose.services.errors import NotFound
    from diagnose.services.planner import enterprise_plan

    enterprise = new_enterprise(store, 7)
    consultant = consultant_of(store, enterprise, "顾问7")
    draft = visits.start_assessment(store, consultant, enterprise, "baseline", questionnaires)
    fill_visit(store, draft, scenes=1, actor=consultant, overrides=LOW)
    with store.read() as conn:
        code = records.enterprise_by_id(conn, enterprise)["credit_code"]

    with pytest.raises(NotFound, match="没有审核通过的改造前诊断"):
        enterprise_plan(store, OFFICIAL, code)
    line = enterprise_plan(store, OFFICIAL, code.lower(), use_draft=True)

    assert line.note.startswith(f"依据改造前诊断（编号 {draft}，草稿）")
    assert line.level < 2 and line.to_two is not None and line.to_two.products
    with store.read() as conn:
        assert conn.execute(plan_bundles.select()).first() is None  # a draft's answers may change
    with pytest.raises(PermissionDenied):
        enterprise_plan(store, consultant, code, use_draft=True)
