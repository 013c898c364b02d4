"""Excel and CSV in and out: enterprise rows read with their row numbers, tables written for Excel users."""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from diagnose.enterprise import LABELS
from diagnose.problems import Problem

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
HEADER_TO_FIELD = {label: key for key, label in LABELS.items()} | {key: key for key in LABELS}

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class SheetRow:
    """One data row of an enterprise sheet: its Excel row number, and its values and column letters by field."""

    number: int  # the row number Excel shows
    values: dict  # field key → cell value
    columns: dict  # field key → column letter


def place(row: int, column: str | None = None) -> str:
    """Where in a sheet, as a person reads it: 第 3 行 or 第 3 行，C 列."""
    return f"第 {row} 行，{column} 列" if column else f"第 {row} 行"


def read_enterprise_rows(path: Path) -> tuple[list[SheetRow], list[Problem]]:
    """The data rows of the first sheet; problems name the file, row and column."""
    label = str(path)
    try:
        size = path.stat().st_size
    except OSError:
        return [], [Problem(label, "", "文件不存在或无法读取")]
    if size > MAX_IMPORT_BYTES:
        return [], [
            Problem(label, "", f"文件过大（{size / 1024 / 1024:.1f} MB），不超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB")
        ]
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return [], [Problem(label, "", f"不是有效的 Excel（.xlsx）文件：{type(exc).__name__}")]
    try:
        return _rows(workbook.worksheets[0], label)
    except (SyntaxError, ValueError, KeyError, TypeError, zipfile.BadZipFile, OSError) as exc:
        # the sheet is read as it is iterated: a damaged one fails here, not when opened
        # (both XML parsers' errors are SyntaxErrors)
        return [], [Problem(label, "", f"文件已损坏，无法读取表格内容：{type(exc).__name__}")]
    finally:
        workbook.close()


def _rows(sheet, label: str) -> tuple[list[SheetRow], list[Problem]]:
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None)
    if not header:
        return [], [Problem(label, place(1), "第一行应为表头，如：统一社会信用代码、企业名称、细分行业、行政区")]
    fields, problems = {}, []
    for index, title in enumerate(header, start=1):
        name = str(title).strip() if title is not None else ""
        if not name:
            continue
        letter = get_column_letter(index)
        if name not in HEADER_TO_FIELD:
            problems.append(Problem(label, place(1, letter), f"未知表头“{name}”"))
        elif HEADER_TO_FIELD[name] in fields.values():
            problems.append(Problem(label, place(1, letter), f"表头“{name}”重复"))
        else:
            fields[index] = HEADER_TO_FIELD[name]
    missing = [LABELS[k] for k in ("credit_code", "name", "industry", "district") if k not in fields.values()]
    if missing:
        problems.append(Problem(label, place(1), f"缺少必需的列：{'、'.join(missing)}"))
    if problems:
        return [], problems
    rows = []
    for number, line in enumerate(lines, start=2):
        if number - 1 > MAX_IMPORT_ROWS:
            return [], [Problem(label, "", f"行数过多：一次最多导入 {MAX_IMPORT_ROWS} 行")]
        if line is None or all(v is None or str(v).strip() == "" for v in line):
            continue
        values = {fields[i]: v for i, v in enumerate(line, start=1) if i in fields}
        rows.append(SheetRow(number, values, {key: get_column_letter(i) for i, key in fields.items()}))
    return rows, []


def write_table(path: Path, headers: list[str], rows: list[list], title: str = "评测") -> None:
    """An .xlsx (its sheet called ``title``) or a .csv (UTF-8 with BOM, so Excel opens the Chinese
    right) by the file's ending."""
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows([_cell(v) for v in row] for row in rows)
        return
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    workbook.save(path)


def _cell(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
