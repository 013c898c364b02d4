"""Queries of the supply side: organisations, review batches, product applications and their files."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from diagnose.store import as_utc, now
from diagnose.store.tables import (
    application_files,
    application_reviews,
    catalog_batches,
    organisations,
    product_applications,
)

_MOMENTS = ("created_at", "updated_at", "submitted_at", "uploaded_at", "decided_at", "published_at", "assigned_at")


def _dated(row) -> dict:
    found = dict(row)
    for key in _MOMENTS:
        if key in found:
            found[key] = as_utc(found[key])
    return found


def insert_organisation(conn: Connection, row: dict) -> int:
    made = insert(organisations).values(**row, created_at=now()).returning(organisations.c.id)
    return conn.execute(made).scalar_one()


def organisation_list(conn: Connection, only: int | None = None) -> list[dict]:
    """Every organisation by name (or the one ``only``), with its lead's name for a 联合体 member."""
    lead = organisations.alias("lead")
    query = (
        select(organisations, lead.c.name.label("lead_name"))
        .outerjoin(lead, lead.c.id == organisations.c.lead_id)
        .order_by(organisations.c.name)
    )
    if only is not None:
        query = query.where(organisations.c.id == only)
    return [_dated(r) for r in conn.execute(query).mappings()]


def organisation_by_name(conn: Connection, name: str) -> dict | None:
    row = conn.execute(select(organisations).where(organisations.c.name == name)).mappings().first()
    return _dated(row) if row else None


def insert_batch(conn: Connection, row: dict) -> int:
    made = insert(catalog_batches).values(**row, created_at=now()).returning(catalog_batches.c.id)
    return conn.execute(made).scalar_one()


def batch_list(conn: Connection) -> list[dict]:
    """Every batch, the newest first."""
    query = select(catalog_batches).order_by(catalog_batches.c.id.desc())
    return [_dated(r) for r in conn.execute(query).mappings()]


def batch_by_id(conn: Connection, batch_id: int) -> dict | None:
    row = conn.execute(select(catalog_batches).where(catalog_batches.c.id == batch_id)).mappings().first()
    return _dated(row) if row else None


def batch_by_name(conn: Connection, name: str) -> dict | None:
    row = conn.execute(select(catalog_batches).where(catalog_batches.c.name == name)).mappings().first()
    return _dated(row) if row else None


def insert_application(conn: Connection, row: dict) -> int:
    moment = now()
    made = insert(product_applications).values(**row, revision=1, created_at=moment, updated_at=moment)
    return conn.execute(made.returning(product_applications.c.id)).scalar_one()


def update_application(conn: Connection, application_id: int, revision: int, **values) -> bool:
    """Write ``values`` if the application is still at ``revision`` (then +1); False if it is not."""
    p = product_applications.c
    done = conn.execute(
        update(product_applications)
        .where(p.id == application_id, p.revision == revision)
        .values(**values, revision=p.revision + 1, updated_at=now())
    )
    return done.rowcount == 1


def application_by_id(conn: Connection, application_id: int) -> dict | None:
    """One application with its organisation's and batch's names and its files, or None."""
    found = _applications(conn).where(product_applications.c.id == application_id)
    row = conn.execute(found).mappings().first()
    if row is None:
        return None
    return _dated(row) | {"files": files_of(conn, application_id)}


def application_list(conn: Connection, organisation_id: int | None = None, batch_id: int | None = None,
                     statuses: tuple[str, ...] = ()) -> list[dict]:  # fmt: skip
    """Applications (without files), the longest submitted first, then the newest drafts."""
    p = product_applications.c
    query = _applications(conn).order_by(p.submitted_at.is_(None), p.submitted_at, p.id.desc())
    if organisation_id is not None:
        query = query.where(p.organisation_id == organisation_id)
    if batch_id is not None:
        query = query.where(p.batch_id == batch_id)
    if statuses:
        query = query.where(p.status.in_(statuses))
    return [_dated(r) for r in conn.execute(query).mappings()]


