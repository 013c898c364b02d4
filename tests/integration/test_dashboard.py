"""Every dashboard figure against small datasets computed by hand, on both databases, edge dates included."""

from __future__ import annotations

from datetime import date

import pytest

from diagnose.board.records import BoardFilter, level_members, scene_members
from diagnose.board.target import approval_date
from diagnose.services import assessments as visits
from diagnose.services.dashboard import board, members
from diagnose.services.guard import PermissionDenied
from diagnose.store import records
from diagnose.store.board_queries import board_facts

from .board_checks import same_as_from_records
from .helpers import ADMIN, OFFICIAL, consultant_of, credit_code, fill_visit, new_enterprise, user

TODAY = date(2027, 1, 15)  # after every project's finish date
SCORED = ("approved", "submitted", "returned")


def assessed(store, questionnaires, enterprise, stage, decision="approve", scenes=2, **overrides):
    """A visit by 顾问甲, answered (FULL_ANSWERS, scenes at ``scenes``, then ``overrides``),
    submitted and then approved, returned, or left ("submit"); "draft" leaves it unsubmitted."""
    consultant = user(store, "顾问甲")
    draft = visits.start_assessment(store, consultant, enterprise, stage, questionnaires)
    fill_visit(store, draft, scenes=scenes, overrides=overrides)
    if decision != "draft":
        visits.submit(store, consultant, draft)
    if decision == "approve":
        visits.approve(store, OFFICIAL, draft)
    elif decision == "return":
        visits.return_for_changes(store, OFFICIAL, draft, "请补充佐证材料")
    return draft


def project(store, enterprise, started, finished, funded=True, items=()):
    """A project row as the dashboard reads it (the project service's own rules are tested apart:
    these prices differ from the catalog's on purpose, to tell the sums apart)."""
    row = {"enterprise_id": enterprise, "provider": "示例服务商", "started_on": date.fromisoformat(started),
           "finished_on": date.fromisoformat(finished) if finished else None, "funded": funded,
           "status": "finished"}  # fmt: skip
    with store.write() as conn:
        records.insert_project(conn, row, [i | {"product_id": i["product_id"] or ""} for i in items])


def item(product_id, quantity, unit_price):
    return {"name": f"产品 {product_id or '（清单外）'}", "product_id": product_id, "quantity": quantity, "unit": "套",
            "unit_price": unit_price}  # fmt: skip


# --- the pilot target rule ---


@pytest.fixture
def world(store, questionnaires):
    """Seven enterprises, each testing one edge of the rule (FULL_ANSWERS with L2 scenes: 二级)."""
    cases = {}
    for seed, (started, finished, funded, scenes, decision) in enumerate([
        ("2023-10-11", "2026-12-31", True, 2, "approve"),   # counts: both window edges are inside
        ("2023-10-10", "2024-06-30", True, 2, "approve"),   # started a day early
        ("2024-01-01", "2027-01-01", True, 2, "approve"),   # finishes a day late
        ("2024-01-01", "2024-12-31", False, 2, "approve"),  # not publicly funded
        ("2024-01-01", "2024-12-31", True, 1, "approve"),   # close: 一级 after transformation
        ("2024-01-01", "2024-12-31", True, 2, "submit"),    # close: not yet approved
        (None, None, None, 2, "approve"),                   # no project at all
    ], start=1):  # fmt: skip
        enterprise = new_enterprise(store, seed=seed)
        if started:
            project(store, enterprise, started, finished, funded)
        assessed(store, questionnaires, enterprise, "after", decision, scenes)
        cases[seed] = enterprise
    return cases


def test_the_pilot_target_matches_the_hand_count(store, world):
    figures = same_as_from_records(store, board(store, OFFICIAL, today=TODAY), TODAY)
    listed = members(store, OFFICIAL, today=TODAY)

    assert (figures.enterprises, figures.diagnosed) == (7, 6)  # seed 6 is not approved yet
    assert figures.transformed == 6  # every enterprise with a project has finished it by TODAY
    assert figures.at_target_level == 5  # approved and 二级: seeds 1, 2, 3, 4, 7
    assert (figures.counting, figures.close) == (1, 2)
    assert list(listed.counting["id"]) == [world[1]]
    assert dict(zip(listed.close["id"], listed.close["why"], strict=True)) == {
        world[5]: "改造后等级为 1 级，未达到 2 级",
        world[6]: "改造后评测尚未通过审核",
    }
    # it counts from the later of the month its project finished and the month it was approved
    with store.read() as conn:
        approved = approval_date(records.assessments_of(conn, world[1])[0]["decided_at"])
    month = max("2026-12", f"{approved:%Y-%m}")
    assert figures.by_month.values.tolist() == [[month, 1, 1]]
    assert list(listed.counting["month"]) == [month]


