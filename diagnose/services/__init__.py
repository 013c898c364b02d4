"""Use cases that pages and the CLI call: they take plain values and return values."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

from diagnose.problems import Problem
from diagnose.rule.loading import DEFAULT_DIRECTORY, load_directory
from diagnose.rule.maturity import Axis, maturity_axes
from diagnose.rule.questionnaire import Questionnaire
from diagnose.rule.scoring import Result, score
from diagnose.store import Store


class _ImportedOnUse:
    """A module imported at its first use: the dashboard's sums (``store.board_cells``) bring
    pandas (about 0.4 s to import), which a command like ``diagnose --help`` or the sign-in page
    never needs."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self._name), attribute)


def open_store(url: str | None = None, evidence_dir: Path | None = None) -> Store:
    """The records store as the pages and commands open it (``url`` and ``evidence_dir`` as in
    ``Store``): every write also brings the dashboard's sums (``store.board_cells``) of the
    enterprises it touched up to date, in the same transaction, and ``upgrade`` builds them once.

    This is where the dashboard's sums are hooked to the writes; the store itself knows
    nothing of the dashboard."""
    return Store(url, evidence_dir, sums=(_ImportedOnUse("diagnose.store.board_cells"),))


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
    from diagnose.visit.items import assessment_from_items

    assessment, invalid = assessment_from_items(questionnaire, values)
    result = score(questionnaire, assessment)
    problems = tuple(Problem("评测", "", reason) for reason in invalid)
    return Evaluation(result, maturity_axes(questionnaire, result), problems)
