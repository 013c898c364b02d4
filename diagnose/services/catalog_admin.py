"""The live product catalog: seeded from the sample file, changed by administrators, audited.

Recommendations read this catalog, so a product paused here is never recommended.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

from openpyxl import Workbook

from diagnose.access.policy import Actor
from diagnose.catalog.products import (
    DEFAULT_CATALOG,
    FIELD_TITLES,
    MAX_DAYS,
    MAX_PRICE,
    STATUSES,
    Catalog,
    check_entries,
    read_catalog,
)
from diagnose.excel import place
from diagnose.numbers import read_number, shown
from diagnose.problems import Problem, ProblemsError, errors
from diagnose.rule.questionnaire import Questionnaire
from diagnose.services.errors import NotFound, ValidationFailed
from diagnose.services.guard import require
from diagnose.store import Duplicate, Store, records

COLUMNS = FIELD_TITLES  # the sheet's columns, in this order
LIST_SEPARATOR = "、"


def live_catalog(store: Store, questionnaire: Questionnaire) -> Catalog:
    """The stored catalog (the sample file is stored on first use), checked against ``questionnaire``."""
    with store.read() as conn:
        entries = records.catalog_entries(conn)
    if not entries:
        entries = _seed(store)
    products, problems = check_entries(questionnaire, entries, "数据库中的产品清单")
    if errors(problems):
        raise ProblemsError(errors(problems))
    return Catalog(*_catalog_header(), products)


def _catalog_header() -> tuple[str, str, str, bool]:
    """The catalog file's id, version, title and sample flag; raises ProblemsError when it cannot be read."""
    try:
        stat = DEFAULT_CATALOG.stat()
    except OSError:
        stat = None
    return _header_of(DEFAULT_CATALOG, stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)


@lru_cache(maxsize=4)
def _header_of(path: Path, _mtime_ns: int, _size: int) -> tuple[str, str, str, bool]:
    # parsed once per version of the file: parsing the whole YAML took half of gathering a report
    raw, problems = read_catalog(path)
    if raw is None:
        raise ProblemsError(problems)
    return raw["id"], raw["version"], raw["title"], bool(raw.get("sample"))


def _seed(store: Store) -> list[dict]:
    raw, problems = read_catalog()
    if raw is None:
        raise ProblemsError(problems)
    try:
        with store.write() as conn:
            if not records.catalog_entries(conn):  # another process may have seeded it meanwhile
                for entry in raw["products"]:
                    records.put_catalog_entry(conn, entry)
                records.audit(conn, "系统", "seed", "catalog", None, new={"products": len(raw["products"])})
            return records.catalog_entries(conn)
    except Duplicate:
        # PostgreSQL: another process seeded it between our read and our insert; theirs stands
        with store.read() as conn:
            return records.catalog_entries(conn)


def set_status(store: Store, actor: Actor, questionnaire: Questionnaire, product_id: str, status: str) -> None:
    """在库 / 暂停 / 退出; audited with the old and new status."""
    require(store, actor, "catalog.manage")
    if status not in STATUSES:
        raise ValidationFailed([Problem("产品清单", "status", f"状态应为：{'、'.join(STATUSES)}")])
    live_catalog(store, questionnaire)
    with store.write() as conn:
        entry = next((e for e in records.catalog_entries(conn) if e["id"] == product_id), None)
        if entry is None:
            raise NotFound(f"产品 {product_id} 不在清单中")
        if entry["status"] != status:
            records.put_catalog_entry(conn, entry | {"status": status})
            records.audit(conn, actor.username, "status", "catalog", None, field=product_id, old=entry["status"],
                          new=status)  # fmt: skip


def _cell(key: str, value) -> object:
    if key in ("industries", "links"):
        return LIST_SEPARATOR.join(value)
    if key == "scenes":
        return LIST_SEPARATOR.join(f"{name}:{level}" for name, level in value.items())
    if key == "questions":
        return "；".join(f"{qid}:{','.join(v) if isinstance(v, list) else v}" for qid, v in value.items())
    return value


def export_catalog(store: Store, actor: Actor, questionnaire: Questionnaire, path: Path) -> int:
    """Write the live catalog to the .xlsx at ``path``, laid out as ``import_catalog`` reads it; returns how many
    products. Administrators only (PermissionDenied); ProblemsError if the stored catalog fails its check."""
    require(store, actor, "catalog.manage")
    live_catalog(store, questionnaire)
    with store.read() as conn:
        entries = records.catalog_entries(conn)
    book = Workbook()
    sheet = book.active
    sheet.title = "产品清单（示例数据）"
    sheet.append(list(COLUMNS.values()))
    for entry in entries:
        sheet.append([_cell(key, entry.get(key, "")) for key in COLUMNS])
    book.save(path)
    return len(entries)


