"""Every service × every role: the services themselves allow or refuse, and log each refusal.

Roles: a consultant assigned to enterprise E and one who is not; an enterprise
account of E and one of another enterprise F; an official; an administrator.
"Allowed" means the call was not refused for permission (it may still fail for
another reason, such as an incomplete visit); "refused" means PermissionDenied
and a "denied" entry in the audit log.
"""

from __future__ import annotations

import datetime
import itertools

import pytest

from diagnose import clock
from diagnose.access.policy import Actor
from diagnose.services import after_visits, paper, projects, questionnaires, reviews
from diagnose.services import applications as supply
from diagnose.services import assessments as visits
from diagnose.services import product_review as review
from diagnose.services.accounts import add_user, assign, disable_user, list_users, set_organisation, set_password
from diagnose.services.backup import backup, restore
from diagnose.services.demo import create_demo_accounts, seed_demo
from diagnose.services.enterprises import create_enterprise, find_enterprises, get_enterprise, update_enterprise
from diagnose.services.errors import ServiceError
from diagnose.services.files import enterprise_file, overview
from diagnose.services.guard import PermissionDenied
from diagnose.services.projects import projects_of, provider_choices, record_project
from diagnose.services.transfer import export_assessments, import_enterprises
from diagnose.store import records

from .conftest import fresh_store
from .helpers import ADMIN, PASSWORD, consultant_of, fill_visit, new_enterprise, profile, project_data, user

READERS = {"consultant", "enterprise", "official", "admin"}
SUPPLY_READERS = {"provider", "official", "admin", "expert"}
COMPLETE = {
    "name": "注塑MES（示例）", "version": "2.0", "type": "SaaS", "industries": ["塑胶"], "links": ["制造"],
    "scenes": {"生产管控": 2}, "deployment": "云端", "price": 12000, "unit": "年", "implementation_days": 15,
    "ip_status": "软件著作权", "showcase_enterprise": "示例：揭阳某塑胶厂", "showcase_contract_date": "2024-03-15",
    "showcase_level_before": 1, "showcase_level_after": 2,
}  # fmt: skip
_codes = itertools.count(1000)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 10


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, tmp_path_factory):
    """One store per database with E (and its draft and submitted visits), F, and an actor per role."""
    folder = tmp_path_factory.mktemp("world")
    store = fresh_store(request, request.param, folder)
    registry = questionnaires()
    e = new_enterprise(store, seed=1)
    f = new_enterprise(store, seed=2)
    assigned = consultant_of(store, e, "顾问甲")
    submitted = visits.start_assessment(store, assigned, e, "baseline", registry)
    fill_visit(store, submitted, actor=assigned)
    visits.submit(store, assigned, submitted)
    draft = visits.start_assessment(store, assigned, e, "after", registry)
    stranger = user(store, "顾问乙")
    user(store, "目标账户", "official")  # whose password the other roles try to change
    add_user(store, ADMIN, "企业甲", "enterprise", PASSWORD, credit_code=profile(1)["credit_code"])
    add_user(store, ADMIN, "企业乙", "enterprise", PASSWORD, credit_code=profile(2)["credit_code"])
    actors = {
        "consultant": assigned,
        "consultant_other": stranger,
        "enterprise": user(store, "企业甲"),
        "enterprise_other": user(store, "企业乙"),
        "official": user(store, "官员甲", "official"),
        "admin": Actor("管理员甲", "admin"),
    }
    sheet = folder / "empty.xlsx"
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["统一社会信用代码", "企业名称", "细分行业", "行政区"])
    book.save(sheet)
    project = record_project(store, ADMIN, e, project_data())
    actors["provider"] = user(store, "服务商甲", "provider", organisation="服务商单位甲")
    actors["provider_other"] = user(store, "服务商乙", "provider", organisation="服务商单位乙")
    actors["expert"] = user(store, "专家甲", "expert")
    actors["expert_other"] = user(store, "专家乙", "expert")
    batch = supply.open_batch(store, ADMIN, "第3批", clock.today() + datetime.timedelta(days=30))
    national = registry["national-2024"]
    application = supply.save_application(store, actors["provider"], national, None, batch, {"name": "草稿"}).id
    complete = supply.save_application(store, actors["provider"], national, None, batch, COMPLETE)
    supply.attach_file(store, actors["provider"], complete.id, "showcase_contract", "c.png", PNG)
    supply.submit_application(store, actors["provider"], national, complete.id, complete.revision)
    supply.check_application(store, ADMIN, complete.id, "accepted")
    review.assign_reviewers(store, ADMIN, complete.id, ["专家甲", "官员甲"])
    yield {"store": store, "e": e, "f": f, "draft": draft, "submitted": submitted, "actors": actors,
           "registry": registry, "folder": folder, "sheet": sheet, "project": project, "batch": batch,
           "application": application, "submitted_application": complete.id, "national": national}  # fmt: skip
    store.dispose()


