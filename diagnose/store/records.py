"""Queries over the tables of 一企一档. Every function takes an open connection;
the caller's transaction decides what is written together."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update

from diagnose.store import as_utc, now, touch
from diagnose.store.tables import (
    answers,
    assessments,
    assignments,
    audit_log,
    catalog_products,
    enterprises,
    evidence,
    project_items,
    projects,
    questionnaire_snapshots,
    result_scenes,
    results,
    users,
)


def audit(conn: Connection, actor: str, action: str, entity: str, entity_id: int | None, **change) -> None:
    """Append one entry; ``field``, ``old`` and ``new`` describe a change where there is one."""
    conn.execute(
        insert(audit_log).values(
            at=now(),
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            field=change.get("field", ""),
            old_value=_jsonable(change.get("old")),
            new_value=_jsonable(change.get("new")),
        )
    )


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str)) if value is not None else None


# --- enterprises ---


def enterprise_by_code(conn: Connection, credit_code: str) -> dict | None:
    row = conn.execute(select(enterprises).where(enterprises.c.credit_code == credit_code)).mappings().first()
    return dict(row) if row else None


def enterprise_by_id(conn: Connection, enterprise_id: int) -> dict | None:
    row = conn.execute(select(enterprises).where(enterprises.c.id == enterprise_id)).mappings().first()
    return dict(row) if row else None


def insert_enterprise(conn: Connection, row: dict, sample: bool = False) -> int:
    moment = now()
    values = row | {"sample": sample, "revision": 1, "created_at": moment, "updated_at": moment}
    enterprise_id = conn.execute(insert(enterprises).values(**values).returning(enterprises.c.id)).scalar_one()
    touch(conn, enterprise_id)
    return enterprise_id


def update_enterprise(conn: Connection, enterprise_id: int, changes: dict, base_revision: int) -> bool:
    """Apply ``changes`` if the row is still at ``base_revision``; False if someone changed it first."""
    done = conn.execute(
        update(enterprises)
        .where(enterprises.c.id == enterprise_id, enterprises.c.revision == base_revision)
        .values(**changes, revision=enterprises.c.revision + 1, updated_at=now())
    )
    touch(conn, enterprise_id)
    return done.rowcount == 1


def find_enterprises(conn: Connection, text: str = "", industry: str = "", district: str = "", limit: int = 200,
                     only: set[int] | None = None):  # fmt: skip
    """Matching enterprises by name; ``only`` limits them to those ids (None: no limit)."""
    query = select(enterprises).order_by(enterprises.c.name).limit(limit)
    if only is not None:
        query = query.where(enterprises.c.id.in_(only or [-1]))
    if text:
        pattern = f"%{text}%"
        query = query.where(or_(enterprises.c.name.like(pattern), enterprises.c.credit_code.like(pattern)))
    if industry:
        query = query.where(enterprises.c.industry == industry)
    if district:
        query = query.where(enterprises.c.district == district)
    return [dict(r) for r in conn.execute(query).mappings()]


# --- questionnaire snapshots ---


def ensure_snapshot(conn: Connection, questionnaire) -> None:
    """Keep the questionnaire's source under its hash (once; the same hash is the same content)."""
    exists = conn.execute(
        select(questionnaire_snapshots.c.content_hash).where(
            questionnaire_snapshots.c.content_hash == questionnaire.content_hash
        )
    ).first()
    if not exists:
        conn.execute(
            insert(questionnaire_snapshots).values(
                content_hash=questionnaire.content_hash,
                questionnaire_id=questionnaire.id,
                version=questionnaire.version,
                documents=json.loads(questionnaire.source),
                created_at=now(),
            )
        )


def snapshot_hashes(conn: Connection) -> list[str]:
    """Every stored questionnaire's content hash, oldest first."""
    found = select(questionnaire_snapshots.c.content_hash).order_by(questionnaire_snapshots.c.created_at,
                                                                    questionnaire_snapshots.c.content_hash)  # fmt: skip
    return list(conn.execute(found).scalars())


def snapshot_columns():
    t = questionnaire_snapshots.c
    return (t.content_hash, t.questionnaire_id, t.version)


def snapshot_source(conn: Connection, content_hash: str) -> str:
    documents = conn.execute(
        select(questionnaire_snapshots.c.documents).where(questionnaire_snapshots.c.content_hash == content_hash)
    ).scalar_one()
    # the same canonical form the hash was taken of
    return json.dumps(documents, sort_keys=True, ensure_ascii=False, default=str)


