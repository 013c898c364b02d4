"""The administrators' doors on both databases: enable, unlock, reset a password, and rescoring
under a new questionnaire version (a preview that writes nothing, then the act)."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

from diagnose.rule.loading import DEFAULT_DIRECTORY, load_directory
from diagnose.services import assessments as visits
from diagnose.services.accounts import (
    SignInRefused,
    actor_for_session,
    disable_user,
    enable_user,
    set_password,
    sign_in,
    unlock_user,
)
from diagnose.services.errors import NotFound, ValidationFailed
from diagnose.services.guard import PermissionDenied
from diagnose.services.rescoring import apply_rescore, preview_rescore
from diagnose.store import now, records, tables

from .helpers import ADMIN, OFFICIAL, PASSWORD, fill_visit, new_enterprise, profile, user

NEW_PASSWORD = "a brand new passphrase"
NON_ADMINS = ["consultant", "enterprise", "official"]


def actor_of_role(store, role: str):
    new_enterprise(store, seed=90)  # the enterprise an enterprise account belongs to
    code = profile(90)["credit_code"] if role == "enterprise" else None
    return user(store, f"非管理员{role}", role, credit_code=code)


def audited(store, action: str) -> list[dict]:
    with store.read() as conn:
        return [e for e in records.audit_entries(conn) if e["action"] == action]


def account(store, username: str) -> dict:
    with store.read() as conn:
        return records.user_by_name(conn, username)


# --- accounts ---


def test_an_enabled_account_signs_in_again_and_the_change_is_audited(store):
    target = user(store, "官员乙", "official")
    disable_user(store, ADMIN, "官员乙")
    with pytest.raises(SignInRefused, match="账户已停用"):
        sign_in(store, "官员乙", PASSWORD)

    changed = enable_user(store, ADMIN, "官员乙")

    assert changed and enable_user(store, ADMIN, "官员乙") is False  # already active: nothing to do
    assert sign_in(store, "官员乙", PASSWORD).actor.username == "官员乙"
    [entry] = audited(store, "enable")
    assert (entry["actor"], entry["entity_id"], entry["old_value"], entry["new_value"]) == (
        ADMIN.username,
        target.id,
        False,
        True,
    )


def test_an_unlocked_account_signs_in_at_once_and_the_lock_is_audited(store):
    user(store, "官员乙", "official")
    for attempt in range(5):
        with pytest.raises(SignInRefused):
            sign_in(store, "官员乙", f"wrong password {attempt}")
    assert account(store, "官员乙")["locked_until"] is not None

    changed = unlock_user(store, ADMIN, "官员乙")

    assert changed and unlock_user(store, ADMIN, "官员乙") is False
    row = account(store, "官员乙")
    assert (row["failed_attempts"], row["locked_until"]) == (0, None)
    assert sign_in(store, "官员乙", PASSWORD).actor.username == "官员乙"
    [entry] = audited(store, "unlock")
    assert entry["old_value"]["locked_until"] and entry["new_value"] is None


def test_unlocking_clears_failed_attempts_short_of_a_lock(store):
    user(store, "官员乙", "official")
    for _ in range(3):
        with pytest.raises(SignInRefused):
            sign_in(store, "官员乙", "wrong password")

    assert unlock_user(store, ADMIN, "官员乙")

    assert account(store, "官员乙")["failed_attempts"] == 0


def test_a_reset_password_replaces_the_old_one_and_ends_its_sessions(store):
    user(store, "官员乙", "official")
    old_session = sign_in(store, "官员乙", PASSWORD).token
    with store.write() as conn:
        records.update_user(conn, account(store, "官员乙")["id"], failed_attempts=5,
                            locked_until=now() + timedelta(minutes=10))  # fmt: skip

    set_password(store, ADMIN, "官员乙", NEW_PASSWORD)

    assert actor_for_session(store, old_session) is None
    assert sign_in(store, "官员乙", NEW_PASSWORD).actor.username == "官员乙"  # the lock went with the old one
    with pytest.raises(SignInRefused):
        sign_in(store, "官员乙", PASSWORD)
    [entry] = audited(store, "password")
    assert entry["actor"] == ADMIN.username and NEW_PASSWORD not in str(entry)


def test_a_reset_password_is_checked_like_a_new_one(store):
    user(store, "官员乙", "official")

    with pytest.raises(ValidationFailed, match="密码至少 10 个字符"):
        set_password(store, ADMIN, "官员乙", "short")

    assert sign_in(store, "官员乙", PASSWORD)


def test_an_admin_cannot_disable_their_own_account(store):
    admin = user(store, "管理员乙", "admin")

    with pytest.raises(ValidationFailed, match="不能停用自己正在使用的账户"):
        disable_user(store, admin, "管理员乙")

    assert account(store, "管理员乙")["active"]


def test_an_unknown_account_is_named(store):
    with pytest.raises(NotFound, match="没有用户 无此人"):
        enable_user(store, ADMIN, "无此人")


ACCOUNT_DOORS = {
    "enable": lambda store, actor: enable_user(store, actor, "目标账户"),
    "unlock": lambda store, actor: unlock_user(store, actor, "目标账户"),
    "disable": lambda store, actor: disable_user(store, actor, "目标账户"),
    "reset another's password": lambda store, actor: set_password(store, actor, "目标账户", NEW_PASSWORD),
}


@pytest.mark.parametrize("role", NON_ADMINS)
@pytest.mark.parametrize("door", ACCOUNT_DOORS)
def test_only_an_admin_may_enable_unlock_disable_or_reset_a_password(store, role, door):
    user(store, "目标账户", "official")
    disable_user(store, ADMIN, "目标账户")
    before = account(store, "目标账户")
    actor = actor_of_role(store, role)

    with pytest.raises(PermissionDenied, match="无权管理账户"):
        ACCOUNT_DOORS[door](store, actor)

    assert account(store, "目标账户") == before
    [denied] = audited(store, "denied")
    assert (denied["actor"], denied["field"]) == (actor.username, "users.manage")


# --- rescoring ---


@pytest.fixture
def new_version(tmp_path):
    """The shipped questionnaires with a new national version: 二级 needs 45 points instead of 40,
    一级 no longer needs any scene, and Q5 loses its option 绝大部分 (so a stored 'E' no longer exists)."""
    folder = tmp_path / "questionnaires"
    shutil.copytree(DEFAULT_DIRECTORY, folder)
    national = folder / "national-2024.yaml"
    text = national.read_text(encoding="utf-8")
    for old, new in [
        ('version: "2024.1"', 'version: "2024.2"'),
        ("      - {text: 绝大部分（>80%）业务环节, points: 7.5}\n", ""),
        ("    min_score: 20\n    min_scenes: 6\n    min_constrained_scenes: 3\n",
         "    min_score: 20\n    min_scenes: 0\n    min_constrained_scenes: 0\n"),
        ("    min_score: 40\n", "    min_score: 45\n"),
    ]:  # fmt: skip
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    national.write_text(text, encoding="utf-8")
    return load_directory(folder)


@pytest.fixture
def scored(store, questionnaires, consultant):
    """Four enterprises' visits: 'down' (二级 at 41.525, approved), 'up' (no scene rated, so no
    level), 'broken' (Q5 'E', 46.525 points) and 'draft' (never submitted)."""
    made = {}
    for seed, name, scenes, overrides in [(1, "down", 2, {}), (2, "up", 0, {}), (3, "broken", 2, {"Q5": "E"}),
                                          (4, "draft", 2, {})]:  # fmt: skip
        assessment = visits.start_assessment(store, consultant, new_enterprise(store, seed), "baseline", questionnaires)
        fill_visit(store, assessment, scenes=scenes, overrides=overrides)
        if name != "draft":
            visits.submit(store, consultant, assessment)
        made[name] = assessment
    visits.approve(store, OFFICIAL, made["down"])
    return made


def written(store) -> tuple[int, int]:
    with store.read() as conn:
        return records.count(conn, tables.results), records.count(conn, tables.audit_log)


def test_the_rescore_preview_writes_nothing_and_puts_the_level_crossings_first(store, scored, new_version):
    before = written(store)

    preview = preview_rescore(store, ADMIN, new_version)

    assert written(store) == before
    by_id = {p.assessment_id: p for p in preview}
    assert [p.assessment_id for p in preview] == [scored["down"], scored["up"], scored["broken"]]
    down, up, broken = by_id[scored["down"]], by_id[scored["up"]], by_id[scored["broken"]]
    assert (down.enterprise, down.credit_code, down.status) == ("揭阳测试塑胶制品有限公司1", profile(1)["credit_code"],
                                                                "approved")  # fmt: skip
    assert (down.old_score, down.old_level, down.new_score, down.new_level, down.crossing) == (41.525, 2, 41.525, 1,
                                                                                                "down")  # fmt: skip
    assert (down.old_version, down.new_version) == ("2024.1-plastics.1", "2024.1-plastics.1")  # same name, new hash
    assert (up.old_level, up.new_level, up.crossing) == (0, 1, "up")
    assert up.new_level_label.startswith("一级") and up.old_level_label == "未达一级"
    assert broken.new_score is None and broken.crossing == "" and "应为一个选项字母 A-D，而不是 'E'" in broken.problem
    assert scored["draft"] not in by_id


def test_nothing_to_rescore_when_the_questionnaires_are_the_ones_scored_with(store, scored, questionnaires):
    assert preview_rescore(store, ADMIN, questionnaires) == []


def test_applying_the_rescore_adds_a_result_beside_the_old_one(store, scored, new_version, consultant):
    old = {name: visits.load(store, consultant, i).results for name, i in scored.items()}

    done = apply_rescore(store, ADMIN, new_version, [scored["down"], scored["up"], scored["broken"]])

    assert done.rescored == (scored["down"], scored["up"])
    assert [(i, "应为一个选项字母 A-D" in why) for i, why in done.skipped] == [(scored["broken"], True)]
    results = visits.load(store, consultant, scored["down"]).results
    assert results[0] == old["down"][0]  # the stored result never changes
    assert [(r["reason"], r["level"], r["questionnaire_hash"]) for r in results] == [
        ("submitted", 2, old["down"][0]["questionnaire_hash"]),
        ("rescored", 1, new_version["plastics"].content_hash),
    ]
    assert visits.load(store, consultant, scored["broken"]).results == old["broken"]
    assert sorted(e["entity_id"] for e in audited(store, "rescore")) == sorted([scored["down"], scored["up"]])
    # what is done is no longer proposed, and applying it again adds nothing
    assert [p.assessment_id for p in preview_rescore(store, ADMIN, new_version)] == [scored["broken"]]
    again = apply_rescore(store, ADMIN, new_version, [scored["down"]])
    assert again.rescored == () and "已按 plastics" in again.skipped[0][1]


@pytest.mark.parametrize("role", NON_ADMINS)
def test_only_an_admin_may_preview_or_apply_a_rescore(store, scored, new_version, role):
    actor = actor_of_role(store, role)
    before = written(store)

    with pytest.raises(PermissionDenied, match="无权按新版问卷重新计分"):
        preview_rescore(store, actor, new_version)
    with pytest.raises(PermissionDenied, match="无权按新版问卷重新计分"):
        apply_rescore(store, actor, new_version, [scored["down"]])

    results, entries = written(store)
    assert results == before[0] and entries == before[1] + 2  # the two refusals, nothing else
    assert [e["field"] for e in audited(store, "denied")] == ["assessment.rescore"] * 2
