"""AppTest of 试点看板: an official sees every view with the service's figures; filters narrow
them; an enterprise account cannot open it."""

from __future__ import annotations

import pytest

from diagnose.board.records import BoardFilter
from diagnose.services import dashboard as service
from diagnose.services.dashboard import board
from diagnose.services.guard import PermissionDenied

from .conftest import ADMIN, open_app

PAGE = "diagnose/ui/dashboard.py"
TABS = ["试点达标", "等级分布", "行业与区县", "场景短板", "改造成效", "顾问与产品", "服务商对比"]


def headline(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("企业 **"))


def test_an_official_sees_the_counts_the_target_and_every_view(seeded, sign_in_as):
    sign_in_as("official")
    expected = board(seeded, ADMIN)

    at = open_app()  # the official's first page

    assert not at.exception
    assert at.title[0].value == "试点看板"
    assert headline(at).startswith(f"企业 **30** 家　已诊断 **{expected.diagnosed}** 家")
    assert f"按试点口径达标 {expected.counting} / 200 家" in at.get("progress")[0].proto.text
    assert [t.label for t in at.tabs] == TABS
    subheaders = [s.value for s in at.subheader]
    for title in ("按月达标", "等级分布", "各行业平均", "各区县平均", "各行业最薄弱的三个场景", "顾问工作量",
                  "产品采用（示例清单）", "改造前后变化（按行业）", "服务商与诊断机构对比"):  # fmt: skip
        assert title in subheaders
    assert f"达标企业（{expected.counting} 家）" in subheaders  # a city's lists are open from the start
    assert f"接近达标（{expected.close} 家）" in subheaders
    assert len(at.get("download_button")) >= 10  # every table has its Excel download
    at.number_input(key="board_target").set_value(50).run()
    assert "/ 50 家" in at.get("progress")[0].proto.text


def test_the_provider_comparison_shows_the_services_figures_for_each_sample_organisation(seeded, sign_in_as):
    sign_in_as("official")
    expected = board(seeded, ADMIN).organisations
    at = open_app()

    [shown] = [d.value for d in at.dataframe if "计入试点目标（家）" in d.value.columns]
    assert shown["单位"].tolist() == expected["organisation"].tolist()
    assert set(shown["类型"]) == {"联合体成员", "第三方机构"}  # the sample 联合体's members and the agencies
    assert shown["计入试点目标（家）"].tolist() == expected["counting"].tolist()
    assert shown["诊断企业（家）"].sum() > 0 and shown["项目企业（家）"].sum() > 0
    assert all("示例" in name for name in shown["单位"])
    gains = shown["平均等级提升（级）"]
    assert all(v == "—" or v[0] in "+-" for v in gains)  # a dash where nothing is compared, never None


def test_a_dashboard_tables_excel_sheet_is_named_for_the_table():
    import io

    import pandas as pd
    from openpyxl import load_workbook

    from diagnose.ui.board_tables import excel

    book = load_workbook(io.BytesIO(excel(pd.DataFrame({"单位": ["示例单位"]}), "服务商与诊断机构对比")))
    assert book.sheetnames == ["服务商与诊断机构对比"]


def test_a_province_scale_list_opens_when_asked_for(seeded, sign_in_as, monkeypatch):
    sign_in_as("official")
    monkeypatch.setattr(service, "LISTS_OPEN_UP_TO", 10)  # the 30 sample enterprises are "many"
    at = open_app()
    expected = board(seeded, ADMIN)

    assert not any(s.value.startswith("达标企业") for s in at.subheader)
    at.toggle(key="board_show_pilot").set_value(True).run()
    assert f"达标企业（{expected.counting} 家）" in [s.value for s in at.subheader]


def test_filters_narrow_the_figures_and_an_empty_status_is_explained(seeded, sign_in_as):
    sign_in_as("official")
    at = open_app()

    at.selectbox(key="board_industry").set_value("塑胶").run()
    plastics = board(seeded, ADMIN, BoardFilter(industry="塑胶"))
    assert headline(at).startswith(f"企业 **{plastics.enterprises}** 家　已诊断 **{plastics.diagnosed}** 家")
    at.selectbox(key="board_stage").set_value("改造前诊断").run()
    baseline = board(seeded, ADMIN, BoardFilter(industry="塑胶", stage="baseline"))
    assert f"已诊断 **{baseline.diagnosed}** 家" in headline(at)
    at.multiselect(key="board_status").set_value([]).run()
    assert not at.exception
    assert at.warning[0].value == "请至少选择一种审核状态。"


def test_an_enterprise_account_cannot_open_the_board(seeded, sign_in_as):
    actor = sign_in_as("enterprise")

    at = open_app()

    with pytest.raises(ValueError):
        at.switch_page(PAGE)
    with pytest.raises(PermissionDenied):
        board(seeded, actor)


def test_the_page_says_when_the_sums_are_not_in_use(seeded, sign_in_as):
    from diagnose.store import board_cells

    sign_in_as("official")
    with seeded.write() as conn:
        board_cells.stop(conn)

    at = open_app()

    assert not at.exception
    assert "diagnose db rebuild" in at.warning[0].value
    assert headline(at).startswith("企业 **30** 家")  # the figures, read from the records
