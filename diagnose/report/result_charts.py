"""Plotly figures of a result; no Streamlit here, so pages and reports share them."""

from __future__ import annotations

import plotly.graph_objects as go

from diagnose.rule.maturity import Axis

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


def scene_bars(scenes: list[dict], next_level: int | None) -> go.Figure:
    """The 16 scenes' levels (0-4), ★ scenes in red, the next level's requirement as a line."""
    names = [("★" if s["constrained"] else "") + s["name"] for s in scenes]
    figure = go.Figure(
        go.Bar(
            x=names,
            y=[s["level"] for s in scenes],
            marker_color=["#c0392b" if s["constrained"] else "#2e86c1" for s in scenes],
            hovertemplate="%{x}：L%{y}<extra></extra>",
        )
    )
    if next_level:
        figure.add_hline(y=next_level, line_dash="dash", line_color="#555",
                         annotation_text=f"下一级要求 L{next_level}", annotation_position="top right")  # fmt: skip
    figure.update_layout(
        yaxis={"range": [0, 4.3], "tickvals": [0, 1, 2, 3, 4], "ticktext": ["0", "L1", "L2", "L3", "L4"]},
        xaxis={"tickangle": -45},
        margin={"l": 30, "r": 10, "t": 30, "b": 80},
        height=340,
        font={"family": FONT},
        showlegend=False,
    )
    return figure
