"""The offline workbook of a visit (离线工作簿): the visit form as .xlsx rows, and back.

One row per widget of the form (a multi-choice question has a row per option, a ratio
question its two figures and its band, a scene its practices and its level), so a row is
read back exactly as the form reads its widgets (``diagnose.visit.form``). Only the value
(column E) and the note (column F, on an item's first row) are open to typing; choices come
from an in-cell dropdown. A hidden sheet holds a token the caller signs: which visit, at
which revision, which rows in which order, and what each item held when it was downloaded.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from diagnose.problems import Problem
from diagnose.rule.questionnaire import Question, Questionnaire
from diagnose.visit.form import (
    BY_PRACTICES,
    NOT_RATED,
    SCENE_CHOICES,
    SECTIONS,
    Incomplete,
    item_value,
    section_items,
    trend_fields,
    widget_state,
)
from diagnose.visit.items import VISIT_ITEMS, check_item, item_label

SHEET = "现场评测"
LISTS = "选项"
TOKEN_SHEET = "校验"
HEADERS = ("条目键", "部分", "题目", "可选值", "填写值", "备注")
KEY_COLUMN, VALUE_COLUMN, NOTE_COLUMN = "A", "E", "F"
MAX_WORKBOOK_BYTES = 5 * 1024 * 1024
MAX_WORKBOOK_ROWS = 2000
YES, NO = "是", "否"
_YES = {YES, "√", "✓", "✔", "1", "TRUE", "Y", "YES", "已勾选"}
_NO = {NO, "×", "✗", "0", "FALSE", "N", "NO", "未勾选"}


@dataclass(frozen=True)
class Row:
    """One row of the workbook: one widget of the form.

    ``key`` is the widget key without its ``v:`` (``Q4:B``, ``Q2:total``, ``scene:产品设计``);
    ``kind`` says how the value cell is read: ``choice`` (a letter, from ``choices``), ``tick``
    (是/否), ``scene`` (a level, from ``choices``), ``number``, ``whole``, ``date`` or ``text``.
    The item's note sits on its first row (``note``)."""

    key: str
    item: str
    section: str
    text: str
    allowed: str
    kind: str
    choices: tuple[str, ...] = ()
    note: bool = False

    @property
    def widget(self) -> str:
        return "v:" + self.key


def rows(questionnaire: Questionnaire) -> list[Row]:
    """Every row of a visit's workbook, in the order of the form."""
    found: list[Row] = []
    for section in SECTIONS:
        for item in section_items(questionnaire, section.key):
            found += _item_rows(questionnaire, section.title, item)
    return found


def _item_rows(questionnaire: Questionnaire, section: str, item: str) -> list[Row]:
    question = questionnaire.question(item)
    if question is not None:
        return _question_rows(question, section)
    if item.startswith("practice:"):
        practice = questionnaire.practice(item.removeprefix("practice:"))
        text = f"场景 {practice.scene} · 实践：{practice.text}（L{practice.level}）"
        return [Row(item, item, section, text, f"{YES} / {NO}", "tick", (YES, NO), note=True)]
    if item.startswith("scene:"):
        scene = questionnaire.scene(item.removeprefix("scene:"))
        star = "★ " if scene.constrained else ""
        levels = _scene_choices(questionnaire)
        text = f"{star}场景 {scene.name}（{scene.group}）等级；留空或选“{BY_PRACTICES}”则按所勾实践的最高等级计"
        return [Row(item, item, section, text, "、".join(levels), "scene", levels, note=True)]
    label = VISIT_ITEMS[item]
    if item == "visit.date":
        return [Row(item, item, section, label, "日期，如 2026-11-27", "date", note=True)]
    if item in ("visit.consultants", "visit.staff"):
        return [Row(item, item, section, label, "姓名，多人用“、”分隔", "text", note=True)]
    return [Row(item, item, section, label, "文字，不超过 2000 字", "text", note=True)]


def _question_rows(question: Question, section: str) -> list[Row]:
    title = f"{question.id} {question.item}：{question.text}"
    choices = tuple(f"{o.code}. {o.text}" for o in question.options)
    if question.type == "multi":
        return [
            Row(f"{question.id}:{o.code}", question.id, section,
                f"{title}（可多选）— {o.code}. {o.text}" + ("（选此项则不选其他）" if o.exclusive else ""),
                f"{YES} / {NO}", "tick", (YES, NO), note=i == 0)
            for i, o in enumerate(question.options)
        ]  # fmt: skip
    if question.trend is None and question.type != "ratio":
        return [Row(question.id, question.id, section, title, "从下拉列表选一项", "choice", choices, note=True)]
    if question.trend is not None:
        figures = [(f"{period}:{f.key}", f"{name}{f.label}", f) for period, name, f in trend_fields(question)]
    else:
        figures = [(f.key, f.label, f) for f in (question.denominator, question.numerator)]
    found = [
        Row(f"{question.id}:{part}", question.id, section, f"{title} — {label}（{figure.unit}）",
            "整数，≥ 0" if figure.whole else "数字，≥ 0", "whole" if figure.whole else "number", note=i == 0)
        for i, (part, label, figure) in enumerate(figures)
    ]  # fmt: skip
    band = "没有原始数据时，直接选择区间（填了数据则按数据计）"
    return found + [Row(f"{question.id}:band", question.id, section, f"{title} — {band}", "从下拉列表选一项",
                        "choice", choices)]  # fmt: skip