def _entry(row: dict, questionnaire: Questionnaire) -> tuple[dict, list[tuple[str, str]]]:
    """A catalog entry from a sheet row; the (field, reason) of every cell that cannot be read."""
    entry, bad = {}, []
    for key, value in row.items():
        text = "" if value is None else str(value).strip()
        if key in ("industries", "links"):
            entry[key] = [v.strip() for v in text.split(LIST_SEPARATOR) if v.strip()]
        elif key == "scenes":
            entry[key] = {}
            for part in filter(None, (p.strip() for p in text.split(LIST_SEPARATOR))):
                name, _, level = part.partition(":")
                if not level.strip().isdigit():
                    bad.append((key, f"“{part}”应写作 场景:等级，如 营销管理:2"))
                else:
                    entry[key][name.strip()] = int(level)
        elif key == "questions":
            entry[key] = {}
            for part in filter(None, (p.strip() for p in text.replace(";", "；").split("；"))):
                qid, _, codes = part.partition(":")
                question = questionnaire.question(qid.strip())
                listed = [c.strip() for c in codes.split(",") if c.strip()]
                if not listed:
                    bad.append((key, f"“{part}”应写作 题号:选项，如 Q5:C 或 Q4:D,L"))
                elif question is not None and question.type == "multi":
                    entry[key][qid.strip()] = listed
                else:
                    entry[key][qid.strip()] = listed[0] if len(listed) == 1 else listed
        elif key in ("price", "implementation_days"):
            most = MAX_PRICE if key == "price" else MAX_DAYS
            number, why = _whole_number(value, most)
            if why:
                bad.append((key, why))
            entry[key] = number if number is not None else 0  # refused above; no second, English message
        else:
            entry[key] = text
    return entry, bad


def _whole_number(value, most: int) -> tuple[int | None, str | None]:
    """A sheet cell read as a whole number from 0 to ``most``: (the number, None) or (None, why not)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "必须填写一个整数"
    number = read_number(value)
    if isinstance(number, str):  # why it is no number: no price and no number of days either
        return None, number
    if not number.is_integer():
        return None, f"应为整数，而不是 {number:g}"
    if not 0 <= number <= most:
        return None, f"应在 0 到 {most:,} 之间，而不是 {shown(number)}"
    return int(number), None


def import_catalog(store: Store, actor: Actor, questionnaire: Questionnaire, path: Path,
                   dry_run: bool = False) -> tuple[int, list[Problem]]:  # fmt: skip
    """Add or replace products from a sheet laid out as the export; with any bad row nothing is imported."""
    require(store, actor, "catalog.manage")
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    label = str(path)
    try:
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same clear answer
        return 0, [Problem(label, "", f"不是有效的 Excel（.xlsx）文件：{type(exc).__name__}")]
    lines = list(sheet.iter_rows(values_only=True))
    by_title = {title: key for key, title in COLUMNS.items()}
    header = [by_title.get(str(t).strip()) if t is not None else None for t in (lines[0] if lines else [])]
    missing = [COLUMNS[k] for k in COLUMNS if k not in header]
    if missing:
        return 0, [Problem(label, place(1), f"缺少列：{'、'.join(missing)}")]
    letters = {key: get_column_letter(i + 1) for i, key in enumerate(header) if key}
    entries, rows, problems = [], [], []

    def located(i: int, key: str = "", part: str = "") -> str:
        """Where field ``key`` of the ``i``-th product is: its cell, 第 5 行，F 列（类型）, or its row."""
        return f"{place(rows[i], letters[key])}（{COLUMNS[key]}）" if key else place(rows[i])

    for number, line in enumerate(lines[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in line):
            continue
        entry, bad = _entry({key: line[i] for i, key in enumerate(header) if key}, questionnaire)
        entries.append(entry)
        rows.append(number)
        problems += [Problem(label, located(len(entries) - 1, k), why) for k, why in bad]
    _, found = check_entries(questionnaire, copy.deepcopy(entries), label, located=located)
    problems += found
    if errors(problems) or dry_run:
        return 0, problems
    live_catalog(store, questionnaire)
    with store.write() as conn:
        for entry in entries:
            old = records.put_catalog_entry(conn, entry)
            records.audit(conn, actor.username, "import", "catalog", None, field=entry["id"], old=old, new=entry)
    return len(entries), problems