def new_profile() -> dict:
    return profile(next(_codes))


# (name, call, roles allowed); scoped roles act only on their own enterprise E
CALLS = [
    ("create_enterprise", lambda w, a: create_enterprise(w["store"], a, new_profile()), {"consultant", "admin"}),
    ("get_enterprise", lambda w, a: get_enterprise(w["store"], a, w["e"]), READERS),
    ("update_enterprise", lambda w, a: update_enterprise(w["store"], a, w["e"], {"contact_name": "张三"}, 0),
     {"consultant", "admin"}),
    ("find_enterprises", lambda w, a: find_enterprises(w["store"], a), READERS),
    ("overview", lambda w, a: overview(w["store"], a), READERS),
    ("enterprise_file", lambda w, a: enterprise_file(w["store"], a, w["e"]), READERS),
    ("start_assessment", lambda w, a: visits.start_assessment(w["store"], a, w["e"], "onsite", w["registry"]),
     {"consultant"}),
    ("load", lambda w, a: visits.load(w["store"], a, w["draft"]), READERS),
    ("save_item", lambda w, a: visits.save_item(w["store"], a, w["draft"], "Q5", "C", 10**6), {"consultant"}),
    ("save_note", lambda w, a: visits.save_note(w["store"], a, w["draft"], "Q5", "备注", 10**6), {"consultant"}),
    ("attach_evidence", lambda w, a: visits.attach_evidence(w["store"], a, w["draft"], "Q5", "a.png", PNG),
     {"consultant"}),
    ("submit", lambda w, a: visits.submit(w["store"], a, w["draft"]), {"consultant"}),
    ("approve", lambda w, a: visits.approve(w["store"], a, w["submitted"]), {"official", "admin"}),
    ("return_for_changes", lambda w, a: visits.return_for_changes(w["store"], a, w["submitted"], "请补充"),
     {"official", "admin"}),
    ("review queue", lambda w, a: reviews.queue(w["store"], a), {"official", "admin"}),
    ("review_file", lambda w, a: reviews.review_file(w["store"], a, w["submitted"]), {"official", "admin"}),
    ("decisions_of", lambda w, a: reviews.decisions_of(w["store"], a, w["e"]), READERS),
    ("evidence_content", lambda w, a: reviews.evidence_content(w["store"], a, w["submitted"], 1), READERS),
    ("returned_visits", lambda w, a: reviews.returned_visits(w["store"], a), {"consultant"}),
    ("draft_from_baseline", lambda w, a: projects.draft_from_baseline(w["store"], a, w["submitted"]),
     {"consultant", "admin"}),
    ("get_project", lambda w, a: projects.get_project(w["store"], a, w["project"]), READERS),
    ("update_project", lambda w, a: projects.update_project(w["store"], a, w["project"], project_data(), 10**6),
     {"consultant", "admin"}),
    ("attach_document", lambda w, a: projects.attach_document(w["store"], a, w["project"], "contract", "c.png", PNG),
     {"consultant", "admin"}),
    ("document_content", lambda w, a: projects.document_content(w["store"], a, w["project"], 10**6), READERS),
    ("project_list", lambda w, a: projects.project_list(w["store"], a), READERS),
    ("approved_baselines", lambda w, a: projects.approved_baselines(w["store"], a), {"consultant", "admin"}),
    ("start_after_visit", lambda w, a: after_visits.start_after_visit(w["store"], a, w["project"], "after",
                                                                      w["registry"]), {"consultant"}),
    ("confirm_carried", lambda w, a: after_visits.confirm_carried(w["store"], a, w["draft"], ["Q5"], 10**6),
     {"consultant"}),
    ("rescore", lambda w, a: visits.rescore(w["store"], a, w["submitted"], w["registry"]["plastics"]), {"admin"}),
    ("history", lambda w, a: visits.history(w["store"], a, w["e"]), READERS),
    ("compare", lambda w, a: visits.compare_assessments(w["store"], a, w["submitted"], w["submitted"]), READERS),
    ("record_project", lambda w, a: record_project(w["store"], a, w["e"], project_data()), {"consultant", "admin"}),
    ("projects_of", lambda w, a: projects_of(w["store"], a, w["e"]), READERS),
    ("import_enterprises", lambda w, a: import_enterprises(w["store"], a, w["sheet"], dry_run=True), {"admin"}),
    ("export_assessments", lambda w, a: export_assessments(w["store"], a, w["folder"] / f"{a.username}.csv"),
     {"official", "admin"}),
    ("backup", lambda w, a: backup(w["store"], a, w["folder"] / f"backup-{a.username}"), {"admin"}),
    ("restore", lambda w, a: restore(w["store"], a, w["folder"] / "no-such-backup"), {"admin"}),
    ("seed_demo", lambda w, a: seed_demo(w["store"], a, 1, next(_codes), w["registry"]), {"admin"}),
    ("create_demo_accounts", lambda w, a: create_demo_accounts(w["store"], a), {"admin"}),
    ("add_user", lambda w, a: add_user(w["store"], a, f"new{next(_codes)}", "official", PASSWORD), {"admin"}),
    ("list_users", lambda w, a: list_users(w["store"], a), {"admin"}),
    ("assign", lambda w, a: assign(w["store"], a, "顾问乙", profile(2)["credit_code"]), {"admin"}),
    ("set_password of another", lambda w, a: set_password(w["store"], a, "目标账户", PASSWORD), {"admin"}),
    ("disable_user", lambda w, a: disable_user(w["store"], a, f"new{next(_codes)}"), {"admin"}),
    # the supply side: a provider acts on its own organisation's applications only
    ("add_organisation", lambda w, a: supply.add_organisation(w["store"], a, f"单位{next(_codes)}", "provider"),
     {"admin"}),
    ("organisations", lambda w, a: supply.organisations(w["store"], a), {"provider", "official", "admin"}),
    ("open_batch", lambda w, a: supply.open_batch(w["store"], a, f"批次{next(_codes)}", clock.today()),
     {"official", "admin"}),
    ("batches", lambda w, a: supply.batches(w["store"], a), SUPPLY_READERS),
    ("applications", lambda w, a: supply.applications(w["store"], a), SUPPLY_READERS),
    ("new application", lambda w, a: supply.save_application(w["store"], a, w["national"], None, w["batch"],
                                                             {"name": "新申报"}), {"provider"}),
    ("save_application", lambda w, a: supply.save_application(w["store"], a, w["national"], w["application"],
                                                              w["batch"], {"name": "改名"}, 10**6), {"provider"}),
    ("attach_file", lambda w, a: supply.attach_file(w["store"], a, w["application"], "brochure", "b.png", PNG),
     {"provider"}),
    ("remove_file", lambda w, a: supply.remove_file(w["store"], a, w["application"], 10**6), {"provider"}),
    ("submit_application", lambda w, a: supply.submit_application(w["store"], a, w["national"], w["application"],
                                                                  10**6), {"provider"}),
    ("get_application", lambda w, a: supply.get_application(w["store"], a, w["submitted_application"]),
     SUPPLY_READERS),
    ("file_content", lambda w, a: supply.file_content(w["store"], a, w["submitted_application"], 10**6),
     SUPPLY_READERS),
    ("check_application", lambda w, a: supply.check_application(w["store"], a, w["submitted_application"], "?"),
     {"official", "admin"}),
    ("my_products", lambda w, a: supply.my_products(w["store"], a, w["national"]), SUPPLY_READERS),
    ("my_projects", lambda w, a: supply.my_projects(w["store"], a), {"provider"}),
    ("visit_form", lambda w, a: paper.visit_form(w["store"], a, w["submitted"]), READERS),
    ("blank_form", lambda w, a: paper.blank_form(w["store"], a, "塑胶", w["registry"]), READERS),
    ("provider_choices", lambda w, a: provider_choices(w["store"], a), {"consultant", "admin"}),
    ("set_organisation", lambda w, a: set_organisation(w["store"], a, "目标账户", None), {"admin"}),
    ("reviewer_candidates", lambda w, a: review.reviewer_candidates(w["store"], a), {"official", "admin"}),
    ("assign_reviewers", lambda w, a: review.assign_reviewers(w["store"], a, w["submitted_application"], []),
     {"official", "admin"}),
    ("my_reviews", lambda w, a: review.my_reviews(w["store"], a), {"expert", "official"}),
    ("review_sheet", lambda w, a: review.review_sheet(w["store"], a, w["submitted_application"]),
     {"expert", "official"}),
    ("submit_scores", lambda w, a: review.submit_scores(w["store"], a, w["submitted_application"], {}),
     {"expert", "official"}),
    ("scores_of", lambda w, a: review.scores_of(w["store"], a, w["submitted_application"]), {"official", "admin"}),
    ("decide_application", lambda w, a: review.decide_application(w["store"], a, w["submitted_application"], True,
                                                                  ""), {"official", "admin"}),
    ("close_batch", lambda w, a: supply.close_batch(w["store"], a, 10**6), {"official", "admin"}),
    ("publish_batch", lambda w, a: review.publish_batch(w["store"], a, w["national"], 10**6), {"official", "admin"}),
]  # fmt: skip
# reads that list enterprises are filtered, never refused, for the scoped roles
UNSCOPED_CALLS = {"create_enterprise", "find_enterprises", "overview", "import_enterprises", "export_assessments",
                  "backup", "restore", "seed_demo", "create_demo_accounts", "add_user", "list_users", "assign",
                  "set_password of another",
                  "disable_user", "returned_visits", "project_list", "approved_baselines", "add_organisation",
                  "organisations", "open_batch", "batches", "applications", "new application",
                  "check_application", "my_products", "reviewer_candidates", "assign_reviewers", "my_reviews",
                  "scores_of", "decide_application", "publish_batch", "close_batch", "my_projects",
                  "provider_choices", "set_organisation", "blank_form"}  # fmt: skip
