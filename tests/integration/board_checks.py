"""The dashboard's two ways of computing its figures must agree."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd

from diagnose.board.records import Board, BoardFilter, board_figures
from diagnose.pilot import AFTER_STAGES
from diagnose.services import dashboard
from diagnose.store import board_cells
from diagnose.store.board_queries import board_facts


def from_records(store, chosen: BoardFilter, today: date) -> Board:
    """The figures computed from the records, whatever the filter. Unlike the service, it always
    reads each result's questionnaire hash, so the path that places scene levels by questionnaire
    is checked too (the shipped questionnaires share one scene order, so the service skips it)."""
    with store.read() as conn:
        scenes = dashboard._scene_names(conn)
        facts = board_facts(conn, chosen, dashboard.WINDOW, AFTER_STAGES, today, with_hash=True)
        facts["product_names"] = dashboard._product_names(conn)
        facts["organisation_names"] = dashboard._organisation_names(conn)
    return board_figures(facts, scenes, today)[0]


def assert_same_board(kept: Board, computed: Board) -> None:
    """Every figure equal: counts exactly, tables to the thousandth of a point or a fen."""
    for field in dataclasses.fields(Board):
        left, right = getattr(kept, field.name), getattr(computed, field.name)
        if isinstance(left, pd.DataFrame):
            if left.empty and right.empty:
                continue
            pd.testing.assert_frame_equal(
                left.reset_index(drop=left.index.name is None), right.reset_index(drop=right.index.name is None),
                check_dtype=False, check_exact=False, atol=1e-6, obj=field.name, check_index_type=False,
                check_column_type=False,
            )  # fmt: skip
        else:
            assert left == right, f"{field.name}: {left} != {right}"


def same_as_from_records(store, kept: Board, today: date, chosen: BoardFilter | None = None) -> Board:
    """``kept`` (the service's board for ``chosen``), after checking that the sums are in use
    and that it equals the board computed from the records."""
    with store.read() as conn:
        assert board_cells.built(conn), "the sums are not in use: the board was read from the records"
    assert_same_board(kept, from_records(store, chosen or BoardFilter(), today))
    return kept
