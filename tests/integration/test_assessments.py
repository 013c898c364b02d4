"""Assessments on SQLite and PostgreSQL: saved item by item, conflicts, submit, review, history."""

from __future__ import annotations

import shutil

import pytest

from diagnose.rule.loading import DEFAULT_DIRECTORY, load_directory
from diagnose.services import assessments as visits
from diagnose.services.errors import Conflict, NotEditable, SubmitRefused, ValidationFailed
from diagnose.store import records
from diagnose.store.tables import answers, results

from .helpers import ADMIN, OFFICIAL, consultant_of, enterprise_of, fill_visit, new_enterprise


@pytest.fixture
def draft(consultant, store, questionnaires):
    return visits.start_assessment(store, consultant, new_enterprise(store), "baseline", questionnaires)


def test_a_new_assessment_keeps_its_industrys_questionnaire(consultant, store, questionnaires, draft):
    file = visits.load(store, consultant, draft)

    assert file.status == "draft" and file.revision == 0
    assert file.questionnaire.id == "plastics"
    assert file.questionnaire.content_hash == questionnaires["plastics"].content_hash


def test_a_second_visit_of_a_stage_waits_until_the_open_one_is_reviewed(consultant, store, questionnaires, draft):
    enterprise = enterprise_of(store, draft)
    with pytest.raises(NotEditable, match=f"已有一次改造前诊断（编号 {draft}，草稿）：请继续填写该评测"):
        visits.start_assessment(store, consultant, enterprise, "baseline", questionnaires)
    fill_visit(store, draft)
    visits.submit(store, consultant, draft)
    with pytest.raises(NotEditable, match="已提交）：请待审核结束后再开始新的评测"):
        visits.start_assessment(store, consultant, enterprise, "baseline", questionnaires)
    after = visits.start_assessment(store, consultant, enterprise, "after", questionnaires)  # another stage

    visits.approve(store, OFFICIAL, draft)
    again = visits.start_assessment(store, consultant, enterprise, "baseline", questionnaires)
    assert len({draft, after, again}) == 3


def test_each_save_is_stored_at_once_with_a_new_revision(consultant, store, draft):
    first = visits.save_item(store, consultant, draft, "Q5", "C", base_revision=0)
    second = visits.save_item(store, consultant, draft, "Q2", {"total": 10, "digital": 4}, base_revision=first.revision)

    file = visits.load(store, consultant, draft)
    assert (first.revision, second.revision) == (1, 2)
    assert file.values == {"Q5": "C", "Q2": {"total": 10, "digital": 4}}


def test_a_wrong_answer_names_the_question_and_stores_nothing(consultant, store, draft):
    with pytest.raises(ValidationFailed) as refused:
        visits.save_item(store, consultant, draft, "Q2", {"total": 10, "digital": 11}, base_revision=0)

    assert refused.value.problems[0].place == "Q2"
    assert "数字化设备数（11）不能大于生产设备总数（10）" in str(refused.value)
    assert visits.load(store, consultant, draft).revision == 0


@pytest.mark.parametrize(
    ("item", "value"), [("Q16", "A"), ("scene:仓储", 2), ("practice:T01", True), ("scene:仓储物流", 7)]
)
def test_unknown_items_and_bad_levels_are_refused(consultant, store, draft, item, value):
    with pytest.raises(ValidationFailed):
        visits.save_item(store, consultant, draft, item, value, base_revision=0)

    with store.read() as conn:
        assert records.count(conn, answers) == 0


def test_two_consultants_writing_the_same_answer_get_a_conflict_not_a_lost_update(consultant, store, draft):
    first, second = (consultant_of(store, enterprise_of(store, draft), name) for name in ("顾问乙", "顾问丙"))
    visits.save_item(store, first, draft, "Q5", "C", base_revision=0)

    with pytest.raises(Conflict, match="已被 顾问乙 改为 'C'"):
        visits.save_item(store, second, draft, "Q5", "D", base_revision=0)

    assert visits.load(store, consultant, draft).values["Q5"] == "C"


