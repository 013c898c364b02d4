"""The officials' dashboard: what it counts, and its figures computed from the records.

Which results count: every assessment with a result, narrowed by the filters (by
default approved ones only). An enterprise's **latest** result is the newest result
of its latest assessment among those, by visit date and then assessment id (not the
last one scored: see ``latest``); its **before** and **after** results are the latest
of the baseline stage and of the after-transformation stages (改造后自评, 现场评定).
Means are over enterprises, each counted once with its latest result; the mean
scene level is over every scene rating of those results.

This module computes every figure from the narrow rows of the store (pure,
pandas), for any filter, with the enterprises behind each figure. ``board_sums``
computes the same figures from the sums each write keeps, for the filters those
sums serve; both shape their tables with ``board_views``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from diagnose.board.target import pilot_figures
from diagnose.board.views import (
    AFTER,
    BEFORE,
    ORGANISATION_COLUMNS,
    SUBSCORES,
    adoption_table,
    heatmap_table,
    improvement_table,
    level_table,
    means_table,
    organisation_table,
    pilot_months,
    weakest_scenes,
    workload_table,
)
from diagnose.latest import in_latest_order
from diagnose.pilot import TARGET_LEVEL


@dataclass(frozen=True)
class BoardFilter:
    """What the dashboard counts; "" and None match everything."""

    industry: str = ""
    district: str = ""
    size_class: str = ""
    stage: str = ""  # a key of pilot.STAGES
    statuses: tuple[str, ...] = ("approved",)
    visited_from: date | None = None
    visited_to: date | None = None


@dataclass(frozen=True)
class SceneNames:
    """The scene names in the dashboard's column order, the ★ ones, and for each questionnaire
    content hash the order its results list their scene levels in (needed only when they differ
    from ``names``)."""

    names: tuple[str, ...]
    constrained: frozenset[str]
    orders: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Board:
    """Every figure of the dashboard for one filter (the tables behind its views)."""

    enterprises: int
    diagnosed: int  # with a result the filter keeps
    transformed: int  # with a finished project
    at_target_level: int  # latest result 二级 or above
    counting: int  # enterprises counting toward the pilot target
    close: int  # with a funded project in the window, not counting yet
    by_month: pd.DataFrame  # month, newly, cumulative: enterprises counting toward the target
    levels: pd.DataFrame  # industry, phase, one column per level, 合计
    by_industry: pd.DataFrame  # industry, enterprises, score, basic, management, effect, scene_level
    by_district: pd.DataFrame
    heatmap: pd.DataFrame  # index industry, one column per scene: mean level
    constrained: frozenset[str]  # the ★ scenes
    weakest: pd.DataFrame  # industry, rank, scene, constrained, mean_level
    improvement: pd.DataFrame  # per industry and 合计: enterprises, before, after, changes, level_up
    workload: pd.DataFrame  # consultant, assigned, visited, one column per status, 合计
    adoption: pd.DataFrame  # product_id, product_name, enterprises, projects, amount
    # the provider comparison: organisation_id, organisation, kind, diagnosed, enterprises, projects,
    # amount, counting, compared, mean_gain (views.organisation_table)
    organisations: pd.DataFrame


@dataclass(frozen=True)
class Members:
    """The enterprises behind the figures of a ``Board``, one row each (or one per phase)."""

    counting: pd.DataFrame  # id, industry, district, after_level, month
    close: pd.DataFrame  # id, industry, district, after_level, why
    latest: pd.DataFrame  # enterprise_id, industry, district, level, score, one column per scene
    by_phase: pd.DataFrame  # enterprise_id, industry, district, phase, level, score
    improved: pd.DataFrame  # enterprises with both: levels and scores before and after


def board_figures(facts: dict, scenes: SceneNames, today: date) -> tuple[Board, Members]:
    """Every dashboard figure, and the enterprises behind them, from the rows of
    ``board_queries.board_facts`` (already narrowed to the filter)."""
    firms = facts["enterprises"].set_index("id", drop=False)
    chosen = in_latest_order(facts["chosen"])  # each enterprise's (and phase's) latest last
    chosen = chosen.assign(phase=np.where(chosen["after"].astype(bool), AFTER, BEFORE))
    latest = _with_firm(chosen.drop_duplicates("enterprise_id", keep="last"), firms)
    latest = pd.concat([latest, scene_matrix(latest, scenes)], axis=1)
    by_phase = _with_firm(chosen.drop_duplicates(["enterprise_id", "phase"], keep="last"), firms)
    improved = _improved(by_phase)
    pilot = pilot_figures(facts["enterprises"], facts["candidates"], facts["after"], today)
    heatmap = heatmap_table(*_scene_sums(latest, scenes))
    figures = Board(
        enterprises=len(firms),
        diagnosed=latest["enterprise_id"].nunique(),
        transformed=int(facts["transformed"]),
        at_target_level=int((latest["level"] >= TARGET_LEVEL).sum()),
        counting=len(pilot.counting),
        close=len(pilot.close),
        by_month=pilot_months(pilot.counting.groupby("month").size()),
        levels=level_table(by_phase.groupby(["industry", "phase", "level"]).size().rename("enterprises").reset_index()),
        by_industry=means_table(_sums_by(latest, "industry", scenes), "industry"),
        by_district=means_table(_sums_by(latest, "district", scenes), "district"),
        heatmap=heatmap,
        constrained=scenes.constrained,
        weakest=weakest_scenes(heatmap, scenes.names, scenes.constrained),
        improvement=improvement_table(_improvement_sums(improved)),
        workload=workload_table(facts["workload"], facts["visited"], facts["assigned"]),
        adoption=adoption_table(facts["adoption"], facts.get("product_names", {})),
        organisations=organisation_table(
            organisation_rows(facts["served"], facts["diagnosed_by"], set(pilot.counting["id"]), improved),
            facts.get("organisation_names", {}),
        ),
    )
    return figures, Members(pilot.counting, pilot.close, latest, by_phase, improved)


def organisation_rows(served: pd.DataFrame, diagnosed_by: pd.DataFrame, counting: set[int],
                      improved: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """One row of ``views.ORGANISATION_COLUMNS`` per organisation and enterprise it worked for:
    ``served`` (organisation_id, enterprise_id, projects, amount) and ``diagnosed_by``
    (organisation_id, enterprise_id); an enterprise of its projects counts toward the target if
    it is in ``counting``, and is compared if it is in ``improved`` (its levels before and after)."""
    pairs = ["organisation_id", "enterprise_id"]
    served = served.astype({"organisation_id": int, "enterprise_id": int}).assign(enterprises=1)
    diagnosed = diagnosed_by.astype({"organisation_id": int, "enterprise_id": int}).assign(diagnosed=1)
    rows = served.merge(diagnosed, on=pairs, how="outer")
    rows[["enterprises", "diagnosed", "projects", "amount"]] = rows[["enterprises", "diagnosed", "projects",
                                                                    "amount"]].fillna(0)  # fmt: skip
    is_served = rows["enterprises"] > 0
    rows["counting"] = (is_served & rows["enterprise_id"].isin(counting)).astype(int)
    gains = (improved["level_after"] - improved["level_before"]).set_axis(improved["enterprise_id"])
    rows["compared"] = (is_served & rows["enterprise_id"].isin(gains.index)).astype(int)
    rows["gain"] = rows["enterprise_id"].map(gains).fillna(0).where(rows["compared"] > 0, 0)
    return rows[ORGANISATION_COLUMNS]


def _with_firm(rows: pd.DataFrame, firms: pd.DataFrame) -> pd.DataFrame:
    rows = rows.reset_index(drop=True)
    for column in ("industry", "district"):
        rows[column] = rows["enterprise_id"].map(firms[column])
    return rows


def scene_matrix(rows: pd.DataFrame, scenes: SceneNames) -> pd.DataFrame:
    """One column per scene (in ``scenes.names`` order) with each row's level; NaN where the
    questionnaire a result was scored with has no such scene."""
    out = np.full((len(rows), len(scenes.names)), np.nan)
    position = {name: i for i, name in enumerate(scenes.names)}
    groups = rows.groupby("questionnaire_hash", sort=False) if "questionnaire_hash" in rows else [("", rows)]
    for content_hash, group in groups:
        order = scenes.orders.get(content_hash, scenes.names)
        digits = "".join(group["scene_levels"].tolist())
        if len(digits) != len(group) * len(order):
            raise ValueError(f"scene levels of questionnaire {content_hash[:12]} do not have {len(order)} digits")
        levels = np.frombuffer(digits.encode("ascii"), dtype=np.uint8).reshape(len(group), len(order)) - ord("0")
        rows_at = rows.index.get_indexer(group.index)
        for j, name in enumerate(order):
            if name in position:
                out[rows_at, position[name]] = levels[:, j]
    return pd.DataFrame(out, index=rows.index, columns=list(scenes.names))


def _sums_by(latest: pd.DataFrame, by: str, scenes: SceneNames) -> pd.DataFrame:
    """Per industry or district: enterprises, sums of score and sub-scores, scene_total, scenes_rated."""
    levels = latest[list(scenes.names)]
    frame = latest.assign(scene_total=levels.sum(axis=1), scenes_rated=levels.notna().sum(axis=1))
    sums = frame.groupby(by, sort=False)[["score", *SUBSCORES, "scene_total", "scenes_rated"]].sum()
    return sums.assign(enterprises=frame.groupby(by, sort=False).size()).reset_index()


def _scene_sums(latest: pd.DataFrame, scenes: SceneNames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per industry and scene: the levels added up, and how many enterprises have the scene."""
    grouped = latest.groupby("industry", sort=False)[list(scenes.names)]
    return grouped.sum(), grouped.count()


