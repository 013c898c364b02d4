"""The officials' dashboard figures (pure, pandas over the narrow rows of the store).

Which results count: every assessment with a result, narrowed by the filters (by
default approved ones only). An enterprise's **latest** result is the last one
scored among those; its **before** and **after** results are the last ones of the
baseline stage and of the after-transformation stages (改造后自评, 现场评定).
Means are over enterprises, each counted once with its latest result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from diagnose.pilot import DISTRICTS, INDUSTRIES, STATUSES, TARGET_LEVEL
from diagnose.pilot_target import PilotFigures, pilot_figures

BEFORE, AFTER = "改造前", "改造后"
LEVEL_NAMES = ("未达一级", "一级", "二级", "三级", "四级")
WORKLOAD_STATUSES = ("draft", "submitted", "approved", "returned")
WEAKEST = 3
ORDER = {"industry": INDUSTRIES, "district": DISTRICTS}


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
    enterprises: int
    diagnosed: int  # with a result the filter keeps
    transformed: int  # with a finished project
    at_target_level: int  # latest result 二级 or above
    pilot: PilotFigures
    levels: pd.DataFrame  # industry, phase, one column per level, 合计
    by_industry: pd.DataFrame  # industry, enterprises, score, basic, management, effect, scene_level
    by_district: pd.DataFrame
    heatmap: pd.DataFrame  # index industry, one column per scene: mean level
    constrained: frozenset[str]  # the ★ scenes
    weakest: pd.DataFrame  # industry, rank, scene, constrained, mean_level
    improvement: pd.DataFrame  # per industry and 合计: enterprises, before, after, changes, level_up
    improved: pd.DataFrame  # per enterprise with both: levels and scores before and after
    workload: pd.DataFrame  # consultant, assigned, visited, one column per status, 合计
    adoption: pd.DataFrame  # product_id, product_name, enterprises, projects, amount
    latest: pd.DataFrame  # per enterprise: enterprise_id, industry, district, level, score, one column per scene
    by_phase: pd.DataFrame  # per enterprise and phase: enterprise_id, industry, district, phase, level, score


def board_figures(facts: dict, scenes: SceneNames, today: date) -> Board:
    """Every dashboard figure from the rows of ``board_queries.board_facts`` (already narrowed
    to the filter)."""
    firms = facts["enterprises"].set_index("id", drop=False)
    chosen = facts["chosen"].sort_values("result_id", kind="stable")
    chosen = chosen.assign(phase=np.where(chosen["after"].astype(bool), AFTER, BEFORE))
    latest = _with_firm(chosen.drop_duplicates("enterprise_id", keep="last"), firms)
    latest = pd.concat([latest, scene_matrix(latest, scenes)], axis=1)
    by_phase = _with_firm(chosen.drop_duplicates(["enterprise_id", "phase"], keep="last"), firms)
    improvement, improved = _improvement(by_phase)
    return Board(
        enterprises=len(firms),
        diagnosed=latest["enterprise_id"].nunique(),
        transformed=int(facts["transformed"]),
        at_target_level=int((latest["level"] >= TARGET_LEVEL).sum()),
        pilot=pilot_figures(facts["enterprises"], facts["candidates"], facts["after"], today),
        levels=_levels(by_phase),
        by_industry=_means(latest, "industry", scenes),
        by_district=_means(latest, "district", scenes),
        heatmap=_heatmap(latest, scenes),
        constrained=scenes.constrained,
        weakest=_weakest(latest, scenes),
        improvement=improvement,
        improved=improved,
        workload=_workload(facts),
        adoption=_adoption(facts),
        latest=latest,
        by_phase=by_phase,
    )


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


def _levels(by_phase: pd.DataFrame) -> pd.DataFrame:
    counts = pd.crosstab([by_phase["industry"], by_phase["phase"]], by_phase["level"])
    counts = counts.reindex(columns=range(len(LEVEL_NAMES)), fill_value=0)
    counts.columns = list(LEVEL_NAMES)
    counts["合计"] = counts.sum(axis=1)
    counts = counts.reset_index().sort_values("phase", key=lambda c: c.map({BEFORE: 0, AFTER: 1}), kind="stable")
    return _in_list_order(counts, "industry").reset_index(drop=True)


def _in_list_order(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows in the order of the pilot's fixed list of industries or districts, not by code point."""
    order = {name: i for i, name in enumerate(ORDER[column])}
    return frame.sort_values(column, key=lambda c: c.map(order).fillna(len(order)), kind="stable")