# --- assessments and their items ---


def insert_assessment(conn: Connection, enterprise_id: int, stage: str, questionnaire_hash: str, actor: str,
                      organisation_id: int | None = None) -> int:  # fmt: skip
    """A new draft visit by ``actor``, of ``organisation_id`` (the consultant's organisation then)."""
    moment = now()
    touch(conn, enterprise_id)
    return conn.execute(
        insert(assessments)
        .values(
            enterprise_id=enterprise_id,
            stage=stage,
            status="draft",
            return_comment="",
            questionnaire_hash=questionnaire_hash,
            revision=0,
            created_by=actor,
            organisation_id=organisation_id,
            created_at=moment,
            updated_at=moment,
        )
        .returning(assessments.c.id)
    ).scalar_one()


def assessment_by_id(conn: Connection, assessment_id: int) -> dict | None:
    row = conn.execute(select(assessments).where(assessments.c.id == assessment_id)).mappings().first()
    return _dated(dict(row)) if row else None


def _dated(row: dict) -> dict:
    for key in (
        "created_at",
        "updated_at",
        "submitted_at",
        "decided_at",
        "scored_at",
        "uploaded_at",
        "at",
        "locked_until",
    ):
        if key in row:
            row[key] = as_utc(row[key])
    return row


def revision_of(conn: Connection, assessment_id: int) -> int | None:
    return conn.execute(select(assessments.c.revision).where(assessments.c.id == assessment_id)).scalar_one_or_none()


def bump_revision(conn: Connection, assessment_id: int, statuses: tuple[str, ...]) -> int | None:
    """Take the assessment's next revision if it is in one of ``statuses``; None otherwise.

    The UPDATE comes first in the transaction: it locks the assessment's row
    (PostgreSQL) or the database (SQLite) until commit, so writes queue.
    """
    done = conn.execute(
        update(assessments)
        .where(assessments.c.id == assessment_id, assessments.c.status.in_(statuses))
        .values(revision=assessments.c.revision + 1, updated_at=now())
        .returning(assessments.c.revision)
    ).first()
    return done[0] if done else None


def item_row(conn: Connection, assessment_id: int, item: str) -> dict | None:
    row = (
        conn.execute(select(answers).where(answers.c.assessment_id == assessment_id, answers.c.item == item))
        .mappings()
        .first()
    )
    return dict(row) if row else None


def write_item(conn: Connection, assessment_id: int, item: str, values: dict, existing: dict | None) -> None:
    moment = now()
    if existing:
        conn.execute(update(answers).where(answers.c.id == existing["id"]).values(**values, updated_at=moment))
    else:
        base = {"value": None, "note": ""}
        conn.execute(
            insert(answers).values(assessment_id=assessment_id, item=item, **(base | values), updated_at=moment)
        )


def put_item(conn: Connection, username: str, assessment_id: int, item: str, field: str, new, revision: int,
             existing: dict | None, how: str) -> None:  # fmt: skip
    """Write one checked item's ``field`` (``value`` or ``note``) at ``revision``, with its audit
    entry (action ``"<how> <field>"``: ``save`` from the form, ``workbook`` from an uploaded
    workbook); a visit date is copied to the assessment too."""
    # a value given (even the carried one again) is the consultant's own: no longer carried
    carried = {"carried": False} if field == "value" else {}
    write_item(conn, assessment_id, item, {field: new, "revision": revision, "updated_by": username} | carried,
               existing)  # fmt: skip
    if item == "visit.date" and field == "value":
        set_visit_date(conn, assessment_id, date.fromisoformat(new) if new else None)
    old = existing[field] if existing else None
    audit(conn, username, f"{how} {field}", "assessment", assessment_id, field=item, old=old, new=new)


def items(conn: Connection, assessment_id: int) -> dict[str, dict]:
    rows = conn.execute(select(answers).where(answers.c.assessment_id == assessment_id)).mappings()
    return {r["item"]: dict(r) for r in rows}


def set_status(conn: Connection, assessment_id: int, status: str, **values) -> None:
    conn.execute(update(assessments).where(assessments.c.id == assessment_id).values(status=status, **values))
    touch(conn, assessment_id=assessment_id)


