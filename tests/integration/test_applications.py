"""The supply side on both databases: a provider's application from draft to the document check,
corrections after a return, the batch's deadline, revisions, and who sees what."""

from __future__ import annotations

import datetime

import pytest

from diagnose import clock
from diagnose.services import applications as supply
from diagnose.services import product_review as review
from diagnose.services.errors import Conflict, NotEditable, NotFound, ValidationFailed
from diagnose.services.guard import PermissionDenied
from diagnose.store import records

from .helpers import ADMIN, user

PDF = b"%PDF-1.4\n" + b"0" * 200
COMPLETE = {
    "name": "注塑MES（示例）", "version": "2.0", "type": "SaaS", "industries": ["塑胶"], "links": ["制造"],
    "scenes": {"生产管控": 2}, "questions": {"Q5": ["C"]}, "deployment": "云端", "price": 12000, "unit": "年",
    "implementation_days": 15, "ip_status": "软件著作权", "showcase_enterprise": "示例：揭阳某塑胶厂",
    "showcase_contract_date": "2024-03-15", "showcase_level_before": 1, "showcase_level_after": 2,
}  # fmt: skip


@pytest.fixture
def side(store, questionnaires):
    """A batch open for 10 days, a provider, an official."""
    batch = supply.open_batch(store, ADMIN, "第3批", clock.today() + datetime.timedelta(days=10))
    return {
        "batch": batch, "national": questionnaires["national-2024"], "official": user(store, "官员甲", "official"),
        "provider": user(store, "服务商甲", "provider", organisation="服务商单位甲"),
    }  # fmt: skip


def test_an_application_goes_from_draft_through_a_return_to_accepted(store, side):
    provider, official, national = side["provider"], side["official"], side["national"]
    draft = supply.save_application(store, provider, national, None, side["batch"], COMPLETE | {"version": ""})
    assert supply.applications(store, official) == []  # a draft is the provider's own

    with pytest.raises(ValidationFailed) as refused:
        supply.submit_application(store, provider, national, draft.id, draft.revision)
    assert {p.place for p in refused.value.problems} == {"version", "files"}
    saved = supply.save_application(store, provider, national, draft.id, side["batch"], COMPLETE, draft.revision)
    supply.attach_file(store, provider, draft.id, "showcase_contract", "合同.pdf", PDF)
    submitted = supply.submit_application(store, provider, national, draft.id, saved.revision)
    with pytest.raises(NotEditable):  # submitted: the provider waits for the check
        supply.save_application(store, provider, national, draft.id, side["batch"], COMPLETE, submitted.revision)

    supply.check_application(store, official, draft.id, "returned", "报价单缺失")
    returned = supply.get_application(store, provider, draft.id)
    assert (returned["status"], returned["comment"]) == ("returned", "报价单缺失")
    supply.attach_file(store, provider, draft.id, "price_sheet", "报价.pdf", PDF)
    again = supply.submit_application(store, provider, national, draft.id, returned["revision"])
    assert supply.get_application(store, official, draft.id)["comment"] == ""  # the old reason has been dealt with
    supply.check_application(store, official, draft.id, "accepted")

    final = supply.get_application(store, provider, draft.id)
    assert final["status"] == "accepted" and final["revision"] == again.revision + 1
    assert [f["kind"] for f in final["files"]] == ["showcase_contract", "price_sheet"]
    with store.read() as conn:
        actions = [e["action"] for e in records.audit_entries(conn, "application", draft.id)]
    assert actions == ["create", "update", "attach", "submit", "returned", "attach", "submit", "accepted"]


def test_a_refusal_needs_its_reason_and_ends_the_application(store, side):
    provider, official, national = side["provider"], side["official"], side["national"]
    saved = supply.save_application(store, provider, national, None, side["batch"], COMPLETE)
    supply.attach_file(store, provider, saved.id, "showcase_contract", "合同.pdf", PDF)
    supply.submit_application(store, provider, national, saved.id, saved.revision)

    with pytest.raises(ValidationFailed, match="不予受理须写明理由"):
        supply.check_application(store, official, saved.id, "refused", "  ")
    supply.check_application(store, official, saved.id, "refused", "非本地样板项目")
    with pytest.raises(NotEditable):
        supply.attach_file(store, provider, saved.id, "brochure", "介绍.pdf", PDF)
    with pytest.raises(NotEditable):
        supply.check_application(store, official, saved.id, "accepted")


