"""Breaking the report's Chinese text into lines the way Chinese is typeset (避头尾).

fpdf2 breaks either at spaces only (so "要求 ≥ 6 个" splits before 个) or at any character (so a
line may begin with "；" or end with "（"). ``wrap`` breaks between Chinese characters, never
before closing punctuation nor after opening punctuation or a mark that belongs to what follows
(√, ×, ≥ …), keeps a number with the words around it, and breaks western text at its spaces.
A piece that cannot fit a line by these rules is cut by character, so nothing overflows.
"""

from __future__ import annotations

from collections.abc import Callable

from fpdf import FPDF

# a line never begins with these (closing punctuation, a unit sign, an ellipsis)
NO_LINE_START = frozenset("，。、；：！？）》」』】〕〉…%‰·,.;:!?)]}’”～—")
# a line never ends with these: opening punctuation, and marks that qualify what follows them
NO_LINE_END = frozenset("（《「『【〔〈([{‘“") | frozenset("√×✓✗★☆≥≤＞＜>=<±→←~")


def _chinese(char: str) -> bool:
    """Whether ``char`` is set as a Chinese character or Chinese punctuation (full width)."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, CJK punctuation, kana, ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFF00 <= code <= 0xFFEF  # full-width forms (，；：（）)
        or 0x20000 <= code <= 0x3FFFF  # ideographs beyond the basic plane
    )


def _western(char: str) -> bool:
    return not char.isspace() and not _chinese(char) and char not in NO_LINE_END


def _may_break_before(text: str, i: int) -> bool:
    """Whether a line may end just before ``text[i]`` (0 < i < len(text))."""
    before, after = text[i - 1], text[i]
    if after == " ":
        # a space is a break only between two western words; beside Chinese, a number or a mark
        # it is spacing that keeps them together ("总分 29.3 分", "√ 其中")
        return i + 1 < len(text) and _western(before) and _western(text[i + 1])
    if before == " ":
        return i > 1 and _may_break_before(text, i - 1)
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return _chinese(before) or _chinese(after)


def _pieces(text: str) -> list[str]:
    """``text`` cut at every place a line may break; a breaking space is a piece of its own."""
    pieces, start = [], 0
    for i in range(1, len(text)):
        if _may_break_before(text, i):
            pieces.append(text[start:i])
            start = i
    pieces.append(text[start:])
    return [p for p in pieces if p]


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """``text`` as lines no wider than ``width`` by ``measure`` (a string's width, in the same unit),
    broken only where Chinese typesetting allows, and rather after a comma or 、 close to the line's
    end than inside the word that follows it; an existing line break is kept."""
    widths: dict[str, float] = {}

    def wide(piece: str) -> float:
        total = 0.0
        for char in piece:
            if char not in widths:
                widths[char] = measure(char)
            total += widths[char]
        return total

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []  # the current line's pieces
        for piece in _pieces(paragraph):
            if piece == " " and not line:
                continue  # a break's space is not carried to the next line
            # a tail carried over after a pause may itself leave no room: close lines until there is
            while line and wide("".join(line)) + wide(piece) > width:
                line = _end_line(lines, line, width, wide)
            if piece == " " and not line:
                continue
            if wide(piece) > width:  # longer than a line by the rules: cut it by character
                for char in piece:
                    if line and wide("".join(line)) + widths[char] > width:
                        lines.append("".join(line))
                        line = []
                    line.append(char)
                continue
            line.append(piece)
        lines.append("".join(line).rstrip(" "))
    return lines


def _end_line(lines: list[str], line: list[str], width: float, wide: Callable[[str], float]) -> list[str]:
    """Close the full ``line`` into ``lines`` and return the pieces carried to the next line: those
    after its last pause (，、；。：) when they are a short tail, so that a listed item is not split."""
    for cut in range(len(line) - 1, 0, -1):
        tail = line[cut:]
        if sum(map(len, tail)) > PAUSE_LOOKBACK_CHARS or wide("".join(tail)) > width / 3:
            break
        if line[cut - 1][-1] in PAUSES:
            lines.append("".join(line[:cut]).rstrip(" "))
            return tail
    lines.append("".join(line).rstrip(" "))
    return []


PAUSES = frozenset("，、；。：")
PAUSE_LOOKBACK_CHARS = 8  # a tail this short after a pause goes to the next line whole


LINE_SLACK_MM = 0.3  # the cell border's width and rounding


def cell_text(pdf: FPDF, text: str, width: float) -> str:
    """``text`` broken into lines for a cell ``width`` mm wide in the current font, the cell's inner
    margins taken off; fpdf2's own breaking is left only as a fallback, with a hair of slack so
    that it never breaks one of these lines again."""
    return "\n".join(wrap(text, width - 2 * pdf.c_margin - LINE_SLACK_MM, pdf.get_string_width))