def set_visit_date(conn: Connection, assessment_id: int, visit_date) -> None:
    conn.execute(update(assessments).where(assessments.c.id == assessment_id).values(visit_date=visit_date))


def assessments_of(conn: Connection, enterprise_id: int) -> list[dict]:
    query = select(assessments).where(assessments.c.enterprise_id == enterprise_id).order_by(assessments.c.id)
    return [_dated(dict(r)) for r in conn.execute(query).mappings()]


# --- results ---


def insert_result(conn: Connection, assessment_id: int, questionnaire, result, reason: str, actor: str) -> int:
    detail = result.to_dict()
    touch(conn, assessment_id=assessment_id)
    result_id = conn.execute(
        insert(results)
        .values(
            assessment_id=assessment_id,
            questionnaire_hash=questionnaire.content_hash,
            questionnaire_id=questionnaire.id,
            version=questionnaire.version,
            reason=reason,
            score=result.score,
            basic=result.dimension("basic"),
            management=result.dimension("management"),
            effect=result.dimension("effect"),
            level=result.level,
            scene_levels=scene_digits(result),
            detail=detail,
            scored_by=actor,
            scored_at=now(),
        )
        .returning(results.c.id)
    ).scalar_one()
    conn.execute(
        insert(result_scenes),
        [
            {"result_id": result_id, "scene": s.name, "constrained": s.constrained, "level": s.level}
            for s in result.scenes
        ],
    )
    return result_id


def scene_digits(result) -> str:
    """The scene levels of a result as one digit each, in the questionnaire's scene order."""
    return "".join(str(s.level) for s in result.scenes)


def results_of(conn: Connection, assessment_id: int) -> list[dict]:
    query = select(results).where(results.c.assessment_id == assessment_id).order_by(results.c.id)
    return [_dated(dict(r)) for r in conn.execute(query).mappings()]


# --- evidence, projects, audit ---


def insert_evidence(conn: Connection, row: dict) -> int:
    return conn.execute(insert(evidence).values(**row, uploaded_at=now()).returning(evidence.c.id)).scalar_one()


def evidence_of(conn: Connection, assessment_id: int) -> list[dict]:
    query = select(evidence).where(evidence.c.assessment_id == assessment_id).order_by(evidence.c.id)
    return [_dated(dict(r)) for r in conn.execute(query).mappings()]


def keep_recommendation(conn: Connection, assessment_id: int, rows: list[dict]) -> None:
    """Keep the products recommended to a baseline at its approval (``product_id``, ``target``, ``price``)."""
    from diagnose.store.tables import recommendations

    if rows:
        conn.execute(
            insert(recommendations), [r | {"assessment_id": assessment_id, "recorded_at": now()} for r in rows]
        )


def insert_project(conn: Connection, row: dict, item_rows: list[dict]) -> int:
    project_id = conn.execute(insert(projects).values(**row, created_at=now()).returning(projects.c.id)).scalar_one()
    touch(conn, row["enterprise_id"])
    if item_rows:
        conn.execute(insert(project_items), [r | {"project_id": project_id} for r in item_rows])
    return project_id


def projects_of(conn: Connection, enterprise_id: int) -> list[dict]:
    """The enterprise's projects oldest first, each with its items in the order they were entered."""
    found = []
    chosen = select(projects).where(projects.c.enterprise_id == enterprise_id).order_by(projects.c.id)
    for row in conn.execute(chosen).mappings():
        listed = conn.execute(
            select(project_items).where(project_items.c.project_id == row["id"]).order_by(project_items.c.id)
        ).mappings()
        found.append(dict(row) | {"items": [dict(i) for i in listed]})
    return found


def audit_entries(conn: Connection, entity: str | None = None, entity_id: int | None = None) -> list[dict]:
    query = select(audit_log).order_by(audit_log.c.id)
    if entity:
        query = query.where(audit_log.c.entity == entity)
    if entity_id is not None:
        query = query.where(audit_log.c.entity_id == entity_id)
    return [_dated(dict(r)) for r in conn.execute(query).mappings()]


def count(conn: Connection, table) -> int:
    return conn.execute(select(func.count()).select_from(table)).scalar_one()


