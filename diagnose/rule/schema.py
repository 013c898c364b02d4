"""Stage two of loading: a parsed YAML document → model objects, every problem located.

Nothing here stops at the first problem: each check records where it failed
(``practices[4].scene``) and goes on, so an author fixes a file in one pass.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from diagnose.problems import Problem
from diagnose.rule.questionnaire import (
    MILLI,
    OPTION_CODES,
    Dimension,
    Figure,
    LevelRule,
    Option,
    Practice,
    Question,
    Scene,
    Trend,
)

QUESTION_TYPES = ("single", "multi", "ratio")
MIN_PRACTICES_PER_RUBRIC = 12


class Checker:
    """Collects located problems for one file."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def error(self, place: str, message: str) -> None:
        """Record an error at ``place``; any error stops the file's questionnaire from being built."""
        self.problems.append(Problem(self.file, place, message))

    def warn(self, place: str, message: str) -> None:
        """Record a warning at ``place``; warnings are reported but never stop a build."""
        self.problems.append(Problem(self.file, place, message, "warning"))

    def field(self, data: Any, key: str, place: str, kind: type | tuple, required: bool = True) -> Any:
        """The value at ``data[key]`` if it has the right type, else None (and a problem)."""
        where = f"{place}.{key}" if place else key
        if not isinstance(data, dict) or key not in data or data[key] is None:
            if required:
                self.error(where, "is required")
            return None
        value = data[key]
        # bool is an int in Python; a YAML `yes` is never a count or points
        if isinstance(value, bool) and bool not in _as_tuple(kind):
            self.error(where, f"must be {_kind_name(kind)}, not {value!r}")
            return None
        if not isinstance(value, kind):
            self.error(where, f"must be {_kind_name(kind)}, not {value!r}")
            return None
        return value

    def text(self, data: Any, key: str, place: str, required: bool = True) -> str:
        """The text at ``data[key]``, or "" when absent (an error unless optional) or not text (an error).

        Blank text is an error too, but is returned as is.
        """
        value = self.field(data, key, place, str, required)
        if value is not None and not value.strip():
            self.error(f"{place}.{key}" if place else key, "must not be empty")
        return value or ""

    def items(self, data: Any, key: str, place: str, required: bool = True) -> list[tuple[str, Any]]:
        """``[(place, item)]`` for a list field; an absent optional list is empty."""
        value = self.field(data, key, place, list, required)
        where = f"{place}.{key}" if place else key
        return [(f"{where}[{i}]", item) for i, item in enumerate(value or [])]

    def milli(self, data: Any, key: str, place: str) -> int | None:
        """Points as integer thousandths; more than three decimals is an error."""
        value = self.field(data, key, place, (int, float))
        if value is None:
            return None
        where = f"{place}.{key}"
        try:
            exact = Decimal(str(value)) * MILLI
        except InvalidOperation:
            self.error(where, f"is not a number: {value!r}")
            return None
        if exact != exact.to_integral_value():
            self.error(where, f"has more than three decimals: {value}")
            return None
        if exact < 0:
            self.error(where, f"must not be negative: {value}")
            return None
        return int(exact)

    def unique(self, values: list[tuple[str, Any]], what: str) -> None:
        """Record an error at every repeat among ``(place, value)`` pairs, naming the first place; None is skipped."""
        seen: dict[Any, str] = {}
        for place, value in values:
            if value is None:
                continue
            if value in seen:
                self.error(place, f"duplicate {what} {value!r} (first at {seen[value]})")
            else:
                seen[value] = place


def _as_tuple(kind: type | tuple) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple) -> str:
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        list: "a list",
        dict: "a mapping",
        bool: "true or false",
    }
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))


def build_dimensions(ck: Checker, raw: dict) -> tuple[Dimension, ...]:
    """The well-formed ``dimensions``; records every bad field and duplicate id."""
    built = []
    for place, item in ck.items(raw, "dimensions", ""):
        dim_id, name, max_milli = (
            ck.text(item, "id", place),
            ck.text(item, "name", place),
            ck.milli(item, "max_points", place),
        )
        if dim_id and name and max_milli is not None:
            built.append((place, Dimension(dim_id, name, max_milli)))
    ck.unique([(p, d.id) for p, d in built], "dimension id")
    return tuple(d for _, d in built)