def test_after_the_deadline_a_batch_takes_no_new_application_and_no_submission(store, side):
    provider, national = side["provider"], side["national"]
    saved = supply.save_application(store, provider, national, None, side["batch"], COMPLETE)
    supply.attach_file(store, provider, saved.id, "showcase_contract", "合同.pdf", PDF)
    clock.set_clock(clock.now() + datetime.timedelta(days=11))
    try:
        assert not supply.batches(store, provider)[0]["accepting"]
        with pytest.raises(NotEditable, match="第3批已过截止日期（.*），不再接受申报"):
            supply.submit_application(store, provider, national, saved.id, saved.revision)
        with pytest.raises(NotEditable, match="已过截止日期"):
            supply.save_application(store, provider, national, None, side["batch"], COMPLETE)
    finally:
        clock.set_clock(clock.now() - datetime.timedelta(days=11))


def test_two_saves_from_the_same_revision_keep_the_first_and_refuse_the_second(store, side):
    provider, national = side["provider"], side["national"]
    saved = supply.save_application(store, provider, national, None, side["batch"], {"name": "甲"})
    supply.save_application(store, provider, national, saved.id, side["batch"], {"name": "乙"}, saved.revision)

    with pytest.raises(Conflict):
        supply.save_application(store, provider, national, saved.id, side["batch"], {"name": "丙"}, saved.revision)
    assert supply.get_application(store, provider, saved.id)["fields"] == {"name": "乙"}


def test_an_official_cannot_open_a_draft_and_a_provider_lists_only_its_own(store, side):
    provider, official, national = side["provider"], side["official"], side["national"]
    other = user(store, "服务商乙", "provider", organisation="服务商单位乙")
    mine = supply.save_application(store, provider, national, None, side["batch"], {"name": "甲的草稿"})
    supply.save_application(store, other, national, None, side["batch"], {"name": "乙的草稿"})

    with pytest.raises(NotFound, match="尚未提交"):
        supply.get_application(store, official, mine.id)
    assert [a["fields"]["name"] for a in supply.applications(store, provider)] == ["甲的草稿"]
    assert [o["name"] for o in supply.organisations(store, other)] == ["服务商单位乙"]


def test_organisations_are_named_and_a_member_belongs_to_a_lead(store):
    supply.add_organisation(store, ADMIN, "牵引单位甲", "lead", industry="塑胶")
    supply.add_organisation(store, ADMIN, "成员乙", "member", lead="牵引单位甲")

    with pytest.raises(ValidationFailed) as refused:
        supply.add_organisation(store, ADMIN, "", "lead", industry="化工")
    assert {p.place for p in refused.value.problems} == {"name", "industry"}
    with pytest.raises(ValidationFailed, match="没有名为“成员乙”的牵引单位"):
        supply.add_organisation(store, ADMIN, "成员丙", "member", lead="成员乙")
    with pytest.raises(ValidationFailed, match="已存在"):
        supply.add_organisation(store, ADMIN, "牵引单位甲", "provider")
    listed = {o["name"]: o for o in supply.organisations(store, ADMIN)}
    assert listed["成员乙"]["lead_name"] == "牵引单位甲"


def accepted(store, side, fields=None) -> int:
    """An application of the side's provider, submitted and accepted."""
    provider, national = side["provider"], side["national"]
    saved = supply.save_application(store, provider, national, None, side["batch"], fields or COMPLETE)
    supply.attach_file(store, provider, saved.id, "showcase_contract", "合同.pdf", PDF)
    supply.submit_application(store, provider, national, saved.id, saved.revision)
    supply.check_application(store, side["official"], saved.id, "accepted")
    return saved.id


FULL_MARKS = {"ip": 15, "fit": 15, "price": 10, "demo": 15, "showcase": 20, "light": 15, "service": 10}


