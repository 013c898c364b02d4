"""Organisations at work, on both databases: a consultant's visits are made for its organisation
(a 第三方机构 or a 牵引单位), a project names the organisation it is contracted with, and a
provider sees the projects of its organisation (and, for a 牵引单位, of its 联合体) with their
outcome."""

from __future__ import annotations

import pytest

from diagnose.services import after_visits, projects
from diagnose.services import applications as supply
from diagnose.services import assessments as visits
from diagnose.services.accounts import add_user, set_organisation
from diagnose.services.errors import ValidationFailed
from diagnose.services.guard import PermissionDenied
from diagnose.store import records

from .helpers import ADMIN, OFFICIAL, PASSWORD, consultant_of, fill_visit, new_enterprise, project_data, user


def organisation_id(store, name: str) -> int:
    return next(o["id"] for o in supply.organisations(store, ADMIN) if o["name"] == name)


@pytest.fixture
def registered(store):
    """A 牵引单位 with a 联合体 member, another 服务商, and a 第三方机构."""
    supply.add_organisation(store, ADMIN, "牵引单位甲", "lead", industry="塑胶")
    supply.add_organisation(store, ADMIN, "成员乙", "member", lead="牵引单位甲")
    supply.add_organisation(store, ADMIN, "服务商丙", "provider")
    supply.add_organisation(store, ADMIN, "诊断机构丁", "agency")
    supply.add_organisation(store, ADMIN, "诊断机构戊", "agency")
    return {
        name: organisation_id(store, name) for name in ("牵引单位甲", "成员乙", "服务商丙", "诊断机构丁", "诊断机构戊")
    }


def visit_of(store, assessment_id: int) -> dict:
    with store.read() as conn:
        return records.assessment_by_id(conn, assessment_id)


def test_a_consultants_visits_are_made_for_its_organisation_and_a_move_keeps_the_earlier_ones(
    store, registered, questionnaires
):
    add_user(store, ADMIN, "顾问丁", "consultant", PASSWORD, organisation="诊断机构丁")
    one, two = new_enterprise(store, seed=1), new_enterprise(store, seed=2)
    consultant = consultant_of(store, one, "顾问丁")
    first = visits.start_assessment(store, consultant, one, "baseline", questionnaires)

    assert set_organisation(store, ADMIN, "顾问丁", "诊断机构戊") is True
    assert set_organisation(store, ADMIN, "顾问丁", "诊断机构戊") is False  # nothing changed
    moved = consultant_of(store, two, "顾问丁")  # as the next sign-in reads it
    second = visits.start_assessment(store, moved, two, "baseline", questionnaires)

    assert visit_of(store, first)["organisation_id"] == registered["诊断机构丁"]
    assert visit_of(store, second)["organisation_id"] == registered["诊断机构戊"]
    with store.read() as conn:
        entry = records.audit_entries(conn, "user", moved.id)[-1]
    assert (entry["field"], entry["old_value"], entry["new_value"]) == (
        "organisation_id", registered["诊断机构丁"], registered["诊断机构戊"])  # fmt: skip


def test_a_consultant_belongs_to_an_agency_or_a_lead_never_to_a_provider_and_an_enterprise_account_to_none(
    store, registered
):
    with pytest.raises(ValidationFailed, match="顾问来自第三方机构或牵引单位（联合体），“服务商丙”是服务商"):
        add_user(store, ADMIN, "顾问丙", "consultant", PASSWORD, organisation="服务商丙")
    add_user(store, ADMIN, "顾问甲", "consultant", PASSWORD, organisation="牵引单位甲")
    with pytest.raises(ValidationFailed, match="“服务商丙”是服务商"):
        set_organisation(store, ADMIN, "顾问甲", "服务商丙")
    with pytest.raises(ValidationFailed, match="只有服务商、评审专家和顾问账户属于某个单位"):
        set_organisation(store, ADMIN, user(store, "官员", "official").username, "诊断机构丁")
    provider = user(store, "服务商账户", "provider", organisation="服务商丙")
    with pytest.raises(ValidationFailed, match="服务商账户必须指定所属单位"):
        set_organisation(store, ADMIN, provider.username, None)
    with pytest.raises(PermissionDenied):
        set_organisation(store, OFFICIAL, "顾问甲", None)


