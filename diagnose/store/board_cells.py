"""The dashboard's sums, kept up to date in the same transaction as every write.

A write that changes what an enterprise adds to the dashboard (its profile, an
assessment's status or result, a project, an assignment) marks the enterprise
(``diagnose.store.touch``); before the transaction commits, ``refresh``
recomputes the parts of the marked enterprises from the records, replaces their
stored parts, and moves each cell by the difference. So the cells are always the
sum of the parts, and the parts always what the records say (``check`` compares
both with a build from scratch). What parts and cells hold: ``diagnose.board.sums``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from diagnose.board.records import BoardFilter
from diagnose.board.sums import (
    ALL,
    BY_PLACE,
    DIMS,
    PART_COLUMNS,
    S,
    cell_changes,
    cells_from_parts,
    parts_from_facts,
)
from diagnose.pilot import AFTER_STAGES, TARGET_WINDOW
from diagnose.store import now
from diagnose.store.board_queries import activity_by_enterprise, read_frame, result_facts
from diagnose.store.tables import board_cells, board_parts, board_state, enterprises

WINDOW = (date.fromisoformat(TARGET_WINDOW[0]), date.fromisoformat(TARGET_WINDOW[1]))
CELL_KEY = ["view", *DIMS, "key"]
CHUNK = 5000  # rows per insert statement, and ids per IN list


def built(conn: Connection) -> bool:
    """Whether the cells have been built (until then the dashboard reads the records)."""
    return conn.execute(select(board_state.c.built_at)).first() is not None


def stop(conn: Connection) -> None:
    """Stop using the sums (after a refresh failed): the dashboard reads the records and writes
    leave the sums alone until ``rebuild``."""
    conn.execute(delete(board_state))


def parts_for(conn: Connection, ids: list[int] | None) -> list[dict]:
    """What the enterprises ``ids`` (None: every one) add to the dashboard now."""
    results = result_facts(conn, BoardFilter(), WINDOW, AFTER_STAGES, with_hash=True, only=ids)
    return parts_from_facts(results, activity_by_enterprise(conn, ids))


def refresh(conn: Connection, enterprise_ids: Iterable[int]) -> None:
    """Replace the parts of these enterprises by what they add now and move the cells by the
    difference; part of the caller's transaction. Does nothing before the first build."""
    ids = sorted({int(i) for i in enterprise_ids})
    if not ids or not built(conn):
        return
    chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
    # two writers of one enterprise take turns (PostgreSQL; SQLite has one writer at a time);
    # all of them locked, in order, before any cell: a writer never holds a cell while it waits
    for chunk in chunks:
        conn.execute(select(enterprises.c.id).where(enterprises.c.id.in_(chunk)).order_by(enterprises.c.id)
                     .with_for_update())  # fmt: skip
    for chunk in chunks:
        old = [dict(row) for row in conn.execute(select(board_parts).where(board_parts.c.enterprise_id.in_(chunk)))
               .mappings()]  # fmt: skip
        new = parts_for(conn, chunk)
        conn.execute(delete(board_parts).where(board_parts.c.enterprise_id.in_(chunk)))
        _insert(conn, board_parts, new)
        _move_cells(conn, cell_changes(new, old))


def _move_cells(conn: Connection, change: dict[tuple, list[int]]) -> None:
    """Add ``change`` to the stored cells (a cell not stored yet starts at zero; one whose count
    falls to zero is deleted). In key order, so two writers moving the same cells never wait
    for each other in a circle."""
    if not change:
        return
    sums = ["n", *S]
    rows = [dict(zip(CELL_KEY, key, strict=True)) | dict(zip(sums, change[key], strict=True)) for key in sorted(change)]
    dialect_insert = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
    upsert = dialect_insert(board_cells)
    upsert = upsert.on_conflict_do_update(
        index_elements=CELL_KEY, set_={s: board_cells.c[s] + upsert.excluded[s] for s in sums}
    )
    conn.execute(upsert, rows)
    shrunk = [{f"k_{k}": row[k] for k in CELL_KEY} for row in rows if row["n"] < 0]
    if shrunk:
        c = board_cells.c
        conn.execute(delete(board_cells).where(c.n == 0, *[c[k] == bindparam(f"k_{k}") for k in CELL_KEY]), shrunk)