def test_a_status_filter_counts_submitted_results_but_never_changes_the_target_rule(store, world):
    figures = board(store, OFFICIAL, BoardFilter(statuses=SCORED), today=TODAY)

    assert (figures.diagnosed, figures.at_target_level) == (7, 6)
    assert figures.counting == 1  # the rule reads approved results only
    assert list(members(store, OFFICIAL, BoardFilter(statuses=SCORED), today=TODAY).counting["id"]) == [world[1]]


def test_a_project_not_finished_yet_does_not_count_yet(store, world):
    today = date(2026, 12, 30)
    figures = same_as_from_records(store, board(store, OFFICIAL, today=today), today)

    assert (figures.counting, figures.by_month.empty) == (0, True)
    assert "改造项目尚未完成（计划 2026-12-31）" in list(members(store, OFFICIAL, today=today).close["why"])
    on_the_day = same_as_from_records(store, board(store, OFFICIAL, today=date(2026, 12, 31)), date(2026, 12, 31))
    assert on_the_day.counting == 1


def test_only_officials_and_admins_see_the_dashboard(store, world):
    with pytest.raises(PermissionDenied):
        board(store, user(store, "顾问甲"))
    with pytest.raises(PermissionDenied):
        board(store, user(store, "企业甲", "enterprise", credit_code=credit_code(1)))
    assert board(store, ADMIN, today=TODAY).enterprises == 7


# --- every other view ---


@pytest.fixture
def spread(store, questionnaires):
    """Four enterprises (plastics scores: FULL_ANSWERS give 基础 18.65, 管理 9.375, 成效 13.5,
    总分 41.525; Q5 C→E adds 5 to 基础, C→D 2.5, C→B −2.5):

    A 塑胶 榕城区 小型: before approved, scenes L1 (一级, 41.525); after approved, Q5 E,
      scenes L2 but 工艺设计 0, 能耗管理 1, 决策支持 1 (二级, 46.525, scene mean 28/16 = 1.75).
    B 塑胶 普宁市 中型: before approved, Q5 D, scenes L2 but 协同办公 4, 能耗管理 0
      (二级, 44.025, scene mean 32/16 = 2.0).
    C 纺织服装 榕城区 小型: before approved, Q5 B, scenes L1 (一级, 39.025); after submitted only,
      Q5 E, scenes L3 (二级: 三级 needs 60 points, 46.525).
    D 纺织服装 揭东区 微型: before returned (二级, 41.525), after still a draft.
    顾问乙 is assigned to B and has visited nobody.
    """
    a = new_enterprise(store, seed=21, district="榕城区", head_count=45, revenue=1800)
    b = new_enterprise(store, seed=22, district="普宁市", head_count=400, revenue=5000)
    c = new_enterprise(store, seed=23, industry="纺织服装", district="榕城区", head_count=45, revenue=1800)
    d = new_enterprise(store, seed=24, industry="纺织服装", district="揭东区", head_count=10, revenue=100)
    consultant_of(store, b, "顾问乙")
    assessed(store, questionnaires, a, "baseline", scenes=1, **{"visit.date": "2025-03-01"})
    assessed(store, questionnaires, a, "after", Q5="E", **{"visit.date": "2026-05-10", "scene:工艺设计": 0,
             "scene:能耗管理": 1, "scene:决策支持": 1})  # fmt: skip
    assessed(store, questionnaires, b, "baseline", Q5="D", **{"visit.date": "2025-04-01", "scene:协同办公": 4,
             "scene:能耗管理": 0})  # fmt: skip
    assessed(store, questionnaires, c, "baseline", scenes=1, Q5="B", **{"visit.date": "2025-05-01"})
    assessed(store, questionnaires, c, "after", "submit", scenes=3, Q5="E", **{"visit.date": "2026-06-01"})
    assessed(store, questionnaires, d, "baseline", "return", **{"visit.date": "2025-06-01"})
    assessed(store, questionnaires, d, "after", "draft")
    product = "S002"  # 中小企业ERP标准版（示例）
    project(store, a, "2024-01-01", "2024-06-30", items=[item(product, 1, 30000), item("", 1, 5000)])
    project(store, b, "2024-02-01", "2024-12-31", items=[item(product, 2, 15000), item("S001", 1, 6800)])
    return {"A": a, "B": b, "C": c, "D": d}


