"""The answers format (pinned: other tools read it) → a checked ``Assessment``.

```json
{"questionnaire": "textiles",
 "answers": {"Q1": ["B", "C"], "Q2": {"total": 40, "digital": 12}, "Q5": "C"},
 "scenes": {"产品设计": 2}, "practices": ["T01"]}
```

A single-choice answer is one letter, a multi-choice answer a list of letters
(an empty list is an answer worth 0), a ratio question a letter or its raw
figures. Every problem is reported, each naming the place and the question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from diagnose.problems import Problem, ProblemsError
from diagnose.rule.figures import ratio_option, trend_measure, trend_option
from diagnose.rule.questionnaire import SCENE_LEVELS, Figure, Question, Questionnaire

MAX_FIGURE = 1e12  # a figure above this is a typing slip (万元 or a count), never a real enterprise's
MAX_COUNT = 1_000_000  # devices or people of one SME: more is a slip of the keyboard

DOCUMENT_KEYS = ("questionnaire", "answers", "scenes", "practices")


@dataclass(frozen=True)
class Assessment:
    """Checked answers to one questionnaire; what the scorer takes.

    ``choices`` holds the option letters per answered question (a ratio
    question's letter follows from its figures when those were given);
    a question absent from it is unanswered. ``scenes`` holds only the levels
    set explicitly; ``practices`` the ticked practice ids.
    """

    questionnaire: str
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    figures: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    scenes: Mapping[str, int] = field(default_factory=dict)
    practices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "choices", MappingProxyType(dict(self.choices)))
        object.__setattr__(self, "figures", MappingProxyType(dict(self.figures)))
        object.__setattr__(self, "scenes", MappingProxyType(dict(self.scenes)))
        object.__setattr__(self, "practices", tuple(self.practices))


def parse_document(document: Any, registry: Mapping[str, Questionnaire], file: str) -> tuple[Assessment, Questionnaire]:
    """Check an answers document; raises ProblemsError naming every bad place."""
    if not isinstance(document, dict):
        raise ProblemsError([Problem(file, "", "答卷应为 JSON 对象，包含 questionnaire、answers、scenes、practices")])
    problems = [Problem(file, str(k), "未知字段") for k in document if k not in DOCUMENT_KEYS]
    qid = document.get("questionnaire")
    questionnaire = registry.get(qid) if isinstance(qid, str) else None
    if questionnaire is None:
        known = "、".join(sorted(registry))
        problems.append(Problem(file, "questionnaire", f"未知问卷 {qid!r}（可用：{known}）"))
        raise ProblemsError(problems)
    assessment, more = check_answers(questionnaire, document, file)
    problems += more
    if problems:
        raise ProblemsError(problems)
    return assessment, questionnaire


def check_answers(questionnaire: Questionnaire, document: dict, file: str = "答卷") -> tuple[Assessment, list[Problem]]:
    """The assessment made of every valid part of ``document``, and the problems of the rest."""
    problems: list[Problem] = []
    choices: dict[str, tuple[str, ...]] = {}
    figures: dict[str, dict[str, float]] = {}
    answers = _mapping(document.get("answers", {}), file, "answers", problems)
    for qid, answer in answers.items():
        question = questionnaire.question(qid)
        if question is None:
            problems.append(
                Problem(file, f"answers.{qid}", f"未知题目 {qid!r}（本问卷为 Q1-Q{len(questionnaire.questions)}）")
            )
            continue
        place = f"answers.{qid}"
        checked = check_answer(question, answer)
        if isinstance(checked, str):
            problems.append(Problem(file, place, f"{qid} {question.item}：{checked}"))
        elif checked is not None:
            choices[qid], given = checked
            if given:
                figures[qid] = given
    scenes: dict[str, int] = {}
    for name, level in _mapping(document.get("scenes", {}), file, "scenes", problems).items():
        if questionnaire.scene(name) is None:
            problems.append(Problem(file, f"scenes.{name}", f"未知场景 {name!r}"))
        elif isinstance(level, bool) or not isinstance(level, int) or level not in SCENE_LEVELS:
            problems.append(Problem(file, f"scenes.{name}", f"场景等级应为 0-4 的整数，而不是 {level!r}"))
        else:
            scenes[name] = level
    practices = _practices(questionnaire, document.get("practices", []), file, problems)
    assessment = Assessment(questionnaire.id, choices, figures, scenes, practices)
    return assessment, problems


def check_answer(question: Question, answer: Any) -> tuple[tuple[str, ...], dict[str, float]] | str | None:
    """``(letters, figures)`` for a valid answer, None for "not answered", else the reason in Chinese."""
    if answer is None:
        return None
    codes = [o.code for o in question.options]
    if question.type == "ratio" and isinstance(answer, dict):
        return _check_figures(question, answer)
    if question.trend is not None and isinstance(answer, dict):
        return _check_trend(question, answer)
    if question.type == "multi":
        if not isinstance(answer, list):
            return f'多选题的答案应为字母列表（如 ["B", "C"]），而不是 {answer!r}'
        unknown = [a for a in answer if a not in codes]
        if unknown:
            return f"未知选项 {', '.join(map(repr, unknown))}（可选 {codes[0]}-{codes[-1]}）"
        if len(set(answer)) != len(answer):
            return "同一选项选了不止一次"
        exclusive = [o.code for o in question.options if o.exclusive]
        if exclusive and exclusive[0] in answer and len(answer) > 1:
            return f"选项 {exclusive[0]}“{question.option(exclusive[0]).text}”不能与其他选项同时选择"
        return tuple(sorted(answer)), {}
    if not isinstance(answer, str) or answer not in codes:
        hint = "或原始数据" if question.type == "ratio" or question.trend else ""
        return f"应为一个选项字母 {codes[0]}-{codes[-1]}{hint}，而不是 {answer!r}"
    return (answer,), {}


def _check_figures(question: Question, answer: dict) -> tuple[tuple[str, ...], dict[str, float]] | str:
    num, den = question.numerator, question.denominator
    expected = {den.key: den, num.key: num}
    extra = [k for k in answer if k not in expected]
    if extra:
        return f"未知数据项 {', '.join(map(repr, extra))}（应为 {den.key}、{num.key}）"
    values = {}
    for key, figure in expected.items():
        value = answer.get(key)
        if value is None:
            return f"缺少{figure.label}（{key}）"
        if wrong := _figure_problem(figure, value):
            return wrong
        values[key] = value
    if values[den.key] == 0:
        return f"{den.label}不能为 0"
    if values[num.key] > values[den.key]:
        return f"{num.label}（{values[num.key]:g}）不能大于{den.label}（{values[den.key]:g}）"
    option = ratio_option(question, values[num.key], values[den.key])
    return (option.code,), values


def _figure_problem(figure: Figure, value: Any, period: str = "") -> str | None:
    """Why ``value`` cannot be this figure (of this period), or None: it must be a finite number
    (not a boolean, NaN or infinity), not negative, at most ``MAX_FIGURE`` (100 for a percentage),
    and whole for a count, of at most ``MAX_COUNT``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return f"{period}{figure.label}应为数字，而不是 {value!r}"
    if value < 0:
        return f"{period}{figure.label}不能为负数"
    if value > MAX_FIGURE:  # infinity too: no count or 万元 figure of one enterprise is that large
        return f"{period}{figure.label}过大（超过一万亿），请核对单位与位数"
    if figure.whole and value > MAX_COUNT:
        return f"{period}{figure.label}过大（超过一百万{figure.unit}），请核对位数"
    if figure.unit == "%" and value > 100:  # a pass rate of 150 % earned the full points
        return f"{period}{figure.label}不能超过 100%，而不是 {value:g}%"
    if figure.whole and value != int(value):
        return f"{period}{figure.label}应为整数，而不是 {value:g}"
    return None


def _check_trend(question: Question, answer: dict) -> tuple[tuple[str, ...], dict] | str:
    """Two periods' figures → the option they give, e.g. {"before": {...}, "after": {...}}."""
    trend = question.trend
    names = {"before": trend.before, "after": trend.after}
    extra = [k for k in answer if k not in names]
    if extra:
        return f"未知期间 {', '.join(map(repr, extra))}（应为 before（{trend.before}）、after（{trend.after}））"
    figures = [f for f in (trend.numerator, trend.denominator) if f]
    clean = {}
    for period, name in names.items():
        given = answer.get(period)
        if not isinstance(given, dict):
            return f"缺少{name}的数据"
        for figure in figures:
            if wrong := _figure_problem(figure, given.get(figure.key), name):
                return wrong
        if trend.denominator and given[trend.denominator.key] == 0:
            return f"{name}{trend.denominator.label}不能为 0"
        unknown = [k for k in given if k not in {f.key for f in figures}]
        if unknown:
            return f"{name}：未知数据项 {', '.join(map(repr, unknown))}"
        clean[period] = {f.key: given[f.key] for f in figures}
    if trend_measure(question, clean["before"]) == 0:  # the change is relative to the earlier period
        return f"{trend.before}{trend.numerator.label}为 0，无法计算变化幅度，请直接选择选项"
    option = trend_option(question, clean["before"], clean["after"])
    return (option.code,), clean


def _mapping(value: Any, file: str, place: str, problems: list[Problem]) -> dict:
    if isinstance(value, dict):
        return value
    problems.append(Problem(file, place, "应为 JSON 对象"))
    return {}


def _practices(questionnaire: Questionnaire, value: Any, file: str, problems: list[Problem]) -> tuple[str, ...]:
    if not isinstance(value, list):
        problems.append(Problem(file, "practices", "应为实践编号列表"))
        return ()
    ticked = []
    for i, pid in enumerate(value):
        if not isinstance(pid, str) or questionnaire.practice(pid) is None:
            where = f"（{questionnaire.industry}细则）" if questionnaire.industry else "（全国通用问卷没有行业实践）"
            problems.append(Problem(file, f"practices[{i}]", f"未知实践 {pid!r}{where}"))
        elif pid not in ticked:
            ticked.append(pid)
    return tuple(ticked)
