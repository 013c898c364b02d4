"""Who may do what: roles, the acting user, name and password rules, and the access policy.

The policy is a table from action to the roles that may take it, plus the
scope rule: a consultant acts only on the enterprises assigned to them, an
enterprise account only on its own enterprise. Services check it; pages only
hide what a role cannot use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROLES = {"consultant": "顾问", "enterprise": "企业", "official": "主管部门", "admin": "管理员", "provider": "服务商",
         "expert": "评审专家"}  # fmt: skip
USERNAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 128
MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15
SESSION_HOURS = 8


@dataclass(frozen=True)
class Actor:
    """The signed-in user a service acts for (the CLI acts as an administrator)."""

    username: str
    role: str
    id: int | None = None
    enterprise_id: int | None = None
    organisation_id: int | None = None  # a provider's (always), an expert's or a consultant's organisation

    @property
    def role_name(self) -> str:
        """The role's Chinese name (顾问, 企业, 主管部门, 管理员, 服务商 or 评审专家)."""
        return ROLES[self.role]


def command_line_actor(os_user: str) -> Actor:
    """The administrator the CLI acts as, named ``命令行:<os_user>``."""
    # whoever runs the CLI on the server already holds the database itself
    return Actor(f"命令行:{os_user}", "admin")


# action → roles that may take it; "scoped" roles act only within their enterprises
POLICY: dict[str, set[str]] = {
    "enterprise.create": {"consultant", "admin"},
    "enterprise.read": {"consultant", "enterprise", "official", "admin"},
    "enterprise.update": {"consultant", "admin"},
    "assessment.write": {"consultant"},  # start, save, attach evidence, submit
    "assessment.read": {"consultant", "enterprise", "official", "admin"},
    "assessment.review": {"official", "admin"},  # the review queue, approve or return
    "assessment.rescore": {"admin"},
    "project.record": {"consultant", "admin"},
    "enterprises.import": {"admin"},
    "assessments.export": {"official", "admin"},
    "demo.seed": {"admin"},
    "store.backup": {"admin"},
    "store.restore": {"admin"},
    "users.manage": {"admin"},
    "catalog.manage": {"admin"},  # status changes, imports, exports of the product catalog
    "dashboard.read": {"official", "admin"},  # the pilot's figures over every enterprise
    "plan.read": {"official", "admin"},  # the pilot planner: which enterprises, products and public money
    # the supply side: a provider acts only on its own organisation's applications
    "organisations.manage": {"admin"},
    "organisations.read": {"official", "admin"},
    "batches.manage": {"official", "admin"},  # open a review batch, close it
    "application.write": {"provider"},  # draft, correct, attach, submit
    "application.read": {"provider", "official", "admin", "expert"},  # an expert: those it reviews
    "application.check": {"official", "admin"},  # 受理, 退回补正 or 不予受理
    "application.assign": {"official", "admin"},  # name an accepted application's reviewers
    "application.score": {"expert", "official"},  # only the reviewers named for that application
    "application.decide": {"official", "admin"},  # 入库 / 不入库; publishing a batch
    "projects.own": {"provider"},  # the projects its organisation is contracted for, with their outcome
}
SCOPED = {"consultant", "enterprise"}  # by enterprise; a provider is scoped by organisation


def allowed(actor: Actor, action: str) -> bool:
    """Whether the actor's role may take ``action`` at all (scope aside: see ``in_scope``); KeyError if unknown."""
    return actor.role in POLICY[action]


def in_scope(actor: Actor, enterprise_id: int | None, assigned: set[int]) -> bool:
    """Whether the enterprise is within the actor's reach (everything, for the unscoped roles)."""
    if actor.role not in SCOPED or enterprise_id is None:
        return True
    if actor.role == "enterprise":
        return enterprise_id == actor.enterprise_id
    return enterprise_id in assigned


def in_organisation(actor: Actor, organisation_id: int | None) -> bool:
    """Whether something of ``organisation_id`` is within the actor's reach: a provider reaches
    only its own organisation's, the other roles every one."""
    return actor.role != "provider" or (actor.organisation_id is not None and organisation_id == actor.organisation_id)


def username_problem(username: object) -> str | None:
    """Why ``username`` is unacceptable (empty, not 2-32 letters, digits, 汉字 or ``_ . -``), or None."""
    if not isinstance(username, str) or not username.strip():
        return "用户名不能为空"
    if len(username) > 32:
        return "用户名过长（最多 32 个字符）"
    if not USERNAME.match(username):
        return "用户名只能包含字母、数字、汉字和 _ . -，2-32 个字符"
    return None


def password_problem(password: object) -> str | None:
    """Why ``password`` is unacceptable (empty, under 10 or over 128 characters, spaces at either end,
    control characters), or None."""
    if not isinstance(password, str) or not password:
        return "密码不能为空"
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 个字符"
    if len(password) > MAX_PASSWORD:
        return f"密码过长（最多 {MAX_PASSWORD} 个字符）"
    if password.strip() != password or any(ord(c) < 32 for c in password):
        return "密码不能以空格开头或结尾，也不能包含控制字符"
    return None
