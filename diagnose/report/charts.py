"""Chart images for the PDF report (matplotlib, no browser), in the report's CJK font."""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")  # no display on servers

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from diagnose.report.fonts import cjk_font_paths  # noqa: E402

FAMILY = "Noto Sans CJK SC"


def _use_cjk_font() -> None:
    for path in cjk_font_paths():
        font_manager.fontManager.addfont(str(path))
    plt.rcParams["font.family"] = [FAMILY, "sans-serif"]
    plt.rcParams["axes.unicode_minus"] = False


def radar_png(series: dict[str, list[tuple[str, float]]]) -> bytes:
    """A 0-100 radar of the four dimensions, one line per series (本次, 改造前 ...)."""
    _use_cjk_font()
    labels = [name for name, _ in next(iter(series.values()))]
    angles = [n / len(labels) * 2 * math.pi for n in range(len(labels))]
    figure = plt.figure(figsize=(4.2, 4.2), dpi=150)
    axes = figure.add_subplot(polar=True)
    for name, values in series.items():
        points = [v for _, v in values]
        axes.plot([*angles, angles[0]], [*points, points[0]], linewidth=2, label=name)
        axes.fill([*angles, angles[0]], [*points, points[0]], alpha=0.15)
    axes.set_xticks(angles, labels, fontsize=11)
    axes.set_ylim(0, 100)
    axes.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize=7, color="#777")
    if len(series) > 1:
        axes.legend(loc="lower right", bbox_to_anchor=(1.15, -0.1), fontsize=9)
    return _png(figure)


def scenes_png(scenes: list[tuple[str, bool, int]], next_level: int | None) -> bytes:
    """The 16 scenes as bars (level 0-4), ★ scenes marked, the next level's line drawn."""
    _use_cjk_font()
    figure = plt.figure(figsize=(7.2, 3.4), dpi=150)
    axes = figure.add_subplot()
    names = [("★" if starred else "") + name for name, starred, _ in scenes]
    levels = [level for _, _, level in scenes]
    colours = ["#c0392b" if starred else "#2e86c1" for _, starred, _ in scenes]
    axes.bar(range(len(scenes)), levels, color=colours)
    axes.set_xticks(range(len(scenes)), names, rotation=60, ha="right", fontsize=8)
    axes.set_ylim(0, 4.3)
    axes.set_yticks([0, 1, 2, 3, 4], ["0", "L1", "L2", "L3", "L4"], fontsize=8)
    if next_level:
        axes.axhline(next_level, color="#555", linestyle="--", linewidth=1)
        axes.text(len(scenes) - 0.5, next_level + 0.08, f"下一级要求 L{next_level}", ha="right", fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return _png(figure)


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()
