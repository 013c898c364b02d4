"""The expert review of accepted applications ("一产品、一样板、一评审") and the batch's publication.

An official names the reviewers of an accepted application (评审专家 or officials; never one of
the applicant's own organisation). Each reviewer scores every criterion of the batch's criteria,
out of its weight, on their own: the others' scores are shown to a reviewer only after their own
are in, and a submitted score is final. The official sees the scores side by side and decides
入库 or 不入库 with the reasons; publishing the batch puts every approved product into the live
catalog (在库) with its batch and review result. Every step is audited.
"""

from __future__ import annotations

import statistics

from diagnose import clock
from diagnose.access.policy import ROLES, Actor
from diagnose.catalog.applications import showcase_text
from diagnose.catalog.review_criteria import Criteria, load_criteria
from diagnose.numbers import finite
from diagnose.problems import Problem
from diagnose.rule.questionnaire import Questionnaire
from diagnose.services.applications import STATUSES
from diagnose.services.errors import NotEditable, NotFound, ValidationFailed
from diagnose.services.guard import refuse, require
from diagnose.store import Store, records, supply_records

REVIEWER_ROLES = ("expert", "official")
MIN_REVIEWERS = 2  # "一评审" is a panel's: one reviewer's scores alone decide nothing
MAX_COMMENT = 2000


def criteria_of(batch: dict) -> Criteria:
    """The criteria a batch was opened with."""
    return Criteria.from_dict(batch["criteria"]) if batch.get("criteria") else load_criteria()


def reviewer_candidates(store: Store, actor: Actor) -> list[dict]:
    """Active expert and official accounts an official may name (username, role, organisation)."""
    require(store, actor, "application.assign")
    with store.read() as conn:
        users = records.all_users(conn)
    return [{"username": u["username"], "role": u["role"], "organisation_id": u.get("organisation_id")}
            for u in users if u["role"] in REVIEWER_ROLES and u["active"]]  # fmt: skip


def assign_reviewers(store: Store, actor: Actor, application_id: int, usernames: list[str]) -> int:
    """Name reviewers for an accepted application (those already named stay); returns how many
    were added. A reviewer of the applicant's own organisation, or of another role, is refused."""
    require(store, actor, "application.assign")
    application = _application(store, application_id)
    if application["status"] != "accepted":
        raise NotEditable(f"这份申报{STATUSES[application['status']]}，只有已受理的申报可以指定评审专家")
    problems, chosen = [], []
    with store.read() as conn:
        named = {r["reviewer"] for r in supply_records.reviewers_of(conn, [application_id])}
        for username in dict.fromkeys(u.strip() for u in usernames if u and u.strip()):
            row = records.user_by_name(conn, username)
            if row is None or row["role"] not in REVIEWER_ROLES or not row["active"]:
                problems.append(Problem("评审", "reviewers", f"{username} 不是可用的评审专家或主管部门账户"))
            elif row.get("organisation_id") == application["organisation_id"]:
                why = f"{username} 属于申报单位 {application['organisation']}，须回避"
                problems.append(Problem("评审", "reviewers", why))
            elif username not in named:
                chosen.append(row)
    if not usernames:
        problems.append(Problem("评审", "reviewers", "请选择评审专家"))
    if problems:
        raise ValidationFailed(problems)
    with store.write() as conn:
        for row in chosen:
            supply_records.insert_reviewer(conn, {"application_id": application_id, "reviewer_id": row["id"],
                                                  "reviewer": row["username"],
                                                  "assigned_by": actor.username})  # fmt: skip
            records.audit(conn, actor.username, "assign", "application", application_id, field="reviewer",
                          new=row["username"])  # fmt: skip
    return len(chosen)


def my_reviews(store: Store, actor: Actor) -> list[dict]:
    """The applications this reviewer has been named for, each with ``submitted`` (scores in)."""
    require(store, actor, "application.score")
    with store.read() as conn:
        ids = supply_records.reviewed_by(conn, actor.id or -1)
        mine = {r["application_id"]: r for r in supply_records.reviewers_of(conn, ids) if r["reviewer_id"] == actor.id}
        found = [supply_records.application_by_id(conn, i) for i in ids]
    return [a | {"submitted": mine[a["id"]]["submitted_at"] is not None} for a in found if a]