def assessment_export(conn: Connection):
    """Every assessment with its enterprise and latest result; item values by assessment; snapshots by hash."""
    latest = (
        select(results.c.assessment_id, func.max(results.c.id).label("result_id"))
        .group_by(results.c.assessment_id)
        .subquery()
    )
    e, a, r = enterprises.c, assessments.c, results.c
    query = (
        select(e.name, e.credit_code, e.industry, e.district, e.size_class, e.sample, a.id, a.stage, a.status,
               a.visit_date, a.questionnaire_hash, r.version, r.score, r.basic, r.management, r.effect, r.level)
        .join(enterprises, e.id == a.enterprise_id)
        .outerjoin(latest, latest.c.assessment_id == a.id)
        .outerjoin(results, r.id == latest.c.result_id)
        .order_by(a.id)
    )  # fmt: skip
    snapshots = {s.content_hash: s for s in conn.execute(select(*snapshot_columns()))}
    values: dict[int, dict] = {}
    for assessment_id, item, value in conn.execute(select(answers.c.assessment_id, answers.c.item, answers.c.value)):
        if value is not None:
            values.setdefault(assessment_id, {})[item] = value
    return conn.execute(query).all(), values, snapshots


def enterprise_overview(conn: Connection, text: str = "", industry: str = "", district: str = "",
                        limit: int | None = 200, only: set[int] | None = None, level: int | None = None,
                        status: str = ""):  # fmt: skip
    """Enterprises matching the filters, each with its latest scored level and score (None if unscored)
    and its latest assessment (id, stage, status); ``only`` limits them to those ids."""
    e = enterprises.c
    # each enterprise's latest result and newest assessment, looked up by index per enterprise
    # (grouping every assessment first took ten times as long on 20,000 enterprises)
    scored_in, scored = assessments.alias("scored_in"), results.alias("scored")
    # its latest result by the rule of ``diagnose.latest``: the newest result of its latest
    # visit (by visit date, a missing one oldest, then assessment id), not the last one scored
    latest_result = (
        select(scored.c.id).select_from(scored).join(scored_in, scored_in.c.id == scored.c.assessment_id)
        .where(scored_in.c.enterprise_id == e.id).correlate(enterprises)
        .order_by(scored_in.c.visit_date.desc().nulls_last(), scored_in.c.id.desc(), scored.c.id.desc())
        .limit(1).scalar_subquery()
    )  # fmt: skip
    newer = assessments.alias("newer")
    newest = select(func.max(newer.c.id)).where(newer.c.enterprise_id == e.id).correlate(enterprises).scalar_subquery()
    current = assessments.alias("current")
    query = (
        select(e.id, e.name, e.credit_code, e.industry, e.district, e.size_class, e.sample, results.c.level,
               results.c.score, current.c.id.label("assessment_id"), current.c.stage.label("assessment_stage"),
               current.c.status.label("assessment_status"))
        .select_from(enterprises)
        .outerjoin(results, results.c.id == latest_result)
        .outerjoin(current, current.c.id == newest)
        .order_by(e.name)
        .limit(limit)
    )  # fmt: skip
    if only is not None:
        query = query.where(e.id.in_(only or [-1]))
    if text:
        query = query.where(or_(e.name.like(f"%{text}%"), e.credit_code.like(f"%{text}%")))
    if industry:
        query = query.where(e.industry == industry)
    if district:
        query = query.where(e.district == district)
    if level is not None:
        query = query.where(results.c.level == level)
    if status:
        query = query.where(current.c.status == status)
    return [dict(r) for r in conn.execute(query).mappings()]


def enterprise_log(conn: Connection, enterprise_id: int, assessment_ids: list[int], limit: int = 200) -> list[dict]:
    """The audit entries about an enterprise and its assessments, newest first."""
    a = audit_log.c
    query = (
        select(audit_log)
        .where(or_((a.entity == "enterprise") & (a.entity_id == enterprise_id),
                   (a.entity == "assessment") & a.entity_id.in_(assessment_ids or [-1])))
        .order_by(a.id.desc())
        .limit(limit)
    )  # fmt: skip
    return [_dated(dict(r)) for r in conn.execute(query).mappings()]


# --- accounts ---


def assigned_to(conn: Connection, consultant_id: int) -> set[int]:
    rows = conn.execute(select(assignments.c.enterprise_id).where(assignments.c.consultant_id == consultant_id))
    return {r[0] for r in rows}