def test_two_reviewers_score_apart_the_official_approves_and_publishing_puts_the_product_in_the_catalog(store, side):
    from diagnose.services.catalog_admin import live_catalog

    official, national = side["official"], side["national"]
    expert = user(store, "专家甲", "expert")
    application = accepted(store, side)
    review.assign_reviewers(store, official, application, ["专家甲", "官员甲"])

    with pytest.raises(NotEditable, match="须至少 2 位评审专家全部提交评分"):
        review.decide_application(store, official, application, True, "材料齐全")
    assert review.submit_scores(store, expert, application, FULL_MARKS | {"price": 6.5}) == 96.5
    assert review.review_sheet(store, official, application)["others"] == []  # not before its own are in
    with pytest.raises(ValidationFailed) as refused:
        review.submit_scores(store, official, application, FULL_MARKS | {"showcase": 25, "demo": float("nan")})
    assert {p.place: p.message for p in refused.value.problems} == {
        "demo": "现场演示与答辩：请打分（0 至 15 分）",
        "showcase": "样板项目成效：应为 0 至 20 分，不是 25",
    }
    review.submit_scores(store, official, application, FULL_MARKS | {"light": 5}, "实施周期偏长")
    assert [r["reviewer"] for r in review.review_sheet(store, official, application)["others"]] == ["专家甲"]
    with pytest.raises(NotEditable, match="评分提交后不能修改"):
        review.submit_scores(store, expert, application, FULL_MARKS)

    side_by_side = review.scores_of(store, official, application)
    assert side_by_side["totals"] == [96.5, 90.0] and side_by_side["mean"] == 93.2 and side_by_side["complete"]
    review.decide_application(store, official, application, True, "两位专家均认为成熟可用")
    with pytest.raises(NotEditable, match="第3批仍在申报中.*请先截止申报，再发布"):
        review.publish_batch(store, official, national, side["batch"])
    supply.close_batch(store, official, side["batch"])
    with pytest.raises(NotEditable, match="第3批已由主管部门截止申报，不再接受申报"):
        supply.save_application(store, side["provider"], national, None, side["batch"], COMPLETE)
    made = review.publish_batch(store, official, national, side["batch"])

    assert made == [f"A{application:04d}"]
    product = next(p for p in live_catalog(store, national).products if p.id == made[0])
    assert (product.provider, product.batch, product.status, product.price) == ("服务商单位甲", "第3批", "在库", 12000)
    assert product.scenes == {"生产管控": 2} and product.questions == {"Q5": ("C",)}
    assert supply.get_application(store, side["provider"], application)["product_id"] == made[0]
    with pytest.raises(NotEditable, match="已发布"):
        review.publish_batch(store, official, national, side["batch"])


def test_a_reviewer_of_the_applicants_organisation_is_refused_and_a_stranger_cannot_score(store, side):
    official = side["official"]
    application = accepted(store, side)
    user(store, "内部专家", "expert", organisation="服务商单位甲")
    stranger = user(store, "专家乙", "expert")

    with pytest.raises(ValidationFailed, match="内部专家 属于申报单位 服务商单位甲，须回避"):
        review.assign_reviewers(store, official, application, ["内部专家"])
    with pytest.raises(PermissionDenied):
        review.submit_scores(store, stranger, application, FULL_MARKS)
    with pytest.raises(PermissionDenied):
        supply.get_application(store, stranger, application)
    assert supply.applications(store, stranger) == []


def test_a_batch_with_an_application_still_under_review_is_not_published(store, side):
    application = accepted(store, side)

    supply.close_batch(store, side["official"], side["batch"])
    with pytest.raises(NotEditable, match=f"还有申报未完成受理或评审：{application} 注塑MES"):
        review.publish_batch(store, side["official"], side["national"], side["batch"])


def test_a_provider_cannot_change_the_catalog_itself_a_new_price_is_a_new_application(store, side, tmp_path):
    from diagnose.services.catalog_admin import export_catalog, import_catalog, set_status

    provider, national = side["provider"], side["national"]
    with pytest.raises(PermissionDenied):
        set_status(store, provider, national, "S001", "暂停")
    with pytest.raises(PermissionDenied):
        import_catalog(store, provider, national, tmp_path / "清单.xlsx")
    with pytest.raises(PermissionDenied):
        export_catalog(store, provider, national, tmp_path / "清单.xlsx")


def test_a_provider_sees_its_catalog_products_with_the_projects_that_bought_them(store, side):
    from diagnose.services.projects import record_project

    from .helpers import new_enterprise, project_data

    lead = user(store, "牵引单位账户", "provider", organisation="示例牵引单位甲")  # the sample catalog's lead firm
    enterprise = new_enterprise(store, seed=5)
    record_project(store, ADMIN, enterprise, project_data(items=[{"product_id": "S001", "quantity": 2}]))

    found = {p["id"]: p for p in supply.my_products(store, lead, side["national"])}

    assert (found["S001"]["projects"], found["S001"]["amount"], found["S001"]["accepted"]) == (1, 13600.0, 0)
    assert found["S002"]["projects"] == 0  # 示例牵引单位甲's 联合体 sells it; nobody has bought it
    assert supply.my_products(store, side["provider"], side["national"]) == []  # 服务商单位甲 has no product yet


