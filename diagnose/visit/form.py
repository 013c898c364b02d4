"""The visit form's widgets ↔ stored items, both ways, without Streamlit.

Each item is edited through one or more widgets whose keys start with
``v:<item>``: a multi-choice question has one checkbox per option, a ratio
question two number inputs and a band to pick when the figures are unknown.
``widget_state`` gives the widget values for a stored item (to restore a
visit into a fresh session); ``item_value`` reads them back into the item's
stored value, or says why they cannot be saved yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from diagnose.rule.questionnaire import Question, Questionnaire

NOT_RATED = "未评"
BY_PRACTICES = "按所勾实践"  # how a scene not rated by hand shows: it counts at the highest practice ticked
SCENE_CHOICES = (NOT_RATED, 0, 1, 2, 3, 4)
PEOPLE_SEPARATORS = ("，", ",", "、", ";", "；", "\n")


@dataclass(frozen=True)
class Section:
    """A part of the visit form: its key and its title."""

    key: str
    title: str


SECTIONS = (
    Section("visit", "走访信息"),
    Section("basic", "数字化基础"),
    Section("scenes", "数字化经营"),
    Section("management", "数字化管理"),
    Section("effect", "数字化成效"),
    Section("needs", "痛点与需求"),
)
VISIT_FIELDS = ("visit.date", "visit.consultants", "visit.staff", "report.main_products", "report.process_flow",
                "report.key_equipment", "report.industrial_software")  # fmt: skip
NEEDS_FIELDS = ("report.pain_points",)


def key(item: str, part: str = "") -> str:
    """The widget key of an item (``v:<item>``), or of one part of it (``v:<item>:<part>``)."""
    return f"v:{item}:{part}" if part else f"v:{item}"


def section_items(questionnaire: Questionnaire, section: str) -> list[str]:
    """The items a section holds, in the order shown."""
    if section == "visit":
        return list(VISIT_FIELDS)
    if section == "needs":
        return list(NEEDS_FIELDS)
    if section == "scenes":
        items = []
        for scene in questionnaire.scenes:
            items += [f"practice:{p.id}" for p in questionnaire.practices_for(scene.name)]
            items.append(f"scene:{scene.name}")
        return items
    return [q.id for q in questionnaire.questions if q.dimension == section]


def section_of(questionnaire: Questionnaire, item: str) -> str:
    """The key of the section that shows ``item``; ``visit`` for an item no section lists."""
    for section in SECTIONS:
        if item in section_items(questionnaire, section.key):
            return section.key
    return "visit"


def widget_state(questionnaire: Questionnaire, item: str, value: Any) -> dict[str, Any]:
    """The widget values that show a stored item value."""
    question = questionnaire.question(item)
    if question is not None:
        return _question_state(question, value)
    if item.startswith("scene:"):
        return {key(item): NOT_RATED if value is None else value}
    if item.startswith("practice:"):
        return {key(item): bool(value)}
    if item == "visit.date":
        return {key(item): date.fromisoformat(value) if value else None}
    if item in ("visit.consultants", "visit.staff"):
        return {key(item): "、".join(value or [])}
    return {key(item): value or ""}


def trend_fields(question: Question) -> list[tuple[str, str, object]]:
    """(period, period name, figure) for each number a trend question takes."""
    trend = question.trend
    figures = [f for f in (trend.numerator, trend.denominator) if f]
    return [(period, name, f) for period, name in (("before", trend.before), ("after", trend.after)) for f in figures]


def _question_state(question: Question, value: Any) -> dict[str, Any]:
    if question.trend is not None:
        figures = value if isinstance(value, dict) else {}
        state = {key(question.id, f"{period}:{f.key}"): figures.get(period, {}).get(f.key)
                 for period, _, f in trend_fields(question)}  # fmt: skip
        return state | {key(question.id, "band"): value if isinstance(value, str) else None}
    if question.type == "multi":
        chosen = set(value or [])
        return {key(question.id, o.code): o.code in chosen for o in question.options}
    if question.type == "ratio":
        figures = value if isinstance(value, dict) else {}
        return {
            key(question.id, question.denominator.key): figures.get(question.denominator.key),
            key(question.id, question.numerator.key): figures.get(question.numerator.key),
            key(question.id, "band"): value if isinstance(value, str) else None,
        }
    return {key(question.id): value}


@dataclass(frozen=True)
class Incomplete:
    """Widgets that do not make a value yet (one of two figures typed); nothing is saved."""

    reason: str


def item_value(questionnaire: Questionnaire, item: str, state: dict, changed: str | None = None) -> Any:
    """The stored value the widgets now show (None clears the item), or Incomplete.

    ``changed`` is the key of the widget just edited: for a ratio question, typing
    a figure means the figures count, picking a band means the band does.
    """
    question = questionnaire.question(item)
    if question is not None:
        return _question_value(question, state, changed)
    raw = state.get(key(item))
    if item.startswith("scene:"):
        if raw in (None, NOT_RATED):
            return None
        # only one of the options, never a label: anything else is refused, not parsed
        if isinstance(raw, bool) or raw not in SCENE_CHOICES[1:]:
            return Incomplete(f"等级 {raw!r} 不是可选的等级，请重新选择")
        return raw
    if item.startswith("practice:"):
        return bool(raw)
    if item == "visit.date":
        return raw.isoformat() if isinstance(raw, date) else None
    if item in ("visit.consultants", "visit.staff"):
        return split_people(raw or "") or None
    return raw if raw else None


def _question_value(question: Question, state: dict, changed: str | None) -> Any:
    if question.trend is not None:
        band = state.get(key(question.id, "band"))
        if changed == key(question.id, "band"):
            return band
        given = {
            (period, f.key): state.get(key(question.id, f"{period}:{f.key}")) for period, _, f in trend_fields(question)
        }
        if all(v is None for v in given.values()):
            return band
        missing = [f"{name}{f.label}" for period, name, f in trend_fields(question) if given[(period, f.key)] is None]
        if missing:
            return Incomplete("还需填写" + "、".join(missing))
        return {period: {f.key: given[(period, f.key)] for p, _, f in trend_fields(question) if p == period}
                for period in ("before", "after")}  # fmt: skip
    if question.type == "multi":
        ticked = [o.code for o in question.options if state.get(key(question.id, o.code))]
        return ticked or None
    if question.type == "ratio":
        band = state.get(key(question.id, "band"))
        if changed == key(question.id, "band"):
            return band
        total = state.get(key(question.id, question.denominator.key))
        part = state.get(key(question.id, question.numerator.key))
        if total is None and part is None:
            return band
        if total is None or part is None:
            missing = question.denominator if total is None else question.numerator
            return Incomplete(f"还需填写{missing.label}")
        return {question.denominator.key: total, question.numerator.key: part}
    return state.get(key(question.id))


def split_people(text: str) -> list[str]:
    """The names in ``text``, split at commas, 、, semicolons and new lines, trimmed, blanks dropped."""
    for separator in PEOPLE_SEPARATORS[1:]:
        text = text.replace(separator, PEOPLE_SEPARATORS[0])
    return [name.strip() for name in text.split(PEOPLE_SEPARATORS[0]) if name.strip()]


def section_progress(questionnaire: Questionnaire, section: str, values: dict) -> tuple[int, int]:
    """(done, total) of what a submission needs in a section (practices and optional fields aside)."""
    if section == "visit":
        needed = ["visit.date", "visit.consultants"]
        return sum(bool(values.get(i)) for i in needed), len(needed)
    if section == "needs":
        return int(bool(values.get("report.pain_points"))), 1
    if section == "scenes":
        ticked = {k.removeprefix("practice:") for k, v in values.items() if k.startswith("practice:") and v}
        rated = sum(
            values.get(f"scene:{s.name}") is not None
            or any(p.id in ticked for p in questionnaire.practices_for(s.name))
            for s in questionnaire.scenes
        )
        return rated, len(questionnaire.scenes)
    questions = [q.id for q in questionnaire.questions if q.dimension == section]
    return sum(values.get(q) is not None for q in questions), len(questions)
