"""Queries of the review (审核): the queue of submitted assessments and the decisions kept."""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select

from diagnose.store import as_utc, now
from diagnose.store.tables import assessments, enterprises, reviews


def queue(conn: Connection, industry: str = "", district: str = "", consultant: str = "", stage: str = "",
          limit: int = 500) -> list[dict]:  # fmt: skip
    """Submitted assessments, the longest waiting first, with their enterprise's name and place."""
    a, e = assessments.c, enterprises.c
    query = (
        select(a.id, a.enterprise_id, a.stage, a.visit_date, a.submitted_at, a.created_by, a.project_id,
               e.name, e.credit_code, e.industry, e.district, e.sample)
        .join(enterprises, e.id == a.enterprise_id)
        .where(a.status == "submitted")
        .order_by(a.submitted_at, a.id)
        .limit(limit)
    )  # fmt: skip
    for column, value in ((e.industry, industry), (e.district, district), (a.created_by, consultant), (a.stage, stage)):
        if value:
            query = query.where(column == value)
    return [dict(r) | {"submitted_at": as_utc(r["submitted_at"])} for r in conn.execute(query).mappings()]


def waiting(conn: Connection) -> int:
    return conn.execute(select(func.count()).where(assessments.c.status == "submitted")).scalar_one()


def add_decision(conn: Connection, assessment_id: int, decision: str, comment: str, reviewer: str) -> None:
    conn.execute(insert(reviews).values(assessment_id=assessment_id, decision=decision, comment=comment,
                                        reviewer=reviewer, decided_at=now()))  # fmt: skip


def decisions(conn: Connection, assessment_ids: list[int]) -> list[dict]:
    """Every decision on these assessments, oldest first."""
    query = select(reviews).where(reviews.c.assessment_id.in_(assessment_ids or [-1])).order_by(reviews.c.id)
    return [dict(r) | {"decided_at": as_utc(r["decided_at"])} for r in conn.execute(query).mappings()]


def returned(conn: Connection, only: set[int] | None, limit: int = 200) -> list[dict]:
    """Returned assessments (the newest decision first) with the comment and enterprise name;
    ``only`` limits them to those enterprises."""
    a, e = assessments.c, enterprises.c
    query = (
        select(a.id, a.enterprise_id, a.stage, a.return_comment, a.decided_at, a.created_by, e.name, e.credit_code)
        .join(enterprises, e.id == a.enterprise_id)
        .where(a.status == "returned")
        .order_by(a.decided_at.desc(), a.id.desc())
        .limit(limit)
    )
    if only is not None:
        query = query.where(a.enterprise_id.in_(only or [-1]))
    return [dict(r) | {"decided_at": as_utc(r["decided_at"])} for r in conn.execute(query).mappings()]
