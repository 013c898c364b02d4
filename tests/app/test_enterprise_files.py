"""AppTest of 一企一档: find a sample enterprise and read its file."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from diagnose.services import questionnaires
from diagnose.services.demo import seed_demo
from diagnose.services.files import overview
from diagnose.store import Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def seeded(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'files.db'}"
    store = Store(url, evidence_dir=tmp_path / "evidence")
    store.upgrade()
    seed_demo(store, "测试", 30, 3, questionnaires())
    store.dispose()
    monkeypatch.setenv("DIAGNOSE_DATABASE_URL", url)
    return url


def test_the_files_page_is_the_first_page_and_lists_sample_enterprises(seeded):
    at = AppTest.from_file(APP, default_timeout=30).run()

    assert not at.exception
    assert at.title[0].value == "一企一档"
    table = at.dataframe[0].value
    assert len(table) == 30 and table["企业名称"].str.startswith("【示例】").all()
    assert "示例数据" in at.caption[0].value


def test_filters_narrow_the_list_and_a_file_opens(seeded):
    plastics = overview(Store(seeded), industry="塑胶")
    with_results = next(e for e in plastics if e["level"] is not None)
    at = AppTest.from_file(APP, default_timeout=30).run()

    at.selectbox(key="file_industry").set_value("塑胶").run()
    at.selectbox(key="file_pick").set_value(with_results["id"]).run()

    assert not at.exception
    assert set(at.dataframe[0].value["细分行业"]) == {"塑胶"}
    assert at.header[0].value == with_results["name"]
    visits = at.dataframe[1].value
    assert visits["阶段"].iloc[0] == "改造前诊断"
    assert visits["总分"].dropna().iloc[-1] == with_results["score"]  # the latest scored visit
    assert any(f"**统一社会信用代码**：{with_results['credit_code']}" == md.value for md in at.markdown)


def test_an_empty_search_says_so(seeded):
    at = AppTest.from_file(APP, default_timeout=30).run()

    at.text_input(key="file_search").input("不存在的企业").run()

    assert at.info[0].value == "没有符合条件的企业。"
