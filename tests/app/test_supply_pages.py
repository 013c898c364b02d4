"""AppTest of the supply side: a provider drafts, corrects and submits a product application with
every bad field named next to it; an official opens a batch and checks the application."""

from __future__ import annotations

import datetime

import pytest

from diagnose import clock
from diagnose.services import applications as service
from diagnose.services import questionnaires

from .conftest import ADMIN, open_app

APPLY = "diagnose/ui/applications.py"
INTAKE = "diagnose/ui/application_check.py"
PDF = b"%PDF-1.4\n" + b"0" * 200


@pytest.fixture
def batch(seeded):
    return service.open_batch(seeded, ADMIN, "第3批", clock.today() + datetime.timedelta(days=30))


def errors_of(at) -> list[str]:
    return [e.value for e in at.error]


def test_a_provider_sees_each_bad_field_named_next_to_it_and_keeps_what_it_typed(seeded, sign_in_as, batch):
    sign_in_as("provider")
    at = open_app(APPLY)
    assert not at.exception
    at.text_input(key="app0:name").input("云MES（示例）")
    at.number_input(key="app0:price").set_value(12000)
    at.multiselect(key="app0:scenes").set_value(["生产管控"]).run()
    at.text_input(key="app0:showcase").input("示例：揭阳某塑胶厂")
    at.date_input(key="app0:signed").set_value(datetime.date(2023, 5, 1))
    at.selectbox(key="app0:before").set_value(2)
    at.selectbox(key="app0:after").set_value(1)
    at.button(key="app0:save").click().run()

    messages = errors_of(at)
    assert any("样板项目合同签订日期：样板项目的合同须晚于 2023-10-11 签订（当天不算）" in m for m in messages)
    assert any("样板项目改造后等级：应高于改造前等级（二级）" in m for m in messages)
    assert at.text_input(key="app0:name").value == "云MES（示例）"  # nothing typed is lost
    assert service.applications(seeded, ADMIN) == []


def test_a_provider_saves_a_draft_then_submitting_names_what_is_missing(seeded, sign_in_as, batch):
    provider = sign_in_as("provider")
    at = open_app(APPLY)
    at.text_input(key="app0:name").input("云MES（示例）")
    at.button(key="app0:save").click().run()
    assert any("已保存草稿" in s.value for s in at.success)
    drafted = service.applications(seeded, provider)[0]
    assert drafted["status"] == "draft" and drafted["fields"] == {"name": "云MES（示例）"}

    key = f"app{drafted['id']}:"
    at.button(key=key + "submit").click().run()
    messages = errors_of(at)
    assert any("版本：必须填写" in m for m in messages)
    assert any("附件：须上传样板项目合同" in m for m in messages)
    assert service.applications(seeded, provider)[0]["status"] == "draft"


def test_an_official_opens_a_batch_and_returns_an_application_with_its_reason(
    seeded, sign_in_as, batch, monkeypatch, tmp_path
):
    monkeypatch.setenv("DIAGNOSE_DATA_DIR", str(tmp_path))  # the app keeps files where this test's store does
    provider = sign_in_as("provider", "服务商甲")
    national = questionnaires()["national-2024"]
    saved = service.save_application(seeded, provider, national, None, batch, complete_fields())
    service.attach_file(seeded, provider, saved.id, "showcase_contract", "合同.pdf", PDF)
    service.submit_application(seeded, provider, national, saved.id, saved.revision)
    sign_in_as("official")
    at = open_app(INTAKE)
    assert not at.exception
    assert "注塑MES（示例）" in at.selectbox(key="intake_pick").options[0]
    assert [b.label for b in at.get("download_button")] == ["下载样板项目合同：合同.pdf"]

    at.radio[0].set_value("returned")
    at.button[-1].click().run()  # 确定, without a reason
    assert any("退回补正须写明理由" in m for m in errors_of(at))
    at.text_area[0].input("样板项目合同缺少盖章页")
    at.button[-1].click().run()
    assert service.get_application(seeded, provider, saved.id)["comment"] == "样板项目合同缺少盖章页"
    assert service.get_application(seeded, provider, saved.id)["status"] == "returned"

    next(t for t in at.text_input if t.label == "批次名称").input("第4批")
    next(d for d in at.date_input if d.label == "截止日期（含当天）").set_value(
        clock.today() + datetime.timedelta(days=10)
    )
    next(b for b in at.button if b.label == "开启").click().run()
    assert [b["name"] for b in service.batches(seeded, ADMIN)][:2] == ["第4批", "第3批"]


