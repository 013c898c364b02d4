"""Loading questionnaires: a YAML file → its parsed document → the checked model, every problem located.

Stage one (``read_document``) parses; stage two (``build_questionnaire``, with ``schema``'s checks)
builds the frozen objects of ``questionnaire``. The model never imports this module: loading builds
the model, not the other way round.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import yaml

from diagnose.problems import Problem, ProblemsError, errors
from diagnose.rule import schema
from diagnose.rule.questionnaire import Question, Questionnaire

DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "questionnaires"


NATIONAL_KEYS = {"kind", "id", "version", "title", "source", "industry", "dimensions", "questions"}
NATIONAL_KEYS |= {"scene_level_names", "scenes", "levels", "practices", "priority_scenes", "evidence"}
RUBRIC_KEYS = {"kind", "id", "version", "title", "source", "industry", "extends", "practices"}
RUBRIC_KEYS |= {"priority_scenes", "evidence"}


def display_path(path: Path) -> str:
    """The path as a person at the project root would type it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_document(path: Path) -> tuple[dict | None, list]:
    """Stage one: the file's parsed YAML mapping, or None and the located problem."""
    label = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(label, "", "no such file")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(label, "", f"cannot be read as UTF-8 text: {exc}")]
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return None, [Problem(label, place, f"not valid YAML: {exc.problem}")]
    except yaml.YAMLError as exc:
        return None, [Problem(label, "", f"not valid YAML: {exc}")]
    if not isinstance(data, dict):
        return None, [Problem(label, "", "must be a YAML mapping with kind, id, version ...")]
    return data, []


def build_questionnaire(raw: dict, label: str, base: tuple[Questionnaire, dict] | None = None):
    """Stage two: validated objects from a parsed document.

    ``base`` is the resolved questionnaire a rubric extends and its raw
    document (for the content hash). Returns ``(questionnaire or None, problems)``;
    the questionnaire is None when any problem is an error.
    """
    ck = schema.Checker(label)
    if raw.get("kind") != "questionnaire":
        ck.error("kind", f"must be 'questionnaire', not {raw.get('kind')!r}")
    allowed = RUBRIC_KEYS if base else NATIONAL_KEYS
    for key in raw:
        if key not in allowed:
            hint = f"; a rubric extends {raw.get('extends')!r} and may not redefine it" if base else ""
            ck.error(str(key), "unknown field" + hint)
    qid, version, title = ck.text(raw, "id", ""), ck.text(raw, "version", ""), ck.text(raw, "title", "")
    if base:
        parent, parent_raw = base
        dimensions, questions, scenes = parent.dimensions, parent.questions, parent.scenes
        levels, level_names = parent.levels, parent.scene_level_names
        chain = [parent_raw, raw]
    else:
        dimensions = schema.build_dimensions(ck, raw)
        questions = schema.build_questions(ck, raw, dimensions)
        scenes = schema.build_scenes(ck, raw)
        level_names = schema.build_scene_level_names(ck, raw)
        levels = schema.build_levels(ck, raw, len(scenes))
        chain = [raw]
    names = tuple(s.name for s in scenes)
    practices = schema.build_practices(ck, raw, names)
    priority = schema.build_priority_scenes(ck, raw, names)
    prompts = schema.build_evidence(ck, raw, tuple(q.id for q in questions))
    if base:
        schema.check_rubric_coverage(ck, raw, [q.id for q in questions], practices, priority)
    questions = tuple(_with_evidence(q, prompts.get(q.id)) for q in questions)
    industry = raw.get("industry") if isinstance(raw.get("industry"), str) else None
    if errors(ck.problems):
        return None, _dedupe(ck.problems)
    source = json.dumps(chain, sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(source.encode()).hexdigest()
    built = Questionnaire(
        id=qid,
        version=version,
        title=title,
        industry=industry,
        dimensions=dimensions,
        questions=questions,
        scenes=scenes,
        levels=levels,
        scene_level_names=level_names,
        practices=practices,
        priority_scenes=priority,
        base=base[0].id if base else None,
        content_hash=digest,
        files=(base[0].files if base else ()) + (label,),
        source=source,
    )
    return built, _dedupe(ck.problems)


def _with_evidence(question: Question, prompt: str | None) -> Question:
    return replace(question, evidence=prompt) if prompt else question


def _dedupe(problems: list) -> list:
    return list(dict.fromkeys(problems))


def check_file(path: Path) -> tuple[Questionnaire | None, list]:
    """Load one file (and the base it extends, from the same folder) with every problem."""
    raw, problems = read_document(path)
    if raw is None:
        return None, problems
    label = display_path(path)
    base = None
    extends = raw.get("extends")
    if extends is not None:
        if not isinstance(extends, str) or not extends:
            return None, [Problem(label, "extends", "must name the questionnaire this rubric builds on")]
        base_path = path.parent / f"{extends}.yaml"
        if not base_path.is_file():
            return None, [
                Problem(label, "extends", f"unknown questionnaire {extends!r} (no {display_path(base_path)})")
            ]
        base_raw, base_problems = read_document(base_path)
        if base_raw is not None and "extends" in base_raw:
            return None, [
                Problem(label, "extends", f"{extends!r} is itself a rubric; a rubric extends the national part")
            ]
        parent, more = build_questionnaire(base_raw, display_path(base_path)) if base_raw else (None, [])
        if parent is None:
            broken = Problem(label, "extends", f"its base {extends!r} has errors")
            return None, [broken, *base_problems, *more]
        base = (parent, base_raw)
    return build_questionnaire(raw, label, base)


def load_file(path: Path) -> Questionnaire:
    """The questionnaire in ``path``; raises ProblemsError listing every error."""
    questionnaire, problems = check_file(path)
    if questionnaire is None:
        raise ProblemsError(errors(problems))
    return questionnaire


def questionnaire_files(directory: Path = DEFAULT_DIRECTORY) -> list[Path]:
    """The questionnaire files in a folder: YAML files whose ``kind`` is questionnaire."""
    found = []
    for path in sorted(directory.glob("*.yaml")):
        head = path.read_text(encoding="utf-8", errors="replace")
        if "kind: questionnaire" in head:
            found.append(path)
    return found


def load_directory(directory: Path = DEFAULT_DIRECTORY) -> dict[str, Questionnaire]:
    """Every questionnaire in a folder by id; raises ProblemsError listing every error."""
    loaded: dict[str, Questionnaire] = {}
    problems: list = []
    for path in questionnaire_files(directory):
        questionnaire, found = check_file(path)
        problems += errors(found)
        if questionnaire is None:
            continue
        if questionnaire.id in loaded:
            problems.append(Problem(display_path(path), "id", f"duplicate questionnaire id {questionnaire.id!r}"))
        loaded[questionnaire.id] = questionnaire
    if problems:
        raise ProblemsError(_dedupe(problems))
    return loaded


def questionnaire_from_source(source: str, label: str = "snapshot") -> Questionnaire:
    """Rebuild a questionnaire from its stored ``source``; raises ProblemsError if it no longer builds."""
    documents = json.loads(source)
    base = None
    if len(documents) == 2:
        parent, problems = build_questionnaire(documents[0], f"{label}[0]")
        if parent is None:
            raise ProblemsError(errors(problems))
        base = (parent, documents[0])
    built, problems = build_questionnaire(documents[-1], f"{label}[{len(documents) - 1}]", base)
    if built is None:
        raise ProblemsError(errors(problems))
    return built
