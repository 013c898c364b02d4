"""Bulk writes for sample data: many rows per statement, one transaction per chunk."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import Connection, insert, update

from diagnose.store import now, touch
from diagnose.store.records import scene_digits
from diagnose.store.tables import (
    answers,
    assessments,
    enterprises,
    project_items,
    projects,
    result_scenes,
    results,
)


def _ids(conn: Connection, table, rows: list[dict]) -> list[int]:
    if not rows:
        return []
    returned = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [r[0] for r in returned]


def write_demo_chunk(conn: Connection, chunk, questionnaires_by_industry: dict, score,
                     organisations: dict[str, int] | None = None) -> None:  # fmt: skip
    """Write enterprises with their visits, results and projects (``score`` scores one visit);
    a project's provider and a visit's consultant's agency are named by id where ``organisations``
    (name → id) has them."""
    from diagnose.demo import agency_of

    organisations = organisations or {}
    moment = now()
    enterprise_ids = _ids(conn, enterprises, [
        e.profile | {"sample": True, "revision": 1, "created_at": moment, "updated_at": moment} for e in chunk
    ])  # fmt: skip
    for enterprise_id in enterprise_ids:
        touch(conn, enterprise_id)
    visit_rows, visit_refs = [], []
    for enterprise_id, made in zip(enterprise_ids, chunk, strict=True):
        questionnaire = questionnaires_by_industry[made.profile["industry"]]
        for visit in made.visits:
            stamp = datetime.combine(visit.visit_date, time(10), tzinfo=UTC)
            visit_rows.append({
                "enterprise_id": enterprise_id, "stage": visit.stage, "visit_date": visit.visit_date,
                "status": visit.status, "return_comment": "", "questionnaire_hash": questionnaire.content_hash,
                "revision": len(visit.values), "created_by": visit.values["visit.consultants"][0],
                "organisation_id": organisations.get(agency_of(visit.values["visit.consultants"][0])),
                "created_at": stamp, "updated_at": stamp,
                "submitted_at": stamp if visit.status != "draft" else None,
                "decided_at": stamp if visit.status == "approved" else None,
            })  # fmt: skip
            visit_refs.append((questionnaire, visit))
    assessment_ids = _ids(conn, assessments, visit_rows)
    answer_rows, scored = [], []
    for assessment_id, (questionnaire, visit) in zip(assessment_ids, visit_refs, strict=True):
        actor = visit.values["visit.consultants"][0]
        answer_rows += [
            {"assessment_id": assessment_id, "item": item, "value": value, "note": "", "revision": i + 1,
             "updated_by": actor, "updated_at": moment}
            for i, (item, value) in enumerate(visit.values.items())
        ]  # fmt: skip
        if visit.status != "draft":
            scored.append((assessment_id, questionnaire, score(questionnaire, visit.assessment), actor))
    conn.execute(insert(answers), answer_rows)
    _write_results(conn, scored, moment)
    # a demo project acts on its enterprise's baseline (the first visit); its after-visit measures it
    first_visit, ids = {}, iter(assessment_ids)
    for enterprise_id, made in zip(enterprise_ids, chunk, strict=True):
        first_visit[enterprise_id] = [next(ids) for _ in made.visits]
    with_projects = [(eid, made) for eid, made in zip(enterprise_ids, chunk, strict=True) if made.project]
    provider_of = {eid: organisations.get(made.project["provider"]) for eid, made in with_projects}
    named = [{"baseline_assessment_id": first_visit[eid][0], "organisation_id": provider_of[eid]}
             for eid, _ in with_projects]  # fmt: skip
    project_ids = _write_projects(
        conn, [(eid, made.project | extra) for (eid, made), extra in zip(with_projects, named, strict=True)], moment
    )
    for project_id, (eid, made) in zip(project_ids, with_projects, strict=True):
        after = [a for a, visit in zip(first_visit[eid], made.visits, strict=True) if visit.stage != "baseline"]
        if after:
            conn.execute(update(assessments).where(assessments.c.id.in_(after))
                         .values(project_id=project_id, carried_from=first_visit[eid][0]))  # fmt: skip


def _write_results(conn: Connection, scored: list, moment) -> None:
    rows = [
        {"assessment_id": aid, "questionnaire_hash": q.content_hash, "questionnaire_id": q.id, "version": q.version,
         "reason": "submitted", "score": r.score, "basic": r.dimension("basic"),
         "management": r.dimension("management"), "effect": r.dimension("effect"), "level": r.level,
         "scene_levels": scene_digits(r), "detail": r.to_dict(), "scored_by": actor, "scored_at": moment}
        for aid, q, r, actor in scored
    ]  # fmt: skip
    result_ids = _ids(conn, results, rows)
    scene_rows = [
        {"result_id": rid, "scene": s.name, "constrained": s.constrained, "level": s.level}
        for rid, (_, _, r, _) in zip(result_ids, scored, strict=True)
        for s in r.scenes
    ]
    if scene_rows:
        conn.execute(insert(result_scenes), scene_rows)


def _write_projects(conn: Connection, made: list, moment) -> list[int]:
    project_ids = _ids(conn, projects, [
        {k: v for k, v in project.items() if k != "items"}
        | {"enterprise_id": eid, "created_at": moment, "updated_at": moment, "created_by": "示例数据"}
        for eid, project in made
    ])  # fmt: skip
    item_rows = [
        i | {"project_id": pid} for pid, (_, project) in zip(project_ids, made, strict=True) for i in project["items"]
    ]
    if item_rows:
        conn.execute(insert(project_items), item_rows)
    return project_ids