def review_sheet(store: Store, actor: Actor, application_id: int) -> dict:
    """What a reviewer scores from: the application with its files, the batch's criteria, their
    own scores, and the others' only once their own are in."""
    require(store, actor, "application.score")
    application = _application(store, application_id)
    with store.read() as conn:
        reviewers = supply_records.reviewers_of(conn, [application_id])
        batch = supply_records.batch_by_id(conn, application["batch_id"])
    own = next((r for r in reviewers if r["reviewer_id"] == actor.id), None)
    if own is None:
        _deny(store, actor, application_id)
    others = [r for r in reviewers if r is not own] if own["submitted_at"] else []
    return {"application": application, "criteria": criteria_of(batch), "own": own, "others": others}


def submit_scores(store: Store, actor: Actor, application_id: int, scores: dict, comment: str = "") -> float:
    """A named reviewer's scores of every criterion (0 to its weight), once; returns the total."""
    sheet = review_sheet(store, actor, application_id)
    if sheet["own"]["submitted_at"] is not None:
        raise NotEditable("你已提交这份申报的评分，评分提交后不能修改")
    if sheet["application"]["status"] != "accepted":
        raise NotEditable(f"这份申报{STATUSES[sheet['application']['status']]}，评审已结束")
    problems, kept = [], {}
    for criterion in sheet["criteria"].criteria:
        value = scores.get(criterion.id)
        if not finite(value):
            problems.append(Problem("评分", criterion.id, f"{criterion.name}：请打分（0 至 {criterion.weight:g} 分）"))
        elif not 0 <= value <= criterion.weight:
            why = f"{criterion.name}：应为 0 至 {criterion.weight:g} 分，不是 {value:g}"
            problems.append(Problem("评分", criterion.id, why))
        else:
            kept[criterion.id] = round(float(value), 1)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        problems.append(Problem("评分", "comment", f"评审意见最多 {MAX_COMMENT} 个字"))
    if problems:
        raise ValidationFailed(problems)
    with store.write() as conn:
        if not supply_records.submit_review(conn, application_id, actor.id, kept, comment):
            raise NotEditable("你已提交这份申报的评分，评分提交后不能修改")
        records.audit(conn, actor.username, "score", "application", application_id, new={"scores": kept})
    return round(sum(kept.values()), 1)


def scores_of(store: Store, actor: Actor, application_id: int) -> dict:
    """For the official: each reviewer's scores side by side, each one's total, the mean total,
    the batch's pass score, and whether every named reviewer has submitted. An official who is one
    of the reviewers sees the others' scores only once their own are in."""
    require(store, actor, "application.decide")
    application = _application(store, application_id)
    with store.read() as conn:
        reviewers = supply_records.reviewers_of(conn, [application_id])
        batch = supply_records.batch_by_id(conn, application["batch_id"])
    criteria = criteria_of(batch)
    own = next((r for r in reviewers if r["reviewer_id"] == actor.id), None)
    if own is not None and own["submitted_at"] is None:
        reviewers = [r if r is own else r | {"scores": None, "comment": "", "submitted_at": None} for r in reviewers]
    totals = [round(sum(r["scores"].values()), 1) for r in reviewers if r["submitted_at"]]
    return {
        "criteria": criteria, "reviewers": reviewers, "totals": totals,
        "mean": round(statistics.fmean(totals), 1) if totals else None,
        "complete": len(reviewers) >= MIN_REVIEWERS and all(r["submitted_at"] for r in reviewers),
    }  # fmt: skip


def decide_application(store: Store, actor: Actor, application_id: int, admit: bool, reason: str) -> None:
    """入库 (``admit``) or 不入库, with the reasons, once every named reviewer (at least two) has scored."""
    found = scores_of(store, actor, application_id)
    application = _application(store, application_id)
    if application["status"] != "accepted":
        raise NotEditable(f"这份申报{STATUSES[application['status']]}，不能再作评审决定")
    if not found["complete"]:
        raise NotEditable(f"须至少 {MIN_REVIEWERS} 位评审专家全部提交评分后才能决定")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([Problem("评审决定", "reason", "请写明入库或不入库的理由")])
    if len(reason) > MAX_COMMENT:
        raise ValidationFailed([Problem("评审决定", "reason", f"理由最多 {MAX_COMMENT} 个字")])
    status = "approved" if admit else "rejected"
    with store.write() as conn:
        if not supply_records.update_application(conn, application_id, application["revision"], status=status,
                                                 comment=reason, decided_at=clock.now()):  # fmt: skip
            raise NotEditable("这份申报刚被修改，请刷新后再决定")
        records.audit(conn, actor.username, status, "application", application_id,
                      new={"reason": reason, "mean": found["mean"]})  # fmt: skip


