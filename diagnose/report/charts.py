"""The report's two charts as vector drawings: the four dimensions' radar and the 16 scenes' bars.

A chart is a ``Drawing``: a size in millimetres and shapes placed in it (y grows downwards, a
label's y is its baseline). ``document.py`` draws it into the PDF with the PDF's own font and
lines, and writes it as inline SVG into the HTML, so both formats show the same chart, crisp at
any zoom, with text that can be searched and copied. Nothing here draws pixels (the charts took
0.45 s of a 1.3 s report as matplotlib PNGs).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

BLUE, RED, GREY, DARK, ORANGE = "#2e86c1", "#c0392b", "#bbbbbb", "#555555", "#e67e22"
PT = 0.3528  # millimetres in a point


@dataclass(frozen=True)
class Line:
    """A line through ``points``, closed back to the first when ``closed``."""

    points: tuple[tuple[float, float], ...]
    colour: str
    width: float = 0.2
    dashed: bool = False
    closed: bool = False


@dataclass(frozen=True)
class Area:
    """A filled polygon without an outline; ``opacity`` 0-1."""

    points: tuple[tuple[float, float], ...]
    colour: str
    opacity: float = 1.0


@dataclass(frozen=True)
class Label:
    """Text whose baseline starts (``anchor`` start), is centred (middle) or ends (end) at x, y;
    turned ``angle`` degrees anticlockwise about that point; ``size`` in points."""

    x: float
    y: float
    text: str
    size: float
    colour: str = "#000000"
    anchor: str = "start"
    angle: float = 0


@dataclass(frozen=True)
class Drawing:
    """A chart: ``width`` × ``height`` millimetres of shapes, drawn in order."""

    width: float
    height: float
    shapes: tuple[Line | Area | Label, ...]


def radar(series: tuple[tuple[str, tuple[tuple[str, float], ...]], ...], size: float = 90) -> Drawing:
    """A 0-100 radar with one axis per (name, value) — the first at the top, then clockwise — and one
    outline per named series (本次, 改造前 …), the last drawn on top; a legend when there are two."""
    centre, radius = size / 2, size / 2 - 14
    names = [name for name, _ in series[0][1]]

    def point(axis: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + axis * 2 * math.pi / len(names)
        return centre + radius * value / 100 * math.cos(angle), centre + radius * value / 100 * math.sin(angle)

    shapes: list[Line | Area | Label] = []
    for ring in (25, 50, 75, 100):
        circle = tuple(
            (centre + radius * ring / 100 * math.cos(t), centre + radius * ring / 100 * math.sin(t))
            for t in (n * math.pi / 36 for n in range(72))
        )
        shapes.append(Line(circle, GREY, 0.15, closed=True))
        # the ring's value on the diagonal between the first two axes, clear of their names
        at = radius * ring / 100 * math.sqrt(0.5)
        shapes.append(Label(centre + at + 0.6, centre - at - 0.6, str(ring), 6, "#777777"))
    for axis, name in enumerate(names):
        end = point(axis, 100)
        shapes.append(Line(((centre, centre), end), GREY, 0.15))
        x, y = point(axis, 112)
        anchor = "middle" if abs(x - centre) < 1 else ("start" if x > centre else "end")
        shapes.append(Label(x, y + (3.5 if y > centre + 1 else 1.2), name, 10, anchor=anchor))
    colours = (ORANGE, BLUE) if len(series) > 1 else (BLUE,)
    for (_, values), colour in zip(series, colours, strict=False):
        outline = tuple(point(axis, max(0.0, min(100.0, value))) for axis, (_, value) in enumerate(values))
        shapes.append(Area(outline, colour, 0.15))
        shapes.append(Line(outline, colour, 0.6, closed=True))
    if len(series) > 1:
        for row, ((label, _), colour) in enumerate(zip(series, colours, strict=False)):
            y = size - 6 + row * 4.2
            shapes.append(Line(((size - 24, y - 1), (size - 18, y - 1)), colour, 0.6))
            shapes.append(Label(size - 16.5, y, label, 8))
    return Drawing(size, size, tuple(shapes))


def scene_bars(scenes: tuple[tuple[str, bool, int], ...], next_level: int | None, width: float = 170) -> Drawing:
    """One bar per (name, constrained, level 0-4) scene — ★ and red when constrained — on a 0-L4
    scale, with the next level's requirement as a dashed line when there is a next level."""
    left, top, bottom, height = 9.0, 4.0, 52.0, 70.0  # bottom: the axis; below it the turned names
    slot = (width - left - 2) / max(1, len(scenes))
    scale = (bottom - top) / 4.3

    def y_of(level: float) -> float:
        return bottom - level * scale

    shapes: list[Line | Area | Label] = []
    for level, text in enumerate(("0", "L1", "L2", "L3", "L4")):
        if level:
            shapes.append(Line(((left, y_of(level)), (width - 2, y_of(level))), "#e5e5e5", 0.15))
        shapes.append(Label(left - 1.5, y_of(level) + 1, text, 7, "#333333", "end"))
    for n, (name, constrained, level) in enumerate(scenes):
        x = left + n * slot + slot * 0.1
        if level:
            bar = ((x, y_of(level)), (x + slot * 0.8, y_of(level)), (x + slot * 0.8, bottom), (x, bottom))
            shapes.append(Area(bar, RED if constrained else BLUE))
        middle = x + slot * 0.4
        shapes.append(Label(middle + 1, bottom + 3.5, ("★" if constrained else "") + name, 7, "#333333", "end", 60))
    shapes.append(Line(((left, top), (left, bottom), (width - 2, bottom)), DARK, 0.25))
    if next_level:
        shapes.append(Line(((left, y_of(next_level)), (width - 2, y_of(next_level))), DARK, 0.3, dashed=True))
        shapes.append(Label(width - 2, y_of(next_level) - 1, f"下一级要求 L{next_level}", 7, DARK, "end"))
    return Drawing(width, height, tuple(shapes))


def svg(drawing: Drawing, title: str, font_family: str) -> str:
    """The drawing as an inline SVG element (millimetre user units, scaling to its container), its
    text escaped, ``title`` as its accessible name."""
    parts = []
    for shape in drawing.shapes:
        if isinstance(shape, Label):
            turn = f' transform="rotate({-shape.angle:g} {shape.x:.2f} {shape.y:.2f})"' if shape.angle else ""
            anchor = f' text-anchor="{shape.anchor}"' if shape.anchor != "start" else ""
            parts.append(
                f'<text x="{shape.x:.2f}" y="{shape.y:.2f}" font-size="{shape.size * PT:.2f}" '
                f'fill="{shape.colour}"{anchor}{turn}>{html.escape(shape.text)}</text>'
            )
        else:
            points = " ".join(f"{x:.2f},{y:.2f}" for x, y in shape.points)
            if isinstance(shape, Area):
                parts.append(f'<polygon points="{points}" fill="{shape.colour}" fill-opacity="{shape.opacity:g}"/>')
            else:
                element = "polygon" if shape.closed else "polyline"
                dash = ' stroke-dasharray="1.5 1"' if shape.dashed else ""
                parts.append(f'<{element} points="{points}" fill="none" stroke="{shape.colour}" '
                             f'stroke-width="{shape.width:g}"{dash}/>')  # fmt: skip
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawing.width:g} {drawing.height:g}" '
        f'width="100%" style="max-width:{drawing.width * 4:g}px" role="img" aria-label="{html.escape(title)}" '
        f'font-family="{html.escape(font_family)}"><title>{html.escape(title)}</title>{"".join(parts)}</svg>'
    )
