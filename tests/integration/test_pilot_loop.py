"""The pilot's loop through its services, on both databases: review, project, after-visit, acceptance."""

from __future__ import annotations

from datetime import timedelta

import pytest

from diagnose import clock
from diagnose.services import after_visits, projects, reviews
from diagnose.services import assessments as visits
from diagnose.services.errors import Conflict, NotEditable, SubmitRefused, ValidationFailed
from diagnose.services.projects import catalog_prices

from .helpers import ADMIN, OFFICIAL, fill_visit, new_enterprise, project_data, user

PDF = b"%PDF-1.4 contract"


@pytest.fixture
def submitted(store, questionnaires):
    consultant = user(store, "顾问甲")
    draft = visits.start_assessment(store, consultant, new_enterprise(store), "baseline", questionnaires)
    fill_visit(store, draft)
    visits.submit(store, consultant, draft)
    return draft


@pytest.fixture
def approved(store, submitted):
    visits.approve(store, OFFICIAL, submitted)
    return submitted


def enterprise_of(store, assessment_id):
    return visits.load(store, ADMIN, assessment_id).row["enterprise_id"]


def test_a_submission_waits_in_the_queue_with_its_age_until_it_is_approved(store, submitted):
    [waiting] = reviews.queue(store, OFFICIAL)

    assert waiting["id"] == submitted and waiting["stage_name"] == "改造前诊断"
    assert waiting["created_by"] == "顾问甲" and waiting["industry"] == "塑胶"
    assert waiting["waited"] == "不到 1 小时"
    assert reviews.waiting_count(store, OFFICIAL) == 1
    assert reviews.queue(store, OFFICIAL, industry="食品加工") == []

    visits.approve(store, OFFICIAL, submitted)

    assert reviews.queue(store, OFFICIAL) == []
    [decision] = reviews.decisions_of(store, ADMIN, enterprise_of(store, submitted))
    assert (decision["decision"], decision["reviewer"], decision["comment"]) == ("approved", "测试官员", "")


def test_the_wait_is_said_in_days_and_hours():
    now = clock.now()

    assert reviews.waited(now - timedelta(minutes=59), now) == "不到 1 小时"
    assert reviews.waited(now - timedelta(hours=5), now) == "5 小时"
    assert reviews.waited(now - timedelta(hours=51), now) == "2 天 3 小时"


def test_a_return_needs_a_comment_and_reaches_the_consultant_who_resubmits(store, submitted):
    consultant = user(store, "顾问甲")
    with pytest.raises(ValidationFailed, match="退回时必须填写退回意见"):
        visits.return_for_changes(store, OFFICIAL, submitted, "   ")

    visits.return_for_changes(store, OFFICIAL, submitted, "请补充 Q5 的系统截图")
    [back] = reviews.returned_visits(store, consultant)
    assert (back["id"], back["return_comment"]) == (submitted, "请补充 Q5 的系统截图")
    assert reviews.queue(store, OFFICIAL) == []

    file = visits.load(store, consultant, submitted)
    visits.save_item(store, consultant, submitted, "Q5", "D", file.revision)
    visits.submit(store, consultant, submitted)
    visits.approve(store, ADMIN, submitted)  # admins review too

    assert reviews.returned_visits(store, consultant) == []
    decided = reviews.decisions_of(store, consultant, enterprise_of(store, submitted))
    assert [(d["decision"], d["reviewer"], d["comment"]) for d in decided] == [
        ("returned", "测试官员", "请补充 Q5 的系统截图"),
        ("approved", "测试管理员", ""),
    ]


def test_the_review_file_compares_with_the_previous_result(store, approved, questionnaires):
    consultant = user(store, "顾问甲")
    enterprise = enterprise_of(store, approved)
    second = visits.start_assessment(store, consultant, enterprise, "onsite", questionnaires)
    fill_visit(store, second, scenes=3, overrides={"Q5": "E"})
    visits.submit(store, consultant, second)

    found = reviews.review_file(store, OFFICIAL, second)

    assert found.previous["row"]["id"] == approved
    assert found.comparison.level.before == 2 and found.comparison.level.after >= 2
    assert {c.name: c.delta for c in found.comparison.sub_scores}["数字化基础"] > 0
    assert found.result["score"] > found.previous["result"]["score"]


def test_a_project_is_prefilled_from_the_bundle_at_the_live_catalogs_prices(store, approved):
    consultant = user(store, "顾问甲")

    draft = projects.draft_from_baseline(store, consultant, approved)

    prices = catalog_prices(store)
    assert draft["items"] and draft["baseline_assessment_id"] == approved
    for item in draft["items"]:
        assert item["unit_price"] == prices[item["product_id"]]["price"]
        assert prices[item["product_id"]]["status"] == "在库"


def test_a_project_needs_an_approved_baseline(store, submitted):
    with pytest.raises(NotEditable, match="审核通过后才能登记改造项目"):
        projects.draft_from_baseline(store, user(store, "顾问甲"), submitted)


def test_a_recorded_project_keeps_catalog_prices_and_marks_free_items(store, approved):
    consultant = user(store, "顾问甲")
    enterprise = enterprise_of(store, approved)

    project_id = projects.record_project(store, consultant, enterprise, project_data(baseline_assessment_id=approved))

    project = projects.get_project(store, consultant, project_id)
    catalog, free = project["items"]
    assert (catalog["product_id"], catalog["unit_price"]) == ("S001", catalog_prices(store)["S001"]["price"])
    assert (free["product_id"], free["name"], free["unit_price"]) == ("", "车间网络布线（清单外）", 5000)
    assert project["status"] == "finished" and project["revision"] == 1 and project["funding_amount"] == 20000
    assert [p["id"] for p in projects.project_list(store, consultant)] == [project_id]


