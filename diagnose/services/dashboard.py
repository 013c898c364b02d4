"""The officials' dashboard: every figure for a filter, and the enterprises behind them.

The figures come from the sums every write keeps (``store/board_cells.py``) when
the filter is one they serve: approved results of every stage and visit date,
narrowed by industry, district or size class, which is how the page opens. Any
other filter (another status, a stage, a visit date range) is computed from the
records, as are the lists of enterprises behind the figures.

A board or list is kept for ``CACHE_SECONDS`` and reused while nothing has been
written since (every write appends to the audit log, so its last id says whether
anything changed). The permission check runs on every call, cached or not.
"""

from __future__ import annotations

import threading
import time
from datetime import date

import pandas as pd

from diagnose import clock
from diagnose.access.policy import Actor
from diagnose.board.records import Board, BoardFilter, Members, SceneNames, board_figures
from diagnose.board.sums import board_from_cells
from diagnose.catalog.products import read_catalog
from diagnose.pilot import AFTER_STAGES
from diagnose.services.guard import require
from diagnose.services.snapshots import snapshot
from diagnose.store import Store, board_cells, records
from diagnose.store.board_queries import board_facts, enterprise_names

CACHE_SECONDS = 60
# beyond this many enterprises in scope the page opens a list of them only when asked:
# lists are read from the records (about 1.8 s at 100,000 enterprises)
LISTS_OPEN_UP_TO = 5000
WINDOW = board_cells.WINDOW
_CACHE: dict[tuple, tuple[float, object]] = {}
_LOCK = threading.Lock()


def from_sums(chosen: BoardFilter) -> bool:
    """Whether the kept sums serve this filter (otherwise the records are read)."""
    return chosen.statuses == ("approved",) and not (chosen.stage or chosen.visited_from or chosen.visited_to)


def board(store: Store, actor: Actor, chosen: BoardFilter | None = None, today: date | None = None) -> Board:
    """Every dashboard figure for ``chosen`` (default: approved results of every enterprise);
    officials and admins only."""
    require(store, actor, "dashboard.read")
    chosen = chosen or BoardFilter()
    today = today or clock.today()

    def from_cells(conn) -> Board | None:
        if not board_cells.built(conn):
            return None
        places = (chosen.industry, chosen.district, chosen.size_class)
        cells = board_cells.read_cells(conn, *places)
        month = board_cells.this_month(conn, *places, today)
        return board_from_cells(cells, month, _scene_names(conn), _product_names(conn), today,
                                _organisation_names(conn))  # fmt: skip

    kept = _cached(store, ("sums", chosen, today), from_cells) if from_sums(chosen) else None
    return kept or _from_records(store, chosen, today)[0]


def sums_ready(store: Store, actor: Actor) -> bool:
    """Whether the kept sums are in use (otherwise every figure is read from the records until
    ``diagnose db rebuild``); officials and admins only."""
    require(store, actor, "dashboard.read")
    with store.read() as conn:
        return board_cells.built(conn)


def members(store: Store, actor: Actor, chosen: BoardFilter | None = None, today: date | None = None) -> Members:
    """The enterprises behind the figures of ``board`` for the same filter (read from the
    records); officials and admins only."""
    require(store, actor, "dashboard.read")
    return _from_records(store, chosen or BoardFilter(), today or clock.today())[1]


def _from_records(store: Store, chosen: BoardFilter, today: date) -> tuple[Board, Members]:
    """The figures and the enterprises behind them, computed from the records once for both."""

    def compute(conn) -> tuple[Board, Members]:
        scenes = _scene_names(conn)
        facts = board_facts(conn, chosen, WINDOW, AFTER_STAGES, today, with_hash=len(set(scenes.orders.values())) > 1)
        facts["product_names"] = _product_names(conn)
        facts["organisation_names"] = _organisation_names(conn)
        return board_figures(facts, scenes, today)

    return _cached(store, ("records", chosen, today), compute)


def _cached(store: Store, what: tuple, compute):
    with store.read() as conn:
        key = (store.url, *what, records.last_audit_id(conn))
        with _LOCK:
            cached = _CACHE.get(key)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        made = compute(conn)
    with _LOCK:
        for stale in [k for k, (at, _) in _CACHE.items() if time.monotonic() - at >= CACHE_SECONDS]:
            del _CACHE[stale]
        _CACHE[key] = (time.monotonic(), made)
    return made


def _scene_names(conn) -> SceneNames:
    """The scenes of the stored questionnaires, in the order of the first (all 2024 ones share it)."""
    questionnaires = [snapshot(conn, h) for h in records.snapshot_hashes(conn)]
    names: list[str] = []
    for questionnaire in questionnaires:
        names += [n for n in questionnaire.scene_names if n not in names]
    return SceneNames(
        names=tuple(names),
        constrained=frozenset(s.name for q in questionnaires for s in q.scenes if s.constrained),
        orders={q.content_hash: q.scene_names for q in questionnaires},
    )


def _product_names(conn) -> dict[str, str]:
    """Catalog product names by id: the stored catalog, or the sample file before it is stored."""
    entries = records.catalog_entries(conn)
    if not entries:
        raw, _ = read_catalog()
        entries = raw["products"] if raw else []
    return {entry["id"]: entry["name"] for entry in entries}


def _organisation_names(conn) -> dict[int, tuple[str, str]]:
    """Each organisation's name and kind (牵引单位, 联合体成员, 服务商, 第三方机构), by id."""
    from diagnose.services.applications import ORGANISATION_KINDS
    from diagnose.store import supply_records

    return {o["id"]: (o["name"], ORGANISATION_KINDS[o["kind"]]) for o in supply_records.organisation_list(conn)}


def names(store: Store, actor: Actor, ids: list[int]) -> pd.DataFrame:
    """id, name, credit_code of enterprises listed on the dashboard; officials and admins only."""
    require(store, actor, "dashboard.read")
    with store.read() as conn:
        return enterprise_names(conn, [int(i) for i in ids])
