"""Use cases that pages and the CLI call: they take plain values and return values."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from diagnose.answers import check_answers
from diagnose.maturity import Axis, maturity_axes
from diagnose.problems import Problem
from diagnose.questionnaire import DEFAULT_DIRECTORY, Questionnaire, load_directory
from diagnose.scoring import Result, score


def questionnaire_directory() -> Path:
    """Where the questionnaires are: ``DIAGNOSE_QUESTIONNAIRES`` or the shipped folder."""
    configured = os.environ.get("DIAGNOSE_QUESTIONNAIRES")
    return Path(configured) if configured else DEFAULT_DIRECTORY


def questionnaires(directory: Path | None = None) -> dict[str, Questionnaire]:
    """The questionnaires by id, national part first; raises ProblemsError if any is broken."""
    loaded = load_directory(directory or questionnaire_directory())
    return dict(sorted(loaded.items(), key=lambda item: (item[1].industry is not None, item[0])))


@dataclass(frozen=True)
class Evaluation:
    """A result of answers still being typed, with what was wrong in them."""

    result: Result
    axes: tuple[Axis, ...]
    problems: tuple[Problem, ...]


def evaluate_items(questionnaire: Questionnaire, values: dict) -> Evaluation:
    """Score a visit's stored items as they stand now (a draft may be incomplete)."""
    from diagnose.visit import assessment_from_items

    assessment, invalid = assessment_from_items(questionnaire, values)
    result = score(questionnaire, assessment)
    problems = tuple(Problem("评测", "", reason) for reason in invalid)
    return Evaluation(result, maturity_axes(questionnaire, result), problems)


def evaluate(questionnaire: Questionnaire, document: dict) -> Evaluation:
    """Score whatever is valid in ``document`` now; problems name the rest (nothing is stored)."""
    assessment, problems = check_answers(questionnaire, document, "本页")
    result = score(questionnaire, assessment)
    return Evaluation(result, maturity_axes(questionnaire, result), tuple(problems))


def score_breakdown(questionnaire: Questionnaire, result: Result) -> list[dict]:
    """One row per question: the answer given and the points it earned, for display."""
    rows = []
    for question, scored in zip(questionnaire.questions, result.questions, strict=True):
        if not scored.answered:
            answer = "未答"
        elif scored.percent is not None:
            answer = f"{scored.percent:.1f}% → " + "、".join(
                f"{c}. {t}" for c, t in zip(scored.codes, scored.options, strict=True)
            )
        else:
            answer = "、".join(f"{c}. {t}" for c, t in zip(scored.codes, scored.options, strict=True)) or "（空）"
        rows.append(
            {
                "题号": question.id,
                "评测项": question.item,
                "回答": answer,
                "得分": scored.points,
                "满分": question.max_points,
            }
        )
    return rows