def test_a_project_edit_based_on_an_old_revision_is_a_conflict(store):
    project_id = projects.record_project(
        store, ADMIN, new_enterprise(store), project_data(status="implementing", finished_on=None)
    )
    revision = projects.update_project(store, ADMIN, project_id, project_data(), 1)

    with pytest.raises(Conflict, match="你的修改未保存"):
        projects.update_project(store, ADMIN, project_id, project_data(contract_no="HT-OTHER"), 1)

    assert revision == 2
    project = projects.get_project(store, ADMIN, project_id)
    assert (project["status"], project["contract_no"], project["revision"]) == ("finished", "HT-2025-001", 2)


def test_a_providers_contract_number_is_on_one_project_only(store):
    first = projects.record_project(store, ADMIN, new_enterprise(store, seed=1), project_data())
    second_firm = new_enterprise(store, seed=2)

    with pytest.raises(ValidationFailed) as refused:  # the same provider's contract again
        projects.record_project(store, ADMIN, second_firm, project_data())
    [problem] = refused.value.problems
    assert problem.place == "contract_no" and f"已登记在项目 {first}（" in problem.message
    other = projects.record_project(store, ADMIN, second_firm, project_data(provider="另一服务商有限公司"))
    with pytest.raises(ValidationFailed, match="已登记在项目"):  # an edit onto a used number
        projects.update_project(store, ADMIN, other, project_data(), 1)

    assert projects.update_project(store, ADMIN, first, project_data(goals="达到三级"), 1) == 2  # its own number
    assert sorted(p["id"] for p in projects.project_list(store, ADMIN)) == sorted([first, other])
    assert projects.get_project(store, ADMIN, other)["provider"] == "另一服务商有限公司"  # the refused edit: nothing


def test_project_documents_are_checked_kept_and_read_back(store):
    project_id = projects.record_project(store, ADMIN, new_enterprise(store), project_data())
    with pytest.raises(ValidationFailed, match="文件内容与扩展名"):
        projects.attach_document(store, ADMIN, project_id, "contract", "合同.pdf", b"not a pdf")

    document_id = projects.attach_document(store, ADMIN, project_id, "contract", "合同.pdf", PDF)

    row, content = projects.document_content(store, ADMIN, project_id, document_id)
    assert (row["kind"], row["filename"], content) == ("contract", "合同.pdf", PDF)


@pytest.fixture
def finished_project(store, approved):
    consultant = user(store, "顾问甲")
    data = project_data(baseline_assessment_id=approved)
    return projects.record_project(store, consultant, enterprise_of(store, approved), data)


def test_an_after_visit_waits_for_the_project_to_finish(store, approved, questionnaires):
    consultant = user(store, "顾问甲")
    data = project_data(baseline_assessment_id=approved, status="implementing", finished_on=None)
    project_id = projects.record_project(store, consultant, enterprise_of(store, approved), data)

    with pytest.raises(NotEditable, match="已完成”后才能开始改造后评测"):
        after_visits.start_after_visit(store, consultant, project_id, "after", questionnaires)


def test_an_after_visit_carries_the_baseline_until_each_answer_is_confirmed(store, finished_project,
                                                                            questionnaires):  # fmt: skip
    consultant = user(store, "顾问甲")
    after = after_visits.start_after_visit(store, consultant, finished_project, "onsite", questionnaires)
    file = visits.load(store, consultant, after)
    assert file.row["project_id"] == finished_project
    assert "Q5" in file.carried and file.values["Q5"] == "C"
    assert "visit.date" not in file.values  # a new visit has its own date and people
    with pytest.raises(NotEditable, match="进行中的改造后评测"):
        after_visits.start_after_visit(store, consultant, finished_project, "after", questionnaires)

    revision = visits.save_item(store, consultant, after, "visit.date", "2026-11-25", file.revision).revision
    revision = visits.save_item(store, consultant, after, "visit.consultants", ["顾问甲"], revision).revision
    revision = visits.save_item(store, consultant, after, "Q5", "E", revision).revision  # changed: no longer carried
    with pytest.raises(SubmitRefused) as refused:
        visits.submit(store, consultant, after)
    assert any("沿用改造前的答案，尚未确认" in text for _, text in refused.value.missing)
    assert "Q5" not in {item for item, _ in refused.value.missing}

    file = visits.load(store, consultant, after)
    after_visits.confirm_carried(store, consultant, after, sorted(file.carried), file.revision)
    visits.submit(store, consultant, after)
    change = after_visits.before_after(store, consultant, visits.load(store, consultant, after),
                                       visits.load(store, consultant, after).results[-1]["detail"])  # fmt: skip
    visits.approve(store, OFFICIAL, after)

    assert {c.name: c.delta for c in change.sub_scores}["数字化基础"] == 5.0  # Q5 C → E
    assert projects.get_project(store, consultant, finished_project)["status"] == "accepted"
    with pytest.raises(NotEditable, match="项目已验收"):
        projects.update_project(store, ADMIN, finished_project, project_data(), 2)