def complete_fields() -> dict:
    return {
        "name": "注塑MES（示例）", "version": "2.0", "type": "SaaS", "industries": ["塑胶"], "links": ["制造"],
        "scenes": {"生产管控": 2}, "questions": {"Q5": ["C"]}, "deployment": "云端", "price": 12000, "unit": "年",
        "implementation_days": 15, "ip_status": "软件著作权", "showcase_enterprise": "示例：揭阳某塑胶厂",
        "showcase_contract_date": "2024-03-15", "showcase_level_before": 1, "showcase_level_after": 2,
    }  # fmt: skip


SCORE = "diagnose/ui/expert_review.py"
MARKS = {"ip": 15, "fit": 15, "price": 10, "demo": 15, "showcase": 20, "light": 15, "service": 10}


def accepted_application(seeded, sign_in_as, batch) -> int:
    provider = sign_in_as("provider", "服务商甲")
    national = questionnaires()["national-2024"]
    saved = service.save_application(seeded, provider, national, None, batch, complete_fields())
    service.attach_file(seeded, provider, saved.id, "showcase_contract", "合同.pdf", PDF)
    service.submit_application(seeded, provider, national, saved.id, saved.revision)
    service.check_application(seeded, ADMIN, saved.id, "accepted")
    return saved.id


def test_an_expert_scores_every_criterion_and_sees_the_others_only_after(seeded, sign_in_as, batch):
    from diagnose.services import product_review as review
    from diagnose.services.accounts import add_user, sign_in

    application = accepted_application(seeded, sign_in_as, batch)
    add_user(seeded, ADMIN, "官员乙", "official", "a long enough password")
    colleague = sign_in(seeded, "官员乙", "a long enough password").actor
    sign_in_as("expert")
    review.assign_reviewers(seeded, ADMIN, application, ["test_expert", "官员乙"])
    review.submit_scores(seeded, colleague, application, MARKS | {"light": 5})

    at = open_app(SCORE)
    assert not at.exception
    assert "官员乙" not in at.dataframe[-1].value.columns  # the sheet, before one's own scores are in
    for criterion, points in MARKS.items():
        if criterion != "demo":
            at.number_input(key=f"score:{application}:{criterion}").set_value(points)
    at.button[-1].click().run()  # 提交评分, one criterion left empty
    assert any("现场演示与答辩：请打分（0 至 15 分）" in e.value for e in at.error)

    at.number_input(key=f"score:{application}:demo").set_value(12.5)
    at.button[-1].click().run()
    assert any("已提交评分：合计 97.5 分" in s.value for s in at.success)
    shown = at.dataframe[-1].value
    assert list(shown["官员乙"])[:2] == ["15", "15"] and "我的评分" in shown.columns


def test_an_official_decides_from_the_scores_side_by_side_and_publishes_the_batch(seeded, sign_in_as, batch):
    from diagnose.services import product_review as review
    from diagnose.services.catalog_admin import live_catalog

    application = accepted_application(seeded, sign_in_as, batch)
    expert = sign_in_as("expert")
    official = sign_in_as("official")
    review.assign_reviewers(seeded, ADMIN, application, ["test_expert", "test_official"])
    review.submit_scores(seeded, expert, application, MARKS)
    review.submit_scores(seeded, official, application, MARKS | {"price": 4})

    at = open_app(INTAKE)
    assert not at.exception
    scores = at.dataframe[-1].value
    assert list(scores["评审指标"])[-1] == "合计（100 分）" and list(scores["test_official"])[-1] == "94"
    assert any("平均分 97" in c.value for c in at.caption)
    next(t for t in at.text_area if t.label.startswith("理由（必填")).input("专家一致认为成熟可用")
    next(b for b in at.button if b.label == "确定评审决定").click().run()
    assert any(f"申报 {application}：入库" in s.value for s in at.success)

    next(b for b in at.button if b.label == "发布").click().run()
    assert any("请先截止申报，再发布" in e.value for e in at.error)  # not while providers may still apply
    next(b for b in at.button if b.label == "截止申报").click().run()
    next(b for b in at.button if b.label == "发布").click().run()
    assert any(f"已发布：1 个产品进入产品清单（A{application:04d}）" in s.value for s in at.success)
    national = questionnaires()["national-2024"]
    assert f"A{application:04d}" in {p.id for p in live_catalog(seeded, national).available_for("塑胶")}