def publish_batch(store: Store, actor: Actor, questionnaire: Questionnaire, batch_id: int) -> list[str]:
    """Put every approved product of the batch into the live catalog (在库) and close the batch;
    refused while an application of it still waits for its check or decision. Returns the new ids."""
    from diagnose.services.catalog_admin import live_catalog

    require(store, actor, "application.decide")
    with store.read() as conn:
        batch = supply_records.batch_by_id(conn, batch_id)
        if batch is None:
            raise NotFound(f"没有编号为 {batch_id} 的评审批次")
        listed = supply_records.application_list(conn, batch_id=batch_id)
        reviewers = supply_records.reviewers_of(conn, [a["id"] for a in listed])
    if batch["status"] == "published":
        raise NotEditable(f"{batch['name']}已发布")
    if batch["status"] == "open" and batch["deadline"] >= clock.today():
        # publishing ends the batch: not while providers may still apply or send a correction
        deadline = batch["deadline"].isoformat()
        raise NotEditable(f"{batch['name']}仍在申报中（截止日期 {deadline}）：请先截止申报，再发布")
    waiting = [a for a in listed if a["status"] in ("submitted", "accepted")]
    if waiting:
        names = "、".join(f"{a['id']} {a['fields'].get('name', '')}" for a in waiting)
        raise NotEditable(f"{batch['name']}还有申报未完成受理或评审：{names}")
    live_catalog(store, questionnaire)  # the sample catalog is stored before anything is added to it
    approved = [a for a in listed if a["status"] == "approved"]
    made = []
    with store.write() as conn:
        for application in approved:
            product_id = f"A{application['id']:04d}"
            totals = [sum(r["scores"].values()) for r in reviewers
                      if r["application_id"] == application["id"] and r["submitted_at"]]  # fmt: skip
            entry = catalog_entry(application, product_id, batch["name"], questionnaire)
            entry["review"] = {"mean": round(statistics.fmean(totals), 1), "reviewers": len(totals),
                               "decided_on": clock.local(application["decided_at"]).date().isoformat()}  # fmt: skip
            records.put_catalog_entry(conn, entry)
            supply_records.set_product_id(conn, application["id"], product_id)
            records.audit(conn, actor.username, "publish", "catalog", None, field=product_id, new=entry)
            made.append(product_id)
        supply_records.publish_batch_row(conn, batch_id)
        records.audit(conn, actor.username, "publish", "batch", batch_id, new={"products": made})
    return made


def catalog_entry(application: dict, product_id: str, batch: str, questionnaire: Questionnaire) -> dict:
    """The catalog's entry of an approved application (catalog.yaml's fields), 在库."""
    fields = application["fields"]
    questions = {}
    for qid, codes in (fields.get("questions") or {}).items():
        question = questionnaire.question(qid)
        questions[qid] = codes if question is not None and question.type == "multi" else codes[0]
    lead = application.get("lead_name") or application["organisation"]
    return {
        "id": product_id, "name": fields["name"], "version": fields["version"], "lead_firm": lead,
        "provider": application["organisation"], "type": fields["type"], "industries": list(fields["industries"]),
        "links": list(fields["links"]), "scenes": dict(fields.get("scenes") or {}), "questions": questions,
        "deployment": fields["deployment"], "price": int(fields["price"]), "unit": fields["unit"],
        "implementation_days": int(fields["implementation_days"]), "showcase": showcase_text(fields),
        "ip_status": fields["ip_status"], "batch": batch, "status": "在库",
    }  # fmt: skip


def _application(store: Store, application_id: int) -> dict:
    with store.read() as conn:
        found = supply_records.application_by_id(conn, application_id)
    if found is None:
        raise NotFound(f"没有编号为 {application_id} 的产品申报")
    return found


def _deny(store: Store, actor: Actor, application_id: int) -> None:
    refuse(
        store,
        actor,
        "application.score",
        "application",
        application_id,
        f"{ROLES[actor.role]}账户未被指定评审这份申报（编号 {application_id}）",
    )
