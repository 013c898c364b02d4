"""The dashboard's tables from sums and counts (pure, pandas).

Both ways of computing the dashboard end here: from the records (``board``) and
from the sums every write keeps (``board_sums``). Each first adds up what a view
needs per industry, district, consultant or product; these functions turn those
sums into the tables the page shows, so the two ways agree by construction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnose.pilot import DISTRICTS, INDUSTRIES, LEVEL_NAMES, STATUSES

BEFORE, AFTER = "改造前", "改造后"
WORKLOAD_STATUSES = ("draft", "submitted", "approved", "returned")
WEAKEST = 3
ORDER = {"industry": INDUSTRIES, "district": DISTRICTS}
SUBSCORES = ("basic", "management", "effect")
MEANS = ["enterprises", "score", *SUBSCORES, "scene_level"]
IMPROVEMENT = ["industry", "enterprises", "score_before", "score_after", "change", "basic_change",
               "management_change", "effect_change", "level_up"]  # fmt: skip


def in_list_order(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows in the order of the pilot's fixed list of industries or districts, not by code point."""
    order = {name: i for i, name in enumerate(ORDER[column])}
    return frame.sort_values(column, key=lambda c: c.map(order).fillna(len(order)), kind="stable")


def level_table(counts: pd.DataFrame) -> pd.DataFrame:
    """``counts``: industry, phase (改造前/改造后), level, enterprises. One row per industry and
    phase, a column per level and 合计; 改造前 first, industries in the pilot's order."""
    columns = ["industry", "phase", *LEVEL_NAMES, "合计"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    table = counts.pivot_table(index=["industry", "phase"], columns="level", values="enterprises", aggfunc="sum",
                               fill_value=0)  # fmt: skip
    table = table.reindex(columns=range(len(LEVEL_NAMES)), fill_value=0).astype(int)
    table.columns = list(LEVEL_NAMES)
    table["合计"] = table.sum(axis=1)
    table = table.reset_index().sort_values("phase", key=lambda c: c.map({BEFORE: 0, AFTER: 1}), kind="stable")
    return in_list_order(table, "industry").reset_index(drop=True)[columns]


def means_table(sums: pd.DataFrame, by: str) -> pd.DataFrame:
    """``sums`` per industry or district (``by``): enterprises, the sums of their score and
    sub-scores, scene_total (every scene level added up) and scenes_rated. The means: over
    enterprises for the scores, over every scene rating for the scene level."""
    out = sums[[by, "enterprises"]].copy()
    for figure in ("score", *SUBSCORES):
        out[figure] = sums[figure] / sums["enterprises"]
    out["scene_level"] = sums["scene_total"] / sums["scenes_rated"]
    return in_list_order(out, by).reset_index(drop=True)[[by, *MEANS]]


def heatmap_table(totals: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """Mean level per industry (index) and scene (columns): ``totals`` / ``counts``, NaN where
    no enterprise of the industry has the scene."""
    means = totals / counts.where(counts > 0)
    means.index.name = "industry"
    return means.loc[in_list_order(means.reset_index(), "industry")["industry"]]


def weakest_scenes(heatmap: pd.DataFrame, scene_names: tuple[str, ...], constrained: frozenset[str]) -> pd.DataFrame:
    """The three scenes of lowest mean level per industry (rows of ``heatmap``); on a tie, the
    ★ scene and then the scene listed first in the questionnaire come first."""
    rows = []
    for industry, means in heatmap.iterrows():  # one row per industry, not per enterprise
        ranked = sorted(
            (name for name in scene_names if not np.isnan(means[name])),
            key=lambda name: (means[name], name not in constrained, scene_names.index(name)),
        )
        rows += [
            {"industry": industry, "rank": rank, "scene": name, "constrained": name in constrained,
             "mean_level": means[name]}
            for rank, name in enumerate(ranked[:WEAKEST], start=1)
        ]  # fmt: skip
    return pd.DataFrame(rows, columns=["industry", "rank", "scene", "constrained", "mean_level"])


def improvement_table(sums: pd.DataFrame) -> pd.DataFrame:
    """``sums`` per industry over the enterprises with both a before and an after result:
    enterprises, the sums of ``<figure>_before`` and ``<figure>_after`` for the score and each
    sub-score, and level_up (how many rose a level). Per industry and 合计: the means before and
    after, the mean changes, and level_up."""
    if sums.empty:
        return pd.DataFrame(columns=IMPROVEMENT)
    rows = in_list_order(sums, "industry")
    total = rows.drop(columns="industry").sum().to_frame().T.assign(industry="合计")
    rows = pd.concat([rows, total], ignore_index=True)
    n = rows["enterprises"]
    out = rows[["industry"]].assign(
        enterprises=n.astype(int), score_before=rows["score_before"] / n, score_after=rows["score_after"] / n,
        change=(rows["score_after"] - rows["score_before"]) / n,
        **{f"{f}_change": (rows[f"{f}_after"] - rows[f"{f}_before"]) / n for f in SUBSCORES},
        level_up=rows["level_up"].astype(int),
    )  # fmt: skip
    return out[IMPROVEMENT]


def pilot_months(newly: pd.Series) -> pd.DataFrame:
    """``newly``: enterprises starting to count toward the target, by month ("YYYY-MM").
    Month, newly, cumulative, the earliest month first."""
    monthly = newly[newly > 0].astype(int).rename("newly").rename_axis("month").sort_index().reset_index()
    monthly["cumulative"] = monthly["newly"].cumsum()
    return monthly


def workload_table(workload: pd.DataFrame, visited: pd.DataFrame, assigned: pd.DataFrame) -> pd.DataFrame:
    """Per consultant: enterprises assigned, enterprises visited, assessments by status.
    ``workload``: consultant, status, assessments; ``visited``: consultant, enterprises;
    ``assigned``: consultant, assigned."""
    by_status = workload.pivot_table(index="consultant", columns="status", values="assessments", aggfunc="sum",
                                     fill_value=0)  # fmt: skip
    by_status = by_status.reindex(columns=list(WORKLOAD_STATUSES), fill_value=0)
    by_status.columns = [STATUSES[s] for s in WORKLOAD_STATUSES]
    by_status["合计"] = by_status.sum(axis=1)
    visited = visited.rename(columns={"enterprises": "visited"}).set_index("consultant")
    table = assigned.set_index("consultant").join(visited, how="outer")
    table = table.join(by_status, how="outer").fillna(0).astype(int)
    return table.reset_index().sort_values(["合计", "consultant"], ascending=[False, True], kind="stable")


def adoption_table(adoption: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Per catalog product named in a project (product_id, enterprises, projects, amount in 元):
    with its name, the most adopted first."""
    adoption = adoption.assign(product_name=lambda f: f["product_id"].map(lambda i: names.get(i, "（清单中无此产品）")))
    adoption = adoption[["product_id", "product_name", "enterprises", "projects", "amount"]]
    # the product id breaks ties, so both ways of computing the table list them in one order
    ordered = adoption.sort_values(["enterprises", "amount", "product_id"], ascending=[False, False, True])
    return ordered.reset_index(drop=True)


ORGANISATION_COLUMNS = ["organisation_id", "diagnosed", "enterprises", "projects", "amount", "counting", "compared",
                        "gain"]  # fmt: skip


def organisation_table(sums: pd.DataFrame, names: dict[int, tuple[str, str]]) -> pd.DataFrame:
    """The provider comparison: per organisation (``sums`` of ``ORGANISATION_COLUMNS``, one row
    per organisation; ``names``: id → name and kind), the enterprises its consultants diagnosed,
    the enterprises it has projects with, those projects and their amount (元), how many of
    those enterprises count toward the pilot target, and the mean level gain (after − before)
    of those with both results (NaN with none). The most counting first."""
    table = sums.groupby("organisation_id", sort=False)[ORGANISATION_COLUMNS[1:]].sum().reset_index()
    table["organisation_id"] = table["organisation_id"].astype(int)
    table["organisation"] = table["organisation_id"].map(lambda i: names.get(i, ("（已删除的单位）", ""))[0])
    table["kind"] = table["organisation_id"].map(lambda i: names.get(i, ("", ""))[1])
    table["mean_gain"] = (table["gain"] / table["compared"].where(table["compared"] > 0)).astype(float)
    columns = ["organisation_id", "organisation", "kind", "diagnosed", "enterprises", "projects", "amount",
               "counting", "compared", "mean_gain"]  # fmt: skip
    # the id breaks ties, so both ways of computing the table list them in one order
    ordered = table[columns].sort_values(["counting", "enterprises", "diagnosed", "organisation_id"],
                                         ascending=[False, False, False, True])  # fmt: skip
    return ordered.reset_index(drop=True)
