"""The access check every service makes before it acts; a refusal is logged and raised."""

from __future__ import annotations

from diagnose.access.policy import ROLES, Actor, allowed, in_organisation, in_scope
from diagnose.services.errors import ServiceError
from diagnose.services.lookup import assessment_row
from diagnose.store import Store, records


class PermissionDenied(ServiceError):
    """The acting user may not do this; the attempt is in the audit log."""


ACTION_NAMES = {
    "enterprise.create": "新建企业档案", "enterprise.read": "查看企业档案", "enterprise.update": "修改企业档案",
    "assessment.write": "填写或提交评测", "assessment.read": "查看评测", "assessment.review": "审核评测",
    "assessment.rescore": "按新版问卷重新计分", "project.record": "登记改造项目", "enterprises.import": "导入企业",
    "assessments.export": "导出评测", "demo.seed": "生成示例数据", "store.backup": "备份数据库",
    "store.restore": "恢复备份", "users.manage": "管理账户", "catalog.manage": "管理产品清单",
    "dashboard.read": "查看试点看板", "organisations.manage": "管理单位", "organisations.read": "查看单位",
    "batches.manage": "管理评审批次", "application.write": "填写或提交产品申报", "application.read": "查看产品申报",
    "application.check": "受理产品申报", "application.assign": "指定评审专家", "application.score": "评审打分",
    "application.decide": "决定产品入库", "projects.own": "查看本单位承接的改造项目", "plan.read": "查看试点规划",
}  # fmt: skip


def require(store: Store, actor: Actor, action: str, enterprise_id: int | None = None) -> None:
    """Return if ``actor`` may take ``action`` (on ``enterprise_id``); else log and raise PermissionDenied."""
    with store.read() as conn:
        assigned = records.assigned_to(conn, actor.id) if actor.role == "consultant" and actor.id else set()
    if allowed(actor, action) and in_scope(actor, enterprise_id, assigned):
        return
    with store.write() as conn:  # its own transaction: the refusal is kept though the call fails
        records.audit(conn, actor.username, "denied", "enterprise" if enterprise_id else "system", enterprise_id,
                      field=action, new={"role": actor.role})  # fmt: skip
    if allowed(actor, action):  # the role may, but not on this enterprise
        scope = "只能查看本企业的档案" if actor.role == "enterprise" else "只能处理分配给自己的企业"
        raise PermissionDenied(f"{ROLES[actor.role]}账户{scope}，无权{ACTION_NAMES[action]}（企业 {enterprise_id}）")
    raise PermissionDenied(f"{ROLES[actor.role]}账户无权{ACTION_NAMES[action]}")


def require_in_organisation(store: Store, actor: Actor, action: str, organisation_id: int) -> None:
    """Return if ``actor`` may take ``action`` on something of ``organisation_id`` (a provider: only
    its own organisation's); else log and raise PermissionDenied."""
    if allowed(actor, action) and in_organisation(actor, organisation_id):
        return
    with store.write() as conn:
        records.audit(conn, actor.username, "denied", "organisation", organisation_id, field=action,
                      new={"role": actor.role})  # fmt: skip
    if allowed(actor, action):
        raise PermissionDenied(
            f"{ROLES[actor.role]}账户只能处理本单位的申报，无权{ACTION_NAMES[action]}（单位 {organisation_id}）"
        )
    raise PermissionDenied(f"{ROLES[actor.role]}账户无权{ACTION_NAMES[action]}")


def refuse(store: Store, actor: Actor, action: str, entity: str, entity_id: int | None, message: str):
    """Log a refusal the policy table cannot see (a reviewer not named for this application) and
    raise PermissionDenied with ``message``."""
    with store.write() as conn:
        records.audit(conn, actor.username, "denied", entity, entity_id, field=action, new={"role": actor.role})
    raise PermissionDenied(message)


def require_for_assessment(store: Store, actor: Actor, action: str, assessment_id: int) -> int:
    """The check for an action on an assessment, scoped by its enterprise; returns that enterprise's id."""
    with store.read() as conn:
        row = assessment_row(conn, assessment_id)
    require(store, actor, action, row["enterprise_id"])
    return row["enterprise_id"]


def visible_enterprises(store: Store, actor: Actor) -> set[int] | None:
    """The enterprise ids a scoped actor may see; None means every enterprise."""
    if actor.role == "enterprise":
        return {actor.enterprise_id} if actor.enterprise_id else set()
    if actor.role == "consultant":
        with store.read() as conn:
            return records.assigned_to(conn, actor.id) if actor.id else set()
    return None
