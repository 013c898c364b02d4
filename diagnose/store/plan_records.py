"""The planner's reads and its kept bundles (table ``plan_bundles``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from diagnose.clock import now
from diagnose.store.tables import answers, plan_bundles, plan_catalogs, results

CHUNK = 900  # ids per IN list: SQLite's older builds allow 999 bound parameters


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def kept_bundles(conn: Connection, fingerprints: Iterable[str]) -> dict[tuple[int, int, str], tuple[str, ...] | None]:
    """Every kept bundle solved on one of ``fingerprints``: (result_id, target, fingerprint) →
    its product ids, or None when the target was out of reach."""
    wanted = sorted(set(fingerprints))
    b = plan_bundles.c
    found = {}
    for row in conn.execute(
        select(b.result_id, b.target, b.fingerprint, b.product_ids).where(b.fingerprint.in_(wanted))
    ):
        ids = None if row.product_ids is None else tuple(filter(None, row.product_ids.split(",")))
        found[(row.result_id, row.target, row.fingerprint)] = ids
    return found


def keep_bundles(conn: Connection, rows: list[tuple[int, int, str, tuple[str, ...] | None]]) -> None:
    """Keep (result_id, target, fingerprint, product ids or None) rows; one another process kept
    first is left as it is (both solved the same program)."""
    if not rows:
        return
    maker = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    at = now()
    values = [
        {"result_id": r, "target": t, "fingerprint": f, "product_ids": None if ids is None else ",".join(ids),
         "computed_at": at}
        for r, t, f, ids in rows
    ]  # fmt: skip
    conn.execute(maker(plan_bundles).on_conflict_do_nothing(), values)


def answer_values(conn: Connection, assessment_ids: Sequence[int]) -> dict[int, dict]:
    """The stored answer values (none left out but empty ones) of each of ``assessment_ids``."""
    values: dict[int, dict] = {aid: {} for aid in assessment_ids}
    a = answers.c
    for part in _chunks(sorted(set(assessment_ids))):
        query = select(a.assessment_id, a.item, a.value).where(a.assessment_id.in_(part))
        for row in conn.execute(query):
            if row.value is not None:
                values[row.assessment_id][row.item] = row.value
    return values


def result_questionnaires(conn: Connection, result_ids: Sequence[int]) -> dict[int, str]:
    """The questionnaire content hash each of ``result_ids`` was scored with."""
    r = results.c
    hashes = {}
    for part in _chunks(sorted(set(result_ids))):
        for row in conn.execute(select(r.id, r.questionnaire_hash).where(r.id.in_(part))):
            hashes[row.id] = row.questionnaire_hash
    return hashes


def catalogs(conn: Connection) -> dict[str, frozenset[str]]:
    """Every kept fingerprint and the product descriptions it names."""
    rows = conn.execute(select(plan_catalogs.c.fingerprint, plan_catalogs.c.products))
    return {row.fingerprint: frozenset(row.products.split("\n")) if row.products else frozenset() for row in rows}


def keep_catalog(conn: Connection, fingerprint: str, described: Iterable[str]) -> None:
    """Keep what ``fingerprint`` names (descriptions, one per line); kept once."""
    maker = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    row = {"fingerprint": fingerprint, "products": "\n".join(sorted(described)), "kept_at": now()}
    conn.execute(maker(plan_catalogs).on_conflict_do_nothing(), [row])
