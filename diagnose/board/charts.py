"""The dashboard's plotly figures. Each bar and cell carries the keys of the enterprises
behind it in ``customdata``, so a click can list them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from diagnose.board.views import LEVEL_NAMES
from diagnose.report.result_charts import FONT

LEVEL_COLOURS = ("#bdbdbd", "#9ecae1", "#4292c6", "#08519c", "#08306b")
LAYOUT = {"margin": {"l": 40, "r": 10, "t": 40, "b": 40}, "font": {"family": FONT}}
# above the plot: below it, the legend covers the industry names of a two-level axis
LEGEND_ON_TOP = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}


def level_bars(levels: pd.DataFrame) -> go.Figure:
    """Per industry, the 改造前 and 改造后 bars side by side, stacked by level."""
    x = [levels["industry"].tolist(), levels["phase"].tolist()]
    figure = go.Figure()
    for number, name in enumerate(LEVEL_NAMES):
        custom = [
            [industry, phase, number] for industry, phase in zip(levels["industry"], levels["phase"], strict=True)
        ]
        figure.add_bar(x=x, y=levels[name], name=name, marker_color=LEVEL_COLOURS[number], customdata=custom,
                       hovertemplate="%{x}<br>" + name + "：%{y} 家<extra></extra>")  # fmt: skip
    figure.update_layout(barmode="stack", height=380, yaxis_title="企业（家）", legend=LEGEND_ON_TOP, **LAYOUT)
    return figure


def scene_heatmap(heatmap: pd.DataFrame, constrained: frozenset[str]) -> go.Figure:
    """Industry × scene, the mean level (0-4); ★ before a constrained scene's name."""
    labels = [f"★{name}" if name in constrained else name for name in heatmap.columns]
    figure = go.Figure(
        go.Heatmap(
            z=heatmap.to_numpy(), x=labels, y=list(heatmap.index), zmin=0, zmax=4, colorscale="Blues",
            text=heatmap.round(2).to_numpy(), texttemplate="%{text}", colorbar={"title": "平均等级"},
            hovertemplate="%{y} · %{x}：平均 L%{z:.2f}<extra></extra>",
        )
    )  # fmt: skip
    figure.update_layout(height=120 + 45 * len(heatmap.index), xaxis_tickangle=-45, **LAYOUT)
    return figure


def industry_bars(by_industry: pd.DataFrame) -> go.Figure:
    """Mean 基础 / 管理 / 成效 points per industry, stacked to the mean score."""
    figure = go.Figure()
    for column, name in (("basic", "数字化基础"), ("management", "数字化管理"), ("effect", "数字化成效")):
        figure.add_bar(x=by_industry["industry"], y=by_industry[column].round(3), name=name)  # as scored
    figure.update_layout(barmode="stack", height=340, yaxis_title="平均得分", legend=LEGEND_ON_TOP, **LAYOUT)
    return figure