def test_a_lead_sees_its_consortiums_projects_with_their_outcome_and_the_count_that_reached_level_two(
    seeded, sign_in_as, batch
):
    from diagnose.demo import PROVIDERS

    lead = sign_in_as("provider", "lead.provider", organisation="示例牵引单位甲")  # the sample 联合体's lead
    at = open_app(APPLY)
    assert not at.exception

    found = service.my_projects(seeded, lead)
    assert found, "the sample projects are contracted with the sample 联合体's members"
    [shown] = [e for e in at.expander if e.label.startswith("本单位承接的改造项目")]
    assert shown.label == f"本单位承接的改造项目（{len(found)} 个）与成效"
    table = shown.dataframe[0].value
    assert set(table["承接单位"]) <= set(PROVIDERS)
    assert table["项目"].tolist() == [p["id"] for p in found]
    assert set(table["改造后达到二级"]) <= {"是", "否", "待评测"}
    assert all(name.count("示例") == 1 for name in table["企业"])  # marked once: 【示例】 names are not marked again
    assert "None" not in set(table["完成日期"])
    reached = {p["enterprise_id"] for p in found if p["reached"]}
    lifted = {p["enterprise_id"] for p in found if p["lifted"]}
    assert shown.caption[0].value.startswith(f"{len(lifted)} 家企业在本单位的项目后从二级以下达到二级及以上")
    assert f"改造后在二级及以上的共 {len(reached)} 家（含改造前已达二级的）" in shown.caption[0].value
    assert (table["改造后达到二级"] == "是").sum() >= len(reached)  # one enterprise may have two projects


def test_a_provider_with_no_project_sees_no_project_list(seeded, sign_in_as, batch):
    sign_in_as("provider")  # a new organisation of its own
    at = open_app(APPLY)
    assert not [e for e in at.expander if e.label.startswith("本单位承接的改造项目")]
    assert not at.exception


def test_a_provider_removes_a_wrong_attachment_from_its_draft(seeded, sign_in_as, batch, monkeypatch, tmp_path):
    monkeypatch.setenv("DIAGNOSE_DATA_DIR", str(tmp_path))  # the app keeps files where this test's store does
    provider = sign_in_as("provider")
    national = questionnaires()["national-2024"]
    saved = service.save_application(seeded, provider, national, None, batch, complete_fields())
    wrong = service.attach_file(seeded, provider, saved.id, "price_sheet", "旧报价.pdf", PDF)
    at = open_app(APPLY)
    assert "报价单：旧报价.pdf（209 字节）" in [c.value for c in at.caption]

    at.button(key=f"app{saved.id}:remove:{wrong}").click().run()

    assert not at.exception
    assert "已删除报价单：旧报价.pdf" in [s.value for s in at.success]
    assert "报价单：旧报价.pdf（209 字节）" not in [c.value for c in at.caption]
    assert service.get_application(seeded, provider, saved.id)["files"] == []


def test_a_lead_sees_its_catalog_products_with_how_often_each_was_recommended_and_bought(seeded, sign_in_as, batch):
    lead = sign_in_as("provider", "lead.provider", organisation="示例牵引单位甲")
    at = open_app(APPLY)

    expected = service.my_products(seeded, lead, questionnaires()["national-2024"])
    [shown] = [e for e in at.expander if e.label.startswith("本单位在库产品")]
    table = shown.dataframe[0].value
    assert table["编号"].tolist() == [p["id"] for p in expected]
    assert table["推荐次数"].tolist() == [p["recommended"] for p in expected]
    assert table["签约项目"].tolist() == [p["projects"] for p in expected]
    assert "推荐次数 = 改造前诊断审核通过时" in shown.caption[0].value
