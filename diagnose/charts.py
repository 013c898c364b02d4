"""Plotly figures of a result; no Streamlit here, so pages and reports share them."""

from __future__ import annotations

import plotly.graph_objects as go

from diagnose.maturity import Axis

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def radar(series: dict[str, tuple[Axis, ...]]) -> go.Figure:
    """One closed trace per named series of axes, on a fixed 0-100 scale."""
    figure = go.Figure()
    for name, axes in series.items():
        # short axis names: the long ones are cut off on a tablet held upright
        labels = [a.name.removeprefix("数字化") for a in axes]
        values = [round(a.value, 1) for a in axes]
        figure.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=[*labels, labels[0]],
                fill="toself",
                name=name,
                customdata=[*[a.how for a in axes], axes[0].how],
                hovertemplate="%{theta}：%{r}<br>%{customdata}<extra></extra>",
            )
        )
    figure.update_layout(
        polar={"radialaxis": {"range": [0, 100], "tickvals": [0, 25, 50, 75, 100]}},
        showlegend=len(series) > 1,
        margin={"l": 50, "r": 50, "t": 30, "b": 30},
        height=320,
        font={"family": FONT},
    )
    return figure