def _scene_choices(questionnaire: Questionnaire) -> tuple[str, ...]:
    return (BY_PRACTICES, *questionnaire.scene_level_names)


# --- writing ---


def build(questionnaire: Questionnaire, title: str, values: dict, notes: dict, token: str) -> bytes:
    """The workbook of a visit as .xlsx: ``title`` above the rows, each row's cell holding what the
    stored ``values`` show in the form, each item's note, and ``token`` on a hidden sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    lists = workbook.create_sheet(LISTS)
    hidden = workbook.create_sheet(TOKEN_SHEET)
    hidden["A1"] = token
    lists.sheet_state = hidden.sheet_state = "hidden"
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = (
        "只填“填写值”（E 列）和“备注”（F 列）；选项从单元格的下拉列表中选。改好后在“现场评测”页的“离线工作簿”中上传。"
    )
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    state: dict[str, Any] = {}
    for item in {r.item for r in rows(questionnaire)}:
        state |= widget_state(questionnaire, item, values.get(item))
    open_cell = Protection(locked=False)
    shut = PatternFill("solid", fgColor="EEEEEE")
    validations: dict[tuple[str, ...], DataValidation] = {}
    for row in rows(questionnaire):
        sheet.append([row.key, row.section, row.text, row.allowed, _cell(row, state.get(row.widget)),
                      notes.get(row.item, "") if row.note else None])  # fmt: skip
        number = sheet.max_row
        sheet[f"{VALUE_COLUMN}{number}"].protection = open_cell
        if row.note:
            sheet[f"{NOTE_COLUMN}{number}"].protection = open_cell
        else:
            sheet[f"{NOTE_COLUMN}{number}"].fill = shut
        if row.choices:
            if row.choices not in validations:
                validations[row.choices] = _list_validation(lists, row.choices)
            validations[row.choices].add(f"{VALUE_COLUMN}{number}")
        elif row.kind in ("number", "whole"):
            validations.setdefault(("#" + row.kind,), _number_validation(row.kind == "whole"))
            validations[("#" + row.kind,)].add(f"{VALUE_COLUMN}{number}")
        elif row.kind == "date":
            sheet[f"{VALUE_COLUMN}{number}"].number_format = "yyyy-mm-dd"
    for validation in validations.values():
        sheet.add_data_validation(validation)
    for letter, width in zip("ABCDEF", (16, 12, 60, 24, 28, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    for line in sheet.iter_rows(min_row=4):
        for cell in line[2:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A4"
    # no password: the lock keeps slips out of the keys and texts; the signed token catches the rest
    sheet.protection.sheet = True
    sheet.protection.formatRows = sheet.protection.formatColumns = False
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _list_validation(lists, choices: tuple[str, ...]) -> DataValidation:
    """A dropdown of ``choices``, kept in a column of the hidden list sheet (an inline list is
    limited to 255 characters, which an option text alone can pass)."""
    column = lists.max_column + 1 if lists["A1"].value is not None else 1
    letter = get_column_letter(column)
    for number, choice in enumerate(choices, start=1):
        lists[f"{letter}{number}"] = choice
    validation = DataValidation(type="list", formula1=f"'{LISTS}'!${letter}$1:${letter}${len(choices)}",
                                allow_blank=True, showErrorMessage=True, errorTitle="请从列表中选择",
                                error="请从下拉列表中选择一项，或清空该单元格。")  # fmt: skip
    return validation


def _number_validation(whole: bool) -> DataValidation:
    return DataValidation(type="whole" if whole else "decimal", operator="greaterThanOrEqual", formula1="0",
                          allow_blank=True, showErrorMessage=True, errorTitle="请填写数字",
                          error="请填写不小于 0 的" + ("整数。" if whole else "数字。"))  # fmt: skip


def _cell(row: Row, widget: Any) -> Any:
    """What the value cell shows for a widget's value."""
    if widget is None:
        return None
    if row.kind == "tick":
        return YES if widget else None
    if row.kind == "choice":
        return next((c for c in row.choices if c.split(". ", 1)[0] == widget), None)
    if row.kind == "scene":
        return None if widget == NOT_RATED else row.choices[1 + widget]  # blank: as 按所勾实践 / 尚未评级
    return widget