def test_writing_different_answers_from_stale_views_does_not_conflict(consultant, store, draft):
    first, second = (consultant_of(store, enterprise_of(store, draft), name) for name in ("顾问乙", "顾问丙"))
    visits.save_item(store, first, draft, "Q5", "C", base_revision=0)

    visits.save_item(store, second, draft, "Q6", ["B"], base_revision=0)

    assert visits.load(store, consultant, draft).values == {"Q5": "C", "Q6": ["B"]}


def test_a_retried_save_of_the_same_value_is_not_a_conflict(consultant, store, draft):
    visits.save_item(store, consultant, draft, "Q5", "C", base_revision=0)

    again = visits.save_item(store, consultant, draft, "Q5", "C", base_revision=0)

    assert again.revision == 2


def test_notes_are_kept_per_item_as_plain_text(consultant, store, draft):
    visits.save_note(store, consultant, draft, "Q1", "<script>alert(1)</script> 车间无线覆盖不全", base_revision=0)

    assert visits.load(store, consultant, draft).notes == {"Q1": "<script>alert(1)</script> 车间无线覆盖不全"}


def test_submitting_an_incomplete_visit_lists_everything_missing_and_changes_nothing(consultant, store, draft):
    visits.save_item(store, consultant, draft, "Q5", "C", base_revision=0)

    with pytest.raises(SubmitRefused) as refused:
        visits.submit(store, consultant, draft)

    missing = [item for item, _ in refused.value.missing]
    assert missing[:3] == ["visit.date", "visit.consultants", "Q1"]
    assert "Q5" not in missing and "scene:产品设计" in missing and len(missing) == 2 + 14 + 16
    file = visits.load(store, consultant, draft)
    assert (file.status, file.revision, file.results) == ("draft", 1, [])


def test_submission_gaps_are_what_submit_would_refuse_and_write_nothing(consultant, store, draft):
    visits.save_item(store, consultant, draft, "Q5", "C", base_revision=0)
    with pytest.raises(SubmitRefused) as refused:
        visits.submit(store, consultant, draft)

    assert visits.submission_gaps(store, consultant, draft) == list(refused.value.missing)
    fill_visit(store, draft)
    revision = visits.load(store, consultant, draft).revision
    assert visits.submission_gaps(store, consultant, draft) == []
    after = visits.load(store, consultant, draft)
    assert (after.status, after.revision, after.results) == ("draft", revision, [])


def test_only_the_visits_consultant_may_ask_what_stops_its_submission(consultant, store, draft):
    from diagnose.services.guard import PermissionDenied

    from .helpers import user

    other = user(store, "另一位顾问")
    for refused in (OFFICIAL, ADMIN, other):
        with pytest.raises(PermissionDenied):
            visits.submission_gaps(store, refused, draft)
    assert visits.submission_gaps(store, consultant, draft)


def test_ticked_practices_rate_a_scene_for_submission(consultant, store, draft):
    revision = fill_visit(store, draft)
    revision = visits.save_item(store, consultant, draft, "scene:质量管理", None, revision).revision
    visits.save_item(store, consultant, draft, "practice:P13", True, revision)

    result = visits.submit(store, consultant, draft)

    quality = next(s for s in result.scenes if s.name == "质量管理")
    assert (quality.level, quality.source) == (3, "practices")


def test_submit_scores_freezes_and_stores_the_result(consultant, store, draft):
    fill_visit(store, draft)

    result = visits.submit(store, consultant, draft)

    file = visits.load(store, consultant, draft)
    assert file.status == "submitted"
    assert [(r["reason"], r["score"], r["level"]) for r in file.results] == [("submitted", result.score, result.level)]
    assert file.results[0]["detail"] == result.to_dict()
    assert file.row["visit_date"].isoformat() == "2026-11-20"
    with pytest.raises(NotEditable, match="已提交"):
        visits.save_item(store, consultant, draft, "Q5", "E", base_revision=file.revision)


