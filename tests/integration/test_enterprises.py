"""Enterprise profiles on SQLite and PostgreSQL: checked, unique, audited, never half-stored."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from diagnose.services.enterprises import create_enterprise, find_enterprises, get_enterprise, update_enterprise
from diagnose.services.errors import Conflict, ValidationFailed
from diagnose.store import records
from diagnose.store.tables import enterprises

from .helpers import ADMIN, consultant_of, new_enterprise, profile


def test_a_new_enterprise_is_stored_with_its_size_class_and_an_audit_entry(consultant, store):
    enterprise_id = new_enterprise(store, head_count=45, revenue=1800)

    row = get_enterprise(store, ADMIN, enterprise_id)
    assert row["size_class"] == "小型"
    assert row["sample"] is False
    with store.read() as conn:
        entries = records.audit_entries(conn, "enterprise", enterprise_id)
    assert [(e["actor"], e["action"]) for e in entries] == [(consultant.username, "create")]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "应为 18 位，实际 17 位"),
        ("91350100M000100Y4O", "含有不允许的字符 O"),
        ("91350100M000100Y44", "校验位错误：第 18 位应为 3，实际为 4"),
        ("", "统一社会信用代码不能为空"),
    ],
)
def test_a_wrong_credit_code_is_refused_and_nothing_is_stored(consultant, store, code, message):
    with pytest.raises(ValidationFailed) as refused:
        create_enterprise(store, consultant, profile(credit_code=code))

    assert refused.value.problems[0].place == "credit_code"
    assert message in refused.value.problems[0].message
    with store.read() as conn:
        assert records.count(conn, enterprises) == 0
        assert records.audit_entries(conn, "enterprise") == []


def test_a_duplicate_enterprise_is_refused(consultant, store):
    new_enterprise(store, seed=3)

    with pytest.raises(ValidationFailed, match="已登记，不能重复建档"):
        create_enterprise(store, consultant, profile(seed=3, name="另一个名字"))


def test_every_bad_field_is_named_at_once(consultant, store):
    with pytest.raises(ValidationFailed) as refused:
        create_enterprise(
            store, consultant, profile(district="汕头市", industry="陶瓷", head_count="三十", founded_on="2099-01-01")
        )

    assert [p.place for p in refused.value.problems] == ["industry", "district", "founded_on", "head_count"]
    assert "行政区应为以下之一：榕城区" in refused.value.problems[1].message


def test_an_update_is_audited_field_by_field(store):
    enterprise_id = new_enterprise(store)

    revision = update_enterprise(store, ADMIN, enterprise_id, {"head_count": 320, "revenue": 2500}, base_revision=1)

    row = get_enterprise(store, ADMIN, enterprise_id)
    assert (revision, row["size_class"]) == (2, "中型")
    with store.read() as conn:
        changes = [(e["field"], e["old_value"], e["new_value"]) for e in records.audit_entries(conn, "enterprise")[1:]]
    assert sorted(changes) == [("head_count", 45, 320), ("revenue", 1800, 2500), ("size_class", "小型", "中型")]


def test_an_update_from_a_stale_view_is_a_conflict_not_a_lost_update(store):
    enterprise_id = new_enterprise(store)
    first, second = (consultant_of(store, enterprise_id, name) for name in ("顾问乙", "顾问丙"))
    update_enterprise(store, first, enterprise_id, {"contact_name": "张三"}, base_revision=1)

    with pytest.raises(Conflict):
        update_enterprise(store, second, enterprise_id, {"contact_name": "李四"}, base_revision=1)

    assert get_enterprise(store, ADMIN, enterprise_id)["contact_name"] == "张三"


def test_find_by_name_or_code_and_filters(store):
    first = new_enterprise(store, seed=1, name="普宁市示例纺织有限公司", industry="纺织服装", district="普宁市")
    new_enterprise(store, seed=2)

    assert [r["id"] for r in find_enterprises(store, ADMIN, "纺织")] == [first]
    assert [r["id"] for r in find_enterprises(store, ADMIN, profile(1)["credit_code"][:10])] == [first]
    assert len(find_enterprises(store, ADMIN, industry="塑胶")) == 1
    assert find_enterprises(store, ADMIN, district="惠来县") == []


def test_the_audit_log_is_append_only_in_the_database_itself(consultant, store):
    new_enterprise(store)
    with store.read() as conn:
        before = records.audit_entries(conn)

    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), store.write() as conn:
            conn.execute(text(statement))

    with store.read() as conn:
        assert records.audit_entries(conn) == before