def test_a_project_names_the_organisation_it_is_contracted_with_or_a_provider_by_name_only(store, registered):
    enterprise = new_enterprise(store, seed=3)
    chosen = projects.record_project(store, ADMIN, enterprise,
                                     project_data(provider="", organisation_id=registered["成员乙"]))  # fmt: skip
    named = projects.record_project(store, ADMIN, enterprise, project_data(provider="某未登记公司"))
    typed_over = projects.record_project(store, ADMIN, enterprise, project_data(
        provider="示例环保科技有限公司、示例追溯科技有限公司", organisation_id=registered["服务商丙"]))  # fmt: skip

    assert (projects.get_project(store, ADMIN, chosen)["organisation_id"],
            projects.get_project(store, ADMIN, chosen)["provider"]) == (registered["成员乙"], "成员乙")  # fmt: skip
    assert projects.get_project(store, ADMIN, named)["organisation_id"] is None
    assert projects.get_project(store, ADMIN, typed_over)["provider"] == "服务商丙"  # the organisation names it
    assert set(projects.provider_choices(store, ADMIN).values()) == {"牵引单位甲", "成员乙", "服务商丙"}
    for wrong in (registered["诊断机构丁"], 99999, True, "成员乙"):  # an agency, unknown, not an id
        with pytest.raises(ValidationFailed) as refused:
            projects.record_project(store, ADMIN, enterprise, project_data(organisation_id=wrong))
        assert [p.place for p in refused.value.problems] == ["organisation_id"]
        assert "服务商单位应为已登记的牵引单位、联合体成员或服务商" in refused.value.problems[0].message


def accepted_project(store, questionnaires, organisation: int, seed: int, after_q5: str | None) -> int:
    """A project of ``organisation`` on an approved baseline (Q5 C, every scene L1); with
    ``after_q5``, its after-visit approved with Q5 at that option and every scene at L2."""
    enterprise = new_enterprise(store, seed=seed)
    consultant = consultant_of(store, enterprise, "顾问甲")
    baseline = visits.start_assessment(store, consultant, enterprise, "baseline", questionnaires)
    fill_visit(store, baseline, scenes=1)
    visits.submit(store, consultant, baseline)
    visits.approve(store, OFFICIAL, baseline)
    data = project_data(baseline_assessment_id=baseline, organisation_id=organisation)
    project = projects.record_project(store, consultant, enterprise, data)
    if after_q5 is not None:
        after = after_visits.start_after_visit(store, consultant, project, "after", questionnaires)
        fill_visit(store, after, scenes=2, overrides={"Q5": after_q5})
        file = visits.load(store, consultant, after)
        after_visits.confirm_carried(store, consultant, after, sorted(file.carried), file.revision)
        visits.submit(store, consultant, after)
        visits.approve(store, OFFICIAL, after)
    return project


def test_a_lead_sees_its_and_its_members_projects_with_their_outcome_and_another_provider_none_of_them(
    store, registered, questionnaires
):
    lead = user(store, "牵引单位账户", "provider", organisation="牵引单位甲")
    member = user(store, "成员账户", "provider", organisation="成员乙")
    other = user(store, "服务商丙账户", "provider", organisation="服务商丙")
    waiting = accepted_project(store, questionnaires, registered["牵引单位甲"], seed=11, after_q5=None)
    reached = accepted_project(store, questionnaires, registered["成员乙"], seed=12, after_q5="E")

    seen = {p["id"]: p for p in supply.my_projects(store, lead)}
    assert set(seen) == {waiting, reached}
    assert (seen[reached]["organisation"], seen[reached]["status"], seen[reached]["reached"]) == ("成员乙", "accepted",
                                                                                                  True)  # fmt: skip
    assert seen[reached]["level_after"] >= 2 and seen[reached]["level_before"] == 1 and seen[reached]["lifted"]
    assert (seen[waiting]["level_after"], seen[waiting]["reached"], seen[waiting]["lifted"]) == (None, None, False)
    assert seen[waiting]["amount"] == pytest.approx(6800 + 5000)  # S001 at its catalog price and the free item
    assert [p["id"] for p in supply.my_projects(store, member)] == [reached]  # a member: its own only
    assert supply.my_projects(store, other) == []
    for refused in (OFFICIAL, user(store, "顾问甲")):
        with pytest.raises(PermissionDenied):
            supply.my_projects(store, refused)


def test_a_provider_account_belongs_to_a_lead_a_member_or_a_provider_never_to_an_agency(store, registered):
    provider = user(store, "服务商账户", "provider", organisation="服务商丙")
    with pytest.raises(ValidationFailed, match="服务商账户属于牵引单位、联合体成员或服务商，“诊断机构丁”是第三方机构"):
        set_organisation(store, ADMIN, provider.username, "诊断机构丁")
    with pytest.raises(ValidationFailed, match="“诊断机构丁”是第三方机构"):
        add_user(store, ADMIN, "服务商账户二", "provider", PASSWORD, organisation="诊断机构丁")
    assert set_organisation(store, ADMIN, provider.username, "成员乙") is True