def test_return_needs_a_comment_and_reopens_the_visit(consultant, store, draft):
    fill_visit(store, draft)
    visits.submit(store, consultant, draft)

    with pytest.raises(ValidationFailed, match="必须填写退回意见"):
        visits.return_for_changes(store, OFFICIAL, draft, "  ")
    visits.return_for_changes(store, OFFICIAL, draft, "Q3 联网设备数与台账不符")
    file = visits.load(store, consultant, draft)
    visits.save_item(store, consultant, draft, "Q3", {"total": 40, "networked": 30}, file.revision)
    visits.submit(store, consultant, draft)
    visits.approve(store, OFFICIAL, draft)

    file = visits.load(store, consultant, draft)
    assert file.status == "approved"
    assert [r["reason"] for r in file.results] == ["submitted", "submitted"]
    with pytest.raises(NotEditable, match="只有已提交的评测可以审核"):
        visits.approve(store, OFFICIAL, draft)


def test_a_draft_cannot_be_approved(store, draft):
    with pytest.raises(NotEditable):
        visits.approve(store, OFFICIAL, draft)


def test_stored_results_do_not_change_when_the_questionnaire_files_do(consultant, store, tmp_path, draft):
    folder = tmp_path / "questionnaires"
    shutil.copytree(DEFAULT_DIRECTORY, folder)
    fill_visit(store, draft)
    before = visits.submit(store, consultant, draft)

    national = folder / "national-2024.yaml"
    edited = national.read_text(encoding="utf-8").replace('version: "2024.1"', 'version: "2024.2"')
    national.write_text(
        edited.replace("{text: 多个（≥2）业务环节, points: 5}", "{text: 多个（≥2）业务环节, points: 6}").replace(
            "{text: 单个业务环节, points: 2.5}", "{text: 单个业务环节, points: 1.5}"
        ),
        encoding="utf-8",
    )
    changed = load_directory(folder)["plastics"]
    file = visits.load(store, consultant, draft)

    assert file.results[0]["detail"] == before.to_dict()
    assert file.questionnaire.content_hash == before.content_hash != changed.content_hash
    assert file.questionnaire.question("Q5").option("C").points == 5

    rescored = visits.rescore(store, ADMIN, draft, changed)

    file = visits.load(store, consultant, draft)
    assert [(r["reason"], r["version"]) for r in file.results] == [
        ("submitted", "2024.1-plastics.1"),
        ("rescored", "2024.1-plastics.1"),
    ]
    assert file.results[0]["detail"] == before.to_dict()
    assert rescored.score == before.score + 1
    assert file.results[1]["questionnaire_hash"] == changed.content_hash


def test_history_and_comparison_of_baseline_and_after(consultant, store, questionnaires):
    enterprise_id = new_enterprise(store)
    baseline = visits.start_assessment(store, consultant, enterprise_id, "baseline", questionnaires)
    fill_visit(store, baseline, scenes=1)
    visits.submit(store, consultant, baseline)
    after = visits.start_assessment(store, consultant, enterprise_id, "after", questionnaires)
    revision = fill_visit(store, after, scenes=2)
    visits.save_item(store, consultant, after, "Q5", "E", revision)
    visits.submit(store, consultant, after)

    found = visits.history(store, consultant, enterprise_id)
    comparison = visits.compare_assessments(store, consultant, baseline, after)

    assert [(a["stage"], a["status"], len(a["results"])) for a in found] == [
        ("baseline", "submitted", 1),
        ("after", "submitted", 1),
    ]
    assert comparison.comparable
    assert comparison.sub_scores[1].delta == 5  # Q5 from C (5) to E (10)
    assert all(s.crossed == (2,) for s in comparison.scenes)
    assert comparison.level.before <= comparison.level.after
    with store.read() as conn:
        assert records.count(conn, results) == 2