def test_headline_counts(store, spread):
    figures = same_as_from_records(store, board(store, OFFICIAL, today=TODAY), TODAY)

    assert figures.enterprises == 4
    assert figures.diagnosed == 3  # D's only result was returned
    assert figures.transformed == 2
    assert figures.at_target_level == 2  # latest: A after 二级, B 二级, C before 一级
    assert (figures.counting, figures.close) == (1, 1)
    listed = members(store, OFFICIAL, today=TODAY)
    assert list(listed.counting["id"]) == [spread["A"]]
    assert list(listed.close["why"]) == ["改造后评测尚未通过审核"]  # B


def test_level_distribution_before_and_after_per_industry(store, spread):
    levels = board(store, OFFICIAL, today=TODAY).levels

    rows = {(r.industry, r.phase): (r.一级, r.二级, r.合计) for r in levels.itertuples()}
    assert rows == {("塑胶", "改造前"): (1, 1, 2), ("塑胶", "改造后"): (0, 1, 1), ("纺织服装", "改造前"): (1, 0, 1)}
    assert levels[["未达一级", "三级", "四级"]].to_numpy().sum() == 0


def test_mean_scores_and_scene_levels_per_industry_and_district(store, spread):
    figures = board(store, OFFICIAL, today=TODAY)

    industry = figures.by_industry.set_index("industry")
    assert industry.loc["塑胶", "enterprises"] == 2
    assert industry.loc["塑胶", ["score", "basic", "management", "effect", "scene_level"]].tolist() == pytest.approx(
        [(46.525 + 44.025) / 2, (23.65 + 21.15) / 2, 9.375, 13.5, (1.75 + 2.0) / 2]
    )
    assert industry.loc["纺织服装", ["enterprises", "score", "basic", "scene_level"]].tolist() == pytest.approx(
        [1, 39.025, 16.15, 1.0]
    )
    district = figures.by_district.set_index("district")
    assert district.loc["榕城区", ["enterprises", "score", "basic", "scene_level"]].tolist() == pytest.approx(
        [2, (46.525 + 39.025) / 2, (23.65 + 16.15) / 2, (1.75 + 1.0) / 2]
    )
    assert district.loc["普宁市", ["enterprises", "score", "scene_level"]].tolist() == pytest.approx([1, 44.025, 2.0])
    assert "揭东区" not in district.index  # D has no approved result


def test_scene_heatmap_and_the_three_weakest_scenes(store, spread):
    figures = board(store, OFFICIAL, today=TODAY)

    plastics = figures.heatmap.loc["塑胶"]
    assert plastics[["工艺设计", "能耗管理", "决策支持", "协同办公", "产品设计"]].tolist() == [1.0, 0.5, 1.5, 3.0, 2.0]
    assert (figures.heatmap.loc["纺织服装"] == 1.0).all()
    weakest = figures.weakest.groupby("industry")["scene"].apply(list).to_dict()
    assert weakest["塑胶"] == ["能耗管理", "工艺设计", "决策支持"]
    # all at 1.0: the ★ scenes first, in the questionnaire's order
    assert weakest["纺织服装"] == ["产品设计", "营销管理", "生产管控"]
    starred = figures.weakest.groupby("industry")["constrained"].apply(list).to_dict()
    assert starred == {"塑胶": [True, False, False], "纺织服装": [True, True, True]}
    assert list(figures.heatmap.index) == ["纺织服装", "塑胶"]  # the pilot's order of industries


def test_improvement_of_enterprises_with_both_results(store, spread):
    figures = board(store, OFFICIAL, today=TODAY)

    improved = members(store, OFFICIAL, today=TODAY).improved
    assert improved[["enterprise_id", "score_before", "score_after", "change", "level_up"]].values.tolist() == [
        [spread["A"], 41.525, 46.525, pytest.approx(5.0), True]
    ]
    total = figures.improvement.set_index("industry").loc["合计"]
    assert total[["enterprises", "change", "basic_change", "management_change", "level_up"]].tolist() == pytest.approx(
        [1, 5.0, 5.0, 0.0, 1]
    )

    everything = board(store, OFFICIAL, BoardFilter(statuses=SCORED), today=TODAY)  # C's after is submitted
    by_industry = everything.improvement.set_index("industry")
    assert by_industry.loc["纺织服装", ["enterprises", "score_before", "score_after", "change"]].tolist() == (
        pytest.approx([1, 39.025, 46.525, 7.5])
    )
    assert by_industry.loc["合计", ["enterprises", "level_up"]].tolist() == [2, 2]