def build_questions(ck: Checker, raw: dict, dimensions: tuple[Dimension, ...]) -> tuple[Question, ...]:
    """The well-formed ``questions``, each checked against ``dimensions``; records every problem.

    Also an error: a duplicate id, or a dimension whose questions' maxima do not add up to its ``max_points``.
    """
    dimension_ids = {d.id for d in dimensions}
    built = []
    for place, item in ck.items(raw, "questions", ""):
        question = _build_question(ck, place, item, dimension_ids)
        if question is not None:
            built.append((place, question))
    ck.unique([(f"{p}.id", q.id) for p, q in built], "question id")
    for dim in dimensions:
        total = sum(q.max_milli for _, q in built if q.dimension == dim.id)
        if total != dim.max_milli:
            ck.error(
                "dimensions",
                f"questions of {dim.id} add up to {total / MILLI:g} points, not the declared {dim.max_points:g}",
            )
    return tuple(q for _, q in built)


def _build_question(ck: Checker, place: str, item: Any, dimension_ids: set[str]) -> Question | None:
    qid = ck.text(item, "id", place)
    dimension = ck.text(item, "dimension", place)
    if dimension and dimension not in dimension_ids:
        ck.error(f"{place}.dimension", f"unknown dimension {dimension!r}")
    qtype = ck.text(item, "type", place)
    if qtype and qtype not in QUESTION_TYPES:
        ck.error(f"{place}.type", f"unknown type {qtype!r} (one of {', '.join(QUESTION_TYPES)})")
        qtype = ""
    max_milli = ck.milli(item, "max_points", place)
    options = _build_options(ck, place, item, qtype)
    numerator = denominator = None
    if qtype == "ratio":
        figures = ck.field(item, "figures", place, dict)
        numerator = _build_figure(ck, f"{place}.figures", figures, "numerator")
        denominator = _build_figure(ck, f"{place}.figures", figures, "denominator")
        if numerator and denominator and numerator.key == denominator.key:
            ck.error(f"{place}.figures", f"numerator and denominator share the key {numerator.key!r}")
    trend = None
    if isinstance(item, dict) and "trend" in item:
        trend = _build_trend(ck, f"{place}.trend", item["trend"], qtype, options or ())
    if max_milli is not None and options is not None:
        _check_points_add_up(ck, place, qtype, max_milli, options)
    if not (qid and dimension and qtype and max_milli is not None and options):
        return None
    return Question(
        id=qid,
        dimension=dimension,
        item=ck.text(item, "item", place),
        text=ck.text(item, "text", place),
        type=qtype,  # type: ignore[arg-type]
        max_milli=max_milli,
        options=options,
        evidence=ck.text(item, "evidence", place, required=False),
        numerator=numerator,
        denominator=denominator,
        trend=trend,
    )


def _build_trend(ck: Checker, place: str, raw, qtype: str, options) -> Trend | None:
    if qtype != "single":
        ck.error(place, "only a single-choice question can be answered by a trend")
        return None
    if not isinstance(raw, dict):
        ck.error(place, "must be a mapping")
        return None
    periods = ck.field(raw, "periods", place, dict) or {}
    before, after = ck.text(periods, "before", f"{place}.periods"), ck.text(periods, "after", f"{place}.periods")
    numerator = _build_figure(ck, place, raw, "numerator")
    denominator = _build_figure(ck, place, raw, "denominator") if "denominator" in raw else None
    better = ck.text(raw, "better", place)
    if better and better not in ("lower", "higher"):
        ck.error(f"{place}.better", f"must be 'lower' or 'higher', not {better!r}")
    mapping = ck.field(raw, "options", place, dict) or {}
    codes = {o.code for o in options}
    for role in ("worse", "flat", "better"):
        if mapping.get(role) not in codes:
            ck.error(f"{place}.options.{role}", f"must name one of the options {sorted(codes)}")
    flat = ck.field(raw, "flat_within_percent", place, (int, float))
    if flat is not None and flat < 0:
        ck.error(f"{place}.flat_within_percent", "must not be negative")
    if not (before and after and numerator and better in ("lower", "higher") and flat is not None) or any(
        mapping.get(r) not in codes for r in ("worse", "flat", "better")
    ):
        return None
    return Trend(before, after, numerator, denominator, better, mapping["worse"], mapping["flat"],
                 mapping["better"], float(flat))  # fmt: skip


def _build_figure(ck: Checker, place: str, figures: Any, role: str) -> Figure | None:
    spec = ck.field(figures, role, place, dict) if figures is not None else None
    if spec is None:
        return None
    where = f"{place}.{role}"
    key, label, unit = ck.text(spec, "key", where), ck.text(spec, "label", where), ck.text(spec, "unit", where)
    whole = ck.field(spec, "whole", where, bool, required=False) or False
    return Figure(key, label, unit, whole) if key and label else None


