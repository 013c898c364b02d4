"""The dashboard's reads: a few narrow queries, filtered and grouped in the database.

Every filter that can be is applied in SQL, so only the rows a figure needs come
back, with only the columns it reads (no names: those are fetched for the rows a
page shows). Rows come back as columns of numpy arrays, not one object per row.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, case, func, select

from diagnose.store.tables import (
    assessments,
    assignments,
    enterprises,
    project_items,
    projects,
    results,
    users,
)

if TYPE_CHECKING:
    from diagnose.board.records import BoardFilter


def board_facts(conn: Connection, scope: BoardFilter, window: tuple[date, date], after_stages: tuple[str, ...],
                today: date, with_hash: bool = False) -> dict:  # fmt: skip
    """Every row the dashboard's figures are computed from, narrowed to ``scope``: the
    ``result_facts`` and the ``activity_facts``."""
    return result_facts(conn, scope, window, after_stages, with_hash) | activity_facts(conn, scope, today)


def result_facts(conn: Connection, scope: BoardFilter, window: tuple[date, date], after_stages: tuple[str, ...],
                 with_hash: bool = False, only: Sequence[int] | None = None) -> dict:  # fmt: skip
    """- ``enterprises``: id, industry, district, size_class of the enterprises in scope (and among
      ``only``, when given);
    - ``chosen``: for each assessment whose stage, status and visit date are in scope, its newest
      result: enterprise_id, after (1 for an after-transformation stage), visit_date,
      assessment_id, result_id (what ``latest.in_latest_order`` orders by), score, basic,
      management, effect, level, scene_levels (and questionnaire_hash if ``with_hash``: needed
      only when the stored questionnaires order their scenes differently);
    - ``candidates``: enterprises with a publicly funded project started and finished inside
      ``window``, and the earliest such finish date; ``after``: the approved results of
      ``after_stages`` of those enterprises (enterprise_id, visit_date, assessment_id, result_id,
      level, decided_at; dates as stored)."""
    e, a, r, p = enterprises.c, assessments.c, results.c, projects.c
    narrowed = _narrowed(scope, only)
    in_scope = _scope_test(narrowed)
    visits = [*in_scope(a.enterprise_id), *_visit_filters(scope)]
    # an assessment's latest result: none newer for it (rescoring adds results)
    later = results.alias("later")
    newer = select(1).where(later.c.assessment_id == r.assessment_id, later.c.id > r.id)
    per_row = [r.questionnaire_hash] if with_hash else []
    chosen = (
        select(a.enterprise_id, case((a.stage.in_(after_stages), 1), else_=0).label("after"), a.visit_date,
               a.id.label("assessment_id"), r.id.label("result_id"), r.score, r.basic, r.management, r.effect,
               r.level, r.scene_levels, *per_row)
        .join(results, r.assessment_id == a.id)
        .where(a.status.in_(scope.statuses), ~newer.exists(), *visits)
    )  # fmt: skip
    in_window = and_(
        p.funded.is_(True), p.started_on >= window[0], p.finished_on <= window[1], *in_scope(p.enterprise_id)
    )
    candidates = select(p.enterprise_id, func.min(p.finished_on).label("finished_on")).where(in_window)
    # a semi-join on the indexed enterprise_id: a join to the distinct candidates let the
    # planner choose, on fresh statistics, a nested loop that took minutes
    project = projects.alias("project")
    funded = select(1).where(
        project.c.enterprise_id == a.enterprise_id, project.c.funded.is_(True), project.c.started_on >= window[0],
        project.c.finished_on <= window[1]
    )  # fmt: skip
    after = (
        select(a.enterprise_id, a.visit_date, a.id.label("assessment_id"), r.id.label("result_id"), r.level,
               a.decided_at)
        .join(results, r.assessment_id == a.id)
        .where(a.status == "approved", a.stage.in_(after_stages), funded.exists(), *in_scope(a.enterprise_id))
    )  # fmt: skip
    return {
        "enterprises": _bulk_frame(conn, select(e.id, e.industry, e.district, e.size_class).where(*narrowed)),
        "chosen": _bulk_frame(conn, chosen),
        "candidates": read_frame(conn, candidates.group_by(p.enterprise_id)),
        "after": _bulk_frame(conn, after),
    }


def activity_facts(conn: Connection, scope: BoardFilter, today: date) -> dict:
    """- ``transformed``: how many enterprises have a project finished by ``today``;
    - ``adoption``: per catalog product named in a project: enterprises, projects, amount (元);
    - ``workload`` (consultant, status, assessments) and ``visited`` (consultant, enterprises)
      for the assessments of the stages and visit dates in scope; ``assigned`` (consultant,
      assigned enterprises);
    - ``served`` (``_served``) and ``diagnosed_by`` (``_diagnosed_by``, of the stages and visit
      dates in scope): the organisations at work."""
    a, p, i = assessments.c, projects.c, project_items.c
    in_scope = _scope_test(_narrowed(scope, None))
    visits = [*in_scope(a.enterprise_id), *_visit_filters(scope)]
    amount = func.sum(i.quantity * i.unit_price)
    # enterprises per consultant as distinct pairs counted: a hash of pairs, not a sort per consultant
    pairs = select(a.created_by.label("consultant"), a.enterprise_id).where(*visits).distinct().subquery()
    return {
        "transformed": conn.execute(
            select(func.count(p.enterprise_id.distinct())).where(p.finished_on <= today, *in_scope(p.enterprise_id))
        ).scalar_one(),
        "adoption": read_frame(
            conn,
            select(
                i.product_id,
                func.count(p.enterprise_id.distinct()).label("enterprises"),
                func.count(p.id.distinct()).label("projects"),
                amount.label("amount"),
            )
            .join(projects, p.id == i.project_id)
            .where(i.product_id != "", *in_scope(p.enterprise_id))
            .group_by(i.product_id),
        ),
        "workload": read_frame(
            conn,
            select(a.created_by.label("consultant"), a.status, func.count().label("assessments"))
            .where(*visits)
            .group_by(a.created_by, a.status),
        ),
        "visited": read_frame(
            conn, select(pairs.c.consultant, func.count().label("enterprises")).group_by(pairs.c.consultant)
        ),
        "assigned": read_frame(
            conn,
            select(users.c.username.label("consultant"), func.count().label("assigned"))
            .join(assignments, assignments.c.consultant_id == users.c.id)
            .where(*in_scope(assignments.c.enterprise_id))
            .group_by(users.c.username),
        ),
        "served": read_frame(conn, _served(in_scope(p.enterprise_id))),
        "diagnosed_by": read_frame(conn, _diagnosed_by([*in_scope(a.enterprise_id), *_visit_filters(scope)])),
    }


def _served(where: list):
    """Per organisation a project is contracted with and enterprise: organisation_id,
    enterprise_id, projects, amount (元, of their items)."""
    p, i = projects.c, project_items.c
    return (
        select(p.organisation_id, p.enterprise_id, func.count(p.id.distinct()).label("projects"),
               func.coalesce(func.sum(i.quantity * i.unit_price), 0).label("amount"))
        .outerjoin(project_items, i.project_id == p.id)
        .where(p.organisation_id.is_not(None), *where)
        .group_by(p.organisation_id, p.enterprise_id)
    )  # fmt: skip


def _diagnosed_by(where: list):
    """organisation_id, enterprise_id: each enterprise with an approved visit made for an organisation."""
    a = assessments.c
    return select(a.organisation_id, a.enterprise_id).where(a.organisation_id.is_not(None), a.status == "approved",
                                                            *where).distinct()  # fmt: skip


def activity_by_enterprise(conn: Connection, only: Sequence[int] | None = None) -> dict:
    """The activity figures of ``activity_facts`` kept per enterprise (all of them, or ``only``),
    over every stage and visit date: ``finished`` (enterprise_id, the earliest finish date of its
    projects), ``adoption`` (enterprise_id, product_id, projects, amount), ``workload``
    (enterprise_id, consultant, status, assessments), ``assigned`` (enterprise_id, consultant),
    ``served`` and ``diagnosed_by`` (see ``activity_facts``)."""
    a, p, i = assessments.c, projects.c, project_items.c
    ids = list(only or [])

    def mine(column) -> list:
        return [column.in_(ids)] if only is not None else []

    return {
        "finished": read_frame(
            conn,
            select(p.enterprise_id, func.min(p.finished_on).label("finished_on"))
            .where(p.finished_on.is_not(None), *mine(p.enterprise_id))
            .group_by(p.enterprise_id),
        ),
        "adoption": read_frame(
            conn,
            select(
                p.enterprise_id,
                i.product_id,
                func.count(p.id.distinct()).label("projects"),
                func.sum(i.quantity * i.unit_price).label("amount"),
            )
            .join(projects, p.id == i.project_id)
            .where(i.product_id != "", *mine(p.enterprise_id))
            .group_by(p.enterprise_id, i.product_id),
        ),
        "workload": read_frame(
            conn,
            select(a.enterprise_id, a.created_by.label("consultant"), a.status, func.count().label("assessments"))
            .where(*mine(a.enterprise_id))
            .group_by(a.enterprise_id, a.created_by, a.status),
        ),
        "assigned": read_frame(
            conn,
            select(assignments.c.enterprise_id, users.c.username.label("consultant"))
            .join(users, assignments.c.consultant_id == users.c.id)
            .where(*mine(assignments.c.enterprise_id)),
        ),
        "served": read_frame(conn, _served(mine(p.enterprise_id))),
        "diagnosed_by": read_frame(conn, _diagnosed_by(mine(a.enterprise_id))),
    }


def _narrowed(scope: BoardFilter, only: Sequence[int] | None) -> list:
    """The conditions on enterprises that ``scope`` (and the ``only`` ids, when given) sets."""
    e = enterprises.c
    narrowed = [c == v for c, v in ((e.industry, scope.industry), (e.district, scope.district),
                                    (e.size_class, scope.size_class)) if v]  # fmt: skip
    return narrowed + ([e.id.in_(list(only))] if only is not None else [])


def _scope_test(narrowed: list):
    """``in_scope(column)``: the conditions keeping an enterprise id column to the enterprises in scope."""
    firm_ids = select(enterprises.c.id).where(*narrowed)

    def in_scope(column) -> list:
        return [column.in_(firm_ids)] if narrowed else []

    return in_scope


def _visit_filters(scope: BoardFilter) -> list:
    a = assessments.c
    visits = [a.stage == scope.stage] if scope.stage else []
    visits += [a.visit_date >= scope.visited_from] if scope.visited_from else []
    return visits + ([a.visit_date <= scope.visited_to] if scope.visited_to else [])


def enterprise_names(conn: Connection, ids: list[int]) -> pd.DataFrame:
    """id, name, credit_code of the given enterprises (in chunks: databases cap bound parameters)."""
    e = enterprises.c
    parts = [
        read_frame(conn, select(e.id, e.name, e.credit_code).where(e.id.in_(ids[start : start + 5000])))
        for start in range(0, len(ids), 5000)
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["id", "name", "credit_code"])


def read_frame(conn: Connection, query) -> pd.DataFrame:
    """The rows as a frame built column by column (one array per column, not one object per row)."""
    found = conn.execute(query)
    return _by_column(list(found.keys()), found.all())


def _bulk_frame(conn: Connection, query) -> pd.DataFrame:
    """Like ``_frame`` for the queries that return a row per enterprise or per assessment, read
    with the driver's own cursor: no per-value conversion by SQLAlchemy (so a timestamp comes
    back as the driver gives it: text on SQLite, a datetime on PostgreSQL), and no garbage
    collection while a few million small objects are made and dropped (the collector would walk
    them all, again and again)."""
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = conn.connection.dbapi_connection.cursor()
    collecting = gc.isenabled()
    gc.disable()
    try:
        cursor.execute(compiled.string, params)
        return _by_column([d[0] for d in cursor.description], cursor.fetchall())
    finally:
        cursor.close()
        if collecting:
            gc.enable()


def _by_column(names: list[str], rows: list) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame(columns=names)
    return pd.DataFrame({name: _column(values) for name, values in zip(names, zip(*rows, strict=True), strict=True)})


def _column(values: tuple):
    """Numbers as one numpy array; anything else (text, dates, missing values) as a list."""
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, bool | int | float) and None not in values:
        return np.array(values)
    return list(values)