FIGURES = ("score", *SUBSCORES, "level")


def _improved(by_phase: pd.DataFrame) -> pd.DataFrame:
    """Each enterprise with both a before and an after result: its figures of each, the change
    of score, and whether it rose a level."""
    phases = by_phase.set_index("enterprise_id")
    before = phases.loc[phases["phase"] == BEFORE, list(FIGURES)].astype(float)
    after = phases.loc[phases["phase"] == AFTER, list(FIGURES)].astype(float)
    improved = before.join(after, how="inner", suffixes=("_before", "_after")).sort_index().reset_index()
    improved[["level_before", "level_after"]] = improved[["level_before", "level_after"]].astype(int)
    firms = phases.loc[~phases.index.duplicated()]
    for column in ("industry", "district"):
        improved[column] = improved["enterprise_id"].map(firms[column])
    improved["change"] = improved["score_after"] - improved["score_before"]
    improved["level_up"] = improved["level_after"] > improved["level_before"]
    return improved


def _improvement_sums(improved: pd.DataFrame) -> pd.DataFrame:
    figures = [f"{f}_{phase}" for f in ("score", *SUBSCORES) for phase in ("before", "after")]
    grouped = improved.groupby("industry", sort=False)
    sums = grouped[[*figures, "level_up"]].sum()
    return sums.assign(enterprises=grouped.size()).reset_index()


def level_members(members: Members, industry: str, phase: str, level: int) -> pd.DataFrame:
    """The enterprises behind one bar segment of the level distribution."""
    rows = members.by_phase
    return rows[(rows["industry"] == industry) & (rows["phase"] == phase) & (rows["level"] == level)]


def scene_members(members: Members, industry: str, scene: str) -> pd.DataFrame:
    """The enterprises behind one heatmap cell, the lowest level of that scene first."""
    rows = members.latest[members.latest["industry"] == industry]
    return rows.sort_values([scene, "score"], kind="stable")
