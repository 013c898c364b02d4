"""The report's line breaking (report/lines.py): Chinese typesetting rules, and nothing lost or overflowing."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from diagnose.report.lines import NO_LINE_END, NO_LINE_START, _pieces, wrap


def width(text: str) -> float:
    """Full-width characters two units, the others one: a monospaced stand-in for the font."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_a_unit_never_starts_a_line_and_a_check_mark_never_ends_one():
    text = "一级（满足）：√ 总分 29.3 分，要求 ≥ 20 分；√ L1 及以上场景 13 个，要求 ≥ 6 个；√ 其中约束性场景 9 个"
    lines = wrap(text, 40, width)
    assert len(lines) > 2
    assert all(not line.startswith(("个", "；", "，", "分")) for line in lines), lines
    assert all(not line.endswith(("√", "≥", "（")) for line in lines), lines
    assert "".join(lines) == text


def test_a_number_stays_with_the_words_around_it():
    # 40 units end inside "≥ 6 个"; the whole "求 ≥ 6 个；" goes to the next line instead
    lines = wrap("二级（未满足）：× 总分 29.3 分，要求 ≥ 40 分；√ L2 及以上场景 6 个，要求 ≥ 6 个；", 58, width)
    assert any("≥ 6 个；" in line for line in lines), lines
    assert all("29.3 分" in line for line in lines if "29.3" in line)


def test_a_listed_item_moves_whole_to_the_next_line_after_its_comma():
    lines = wrap("D. 营销管理、G. 生产管控、H. 质量管理、I. 设备管理", 44, width)
    assert lines == ["D. 营销管理、G. 生产管控、H. 质量管理、", "I. 设备管理"]


def test_western_words_break_at_their_spaces_and_the_space_is_dropped():
    assert wrap("Digital twin platform for injection moulding", 22, width) == [
        "Digital twin platform",
        "for injection moulding",
    ]


def test_a_piece_longer_than_a_line_is_cut_by_character():
    digest = "280cbff6478aa91d0e5c6b2f3f9e1c7d"
    lines = wrap(f"问卷版本 {digest}", 12, width)
    assert all(width(line) <= 12 for line in lines)
    assert "".join(lines).replace(" ", "") == f"问卷版本{digest}"


def test_an_existing_line_break_is_kept():
    assert wrap("甲\n乙", 100, width) == ["甲", "乙"]
    assert wrap("", 100, width) == [""]


REPORT_CHARACTERS = "数字化转型企业管理设备生产质量，、；：。（）《》√×≥ 0123456789.% ABCxyz"
chinese_text = st.text(alphabet=st.sampled_from(list(REPORT_CHARACTERS)), max_size=120)


@given(chinese_text, st.integers(min_value=6, max_value=60))
def test_wrapped_lines_fit_keep_every_character_and_obey_the_rules(text, limit):
    lines = wrap(text, limit, width)
    assert all(width(line) <= limit for line in lines)
    # only spaces at a break are dropped: every other character is kept, in order
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    if all(width(piece) <= limit for piece in _pieces(text)):  # else a piece was cut by character
        assert not any(line[:1] in NO_LINE_START for line in lines[1:] if line), lines
        assert not any(line[-1:] in NO_LINE_END for line in lines[:-1] if line), lines


def test_a_tail_carried_after_a_pause_never_makes_the_next_line_too_wide():
    # found by the property test: "、0" moved after its pause, then "、）" no longer fitted beside it
    lines = wrap("000、、、0、）", 6, width)

    assert all(width(line) <= 6 for line in lines), lines
    assert "".join(lines) == "000、、、0、）"
