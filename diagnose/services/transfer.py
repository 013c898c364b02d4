"""Bulk import of enterprises from Excel, export of every assessment, and backup."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from diagnose.accounts import Actor
from diagnose.enterprise import LABELS, check_profile
from diagnose.excel import read_enterprise_rows, write_table
from diagnose.pilot import STAGES, STATUSES
from diagnose.problems import Problem
from diagnose.services.errors import ServiceError
from diagnose.services.guard import require
from diagnose.store import Store, records


class BackupUnsupported(ServiceError):
    """This database is backed up with its own tools; the message names them."""


@dataclass(frozen=True)
class ImportReport:
    checked: int
    imported: int
    problems: tuple[Problem, ...]


def import_enterprises(
    store: Store, actor: Actor, path: Path, dry_run: bool = False, skip_invalid: bool = False
) -> ImportReport:
    """Import the sheet's enterprises. With any bad row nothing is imported, unless
    ``skip_invalid``; ``dry_run`` checks everything and writes nothing."""
    require(store, actor, "enterprises.import")
    rows, problems = read_enterprise_rows(path)
    if problems:
        return ImportReport(0, 0, tuple(problems))
    good, seen = [], {}
    with store.read() as conn:
        for row in rows:
            profile, found = check_profile(row.values, str(path))
            located = [_locate(p, row) for p in found]
            if profile is not None:
                if profile.credit_code in seen:
                    located.append(
                        _at(path, row, "credit_code", f"与第 {seen[profile.credit_code]} 行的统一社会信用代码重复")
                    )
                elif records.enterprise_by_code(conn, profile.credit_code):
                    located.append(_at(path, row, "credit_code", f"统一社会信用代码 {profile.credit_code} 已登记"))
                seen.setdefault(profile.credit_code, row.number)
            if located:
                problems += located
            else:
                good.append(profile)
    if dry_run or (problems and not skip_invalid) or not good:
        return ImportReport(len(rows), 0, tuple(problems))
    with store.write() as conn:  # all the good rows, or none of them
        for profile in good:
            enterprise_id = records.insert_enterprise(conn, profile.as_row())
            records.audit(
                conn, actor.username, "import", "enterprise", enterprise_id, new=profile.as_row() | {"file": path.name}
            )
    return ImportReport(len(rows), len(good), tuple(problems))


def _at(path: Path, row, key: str, message: str) -> Problem:
    return Problem(str(path), f"row {row.number}, column {row.columns.get(key, '?')}（{LABELS[key]}）", message)


def _locate(problem: Problem, row) -> Problem:
    if problem.place in LABELS:
        return _at(Path(problem.file), row, problem.place, problem.message)
    return Problem(problem.file, f"row {row.number}", problem.message)


EXPORT_HEAD = ["企业名称", "统一社会信用代码", "细分行业", "行政区", "规模", "示例数据", "评测编号", "阶段", "状态",
               "走访日期", "问卷", "问卷版本", "问卷内容哈希", "计分问卷版本", "总分", "数字化基础", "数字化管理",
               "数字化成效", "等级"]  # fmt: skip


def export_assessments(store: Store, actor: Actor, path: Path) -> int:
    """One row per assessment: enterprise, questionnaire version, latest result, every raw answer."""
    require(store, actor, "assessments.export")
    with store.read() as conn:
        head_rows, values, snapshots = records.assessment_export(conn)
    items = sorted({item for found in values.values() for item in found}, key=_item_order)
    rows = []
    for r in head_rows:
        snap = snapshots[r.questionnaire_hash]
        level = "" if r.level is None else r.level
        rows.append([r.name, r.credit_code, r.industry, r.district, r.size_class, "是" if r.sample else "否", r.id,
                     STAGES[r.stage], STATUSES[r.status], r.visit_date, snap.questionnaire_id, snap.version,
                     r.questionnaire_hash, r.version or "", r.score, r.basic, r.management, r.effect, level]
                    + [_text(values.get(r.id, {}).get(item)) for item in items])  # fmt: skip
    write_table(path, EXPORT_HEAD + items, rows)
    return len(rows)


def _item_order(item: str) -> tuple:
    if item.startswith("Q") and item[1:].isdigit():
        return (1, int(item[1:]), "")
    return ({"visit": 0, "scene": 2, "practice": 3}.get(item.split(":")[0].split(".")[0], 4), 0, item)


def _text(value) -> str:
    import json

    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def backup(store: Store, actor: Actor, target: Path) -> str:
    """Copy a SQLite database while it is in use (online backup); for PostgreSQL, say what to use."""
    require(store, actor, "store.backup")
    if store.dialect != "sqlite":
        raise BackupUnsupported(
            "PostgreSQL 请使用 pg_dump 备份，例如：pg_dump --format=custom --file=diagnose.dump <数据库连接>；"
            "恢复用 pg_restore。"
        )
    import sqlite3

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with store.engine.connect() as conn:
        source = conn.connection.dbapi_connection
        with sqlite3.connect(partial) as copy:
            source.backup(copy)
        copy.close()
    partial.replace(target)  # a backup file is whole or absent
    return str(target)