ROLES = ["consultant", "consultant_other", "enterprise", "enterprise_other", "official", "admin", "provider",
         "provider_other", "expert", "expert_other"]  # fmt: skip


def expected_allowed(name: str, role: str, roles: set[str]) -> bool:
    base = role.removesuffix("_other")
    if base not in roles:
        return False
    return not role.endswith("_other") or name in UNSCOPED_CALLS


def denials(store) -> int:
    with store.read() as conn:
        return sum(e["action"] == "denied" for e in records.audit_entries(conn))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "call", "roles"), CALLS, ids=[c[0] for c in CALLS])
def test_every_service_allows_or_refuses_every_role(world, name, call, roles, role, monkeypatch):
    # who may have the paper form is the question here, not the PDF (tested on its own): drawn as nothing
    monkeypatch.setattr("diagnose.services.paper.paper_pdf", lambda *args, **kwargs: b"%PDF-1.4")
    actor = world["actors"][role]
    before = denials(world["store"])

    try:
        call(world, actor)
        refused = False
    except PermissionDenied:
        refused = True
    except ServiceError:
        refused = False  # allowed in, then stopped for another reason (state, input)

    assert refused != expected_allowed(name, role, roles), f"{name} as {role}"
    assert denials(world["store"]) == before + refused  # every refusal is logged


def test_scoped_roles_see_only_their_enterprises(world):
    store, actors = world["store"], world["actors"]

    assert [e["id"] for e in find_enterprises(store, actors["enterprise"])] == [world["e"]]
    assert [e["id"] for e in overview(store, actors["enterprise_other"])] == [world["f"]]
    assert world["e"] in {e["id"] for e in overview(store, actors["consultant"])}
    assert world["e"] not in {e["id"] for e in overview(store, actors["consultant_other"])}
    assert len(overview(store, actors["official"])) == len(overview(store, actors["admin"])) >= 2


def test_a_refusal_on_another_enterprise_is_worded_for_the_account_that_asked(world):
    store, actors = world["store"], world["actors"]

    with pytest.raises(PermissionDenied, match="^企业账户只能查看本企业的档案，无权"):
        get_enterprise(store, actors["enterprise_other"], world["e"])
    with pytest.raises(PermissionDenied, match="^顾问账户只能处理分配给自己的企业，无权"):
        get_enterprise(store, actors["consultant_other"], world["e"])
