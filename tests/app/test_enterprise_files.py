"""AppTest of 一企一档: find an enterprise and read its file, within what the role may see."""

from __future__ import annotations

from diagnose.services.files import overview

from .conftest import ADMIN, open_app

FILES = "diagnose/ui/enterprise_files.py"


def test_the_files_page_lists_the_sample_enterprises(sign_in_as):
    sign_in_as("official")

    at = open_app(FILES)

    assert not at.exception
    assert at.title[0].value == "一企一档"
    table = at.dataframe[0].value
    assert len(table) == 30 and table["企业名称"].str.startswith("【示例】").all()
    assert any("示例数据" in c.value for c in at.caption)


def test_filters_narrow_the_list_and_a_file_opens(seeded, sign_in_as):
    sign_in_as("official")
    plastics = overview(seeded, ADMIN, industry="塑胶")
    with_results = next(e for e in plastics if e["level"] is not None)
    at = open_app(FILES)

    at.selectbox(key="file_industry").set_value("塑胶").run()
    at.selectbox(key="file_pick").set_value(with_results["id"]).run()

    assert not at.exception
    assert set(at.dataframe[0].value["细分行业"]) == {"塑胶"}
    assert at.header[0].value == with_results["name"]
    visits = at.dataframe[1].value
    assert visits["阶段"].iloc[0] == "改造前诊断"
    assert visits["总分"].dropna().iloc[-1] == with_results["score"]  # the latest scored visit
    assert any(f"**统一社会信用代码**：{with_results['credit_code']}" == md.value for md in at.markdown)


def test_an_empty_search_says_so(sign_in_as):
    sign_in_as("official")
    at = open_app(FILES)

    at.text_input(key="file_search").input("不存在的企业").run()

    assert at.info[0].value == "没有符合条件的企业。"


def test_an_enterprise_account_sees_only_its_own_enterprise(seeded, sign_in_as):
    actor = sign_in_as("enterprise")

    at = open_app("diagnose/ui/enterprise_files.py")

    table = at.dataframe[0].value
    assert len(table) == 1
    with seeded.read() as conn:
        from diagnose.store import records

        assert table["统一社会信用代码"].iloc[0] == records.enterprise_by_id(conn, actor.enterprise_id)["credit_code"]


def test_a_consultant_sees_only_assigned_enterprises(sign_in_as):
    sign_in_as("consultant")

    at = open_app("diagnose/ui/enterprise_files.py")

    assert at.info[0].value == "没有符合条件的企业。"


def test_a_scored_enterprise_offers_its_report(seeded, sign_in_as):
    sign_in_as("official")
    scored = next(e for e in overview(seeded, ADMIN) if e["level"] is not None)
    at = open_app(FILES)

    at.selectbox(key="file_pick").set_value(scored["id"]).run()

    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载诊断报告（PDF）", "下载诊断报告（HTML）"]


def test_an_official_downloads_a_districts_reports_in_one_zip(seeded, sign_in_as):
    import io
    import zipfile

    sign_in_as("official")
    district = next(e["district"] for e in overview(seeded, ADMIN) if e["level"] is not None)
    expected = [e for e in overview(seeded, ADMIN, district=district) if e["level"] is not None]
    at = open_app(FILES)
    at.selectbox(key="file_district").set_value(district).run()

    at.button(key="reports_zip_make").click().run(timeout=120)

    assert not at.exception
    assert at.success[0].value.startswith(f"已生成 {len(expected)} 份报告")
    scope, made, count, _ = at.session_state["reports_zip"]
    assert (scope, count) == (district, len(expected))
    names = zipfile.ZipFile(io.BytesIO(made)).namelist()
    assert sorted(n.split("-", 1)[0] for n in names) == sorted(e["credit_code"] for e in expected)
    assert at.get("download_button")[-1].proto.label.startswith("下载 ZIP（")


def test_an_enterprise_account_gets_no_batch_of_reports(sign_in_as):
    sign_in_as("enterprise")

    at = open_app(FILES)

    assert not at.exception and not [b for b in at.button if b.key == "reports_zip_make"]
