"""AppTest of the quick-assessment page: answers in, level out, bad input named."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from .conftest import open_app

APP = str(Path(__file__).resolve().parents[2] / "app.py")


PAGE = "diagnose/ui/quick_assessment.py"


@pytest.fixture
def app(sign_in_as):
    sign_in_as("consultant")
    return open_app(PAGE)


def unanswered(at) -> list[str]:
    caption = next(c.value for c in at.caption if c.value.startswith("未答："))
    return caption.removeprefix("未答：").split("（")[0].split("、")


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_the_page_opens_with_nothing_answered(app):
    assert not app.exception
    assert metrics(app)["评测等级"] == "未达一级"
    assert metrics(app)["总分"] == "0"
    assert "还差 20 分" in app.info[0].value


def test_answers_and_scenes_raise_the_level_live(app):
    for qid, code in {"Q5": "E", "Q12": "C", "Q14": "C"}.items():
        app.radio(key=f"q_{qid}").set_value(code).run()
    assert metrics(app)["总分"] == "20"
    assert metrics(app)["评测等级"] == "未达一级"

    for name in ["产品设计", "营销管理", "生产管控", "工艺设计", "售后服务", "计划排程"]:
        app.radio(key=f"s_{name}").set_value(1).run()

    assert not app.exception
    assert metrics(app)["评测等级"] == "一级 信息技术工具辅助"
    assert metrics(app)["基础（满分 50）"] == "10"
    assert any(md.value.startswith("**一级 信息技术工具辅助** :green[✓ 满足]") for md in app.markdown)


def test_ticked_practices_propose_scene_levels_in_an_industry_rubric(app):
    app.selectbox(key="questionnaire").set_value("textiles").run()
    for qid, code in {"Q5": "E", "Q12": "C", "Q14": "C"}.items():
        app.radio(key=f"q_{qid}").set_value(code).run()

    for practice in ["T01", "T04", "T06", "T08", "T09", "T16"]:
        app.checkbox(key=f"p_{practice}").check().run()

    # six scenes at L1 or L2, three of them ★; 20 points, so 一级 (二级 needs 40)
    assert metrics(app)["评测等级"] == "一级 信息技术工具辅助"
    assert app.radio(key="s_质量管理").options[0] == "未评（按所勾实践 L2）"
    assert app.radio(key="s_安全生产").options[0] == "未评（按 0 计）"


def test_an_explicit_scene_level_overrules_the_practices(app):
    app.selectbox(key="questionnaire").set_value("textiles").run()
    app.checkbox(key="p_T10").check().run()

    app.radio(key="s_质量管理").set_value(0).run()

    assert "L3 及以上场景 0 个" in " ".join(md.value for md in app.markdown)


def test_a_device_count_above_the_total_is_named_next_to_the_field_and_kept(app):
    app.number_input(key="q_Q2_total").set_value(10).run()
    app.number_input(key="q_Q2_digital").set_value(12).run()

    assert "数字化设备数（12）不能大于生产设备总数（10）" in app.error[0].value
    assert app.number_input(key="q_Q2_digital").value == 12
    assert "Q2" in unanswered(app)


def test_valid_figures_show_the_band_they_give(app):
    app.number_input(key="q_Q3_total").set_value(40).run()
    app.number_input(key="q_Q3_networked").set_value(8).run()

    assert app.success[0].value == "比例 20.0% → B. 10%-20%（含）（1.5 分）"
    assert metrics(app)["基础（满分 50）"] == "1.5"


def test_none_excludes_the_other_options(app):
    app.checkbox(key="q_Q1_A").check().run()

    assert app.checkbox(key="q_Q1_B").disabled
    assert metrics(app)["总分"] == "0"
    assert "Q1" not in unanswered(app)


def test_a_broken_questionnaire_folder_is_named_not_a_traceback(tmp_path, monkeypatch, seeded):
    (tmp_path / "national-2024.yaml").write_text("kind: questionnaire\nid: [\n", encoding="utf-8")
    monkeypatch.setenv("DIAGNOSE_QUESTIONNAIRES", str(tmp_path))

    at = AppTest.from_file(APP, default_timeout=30).run()

    assert not at.exception
    assert "问卷文件有错误" in at.error[0].value
    assert "national-2024.yaml: line 3, column 1: not valid YAML" in at.error[0].value