def test_consultant_workload(store, spread):
    workload = board(store, OFFICIAL, today=TODAY).workload.set_index("consultant")

    assert workload.loc["顾问甲"].to_dict() == {
        "assigned": 4, "visited": 4, "草稿": 1, "已提交": 1, "已通过": 4, "已退回": 1, "合计": 7
    }  # fmt: skip
    assert workload.loc["顾问乙"].to_dict() == {
        "assigned": 1, "visited": 0, "草稿": 0, "已提交": 0, "已通过": 0, "已退回": 0, "合计": 0
    }  # fmt: skip


def test_product_adoption_from_the_catalog(store, spread):
    adoption = board(store, OFFICIAL, today=TODAY).adoption

    assert list(adoption.columns) == ["product_id", "product_name", "enterprises", "projects", "amount"]
    assert adoption.values.tolist() == [
        ["S002", "中小企业ERP标准版（示例）", 2, 2, 60000.0], ["S001", "云进销存（示例）", 1, 1, 6800.0]
    ]  # fmt: skip


def organisation_project(store, enterprise, organisation, started, finished, funded=True, items=()):
    """A project row contracted with ``organisation`` (an id), as the dashboard reads it."""
    row = {"enterprise_id": enterprise, "provider": "示例服务商", "organisation_id": organisation,
           "started_on": date.fromisoformat(started), "finished_on": date.fromisoformat(finished),
           "funded": funded, "status": "finished"}  # fmt: skip
    with store.write() as conn:
        records.insert_project(conn, row, [i | {"product_id": i["product_id"] or ""} for i in items])


def test_the_provider_comparison_matches_the_hand_count(store, questionnaires):
    """P (服务商): E1 before 一级, after 二级 (gain 1, counts: funded, in the window); E2 before and
    after 一级 (gain 0, does not count). Q (服务商): E3 with an unfunded project and no result.
    D (第三方机构): its consultant made the approved baselines of E1 and E4 (E4: diagnosed only)."""
    from diagnose.services.accounts import add_user
    from diagnose.services.applications import add_organisation, organisations

    from .helpers import PASSWORD

    for name, kind in (("服务商P", "provider"), ("服务商Q", "provider"), ("诊断机构D", "agency")):
        add_organisation(store, ADMIN, name, kind)
    ids = {o["name"]: o["id"] for o in organisations(store, ADMIN)}
    add_user(store, ADMIN, "顾问丁", "consultant", PASSWORD, organisation="诊断机构D")
    e1, e2, e3, e4 = (new_enterprise(store, seed=seed) for seed in (41, 42, 43, 44))

    def baseline_by_agency(enterprise, scenes):
        agency_consultant = consultant_of(store, enterprise, "顾问丁")
        draft = visits.start_assessment(store, agency_consultant, enterprise, "baseline", questionnaires)
        fill_visit(store, draft, scenes=scenes, actor=agency_consultant)
        visits.submit(store, agency_consultant, draft)
        visits.approve(store, OFFICIAL, draft)

    baseline_by_agency(e1, 1)
    baseline_by_agency(e4, 2)
    assessed(store, questionnaires, e2, "baseline", scenes=1)
    assessed(store, questionnaires, e1, "after", scenes=2)
    assessed(store, questionnaires, e2, "after", scenes=1)
    organisation_project(store, e1, ids["服务商P"], "2024-01-01", "2024-06-30", items=[item("", 2, 1000)])
    organisation_project(store, e2, ids["服务商P"], "2024-02-01", "2024-12-31", items=[item("S001", 1, 500)])
    organisation_project(store, e3, ids["服务商Q"], "2024-02-01", "2024-12-31", funded=False)

    figures = same_as_from_records(store, board(store, OFFICIAL, today=TODAY), TODAY)
    table = figures.organisations.set_index("organisation")
    columns = ["kind", "diagnosed", "enterprises", "projects", "amount", "counting", "compared"]
    assert table[columns].loc[["服务商P", "诊断机构D", "服务商Q"]].values.tolist() == [
        ["服务商", 0, 2, 2, 2500.0, 1, 2],
        ["第三方机构", 2, 0, 0, 0.0, 0, 0],
        ["服务商", 0, 1, 1, 0.0, 0, 0],
    ]
    assert table.loc["服务商P", "mean_gain"] == 0.5  # (1 + 0) / 2
    assert table[["mean_gain"]].loc[["诊断机构D", "服务商Q"]].isna().all().all()
    assert figures.organisations["organisation"].tolist()[0] == "服务商P"  # the most counting first
    plastics = same_as_from_records(store, board(store, OFFICIAL, BoardFilter(district="普宁市"), today=TODAY), TODAY,
                                    BoardFilter(district="普宁市"))  # fmt: skip
    assert plastics.organisations.empty  # none of them in 普宁市


