"""Enterprise profiles of 一企一档: create, update (audited field by field), find."""

from __future__ import annotations

from diagnose.access.policy import Actor
from diagnose.enterprise import LABELS, Profile, check_profile
from diagnose.problems import Problem
from diagnose.services.errors import Conflict, ValidationFailed
from diagnose.services.guard import require, visible_enterprises
from diagnose.services.lookup import enterprise_row
from diagnose.store import Duplicate, Store, records


def create_enterprise(store: Store, actor: Actor, data: dict, sample: bool = False) -> int:
    """Check and store a new profile; raises ValidationFailed naming each bad field or a duplicate.
    A consultant who creates an enterprise is assigned to it."""
    require(store, actor, "enterprise.create")
    profile, problems = check_profile(data)
    if profile is None:
        raise ValidationFailed(problems)
    try:
        with store.write() as conn:
            _refuse_duplicate(conn, profile)
            enterprise_id = records.insert_enterprise(conn, profile.as_row(), sample=sample)
            records.audit(conn, actor.username, "create", "enterprise", enterprise_id, new=profile.as_row())
            if actor.role == "consultant" and actor.id:
                records.assign(conn, actor.id, enterprise_id)
    except Duplicate:
        # a concurrent create of the same code got there between our check and insert
        raise ValidationFailed([_duplicate(profile)]) from None
    return enterprise_id


def _refuse_duplicate(conn, profile: Profile) -> None:
    if records.enterprise_by_code(conn, profile.credit_code):
        raise ValidationFailed([_duplicate(profile)])


def _duplicate(profile: Profile) -> Problem:
    return Problem("企业信息", "credit_code", f"统一社会信用代码 {profile.credit_code} 已登记，不能重复建档")


def update_enterprise(store: Store, actor: Actor, enterprise_id: int, changes: dict, base_revision: int) -> int:
    """Apply changed fields if nobody changed the profile since ``base_revision``; returns the new revision."""
    require(store, actor, "enterprise.update", enterprise_id)
    with store.write() as conn:
        current = enterprise_row(conn, enterprise_id)
        merged = {k: current[k] for k in LABELS} | changes
        profile, problems = check_profile(merged)
        if profile is None:
            raise ValidationFailed(problems)
        if profile.credit_code != current["credit_code"] and records.enterprise_by_code(conn, profile.credit_code):
            raise ValidationFailed([_duplicate(profile)])
        row = profile.as_row()
        changed = {k: v for k, v in row.items() if v != current[k]}
        if not changed:
            return current["revision"]
        if not records.update_enterprise(conn, enterprise_id, changed, base_revision):
            raise Conflict("企业信息已被他人修改，请刷新后再改")
        for key, value in changed.items():
            records.audit(conn, actor.username, "update", "enterprise", enterprise_id, field=key, old=current[key],
                          new=value)  # fmt: skip
        return base_revision + 1


def get_enterprise(store: Store, actor: Actor, enterprise_id: int) -> dict:
    """The enterprise's row, for whoever may read it; raises PermissionDenied, or NotFound if there is none."""
    require(store, actor, "enterprise.read", enterprise_id)
    with store.read() as conn:
        return enterprise_row(conn, enterprise_id)


def find_enterprises(store: Store, actor: Actor, text: str = "", industry: str = "", district: str = "",
                     limit: int = 200) -> list[dict]:  # fmt: skip
    """Enterprises the actor may see whose name or credit code contains ``text``, by name; at most ``limit``."""
    require(store, actor, "enterprise.read")
    with store.read() as conn:
        return records.find_enterprises(
            conn, text.strip(), industry, district, limit, visible_enterprises(store, actor)
        )