# --- reading back ---


@dataclass(frozen=True)
class Filled:
    """A workbook as uploaded: its token, and per row its number, key, value cell and note cell."""

    token: str
    lines: tuple[tuple[int, str, Any, Any], ...]


@dataclass(frozen=True)
class Change:
    """What an uploaded workbook gives an item that differs from what it held at download:
    ``field`` is ``value`` or ``note``; ``row`` the Excel row it was read from."""

    item: str
    field: str
    new: Any
    row: int


def read(content: bytes, label: str) -> tuple[Filled | None, list[Problem]]:
    """The token and rows of an uploaded workbook, or the problems that stop reading it."""
    if len(content) > MAX_WORKBOOK_BYTES:
        size = f"{len(content) / 1024 / 1024:.1f} MB"
        return None, [
            Problem(label, "", f"文件过大（{size}），离线工作簿不超过 {MAX_WORKBOOK_BYTES // 1024 // 1024} MB")
        ]
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError):
        return None, [Problem(label, "", "不是有效的 Excel（.xlsx）文件")]
    if SHEET not in workbook.sheetnames or TOKEN_SHEET not in workbook.sheetnames:
        return None, [Problem(label, "", "不是本工具下载的离线工作簿（缺少“现场评测”或校验信息）")]
    token = workbook[TOKEN_SHEET]["A1"].value
    sheet = workbook[SHEET]
    if sheet.max_row > MAX_WORKBOOK_ROWS:
        return None, [Problem(label, "", f"行数过多（{sheet.max_row}），不是本工具下载的离线工作簿")]
    lines = []
    for number, line in enumerate(sheet.iter_rows(min_row=4, max_col=6, values_only=True), start=4):
        if all(v is None for v in line):
            continue
        lines.append((number, line[0], line[4], line[5]))
    return Filled(str(token or ""), tuple(lines)), []


def changes(questionnaire: Questionnaire, filled: Filled, keys: list[str], values: dict, notes: dict,
            label: str) -> tuple[list[Change], list[Problem]]:  # fmt: skip
    """The changes an uploaded workbook makes to what the visit held when it was downloaded
    (``values`` and ``notes`` then; ``keys`` its rows in order), or the problems, each naming
    the row and column. A row whose key is not the one downloaded at its place is refused."""
    layout = {r.key: r for r in rows(questionnaire)}
    got = [line[1] for line in filled.lines]
    if got != keys or any(k not in layout for k in keys):
        for (number, found, _, _), wanted in zip(filled.lines, keys, strict=False):
            if found != wanted:
                return [], [Problem(label, f"第 {number} 行，{KEY_COLUMN} 列", f"条目键被改动或行被移动："
                                    f"应为“{wanted}”，而不是“{found}”；请重新下载工作簿后填写")]  # fmt: skip
        return [], [Problem(label, "", f"工作簿的行数与下载时不同（{len(got)} 行，下载时 {len(keys)} 行）："
                            "行被删除或添加；请重新下载工作簿后填写")]  # fmt: skip
    problems: list[Problem] = []
    state: dict[str, Any] = {}
    first_row: dict[str, int] = {}
    last_row: dict[str, int] = {}
    notes_given: dict[str, tuple[int, Any]] = {}
    for number, row_key, raw, note in filled.lines:
        row = layout[row_key]
        first_row.setdefault(row.item, number)
        last_row[row.item] = number
        place = f"第 {number} 行，{VALUE_COLUMN} 列"
        widget, reason = _widget(row, raw)
        if reason:
            problems.append(Problem(label, place, f"{named(questionnaire, row)}：{reason}"))
        else:
            state[row.widget] = widget
        if row.note:
            notes_given[row.item] = (number, note)
        elif note is not None and str(note).strip():
            where = f"第 {first_row[row.item]} 行"
            item_name = item_label(questionnaire, row.item)
            problems.append(Problem(label, f"第 {number} 行，{NOTE_COLUMN} 列", f"{item_name} 的备注请写在{where}"))
    found: list[Change] = []
    for item, number in first_row.items():
        before = widget_state(questionnaire, item, values.get(item))
        parts = [k for k in before if k in state]
        if len(parts) == len(before) and any(state[k] != before[k] for k in parts):
            edited = [k for k in parts if state[k] != before[k]]
            value = item_value(questionnaire, item, state, edited[0] if len(edited) == 1 else None)
            rows_of = f"{number}" if last_row[item] == number else f"{number}–{last_row[item]}"
            place = f"第 {rows_of} 行，{VALUE_COLUMN} 列"
            if isinstance(value, Incomplete):
                problems.append(Problem(label, place, f"{item_label(questionnaire, item)}：{value.reason}"))
            else:
                clean, reason = check_item(questionnaire, item, value)
                if reason:
                    problems.append(Problem(label, place, reason))
                elif clean != values.get(item):
                    found.append(Change(item, "value", clean, number))
        if item in notes_given:
            row_number, note = notes_given[item]
            text = "" if note is None else str(note).strip()
            if len(text) > 2000:
                problems.append(Problem(label, f"第 {row_number} 行，{NOTE_COLUMN} 列", "备注不超过 2000 字"))
            elif text != (notes.get(item) or ""):
                found.append(Change(item, "note", text, row_number))
    return ([], problems) if problems else (found, [])


