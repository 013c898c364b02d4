"""The items typed during a visit, as stored one by one: keys, checks, and the assessment they make.

Item keys: a question id (``Q5``), ``scene:<name>``, ``practice:<id>``, and the
visit's information (``visit.date``, ``report.pain_points`` ...). Values are
plain JSON: a question's value is its answer in the pinned answers format.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from diagnose import clock
from diagnose.rule.answers import Assessment, check_answer, check_answers
from diagnose.rule.questionnaire import Questionnaire

VISIT_ITEMS = {
    "visit.date": "走访日期",
    "visit.consultants": "诊断专家",
    "visit.staff": "企业参与人员",
    "report.main_products": "主要产品",
    "report.process_flow": "工艺流程",
    "report.key_equipment": "关键设备",
    "report.industrial_software": "工业软件",
    "report.pain_points": "痛点与需求",
}
REQUIRED_VISIT_ITEMS = ("visit.date", "visit.consultants")
MAX_TEXT = 2000
MAX_PEOPLE = 30
MAX_NAME = 60


def item_label(questionnaire: Questionnaire, item: str) -> str | None:
    """The item's name in Chinese, or None when the questionnaire has no such item."""
    if item in VISIT_ITEMS:
        return VISIT_ITEMS[item]
    question = questionnaire.question(item)
    if question:
        return f"{question.id} {question.item}"
    kind, _, key = item.partition(":")
    if kind == "scene" and questionnaire.scene(key):
        return f"场景 {key}"
    practice = questionnaire.practice(key) if kind == "practice" else None
    if practice:  # by what the consultant ticked, not its id (P19) that the form never shows
        return f"{practice.scene} L{practice.level} 实践：{practice.text}"
    return None


def check_item(questionnaire: Questionnaire, item: str, value: Any) -> tuple[Any, str | None]:
    """``(clean value, None)`` or ``(None, reason)``; None as a value clears the item."""
    label = item_label(questionnaire, item)
    if label is None:
        return None, f"未知条目 {item!r}"
    if value is None:
        return None, None
    if questionnaire.question(item):
        checked = check_answer(questionnaire.question(item), value)
        return (value, None) if not isinstance(checked, str) else (None, f"{label}：{checked}")
    if item.startswith("scene:"):
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 4
        return (value, None) if ok else (None, f"{label}：等级应为 0-4 的整数")
    if item.startswith("practice:"):
        return (value, None) if isinstance(value, bool) else (None, f"{label}：应为 true 或 false")
    if item == "visit.date":
        return _visit_date(value)
    if item in ("visit.consultants", "visit.staff"):
        return _people(label, value)
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        return None, f"{label}：应为不超过 {MAX_TEXT} 字的文字"
    return value, None


def _visit_date(value: Any) -> tuple[Any, str | None]:
    try:
        parsed = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        return None, f"走访日期：应为日期，如 2026-11-27，而不是 {value!r}"
    if parsed > clock.today():
        return None, "走访日期：不能晚于今天"
    return parsed.isoformat(), None


def _people(label: str, value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return None, f"{label}：应为姓名列表"
    if len(value) > MAX_PEOPLE or any(len(v) > MAX_NAME for v in value):
        return None, f"{label}：最多 {MAX_PEOPLE} 人，每人不超过 {MAX_NAME} 字"
    return [v.strip() for v in value], None


def assessment_from_items(questionnaire: Questionnaire, values: dict[str, Any]) -> tuple[Assessment, list[str]]:
    """The scorer's input from stored item values, and the reasons for any value that no
    longer checks (it is left out, never guessed)."""
    document: dict = {"answers": {}, "scenes": {}, "practices": []}
    invalid = []
    for item, value in values.items():
        if value is None or item_label(questionnaire, item) is None:
            continue
        _, reason = check_item(questionnaire, item, value)
        if reason:
            invalid.append(reason)
        elif questionnaire.question(item):
            document["answers"][item] = value
        elif item.startswith("scene:"):
            document["scenes"][item.removeprefix("scene:")] = value
        elif item.startswith("practice:") and value:
            document["practices"].append(item.removeprefix("practice:"))
    assessment, _ = check_answers(questionnaire, document)
    return assessment, invalid


def missing_items(questionnaire: Questionnaire, values: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (item, reason) that stops a submission: unanswered questions, unrated scenes,
    the visit's date and consultants."""
    missing = [(item, f"{VISIT_ITEMS[item]}未填写") for item in REQUIRED_VISIT_ITEMS if not values.get(item)]
    for question in questionnaire.questions:
        if values.get(question.id) is None:
            missing.append((question.id, f"{question.id} {question.item}未回答"))
    ticked = {key.removeprefix("practice:") for key, v in values.items() if key.startswith("practice:") and v}
    for scene in questionnaire.scenes:
        practised = any(p.id in ticked for p in questionnaire.practices_for(scene.name))
        if values.get(f"scene:{scene.name}") is None and not practised:
            missing.append((f"scene:{scene.name}", f"场景 {scene.name}未评级"))
    return missing


def shown_value(questionnaire: Questionnaire, item: str, value: Any) -> str:
    """A stored item value as a reviewer reads it: options by their text, figures with units."""
    if value is None:
        return "未填"
    question = questionnaire.question(item)
    if question is not None:
        if isinstance(value, str):
            option = question.option(value)
            return f"{value}. {option.text}" if option else value
        if isinstance(value, list):
            return "、".join(f"{c}. {question.option(c).text}" for c in value if question.option(c)) or "（无）"
        if question.trend is not None and isinstance(value, dict):
            trend = question.trend
            figures = [f for f in (trend.numerator, trend.denominator) if f]
            return "；".join(
                f"{name}{f.label} {value.get(period, {}).get(f.key)} {f.unit}"
                for period, name in (("before", trend.before), ("after", trend.after)) for f in figures
            )  # fmt: skip
        if isinstance(value, dict):
            figures = [f for f in (question.denominator, question.numerator) if f]
            return "；".join(f"{f.label} {value.get(f.key)} {f.unit}" for f in figures)
        return str(value)
    if item.startswith("scene:") and isinstance(value, int):
        return questionnaire.scene_level_names[value]
    if item.startswith("practice:"):
        return "已勾选" if value else "未勾选"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
