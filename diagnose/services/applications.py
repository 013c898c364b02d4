"""The supply side (DOMAIN.md §3b): organisations, review batches, and product applications.

An administrator keeps the organisations (牵引单位 per industry, their 联合体 members, other
服务商, 第三方机构); a provider account belongs to one. An official opens a batch (第3批, with
its deadline). A provider drafts an application for an open batch, attaches its files, and
submits it before the deadline; the official checks the documents: 受理 (accepted for review),
退回补正 (returned: the provider corrects and submits again) or 不予受理 (refused), each with its
reason. A provider sees and touches only its own organisation's applications. Every write is
audited; every edit is revision-checked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from diagnose import clock
from diagnose.access.policy import Actor
from diagnose.catalog.applications import LABELS, application_problems
from diagnose.catalog.review_criteria import load_criteria
from diagnose.pilot import INDUSTRIES
from diagnose.problems import Problem
from diagnose.rule.questionnaire import Questionnaire
from diagnose.services.errors import Conflict, NotEditable, NotFound, ValidationFailed
from diagnose.services.guard import refuse, require, require_in_organisation
from diagnose.store import Store, records, supply_records

ORGANISATION_KINDS = {"lead": "牵引单位", "member": "联合体成员", "provider": "服务商", "agency": "第三方机构"}
PROVIDER_KINDS = ("lead", "member", "provider")  # who sells and is contracted: not a 第三方机构
BATCH_STATUSES = {"open": "申报中", "closed": "已截止", "published": "已发布"}
STATUSES = {"draft": "草稿", "submitted": "已提交，待受理", "returned": "退回补正", "accepted": "已受理，评审中",
            "refused": "不予受理", "approved": "评审通过，入库", "rejected": "评审未通过，不入库"}  # fmt: skip
EDITABLE = ("draft", "returned")
DECISIONS = {"accepted": "受理", "returned": "退回补正", "refused": "不予受理"}
FILE_KINDS = {"brochure": "产品介绍", "price_sheet": "报价单", "showcase_contract": "样板项目合同"}
MAX_COMMENT = 1000


@dataclass(frozen=True)
class Saved:
    """An application after a save: its id and new revision."""

    id: int
    revision: int


def add_organisation(store: Store, actor: Actor, name: str, kind: str, industry: str = "", lead: str = "",
                     sample: bool = False) -> int:  # fmt: skip
    """A new organisation; a 牵引单位 names its industry, a 联合体 member its 牵引单位. Refused with
    every bad field named."""
    require(store, actor, "organisations.manage")
    name = (name or "").strip()
    problems = []
    if not name or len(name) > 100:
        problems.append(Problem("单位", "name", "单位名称：必须填写，最多 100 个字"))
    if kind not in ORGANISATION_KINDS:
        problems.append(Problem("单位", "kind", f"单位类型应为：{'、'.join(ORGANISATION_KINDS.values())}"))
    if kind == "lead" and industry not in INDUSTRIES:
        problems.append(Problem("单位", "industry", f"牵引单位须指定行业：{'、'.join(INDUSTRIES)}"))
    if kind == "member" and not lead:
        problems.append(Problem("单位", "lead", "联合体成员须指定所属的牵引单位"))
    if problems:
        raise ValidationFailed(problems)
    with store.write() as conn:
        if supply_records.organisation_by_name(conn, name):
            raise ValidationFailed([Problem("单位", "name", f"单位名称：“{name}”已存在")])
        lead_id = None
        if kind == "member":
            found = supply_records.organisation_by_name(conn, lead.strip())
            if found is None or found["kind"] != "lead":
                raise ValidationFailed([Problem("单位", "lead", f"没有名为“{lead}”的牵引单位")])
            lead_id = found["id"]
        organisation_id = supply_records.insert_organisation(conn, {
            "name": name, "kind": kind, "industry": industry if kind == "lead" else "", "lead_id": lead_id,
            "sample": sample})  # fmt: skip
        records.audit(conn, actor.username, "create", "organisation", organisation_id,
                      new={"name": name, "kind": kind, "industry": industry, "lead": lead})  # fmt: skip
    return organisation_id


def organisations(store: Store, actor: Actor) -> list[dict]:
    """Every organisation (officials and administrators); a provider gets its own only."""
    if actor.role == "provider":
        require_in_organisation(store, actor, "application.read", actor.organisation_id or -1)
        with store.read() as conn:
            return supply_records.organisation_list(conn, only=actor.organisation_id)
    require(store, actor, "organisations.read")
    with store.read() as conn:
        return supply_records.organisation_list(conn)


def open_batch(store: Store, actor: Actor, name: str, deadline: date) -> int:
    """A new batch open for applications until ``deadline`` (China's day, inclusive)."""
    require(store, actor, "batches.manage")
    name = (name or "").strip()
    problems = []
    if not name or len(name) > 40:
        problems.append(Problem("批次", "name", "批次名称：必须填写，最多 40 个字（如 第3批）"))
    if not isinstance(deadline, date):
        problems.append(Problem("批次", "deadline", "截止日期：必须填写"))
    elif deadline < clock.today():
        problems.append(Problem("批次", "deadline", f"截止日期：不能早于今天（{clock.today().isoformat()}）"))
    if problems:
        raise ValidationFailed(problems)
    with store.write() as conn:
        if supply_records.batch_by_name(conn, name):
            raise ValidationFailed([Problem("批次", "name", f"批次名称：“{name}”已存在")])
        # the batch keeps the criteria it is opened with: a later change of the file changes no earlier batch
        batch_id = supply_records.insert_batch(conn, {"name": name, "deadline": deadline, "status": "open",
                                                      "criteria": load_criteria().to_dict(),
                                                      "created_by": actor.username})  # fmt: skip
        records.audit(conn, actor.username, "create", "batch", batch_id,
                      new={"name": name, "deadline": deadline.isoformat()})  # fmt: skip
    return batch_id


def batches(store: Store, actor: Actor) -> list[dict]:
    """Every batch, the newest first, each with ``accepting``: open and its deadline not passed."""
    require(store, actor, "application.read")
    with store.read() as conn:
        found = supply_records.batch_list(conn)
    today = clock.today()
    return [b | {"accepting": b["status"] == "open" and b["deadline"] >= today} for b in found]


def save_application(store: Store, actor: Actor, questionnaire: Questionnaire, application_id: int | None,
                     batch_id: int, fields: dict, revision: int = 0) -> Saved:  # fmt: skip
    """Keep a draft (new when ``application_id`` is None) or the correction of a returned one.

    What the fields hold must be well formed (every bad field named); empty fields are allowed
    until submitting. Raises Conflict when someone saved it since ``revision``."""
    # a refusal is audited in its own transaction: every check comes before the write opens
    if application_id is None:
        require_in_organisation(store, actor, "application.write",
                                actor.organisation_id if actor.organisation_id is not None else -1)  # fmt: skip
        current = None
    else:
        current = _editable(store, actor, application_id)
    fields = {k: v for k, v in fields.items() if k in LABELS}
    problems = application_problems(questionnaire, fields, complete=False)
    if problems:
        raise ValidationFailed(problems)
    with store.write() as conn:
        batch = supply_records.batch_by_id(conn, batch_id)
        if batch is None:
            raise NotFound(f"没有编号为 {batch_id} 的评审批次")
        if (current is None or current["batch_id"] != batch_id) and not _accepting(batch):
            raise NotEditable(_closed(batch["name"], batch["status"], batch["deadline"]))
        if current is None:
            application_id = supply_records.insert_application(conn, {
                "organisation_id": actor.organisation_id, "batch_id": batch_id, "fields": fields, "status": "draft",
                "created_by": actor.username})  # fmt: skip
            records.audit(conn, actor.username, "create", "application", application_id, new=fields)
            return Saved(application_id, 1)
        if not supply_records.update_application(conn, application_id, revision, fields=fields, batch_id=batch_id):
            raise Conflict("这份申报已被他人修改（可能在另一台设备上），请刷新后再改")
        records.audit(conn, actor.username, "update", "application", application_id, old=current["fields"],
                      new=fields)  # fmt: skip
    return Saved(application_id, revision + 1)


def submit_application(store: Store, actor: Actor, questionnaire: Questionnaire, application_id: int,
                       revision: int) -> Saved:  # fmt: skip
    """Submit a draft or a corrected application for the check; refused, with every missing or bad
    field named, when it is incomplete, or when its batch has closed."""
    current = _editable(store, actor, application_id)
    problems = application_problems(questionnaire, current["fields"], complete=True)
    if not any(f["kind"] == "showcase_contract" for f in current["files"]):
        problems.append(Problem("产品申报", "files", "附件：须上传样板项目合同"))
    if problems:
        raise ValidationFailed(problems)
    if not _accepting(current):
        raise NotEditable(_closed(current["batch"], current["batch_status"], current["deadline"]))
    with store.write() as conn:
        if not supply_records.update_application(conn, application_id, revision, status="submitted",
                                                 submitted_at=clock.now(), comment=""):  # fmt: skip
            raise Conflict("这份申报已被他人修改（可能在另一台设备上），请刷新后再提交")
        records.audit(conn, actor.username, "submit", "application", application_id, old=current["status"],
                      new="submitted")  # fmt: skip
    return Saved(application_id, revision + 1)


def check_application(store: Store, actor: Actor, application_id: int, decision: str, comment: str = "") -> None:
    """The document check of a submitted application: 受理, 退回补正 or 不予受理; the last two need
    the reason the provider will read."""
    require(store, actor, "application.check")
    comment = (comment or "").strip()
    if decision not in DECISIONS:
        raise ValidationFailed([Problem("受理", "decision", f"结论应为：{'、'.join(DECISIONS.values())}")])
    if decision != "accepted" and not comment:
        raise ValidationFailed([Problem("受理", "comment", f"{DECISIONS[decision]}须写明理由，服务商将看到")])
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed([Problem("受理", "comment", f"理由最多 {MAX_COMMENT} 个字")])
    with store.write() as conn:
        current = supply_records.application_by_id(conn, application_id)
        if current is None:
            raise NotFound(f"没有编号为 {application_id} 的产品申报")
        if current["status"] != "submitted":
            raise NotEditable(f"这份申报{STATUSES[current['status']]}，只有已提交的申报可以受理")
        if not supply_records.update_application(conn, application_id, current["revision"], status=decision,
                                                 comment=comment):  # fmt: skip
            raise Conflict("这份申报刚被修改，请刷新后再处理")
        records.audit(conn, actor.username, decision, "application", application_id, old="submitted",
                      new={"decision": decision, "comment": comment})  # fmt: skip


def applications(store: Store, actor: Actor, batch_id: int | None = None) -> list[dict]:
    """A provider's own organisation's applications; for officials and administrators every
    application that has been submitted (drafts stay the provider's)."""
    if actor.role == "provider":
        require_in_organisation(store, actor, "application.read", actor.organisation_id or -1)
        with store.read() as conn:
            return supply_records.application_list(conn, organisation_id=actor.organisation_id, batch_id=batch_id)
    require(store, actor, "application.read")
    with store.read() as conn:
        found = supply_records.application_list(conn, batch_id=batch_id, statuses=tuple(s for s in STATUSES
                                                                                        if s != "draft"))  # fmt: skip
    if actor.role == "expert":  # a reviewer sees the applications it was named for
        named = set(_reviewed_by(store, actor))
        return [a for a in found if a["id"] in named]
    return found


def _reviewed_by(store: Store, actor: Actor) -> list[int]:
    with store.read() as conn:
        return supply_records.reviewed_by(conn, actor.id or -1)


def get_application(store: Store, actor: Actor, application_id: int) -> dict:
    """One application with its files, for its own organisation or an official / administrator
    (a draft only for its organisation)."""
    found = _reachable(store, actor, "application.read", application_id)
    if actor.role == "expert" and application_id not in _reviewed_by(store, actor):
        refuse(store, actor, "application.read", "application", application_id,
               f"评审专家账户未被指定评审这份申报（编号 {application_id}）")  # fmt: skip
    if found["status"] == "draft" and actor.role != "provider":
        raise NotFound(f"编号为 {application_id} 的产品申报尚未提交")
    return found


def attach_file(store: Store, actor: Actor, application_id: int, kind: str, filename: str, content: bytes) -> int:
    """Keep a brochure, price sheet or the 样板项目's contract with a draft or returned application."""
    from diagnose.visit import evidence

    if kind not in FILE_KINDS:
        raise ValidationFailed([Problem("产品申报", "files", f"附件类型应为：{'、'.join(FILE_KINDS.values())}")])
    reason = evidence.evidence_problem(filename, content)
    if reason:
        raise ValidationFailed([Problem("产品申报", "files", f"{FILE_KINDS[kind]}：{reason}")])
    _editable(store, actor, application_id)
    name = evidence.clean_filename(filename)
    with store.read() as conn:
        kept = supply_records.files_of(conn, application_id)
    same = [f for f in kept if f["kind"] == kind and f["sha256"] == hashlib.sha256(content).hexdigest()]
    if same:
        why = f"{FILE_KINDS[kind]}：这个文件已上传过（{same[0]['filename']}），无需重复上传"
        raise ValidationFailed([Problem("产品申报", "files", why)])
    digest = evidence.store_file(store.evidence_dir, content)  # the file first: a row never points at nothing
    with store.write() as conn:
        file_id = supply_records.insert_file(conn, {
            "application_id": application_id, "kind": kind, "filename": name,
            "content_type": evidence.content_type(filename), "size": len(content), "sha256": digest,
            "uploaded_by": actor.username})  # fmt: skip
        records.audit(conn, actor.username, "attach", "application", application_id, field=kind,
                      new={"file": name, "sha256": digest})  # fmt: skip
    return file_id


def remove_file(store: Store, actor: Actor, application_id: int, file_id: int) -> dict:
    """Take a file off a draft or returned application (to replace a wrong one, upload the right
    one after); returns the removed file's row. The audit log keeps its name and hash."""
    _editable(store, actor, application_id)
    with store.write() as conn:
        found = [f for f in supply_records.files_of(conn, application_id) if f["id"] == file_id]
        if not found or not supply_records.delete_file(conn, application_id, file_id):
            raise NotFound(f"产品申报 {application_id} 没有编号为 {file_id} 的附件")
        records.audit(conn, actor.username, "detach", "application", application_id, field=found[0]["kind"],
                      old={"file": found[0]["filename"], "sha256": found[0]["sha256"]})  # fmt: skip
    return found[0]


def file_content(store: Store, actor: Actor, application_id: int, file_id: int) -> tuple[dict, bytes]:
    """One file of an application (its row and bytes), for whoever may read the application."""
    from diagnose.services.lookup import kept_file

    found = [f for f in get_application(store, actor, application_id)["files"] if f["id"] == file_id]
    if not found:
        raise NotFound(f"产品申报 {application_id} 没有编号为 {file_id} 的附件")
    return found[0], kept_file(store.evidence_dir, found[0], "附件")


def _editable(store: Store, actor: Actor, application_id: int) -> dict:
    """The application, if ``actor`` may change it now: its own organisation's, a draft or returned."""
    current = _reachable(store, actor, "application.write", application_id)
    if current["status"] not in EDITABLE:
        raise NotEditable(f"这份申报{STATUSES[current['status']]}，不能再修改")
    return current


def _reachable(store: Store, actor: Actor, action: str, application_id: int) -> dict:
    """The application, if ``actor`` may take ``action`` on it (a provider: its own organisation's);
    NotFound only for one allowed to know that it does not exist."""
    with store.read() as conn:
        found = supply_records.application_by_id(conn, application_id)
    if found is None:
        require(store, actor, action)
        raise NotFound(f"没有编号为 {application_id} 的产品申报")
    require_in_organisation(store, actor, action, found["organisation_id"])
    return found


def _closed(name: str, status: str, deadline: date) -> str:
    """Why a batch takes no application now, as it happened: closed early, published, or past its deadline."""
    if status == "open":
        return f"{name}已过截止日期（{deadline.isoformat()}），不再接受申报"
    return f"{name}{'已发布' if status == 'published' else '已由主管部门截止申报'}，不再接受申报"


def close_batch(store: Store, actor: Actor, batch_id: int) -> None:
    """Stop a batch taking applications before its deadline (a returned one can then not be sent
    again); publishing needs the batch closed or its deadline passed."""
    require(store, actor, "batches.manage")
    with store.write() as conn:
        batch = supply_records.batch_by_id(conn, batch_id)
        if batch is None:
            raise NotFound(f"没有编号为 {batch_id} 的评审批次")
        if batch["status"] != "open":
            raise NotEditable(_closed(batch["name"], batch["status"], batch["deadline"]))
        supply_records.set_batch_status(conn, batch_id, "closed")
        records.audit(conn, actor.username, "close", "batch", batch_id, old="open", new="closed")


def _accepting(batch: dict) -> bool:
    status = batch.get("batch_status", batch.get("status"))
    return status == "open" and batch["deadline"] >= clock.today()


def my_products(store: Store, actor: Actor, questionnaire: Questionnaire) -> list[dict]:
    """A provider's products in the live catalog (its organisation as 服务商, or as the 牵引单位 of
    the 联合体 that sells it): id, name,
    batch, status, price, ``recommended`` (how many approved baselines had it in the cheapest
    bundle kept at their approval), and the projects that contracted it (how many, how many
    accepted, the amount in 元)."""
    from diagnose.services.catalog_admin import live_catalog

    require_in_organisation(store, actor, "application.read",
                            actor.organisation_id if actor.organisation_id is not None else -1)  # fmt: skip
    if actor.role != "provider":
        return []
    with store.read() as conn:
        name = supply_records.organisation_list(conn, only=actor.organisation_id)[0]["name"]
    products = [p for p in live_catalog(store, questionnaire).products if name in (p.provider, p.lead_firm)]
    with store.read() as conn:
        bought = supply_records.purchases(conn, [p.id for p in products])
        recommended = supply_records.recommended(conn, [p.id for p in products])
    none = {"projects": 0, "accepted": 0, "amount": 0.0}
    return [{"id": p.id, "name": p.name, "batch": p.batch, "status": p.status, "price": p.price, "unit": p.unit,
             "recommended": recommended.get(p.id, 0)} | bought.get(p.id, none) for p in products]  # fmt: skip


def my_projects(store: Store, actor: Actor) -> list[dict]:
    """The projects a provider's organisation (and, for a 牵引单位, its 联合体 members: ``organisation``
    says which) is contracted for, newest first, with each
    enterprise's name and place, the contract, status, amount, and the outcome: the level of
    the baseline the project acts on and of its latest approved after-visit, whether the
    enterprise is at the pilot's level after it (``reached``: None until an after-visit is
    approved) and whether it got there from below (``lifted``).
    Only these projects: never the enterprises' files. Providers only."""
    from diagnose.pilot import TARGET_LEVEL
    from diagnose.store import project_records

    require_in_organisation(store, actor, "projects.own",
                            actor.organisation_id if actor.organisation_id is not None else -1)  # fmt: skip
    with store.read() as conn:
        members = [o["id"] for o in supply_records.organisation_list(conn) if o["lead_id"] == actor.organisation_id]
        found = project_records.organisation_projects(conn, [actor.organisation_id, *members])
    for project in found:
        before, after = project["level_before"], project["level_after"]
        project["reached"] = None if after is None else after >= TARGET_LEVEL
        # reached from below: the project's own baseline was under the level
        project["lifted"] = bool(project["reached"]) and before is not None and before < TARGET_LEVEL
    return found
