"""Queries of the transformation project (项目备案, 验收): its row, items and documents."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from diagnose.store import as_utc, now, touch
from diagnose.store.tables import assessments, project_documents, project_items, projects


def project_by_id(conn: Connection, project_id: int) -> dict | None:
    row = conn.execute(select(projects).where(projects.c.id == project_id)).mappings().first()
    if row is None:
        return None
    listed = conn.execute(select(project_items).where(project_items.c.project_id == project_id)
                          .order_by(project_items.c.id)).mappings()  # fmt: skip
    return _dated(dict(row)) | {"items": [dict(i) for i in listed], "documents": documents_of(conn, project_id)}


def same_contract(conn: Connection, provider: str, contract_no: str, other_than: int | None) -> dict | None:
    """Another project of ``provider`` with the contract number ``contract_no`` (its id and
    enterprise id), or None."""
    p = projects.c
    query = select(p.id, p.enterprise_id).where(p.provider == provider, p.contract_no == contract_no)
    if other_than is not None:
        query = query.where(p.id != other_than)
    row = conn.execute(query.order_by(p.id).limit(1)).mappings().first()
    return dict(row) if row else None


def _dated(row: dict) -> dict:
    for key in ("created_at", "updated_at", "uploaded_at"):
        if key in row:
            row[key] = as_utc(row[key])
    return row


def update_project(conn: Connection, project_id: int, fields: dict, item_rows: list[dict] | None,
                   base_revision: int) -> int | None:  # fmt: skip
    """Write the fields (and replace the items when given) if the project is still at
    ``base_revision``; its new revision, or None when someone changed it first."""
    done = conn.execute(
        update(projects)
        .where(projects.c.id == project_id, projects.c.revision == base_revision)
        .values(**fields, revision=projects.c.revision + 1, updated_at=now())
        .returning(projects.c.revision, projects.c.enterprise_id)
    ).first()
    if done is None:
        return None
    touch(conn, done[1])  # the pilot's count reads the project's dates and funding
    if item_rows is not None:
        conn.execute(delete(project_items).where(project_items.c.project_id == project_id))
        if item_rows:
            conn.execute(insert(project_items), [r | {"project_id": project_id} for r in item_rows])
    return done[0]


def insert_document(conn: Connection, row: dict) -> int:
    found = insert(project_documents).values(**row, uploaded_at=now()).returning(project_documents.c.id)
    return conn.execute(found).scalar_one()


def documents_of(conn: Connection, project_id: int) -> list[dict]:
    query = select(project_documents).where(project_documents.c.project_id == project_id)
    return [_dated(dict(r)) for r in conn.execute(query.order_by(project_documents.c.id)).mappings()]


def document_by_id(conn: Connection, document_id: int) -> dict | None:
    row = conn.execute(select(project_documents).where(project_documents.c.id == document_id)).mappings().first()
    return _dated(dict(row)) if row else None


def after_visits_of(conn: Connection, project_id: int) -> list[dict]:
    query = select(assessments).where(assessments.c.project_id == project_id).order_by(assessments.c.id)
    return [dict(r) for r in conn.execute(query).mappings()]


def link_after_visit(conn: Connection, assessment_id: int, project_id: int, carried_from: int) -> None:
    conn.execute(update(assessments).where(assessments.c.id == assessment_id)
                 .values(project_id=project_id, carried_from=carried_from))  # fmt: skip


def set_project_status(conn: Connection, project_id: int, status: str) -> None:
    conn.execute(update(projects).where(projects.c.id == project_id)
                 .values(status=status, revision=projects.c.revision + 1, updated_at=now()))  # fmt: skip


def project_list(conn: Connection, only: set[int] | None, limit: int = 500) -> list[dict]:
    """Projects (newest first) with their enterprise's name; ``only`` limits them to those enterprises."""
    from diagnose.store.tables import enterprises

    p, e = projects.c, enterprises.c
    query = (
        select(p.id, p.enterprise_id, p.provider, p.contract_no, p.status, p.started_on, p.finished_on, p.funded,
               p.revision, e.name, e.credit_code, e.industry, e.district, e.sample)
        .join(enterprises, e.id == p.enterprise_id)
        .order_by(p.id.desc())
        .limit(limit)
    )  # fmt: skip
    if only is not None:
        query = query.where(p.enterprise_id.in_(only or [-1]))
    return [dict(r) for r in conn.execute(query).mappings()]


def approved_baselines(conn: Connection, only: set[int] | None, limit: int = 500) -> list[dict]:
    """Approved baselines (the newest visit first) with their enterprise's name; ``only`` limits
    them to those enterprises."""
    from diagnose.store.tables import enterprises

    a, e = assessments.c, enterprises.c
    query = (
        select(a.id, a.enterprise_id, a.visit_date, e.name, e.credit_code)
        .join(enterprises, e.id == a.enterprise_id)
        .where(a.stage == "baseline", a.status == "approved")
        .order_by(a.visit_date.desc(), a.id.desc())
        .limit(limit)
    )
    if only is not None:
        query = query.where(a.enterprise_id.in_(only or [-1]))
    return [dict(r) for r in conn.execute(query).mappings()]


def organisation_projects(conn: Connection, organisation_ids: list[int]) -> list[dict]:
    """The projects contracted with these organisations (newest first): ``organisation`` (its
    name), the enterprise's name, industry and district, the contract, status and dates, the
    amount of its items (元), and the levels of its approved baseline (``level_before``) and of
    its latest approved after-visit (``level_after``), or None."""
    from sqlalchemy import func

    from diagnose.latest import latest_key
    from diagnose.store.tables import enterprises, organisations, results

    p, e, i = projects.c, enterprises.c, project_items.c
    amount = select(func.coalesce(func.sum(i.quantity * i.unit_price), 0)).where(i.project_id == p.id)
    query = (
        select(p.id, p.enterprise_id, p.contract_no, p.contract_signed_on, p.status, p.finished_on, p.funded,
               p.baseline_assessment_id, e.name, e.industry, e.district, e.sample,
               amount.scalar_subquery().label("amount"), organisations.c.name.label("organisation"))
        .join(enterprises, e.id == p.enterprise_id)
        .join(organisations, organisations.c.id == p.organisation_id)
        .where(p.organisation_id.in_(organisation_ids))
        .order_by(p.id.desc())
    )  # fmt: skip
    found = [dict(r) for r in conn.execute(query).mappings()]
    ids = [f["id"] for f in found]
    a, r = assessments.c, results.c
    later = results.alias("later")
    newest = ~select(1).where(later.c.assessment_id == r.assessment_id, later.c.id > r.id).exists()
    scored = select(a.id, a.project_id, a.stage, a.visit_date, r.id.label("result_id"), r.level).join(
        results, r.assessment_id == a.id
    ).where(a.status == "approved", newest)  # fmt: skip
    baselines = [f["baseline_assessment_id"] for f in found if f["baseline_assessment_id"]]
    before = {row.id: row.level for row in conn.execute(scored.where(a.id.in_(baselines or [-1])))}
    after: dict[int, tuple] = {}
    for row in conn.execute(scored.where(a.project_id.in_(ids or [-1]))):
        key = latest_key(row.visit_date, row.id, row.result_id)
        if row.project_id not in after or key > after[row.project_id][0]:
            after[row.project_id] = (key, row.level)
    for project in found:
        project["amount"] = float(project["amount"] or 0)
        project["level_before"] = before.get(project["baseline_assessment_id"])
        project["level_after"] = after[project["id"]][1] if project["id"] in after else None
    return found