def test_a_provider_removes_a_wrong_file_while_it_may_change_the_application_and_the_log_keeps_it(store, side):
    provider, official, national = side["provider"], side["official"], side["national"]
    saved = supply.save_application(store, provider, national, None, side["batch"], COMPLETE)
    wrong = supply.attach_file(store, provider, saved.id, "showcase_contract", "错的合同.pdf", PDF)
    supply.attach_file(store, provider, saved.id, "showcase_contract", "合同.pdf", PDF + b"right")
    with pytest.raises(ValidationFailed, match="样板项目合同：这个文件已上传过（合同.pdf），无需重复上传"):
        supply.attach_file(store, provider, saved.id, "showcase_contract", "合同（副本）.pdf", PDF + b"right")
    stranger = user(store, "服务商乙", "provider", organisation="服务商单位乙")

    with pytest.raises(PermissionDenied):
        supply.remove_file(store, stranger, saved.id, wrong)
    assert supply.remove_file(store, provider, saved.id, wrong)["filename"] == "错的合同.pdf"
    with pytest.raises(NotFound):
        supply.remove_file(store, provider, saved.id, wrong)  # already gone
    assert [f["filename"] for f in supply.get_application(store, provider, saved.id)["files"]] == ["合同.pdf"]
    with store.read() as conn:
        detached = [e for e in records.audit_entries(conn, "application", saved.id) if e["action"] == "detach"]
    assert [(e["field"], e["old_value"]["file"]) for e in detached] == [("showcase_contract", "错的合同.pdf")]

    supply.submit_application(store, provider, national, saved.id, saved.revision)
    [kept] = supply.get_application(store, official, saved.id)["files"]
    with pytest.raises(NotEditable):  # submitted: what the bureau checks stays as it was sent
        supply.remove_file(store, provider, saved.id, kept["id"])


def test_an_approved_baseline_keeps_its_recommended_bundle_and_the_lead_sees_how_often_each_product_was_in_it(
    store, side, questionnaires
):
    from sqlalchemy import select

    from diagnose.services import assessments as visits
    from diagnose.services.projects import draft_from_baseline
    from diagnose.store.tables import recommendations

    from .helpers import OFFICIAL, fill_visit, new_enterprise

    consultant = user(store, "顾问甲")
    baseline = visits.start_assessment(store, consultant, new_enterprise(store, seed=8), "baseline", questionnaires)
    fill_visit(store, baseline, scenes=1)
    visits.submit(store, consultant, baseline)
    visits.approve(store, OFFICIAL, baseline)

    with store.read() as conn:
        kept = conn.execute(select(recommendations.c.product_id, recommendations.c.target, recommendations.c.price)
                            .where(recommendations.c.assessment_id == baseline)).all()  # fmt: skip
    draft = draft_from_baseline(store, consultant, baseline)  # the same bundle the project is prefilled with
    assert kept and sorted(p for p, _, _ in kept) == sorted(i["product_id"] for i in draft["items"])
    assert {t for _, t, _ in kept} == {2}  # 一级 now: the bundle to 二级
    assert {p: price for p, _, price in kept} == {i["product_id"]: i["unit_price"] for i in draft["items"]}

    lead = user(store, "牵引单位账户", "provider", organisation="示例牵引单位甲")
    counted = {p["id"]: p["recommended"] for p in supply.my_products(store, lead, side["national"])}
    assert counted == {pid: int(pid in {p for p, _, _ in kept}) for pid in counted}


def test_a_recommender_failure_never_stops_an_approval_and_keeps_nothing(store, questionnaires, monkeypatch):
    from sqlalchemy import func, select

    from diagnose.services import assessments as visits
    from diagnose.store.tables import recommendations

    from .helpers import OFFICIAL, fill_visit, new_enterprise

    def broken(store, assessment_id):
        raise AssertionError("bundle does not reach level 2")

    monkeypatch.setattr(visits, "_recommended_bundle", broken)
    consultant = user(store, "顾问甲")
    baseline = visits.start_assessment(store, consultant, new_enterprise(store, seed=9), "baseline", questionnaires)
    fill_visit(store, baseline, scenes=1)
    visits.submit(store, consultant, baseline)
    visits.approve(store, OFFICIAL, baseline)

    assert visits.load(store, OFFICIAL, baseline).status == "approved"
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(recommendations)).scalar_one() == 0