def _build_options(ck: Checker, place: str, item: Any, qtype: str) -> tuple[Option, ...] | None:
    entries = ck.items(item, "options", place)
    if len(entries) > len(OPTION_CODES):
        ck.error(f"{place}.options", f"has {len(entries)} options; at most {len(OPTION_CODES)} can be lettered")
        return None
    if item is not None and isinstance(item, dict) and isinstance(item.get("options"), list) and len(entries) < 2:
        ck.error(f"{place}.options", "needs at least two options")
    built = []
    for code, (where, raw) in zip(OPTION_CODES, entries, strict=False):  # more entries than letters: refused above
        text, points = ck.text(raw, "text", where), ck.milli(raw, "points", where)
        exclusive = ck.field(raw, "exclusive", where, bool, required=False) or False
        upper = ck.field(raw, "upper_percent", where, (int, float), required=qtype == "ratio")
        if upper is not None and qtype != "ratio":
            ck.error(f"{where}.upper_percent", "only ratio questions have bands")
        if exclusive and qtype != "multi":
            ck.error(f"{where}.exclusive", "only a multi-choice option can be exclusive")
        if exclusive and points:
            ck.error(f"{where}.exclusive", "an exclusive option (无) must score 0")
        if text and points is not None:
            built.append((where, Option(code, text, points, exclusive, float(upper) if upper is not None else None)))
    ck.unique([(f"{where}.text", o.text) for where, o in built], "option text")
    options = [o for _, o in built]
    if sum(o.exclusive for o in options) > 1:
        ck.error(f"{place}.options", "at most one option can be exclusive")
    if qtype == "ratio":
        _check_bands(ck, place, options)
    return tuple(options) if len(options) == len(entries) else None


def _check_bands(ck: Checker, place: str, options: list[Option]) -> None:
    uppers = [o.upper_percent for o in options if o.upper_percent is not None]
    if any(b <= a for a, b in pairwise(uppers)):
        shown = ", ".join(f"{u:g}" for u in uppers)
        ck.error(f"{place}.options", f"band upper ends must rise strictly, got [{shown}]")
    if uppers and uppers[-1] != 100:
        ck.error(f"{place}.options", f"the last band must end at 100 percent, not {uppers[-1]:g}")
    if uppers and uppers[0] <= 0:
        ck.error(f"{place}.options", "the first band must end above 0 percent")


def _check_points_add_up(ck: Checker, place: str, qtype: str, max_milli: int, options: tuple[Option, ...]) -> None:
    if qtype == "multi":
        total = sum(o.points_milli for o in options)
        if total != max_milli:
            ck.error(
                f"{place}.options",
                f"multi-choice points add up to {total / MILLI:g}, not max_points {max_milli / MILLI:g}",
            )
    elif qtype in ("single", "ratio"):
        best = max(o.points_milli for o in options)
        if best != max_milli:
            ck.error(
                f"{place}.options", f"the best option scores {best / MILLI:g}, not max_points {max_milli / MILLI:g}"
            )
        points = [o.points_milli for o in options]
        if points != sorted(points):
            # answers are compared by letter (later = better) in reports and property tests
            ck.warn(f"{place}.options", "options are not listed from fewest to most points")


def build_scenes(ck: Checker, raw: dict) -> tuple[Scene, ...]:
    """The well-formed ``scenes``, each with four level descriptors L1-L4; records bad fields and duplicate names."""
    built = []
    for place, item in ck.items(raw, "scenes", ""):
        name, group = ck.text(item, "name", place), ck.text(item, "group", place)
        constrained = ck.field(item, "constrained", place, bool)
        levels = ck.field(item, "levels", place, list)
        if levels is not None and (len(levels) != 4 or not all(isinstance(t, str) and t.strip() for t in levels)):
            ck.error(f"{place}.levels", "must list four non-empty descriptors, L1 to L4")
            levels = None
        if name and group and constrained is not None and levels is not None:
            built.append((place, Scene(name, group, constrained, tuple(levels))))
    ck.unique([(f"{p}.name", s.name) for p, s in built], "scene")
    return tuple(s for _, s in built)


def build_scene_level_names(ck: Checker, raw: dict) -> tuple[str, ...]:
    """The five names of scene levels 0-4, or () with an error when absent or malformed."""
    names = ck.field(raw, "scene_level_names", "", list)
    if names is None:
        return ()
    if len(names) != 5 or not all(isinstance(n, str) and n for n in names):
        ck.error("scene_level_names", "must name the five scene levels 0 to 4")
        return ()
    return tuple(names)