def _means(latest: pd.DataFrame, by: str, scenes: SceneNames) -> pd.DataFrame:
    frame = latest.assign(scene_level=latest[list(scenes.names)].mean(axis=1))
    grouped = frame.groupby(by, sort=True)
    means = grouped[["score", "basic", "management", "effect", "scene_level"]].mean()
    means.insert(0, "enterprises", grouped.size())
    return _in_list_order(means.reset_index(), by).reset_index(drop=True)


def _heatmap(latest: pd.DataFrame, scenes: SceneNames) -> pd.DataFrame:
    means = latest.groupby("industry", sort=True)[list(scenes.names)].mean()
    return means.loc[_in_list_order(means.reset_index(), "industry")["industry"]]


def _weakest(latest: pd.DataFrame, scenes: SceneNames) -> pd.DataFrame:
    """The three scenes of lowest mean level per industry; on a tie, the ★ scene and then the
    scene listed first in the questionnaire come first."""
    rows = []
    for industry, means in _heatmap(latest, scenes).iterrows():  # one row per industry, not per enterprise
        ranked = sorted(
            (name for name in scenes.names if not np.isnan(means[name])),
            key=lambda name: (means[name], name not in scenes.constrained, scenes.names.index(name)),
        )
        rows += [
            {"industry": industry, "rank": rank, "scene": name, "constrained": name in scenes.constrained,
             "mean_level": means[name]}
            for rank, name in enumerate(ranked[:WEAKEST], start=1)
        ]  # fmt: skip
    return pd.DataFrame(rows, columns=["industry", "rank", "scene", "constrained", "mean_level"])


FIGURES = ("score", "basic", "management", "effect", "level")


def _improvement(by_phase: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Enterprises with both a before and an after result: each one's figures, and per industry
    (and 合计) the means before and after, the mean changes and how many rose a level."""
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

    def summary(group: pd.DataFrame) -> dict:
        row = {"enterprises": len(group), "score_before": group["score_before"].mean(),
               "score_after": group["score_after"].mean(), "change": group["change"].mean()}  # fmt: skip
        for f in ("basic", "management", "effect"):
            row[f"{f}_change"] = (group[f"{f}_after"] - group[f"{f}_before"]).mean()
        row["level_up"] = int(group["level_up"].sum())
        return row

    groups = dict(list(improved.groupby("industry")))
    rows = [{"industry": name, **summary(groups[name])} for name in INDUSTRIES if name in groups]
    if len(improved):
        rows.append({"industry": "合计", **summary(improved)})
    columns = ["industry", "enterprises", "score_before", "score_after", "change", "basic_change",
               "management_change", "effect_change", "level_up"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns), improved


def _workload(facts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per consultant: enterprises assigned, enterprises visited, assessments by status."""
    by_status = facts["workload"].pivot_table(index="consultant", columns="status", values="assessments",
                                              aggfunc="sum", fill_value=0)  # fmt: skip
    by_status = by_status.reindex(columns=list(WORKLOAD_STATUSES), fill_value=0)
    by_status.columns = [STATUSES[s] for s in WORKLOAD_STATUSES]
    by_status["合计"] = by_status.sum(axis=1)
    visited = facts["visited"].rename(columns={"enterprises": "visited"}).set_index("consultant")
    table = facts["assigned"].set_index("consultant").join(visited, how="outer")
    table = table.join(by_status, how="outer").fillna(0).astype(int)
    return table.reset_index().sort_values(["合计", "consultant"], ascending=[False, True], kind="stable")


def _adoption(facts: dict) -> pd.DataFrame:
    """Per catalog product named in a project: its name, enterprises, projects and amount (元)."""
    names = facts.get("product_names", {})
    adoption = facts["adoption"].assign(
        product_name=lambda f: f["product_id"].map(lambda i: names.get(i, "（清单中无此产品）"))
    )
    adoption = adoption[["product_id", "product_name", "enterprises", "projects", "amount"]]
    return adoption.sort_values(["enterprises", "amount"], ascending=False, kind="stable").reset_index(drop=True)


def level_members(board: Board, industry: str, phase: str, level: int) -> pd.DataFrame:
    """The enterprises behind one bar segment of the level distribution."""
    rows = board.by_phase
    return rows[(rows["industry"] == industry) & (rows["phase"] == phase) & (rows["level"] == level)]


def scene_members(board: Board, industry: str, scene: str) -> pd.DataFrame:
    """The enterprises behind one heatmap cell, the lowest level of that scene first."""
    rows = board.latest[board.latest["industry"] == industry]
    return rows.sort_values([scene, "score"], kind="stable")