def named(questionnaire: Questionnaire, row: Row) -> str:
    """A row as a person names it in a message: ``Q1 网络建设 选项 D``, ``Q2 设备数字化：生产设备总数``,
    ``场景 产品设计``, ``走访日期``, a practice by its text."""
    if row.kind == "tick" and row.item.startswith("practice:"):
        return f"实践“{questionnaire.practice(row.item.removeprefix('practice:')).text}”"
    whole = item_label(questionnaire, row.item)
    if row.key == row.item:
        return whole
    part = row.key.removeprefix(row.item + ":")
    if row.kind == "tick":
        return f"{whole} 选项 {part}"
    if part == "band":
        return f"{whole}（直接选择的区间）"
    return f"{whole}：{row.text.rsplit(' — ', 1)[-1]}"


def _widget(row: Row, raw: Any) -> tuple[Any, str | None]:
    """The widget value a cell gives, or the reason it gives none."""
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            raw = None
    if row.kind == "tick":
        if raw is None:
            return False, None
        text = str(raw).strip().upper()
        if text in _YES or raw is True:
            return True, None
        if text in _NO or raw is False:
            return False, None
        return None, f"应为“{YES}”或“{NO}”（或留空），而不是“{raw}”"
    if raw is None:
        return (NOT_RATED if row.kind == "scene" else None), None
    if row.kind == "choice":
        text = str(raw)
        code = text.split(".", 1)[0].strip().upper()
        if text in row.choices or code in {c.split(". ", 1)[0] for c in row.choices}:
            return code, None
        return None, f"“{text}”不是可选项；请从下拉列表中选择（{row.choices[0]} …）"
    if row.kind == "scene":
        text = str(raw)
        if text == NOT_RATED:
            return NOT_RATED, None
        if text in row.choices:
            return SCENE_CHOICES[row.choices.index(text)], None
        level = text.upper().removeprefix("L")[:1]
        if level.isdigit() and int(level) in SCENE_CHOICES[1:] and len(text.split()[0]) <= 2:
            return int(level), None
        return None, f"“{text}”不是可选的等级；请从下拉列表中选择（{'、'.join(row.choices)}）"
    if row.kind in ("number", "whole"):
        return _number(raw, row.kind == "whole")
    if row.kind == "date":
        if isinstance(raw, datetime):
            return raw.date(), None
        if isinstance(raw, date):
            return raw, None
        # 2026/12/03, 2026.12.3 and 2026年12月3日 as Chinese Excel and WPS users type them
        parts = re.split(r"[-/.年月日]", str(raw).strip().rstrip("日"))
        try:
            return date(*(int(p) for p in parts)), None
        except (ValueError, TypeError):
            return None, f"应为日期，如 2026-11-27，而不是“{raw}”"
    return (raw if isinstance(raw, str) else _plain(raw)), None


def _number(raw: Any, whole: bool) -> tuple[Any, str | None]:
    if isinstance(raw, bool):
        return None, f"应为数字，而不是“{raw}”"
    if isinstance(raw, str):
        try:
            raw = float(raw.replace(",", ""))
        except ValueError:
            return None, f"应为数字，而不是“{raw}”"
    if not isinstance(raw, (int, float)) or not math.isfinite(raw):
        return None, f"应为数字，而不是“{raw}”"
    if raw < 0:
        return None, "不能为负数"
    if whole:
        if raw != int(raw):
            return None, f"应为整数，而不是 {raw:g}"
        return int(raw), None
    return float(raw), None


def _plain(raw: Any) -> str:
    """A number or date typed into a text cell, as the text it shows."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (datetime, date)):
        return raw.isoformat()[:10]
    return str(raw)


def row_keys(questionnaire: Questionnaire) -> list[str]:
    """The keys of the rows, in order: what the token keeps to catch a moved or edited key."""
    return [r.key for r in rows(questionnaire)]