def _applications(conn: Connection):
    p, o, b = product_applications.c, organisations.c, catalog_batches.c
    lead = organisations.alias("lead")
    return (
        select(product_applications, o.name.label("organisation"), o.kind.label("organisation_kind"),
               lead.c.name.label("lead_name"), b.name.label("batch"), b.deadline, b.status.label("batch_status"))
        .join(organisations, o.id == p.organisation_id)
        .outerjoin(lead, lead.c.id == o.lead_id)
        .join(catalog_batches, b.id == p.batch_id)
    )  # fmt: skip


def insert_file(conn: Connection, row: dict) -> int:
    made = insert(application_files).values(**row, uploaded_at=now()).returning(application_files.c.id)
    return conn.execute(made).scalar_one()


def delete_file(conn: Connection, application_id: int, file_id: int) -> bool:
    """Take the file's row off the application (the kept bytes stay: other rows may share them)."""
    c = application_files.c
    return (
        conn.execute(delete(application_files).where(c.id == file_id, c.application_id == application_id)).rowcount > 0
    )


def files_of(conn: Connection, application_id: int) -> list[dict]:
    query = select(application_files).where(application_files.c.application_id == application_id)
    return [_dated(r) for r in conn.execute(query.order_by(application_files.c.id)).mappings()]


def insert_reviewer(conn: Connection, row: dict) -> None:
    conn.execute(insert(application_reviews).values(**row, assigned_at=now()))


def reviewers_of(conn: Connection, application_ids: list[int]) -> list[dict]:
    """The reviewers named for these applications, in the order they were named, with their scores."""
    r = application_reviews.c
    query = select(application_reviews).where(r.application_id.in_(application_ids or [-1])).order_by(r.id)
    return [_dated(row) for row in conn.execute(query).mappings()]


def reviewed_by(conn: Connection, reviewer_id: int) -> list[int]:
    """The applications a reviewer has been named for, the newest first."""
    r = application_reviews.c
    query = select(r.application_id).where(r.reviewer_id == reviewer_id).order_by(r.id.desc())
    return list(conn.execute(query).scalars())


def submit_review(conn: Connection, application_id: int, reviewer_id: int, scores: dict, comment: str) -> bool:
    """Keep a reviewer's scores once: False when they were already submitted."""
    r = application_reviews.c
    done = conn.execute(
        update(application_reviews)
        .where(r.application_id == application_id, r.reviewer_id == reviewer_id, r.submitted_at.is_(None))
        .values(scores=scores, comment=comment, submitted_at=now())
    )
    return done.rowcount == 1


def set_batch_status(conn: Connection, batch_id: int, status: str) -> None:
    conn.execute(update(catalog_batches).where(catalog_batches.c.id == batch_id).values(status=status))


def publish_batch_row(conn: Connection, batch_id: int) -> None:
    conn.execute(update(catalog_batches).where(catalog_batches.c.id == batch_id)
                 .values(status="published", published_at=now()))  # fmt: skip


def set_product_id(conn: Connection, application_id: int, product_id: str) -> None:
    p = product_applications.c
    conn.execute(update(product_applications).where(p.id == application_id).values(product_id=product_id))


def recommended(conn: Connection, product_ids: list[str]) -> dict[str, int]:
    """Per catalog product: how many approved baselines had it in the bundle kept at their approval."""
    from sqlalchemy import func

    from diagnose.store.tables import recommendations

    r = recommendations.c
    query = select(r.product_id, func.count()).where(r.product_id.in_(product_ids or ["-"])).group_by(r.product_id)
    return dict(conn.execute(query).all())


def purchases(conn: Connection, product_ids: list[str]) -> dict[str, dict]:
    """Per catalog product: the projects that contracted it (how many, how many accepted 已验收)
    and the amount (元) of its items in them."""
    from sqlalchemy import func

    from diagnose.store.tables import project_items, projects

    i, p = project_items.c, projects.c
    query = (
        select(i.product_id, func.count(func.distinct(i.project_id)).label("projects"),
               func.count(func.distinct(p.id)).filter(p.status == "accepted").label("accepted"),
               func.sum(i.quantity * i.unit_price).label("amount"))
        .join(projects, p.id == i.project_id)
        .where(i.product_id.in_(product_ids or ["-"]))
        .group_by(i.product_id)
    )  # fmt: skip
    return {r["product_id"]: {"projects": r["projects"], "accepted": r["accepted"], "amount": float(r["amount"] or 0)}
            for r in conn.execute(query).mappings()}  # fmt: skip