def rebuild(conn: Connection) -> int:
    """Build every part and cell from the records (part of the caller's transaction);
    returns how many parts."""
    if conn.dialect.name == "postgresql":  # writers wait until the new sums are in
        conn.execute(text("LOCK TABLE board_parts, board_cells IN EXCLUSIVE MODE"))
    conn.execute(delete(board_parts))
    conn.execute(delete(board_cells))
    parts = parts_for(conn, None)
    _insert(conn, board_parts, parts)
    _insert(conn, board_cells, _records(cells_from_parts(pd.DataFrame(parts, columns=PART_COLUMNS))))
    conn.execute(delete(board_state))
    conn.execute(insert(board_state).values(name="cells", built_at=now()))
    return len(parts)


def check(conn: Connection) -> list[str]:
    """What differs between the kept parts and cells and a build from scratch (empty: nothing)."""
    problems = []
    stored = read_frame(conn, select(board_parts))
    fresh = pd.DataFrame(parts_for(conn, None), columns=PART_COLUMNS)
    if not _same(stored, fresh, ["enterprise_id", "view", "key"]):
        problems.append("各企业的分项与按记录重算的不一致")
    if not _same(read_frame(conn, select(board_cells)), cells_from_parts(stored), CELL_KEY):
        problems.append("汇总格与各企业分项之和不一致")
    return problems


def _same(left: pd.DataFrame, right: pd.DataFrame, key: list[str]) -> bool:
    """The same rows, whatever their order (compared as text: a date, a count or None each
    reads one way)."""

    def rows(frame: pd.DataFrame) -> pd.DataFrame:
        text = frame[sorted(frame.columns)].astype(object).where(frame.notna(), None).astype(str)
        return text.sort_values(key).reset_index(drop=True)

    return set(left.columns) == set(right.columns) and rows(left).equals(rows(right))


def read_cells(conn: Connection, industry: str, district: str, size_class: str) -> pd.DataFrame:
    """The cells the dashboard reads for these industry, district and size class ("" for any):
    with no choice made, the views in ``BY_PLACE`` by place and the others as "*" totals."""
    c = board_cells.c
    chosen = [col == value for col, value in ((c.industry, industry), (c.district, district),
                                              (c.size_class, size_class)) if value]  # fmt: skip
    if chosen:
        where = and_(c.industry != ALL, *chosen)
    else:
        where = or_(and_(c.view.in_(BY_PLACE), c.industry != ALL), and_(c.view.not_in(BY_PLACE), c.industry == ALL))
    return read_frame(conn, select(board_cells).where(where))


def this_month(conn: Connection, industry: str, district: str, size_class: str, today: date) -> dict:
    """The parts of the day-bound views that start to count between the first of ``today``'s
    month and ``today``: the pilot's and the organisations' keys (key, n) and how many
    enterprises finished a project."""
    p = board_parts.c
    chosen = [col == value for col, value in ((p.industry, industry), (p.district, district),
                                              (p.size_class, size_class)) if value]  # fmt: skip
    days = [p.day >= today.replace(day=1), p.day <= today, *chosen]

    def keys(view: str) -> pd.DataFrame:
        found = read_frame(conn, select(p.key, func.count().label("n")).where(p.view == view, *days).group_by(p.key))
        return found if len(found) else pd.DataFrame(columns=["key", "n"])

    transformed = conn.execute(select(func.count()).where(p.view == "transformed", *days)).scalar_one()
    return {"pilot": keys("pilot"), "organisations": keys("organisations"), "transformed": transformed}


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain Python values (ints, not numpy ints; None, not NaN) for the driver."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _insert(conn: Connection, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(table), rows[start : start + CHUNK])
