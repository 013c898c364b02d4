"""Bulk import of enterprises from Excel, and export of every assessment (backup: services/backup.py)."""

from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from diagnose.access.policy import Actor
from diagnose.enterprise import LABELS, check_profile
from diagnose.excel import MAX_IMPORT_BYTES, place, read_enterprise_rows, write_table
from diagnose.pilot import STAGES, STATUSES
from diagnose.problems import Problem
from diagnose.services.errors import Conflict
from diagnose.services.guard import require
from diagnose.store import Duplicate, Store, records


@dataclass(frozen=True)
class ImportReport:
    """An import's outcome: rows checked, enterprises written (0 for a dry run or a refusal), every problem located."""

    checked: int
    imported: int
    problems: tuple[Problem, ...]


def import_enterprises(
    store: Store, actor: Actor, path: Path, dry_run: bool = False, skip_invalid: bool = False, name: str = ""
) -> ImportReport:
    """Import the sheet's enterprises. With any bad row nothing is imported, unless
    ``skip_invalid``; ``dry_run`` checks everything and writes nothing. ``name`` is what the
    problems and the audit log call the file (default: its path)."""
    require(store, actor, "enterprises.import")
    label = name or str(path)
    rows, problems = read_enterprise_rows(path)
    if problems:
        return ImportReport(0, 0, tuple(Problem(label, p.place, p.message) for p in problems))
    good, seen = [], {}
    with store.read() as conn:
        for row in rows:
            unusable = _unusable_numbers(label, row)
            profile, found = check_profile({k: v for k, v in row.values.items() if k not in unusable}, label)
            located = list(unusable.values()) + [_locate(label, p, row) for p in found]
            if profile is not None:
                if profile.credit_code in seen:
                    located.append(
                        _at(label, row, "credit_code", f"与第 {seen[profile.credit_code]} 行的统一社会信用代码重复")
                    )
                elif records.enterprise_by_code(conn, profile.credit_code):
                    located.append(_at(label, row, "credit_code", f"统一社会信用代码 {profile.credit_code} 已登记"))
                seen.setdefault(profile.credit_code, row.number)
            if located:
                problems += located
            else:
                good.append(profile)
    if dry_run or (problems and not skip_invalid) or not good:
        return ImportReport(len(rows), 0, tuple(problems))
    try:
        with store.write() as conn:  # all the good rows, or none of them
            for profile in good:
                enterprise_id = records.insert_enterprise(conn, profile.as_row())
                records.audit(conn, actor.username, "import", "enterprise", enterprise_id,
                              new=profile.as_row() | {"file": Path(label).name})  # fmt: skip
    except Duplicate:  # someone registered one of these codes between the check and the write
        raise Conflict("导入期间有企业被他人登记，未导入任何一行；请重新检查后再导入") from None
    return ImportReport(len(rows), len(good), tuple(problems))


def import_enterprises_upload(store: Store, actor: Actor, filename: str, content: bytes, dry_run: bool = False,
                              skip_invalid: bool = False) -> ImportReport:  # fmt: skip
    """The same import for an uploaded file's bytes; the problems name the file as uploaded."""
    require(store, actor, "enterprises.import")
    name = Path(str(filename)).name or "上传的文件"
    if reason := _upload_problem(name, content):
        return ImportReport(0, 0, (Problem(name, "", reason),))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"  # never the uploaded name as a path
        path.write_bytes(content)
        return import_enterprises(store, actor, path, dry_run, skip_invalid, name=name)


def _upload_problem(name: str, content: bytes) -> str | None:
    if not content:
        return "文件是空的"
    if len(content) > MAX_IMPORT_BYTES:
        return f"文件过大（{len(content) / 1024 / 1024:.1f} MB），不超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB"
    if not name.lower().endswith(".xlsx"):
        return "只能导入 Excel（.xlsx）文件；其他格式请先在 Excel 中另存为 .xlsx"
    return None


# the bounds of a plausible figure; past them (or inf, NaN) a cell is a typing or export error
NUMBER_LIMITS = {"head_count": 10_000_000, "head_count_prev": 10_000_000, "revenue": 1e8, "revenue_prev": 1e8}


def _unusable_numbers(label: str, row) -> dict[str, Problem]:
    """The figures no profile check should see, by field: not finite (inf, NaN, 1e999) or absurdly large."""
    found = {}
    for key, limit in NUMBER_LIMITS.items():
        value = row.values.get(key)
        if isinstance(value, bool) or value is None:
            continue
        try:
            number = float(value) if isinstance(value, int | float) else float(str(value).strip().replace(",", ""))
        except ValueError:
            continue  # not a number at all: the profile check says so
        except OverflowError:  # an integer past any float
            number = limit * 2
        if not math.isfinite(number):
            found[key] = _at(label, row, key, f"{LABELS[key]}应为有限的数字，而不是“{value}”")
        elif number > limit:  # a negative one is the profile check's
            found[key] = _at(label, row, key, f"{LABELS[key]}过大，不超过 {limit:.0f}")
    return found


def problem_rows(problems) -> list[dict]:
    """Each problem as a row for a table: 行, 列 and 问题 (read back from the place the import wrote)."""
    rows = []
    for problem in problems:
        found = PLACE.match(problem.place)
        line, column = (found["row"], found["column"] or "") if found else ("", problem.place)
        rows.append({"行": int(line) if line else None, "列": column, "问题": problem.message})
    return rows


PLACE = re.compile(r"^第 (?P<row>\d+) 行(?:，(?P<column>.+))?$")  # as ``excel.place`` writes it


def _at(label: str, row, key: str, message: str) -> Problem:
    return Problem(label, f"{place(row.number, row.columns.get(key, '?'))}（{LABELS[key]}）", message)


def _locate(label: str, problem: Problem, row) -> Problem:
    if problem.place in LABELS:
        return _at(label, row, problem.place, problem.message)
    return Problem(label, place(row.number), problem.message)


def template_xlsx(path: Path) -> None:
    """An empty import sheet: the header row with every column the import reads."""
    write_table(path, list(LABELS.values()), [], title="企业档案")


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
    from diagnose.services import questionnaires

    national = questionnaires()["national-2024"]  # read once: it names every question's column
    write_table(path, EXPORT_HEAD + [_header(item, national) for item in items], rows)
    return len(rows)


def _header(item: str, national) -> str:
    """An answer's column head in Chinese: "Q5 信息系统", "走访日期", "场景：产品设计", "实践 P19"
    (a practice's id: the rubrics of the four industries number their practices each their own way);
    ``national`` is the national questionnaire, which names the questions."""
    from diagnose.visit.items import VISIT_ITEMS

    if item in VISIT_ITEMS:
        return VISIT_ITEMS[item]
    question = national.question(item)
    if question is not None:
        return f"{question.id} {question.item}"
    kind, _, key = item.partition(":")
    return {"scene": f"场景：{key}", "practice": f"实践 {key}"}.get(kind, item)


def _item_order(item: str) -> tuple:
    if item.startswith("Q") and item[1:].isdigit():
        return (1, int(item[1:]), "")
    return ({"visit": 0, "scene": 2, "practice": 3}.get(item.split(":")[0].split(".")[0], 4), 0, item)


def _text(value) -> str:
    import json

    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