def test_filters_narrow_every_view(store, spread):
    def figures(**chosen):
        return same_as_from_records(store, board(store, OFFICIAL, BoardFilter(**chosen), today=TODAY), TODAY,
                                    BoardFilter(**chosen))  # fmt: skip

    def latest(**chosen):
        return list(members(store, OFFICIAL, BoardFilter(**chosen), today=TODAY).latest["enterprise_id"])

    plastics = figures(industry="塑胶")
    assert (plastics.enterprises, plastics.diagnosed, len(plastics.heatmap)) == (2, 2, 1)
    assert plastics.workload.set_index("consultant").loc["顾问甲", "合计"] == 3
    medium = figures(size_class="中型")
    assert (medium.enterprises, latest(size_class="中型")) == (1, [spread["B"]])
    assert medium.adoption["amount"].tolist() == [30000.0, 6800.0]
    assert figures(district="揭东区").diagnosed == 0
    before = figures(stage="baseline")
    assert (before.diagnosed, before.at_target_level, before.improvement.empty) == (3, 1, True)
    # visit dates: both edges of the range are inside it
    assert latest(visited_from=date(2026, 5, 10)) == [spread["A"]]
    assert figures(visited_from=date(2026, 5, 11)).diagnosed == 0
    assert figures(visited_to=date(2025, 3, 1)).diagnosed == 1
    assert figures(visited_to=date(2025, 2, 28)).diagnosed == 0
    assert latest(statuses=("returned",)) == [spread["D"]]


def test_a_bar_or_a_cell_lists_the_enterprises_behind_it(store, spread):
    figures = members(store, OFFICIAL, today=TODAY)

    assert list(level_members(figures, "塑胶", "改造前", 1)["enterprise_id"]) == [spread["A"]]
    assert list(level_members(figures, "塑胶", "改造前", 2)["enterprise_id"]) == [spread["B"]]
    assert list(scene_members(figures, "塑胶", "能耗管理")["enterprise_id"]) == [spread["B"], spread["A"]]


def test_a_write_is_seen_at_once_despite_the_cache(store, spread, questionnaires):
    assert board(store, OFFICIAL, today=TODAY).diagnosed == 3
    assert len(members(store, OFFICIAL, today=TODAY).latest) == 3
    assessed(store, questionnaires, spread["D"], "onsite")
    assert same_as_from_records(store, board(store, OFFICIAL, today=TODAY), TODAY).diagnosed == 4
    assert len(members(store, OFFICIAL, today=TODAY).latest) == 4


def test_an_empty_store_gives_zeros_and_empty_tables(store):
    figures = same_as_from_records(store, board(store, OFFICIAL, today=TODAY), TODAY)

    assert (figures.enterprises, figures.diagnosed, figures.transformed, figures.at_target_level) == (0, 0, 0, 0)
    assert figures.levels.empty and figures.heatmap.empty and figures.weakest.empty and figures.improvement.empty
    assert (figures.counting, figures.close, figures.by_month.empty) == (0, 0, True)
    listed = members(store, OFFICIAL, today=TODAY)
    assert listed.counting.empty and listed.latest.empty and listed.improved.empty


def test_the_figures_and_the_lists_of_a_filter_read_the_records_once(store, spread, monkeypatch):
    from diagnose.services import dashboard

    reads = []
    monkeypatch.setattr(dashboard, "board_facts", lambda *args, **kw: reads.append(args) or board_facts(*args, **kw))
    chosen = BoardFilter(stage="baseline")  # a filter the kept sums do not serve

    figures = board(store, OFFICIAL, chosen, today=TODAY)
    listed = members(store, OFFICIAL, chosen, today=TODAY)

    assert len(reads) == 1
    assert figures.diagnosed == len(listed.latest) == 3