def assign(conn: Connection, consultant_id: int, enterprise_id: int) -> bool:
    """Assign once; False when the pair was already assigned."""
    exists = conn.execute(
        select(assignments.c.enterprise_id).where(
            assignments.c.consultant_id == consultant_id, assignments.c.enterprise_id == enterprise_id
        )
    ).first()
    if exists:
        return False
    conn.execute(insert(assignments).values(consultant_id=consultant_id, enterprise_id=enterprise_id, created_at=now()))
    touch(conn, enterprise_id)
    return True


def user_by_name(conn: Connection, username: str) -> dict | None:
    row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    return _dated(dict(row)) if row else None


def user_by_id(conn: Connection, user_id: int) -> dict | None:
    row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    return _dated(dict(row)) if row else None


def insert_user(conn: Connection, row: dict) -> int:
    moment = now()
    values = {"active": True, "failed_attempts": 0, "session_version": 1, "sample": False} | row
    return conn.execute(
        insert(users).values(**values, created_at=moment, updated_at=moment).returning(users.c.id)
    ).scalar_one()


def update_user(conn: Connection, user_id: int, **values) -> None:
    conn.execute(update(users).where(users.c.id == user_id).values(**values, updated_at=now()))


def end_all_sessions(conn: Connection) -> int:
    """Void every account's sessions (each session version moves on); returns how many accounts."""
    return conn.execute(update(users).values(session_version=users.c.session_version + 1)).rowcount


def all_users(conn: Connection) -> list[dict]:
    return [_dated(dict(r)) for r in conn.execute(select(users).order_by(users.c.username)).mappings()]


# --- the live catalog ---


def catalog_entries(conn: Connection) -> list[dict]:
    """The stored catalog entries, in id order, each with its current status."""
    rows = conn.execute(select(catalog_products).order_by(catalog_products.c.id)).mappings()
    return [dict(r["entry"]) | {"status": r["status"]} for r in rows]


def put_catalog_entry(conn: Connection, entry: dict) -> dict | None:
    """Insert or replace one entry; returns the entry it replaced (None when new)."""
    old = conn.execute(select(catalog_products.c.entry, catalog_products.c.status).where(
        catalog_products.c.id == entry["id"])).first()  # fmt: skip
    values = {"entry": entry, "status": entry["status"], "updated_at": now()}
    if old is None:
        conn.execute(insert(catalog_products).values(id=entry["id"], **values))
        return None
    conn.execute(update(catalog_products).where(catalog_products.c.id == entry["id"]).values(**values))
    return dict(old.entry) | {"status": old.status}


def industry_benchmark(conn: Connection, industry: str) -> dict:
    """Means over the latest approved result of each enterprise of ``industry``: how many
    enterprises, and their mean 基础 / 管理 / 成效 points and mean scene level."""
    a = assessments.c
    # each enterprise's latest by the rule of ``diagnose.latest``: the newest result of its
    # latest approved visit (by visit date, a missing one oldest, then assessment id)
    latest_first = (a.visit_date.desc().nulls_last(), a.id.desc(), results.c.id.desc())
    ranked = (
        select(a.enterprise_id, results.c.id.label("result_id"),
               func.row_number().over(partition_by=a.enterprise_id, order_by=latest_first).label("rank"))
        .join(results, results.c.assessment_id == a.id)
        .join(enterprises, enterprises.c.id == a.enterprise_id)
        .where(a.status == "approved", enterprises.c.industry == industry)
        .subquery()
    )  # fmt: skip
    latest = select(ranked.c.enterprise_id, ranked.c.result_id).where(ranked.c.rank == 1).subquery()
    row = conn.execute(
        select(func.count(), func.avg(results.c.basic), func.avg(results.c.management), func.avg(results.c.effect))
        .select_from(latest)
        .join(results, results.c.id == latest.c.result_id)
    ).one()
    scene_level = conn.execute(
        select(func.avg(result_scenes.c.level)).join(latest, latest.c.result_id == result_scenes.c.result_id)
    ).scalar_one()
    return {"enterprises": row[0], "basic": row[1], "management": row[2], "effect": row[3],
            "scene_level": scene_level}  # fmt: skip


def last_audit_id(conn: Connection) -> int:
    """The id of the newest audit entry (0 when none): it changes whenever anything is written."""
    return conn.execute(select(func.coalesce(func.max(audit_log.c.id), 0))).scalar_one()
