"""The officials' dashboard: every figure for a filter, computed from narrow rows of the store.

A computed board is kept for ``CACHE_SECONDS`` and reused while nothing has been
written since (every write appends to the audit log, so its last id says whether
anything changed). The permission check runs on every call, cached or not.
"""

from __future__ import annotations

import threading
import time
from datetime import date

import pandas as pd

from diagnose.accounts import Actor
from diagnose.board import Board, BoardFilter, SceneNames, board_figures
from diagnose.catalog import read_catalog
from diagnose.pilot import AFTER_STAGES, TARGET_WINDOW
from diagnose.services.assessments import snapshot
from diagnose.services.guard import require
from diagnose.store import Store, records
from diagnose.store.board_queries import board_facts, enterprise_names

CACHE_SECONDS = 60
WINDOW = tuple(date.fromisoformat(d) for d in TARGET_WINDOW)
_CACHE: dict[tuple, tuple[float, Board]] = {}
_LOCK = threading.Lock()


def board(store: Store, actor: Actor, chosen: BoardFilter | None = None, today: date | None = None) -> Board:
    """Every dashboard figure for ``chosen`` (default: approved results of every enterprise);
    officials and admins only."""
    require(store, actor, "dashboard.read")
    chosen = chosen or BoardFilter()
    today = today or date.today()
    with store.read() as conn:
        key = (store.url, chosen, today, records.last_audit_id(conn))
        with _LOCK:
            cached = _CACHE.get(key)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        scenes = _scene_names(conn)
        facts = board_facts(conn, chosen, WINDOW, AFTER_STAGES, today, with_hash=len(set(scenes.orders.values())) > 1)
        facts["product_names"] = _product_names(conn)
    made = board_figures(facts, scenes, today)
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


def names(store: Store, actor: Actor, ids: list[int]) -> pd.DataFrame:
    """id, name, credit_code of enterprises listed on the dashboard; officials and admins only."""
    require(store, actor, "dashboard.read")
    with store.read() as conn:
        return enterprise_names(conn, [int(i) for i in ids])
