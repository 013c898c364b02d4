"""The supply side on both databases: a provider's application from draft to the document check,
corrections after a return, the batch's deadline, revisions, and who sees what."""

from __future__ import annotations

import datetime

import pytest

from diagnose import clock
from diagnose.services import applications as supply
from diagnose.services.errors import Conflict, NotEditable, NotFound, ValidationFailed
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
        with pytest.raises(NotEditable, match="第3批已截止申报"):
            supply.submit_application(store, provider, national, saved.id, saved.revision)
        with pytest.raises(NotEditable, match="已截止"):
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