def build_levels(ck: Checker, raw: dict, scene_count: int) -> tuple[LevelRule, ...]:
    """The national ``levels`` rules that are well-formed; records every problem.

    Errors: a level outside 1-4 or listed out of order (must be 1, 2, 3 ...), a duplicate level,
    ``min_constrained_scenes`` above ``min_scenes``, ``min_scenes`` above ``scene_count`` (when non-zero),
    a ``min_score`` that does not rise strictly or a scene threshold that falls from one level to the next
    (the batch scorer relies on the latter: meeting a level means meeting every level below).
    """
    built = []
    for place, item in ck.items(raw, "levels", ""):
        level = ck.field(item, "level", place, int)
        name, title = ck.text(item, "name", place), ck.text(item, "title", place)
        min_score = ck.milli(item, "min_score", place)
        min_scenes = ck.field(item, "min_scenes", place, int)
        min_constrained = ck.field(item, "min_constrained_scenes", place, int)
        if None in (level, min_score, min_scenes, min_constrained) or not name:
            continue
        if not 1 <= level <= 4:
            ck.error(f"{place}.level", f"must be 1 to 4, not {level}")
        if min_constrained > min_scenes:
            ck.error(f"{place}.min_constrained_scenes", "cannot exceed min_scenes")
        if scene_count and min_scenes > scene_count:
            ck.error(f"{place}.min_scenes", f"asks for {min_scenes} scenes but there are {scene_count}")
        built.append((place, LevelRule(level, name, title, min_score, min_scenes, min_constrained)))
    ck.unique([(f"{p}.level", r.level) for p, r in built], "level")
    rules = [r for _, r in built]
    if [r.level for r in rules] != list(range(1, len(rules) + 1)):
        ck.error("levels", "must list levels 1, 2, 3 ... in order")
    for low, high in pairwise(rules):
        if high.min_score_milli <= low.min_score_milli:
            ck.error("levels", f"min_score must rise from level {low.level} to {high.level}")
        if high.min_scenes < low.min_scenes or high.min_constrained_scenes < low.min_constrained_scenes:
            ck.error("levels", f"scene thresholds must not fall from level {low.level} to {high.level}")
    return tuple(rules)


def build_practices(ck: Checker, raw: dict, scene_names: tuple[str, ...]) -> tuple[Practice, ...]:
    """The well-formed optional ``practices``: each names a known scene and a level 1-4; ids and texts unique."""
    built = []
    for place, item in ck.items(raw, "practices", "", required=False):
        pid, scene, text = ck.text(item, "id", place), ck.text(item, "scene", place), ck.text(item, "text", place)
        level = ck.field(item, "level", place, int)
        if scene and scene not in scene_names:
            ck.error(f"{place}.scene", f"unknown scene {scene!r}")
            scene = ""
        if level is not None and not 1 <= level <= 4:
            ck.error(f"{place}.level", f"a practice demonstrates a level from 1 to 4, not {level}")
            level = None
        if pid and scene and text and level is not None:
            built.append((place, Practice(pid, scene, level, text, ck.text(item, "evidence", place, required=False))))
    ck.unique([(f"{p}.id", pr.id) for p, pr in built], "practice id")
    ck.unique([(f"{p}.text", pr.text) for p, pr in built], "practice text")
    return tuple(pr for _, pr in built)


def build_priority_scenes(ck: Checker, raw: dict, scene_names: tuple[str, ...]) -> tuple[str, ...]:
    """The optional ``priority_scenes`` that name known scenes, once each in the order given; records the rest."""
    found = []
    for place, name in ck.items(raw, "priority_scenes", "", required=False):
        if name not in scene_names:
            ck.error(place, f"unknown scene {name!r}")
        else:
            found.append((place, name))
    ck.unique(found, "priority scene")
    return tuple(dict.fromkeys(name for _, name in found))


def build_evidence(ck: Checker, raw: dict, question_ids: tuple[str, ...]) -> dict[str, str]:
    """The optional ``evidence`` prompts by question id; records unknown ids and empty or non-text prompts."""
    evidence = ck.field(raw, "evidence", "", dict, required=False) or {}
    prompts = {}
    for qid, prompt in evidence.items():
        if qid not in question_ids:
            ck.error(f"evidence.{qid}", f"unknown question {qid!r}")
        elif not isinstance(prompt, str) or not prompt.strip():
            ck.error(f"evidence.{qid}", "must be a non-empty text")
        else:
            prompts[qid] = prompt
    return prompts


def check_rubric_coverage(ck: Checker, raw: dict, question_ids, practices, priority) -> None:
    """Warnings for a rubric a consultant would find thin on the factory floor."""
    evidence = raw.get("evidence") if isinstance(raw.get("evidence"), dict) else {}
    for qid in question_ids:
        if qid not in evidence:
            ck.warn("evidence", f"no evidence prompt for {qid}")
    if len(practices) < MIN_PRACTICES_PER_RUBRIC:
        ck.warn("practices", f"has {len(practices)} practices; a rubric needs at least {MIN_PRACTICES_PER_RUBRIC}")
    covered = {p.scene for p in practices}
    for name in priority:
        if name not in covered:
            ck.warn("priority_scenes", f"priority scene {name!r} has no practice")
