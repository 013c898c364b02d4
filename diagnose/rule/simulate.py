"""Random assessments for tests, benchmarks and sample data: never real enterprises."""

from __future__ import annotations

import random

import numpy as np

from diagnose.rule.answers import Assessment
from diagnose.rule.batch import AnswerMatrix, layout
from diagnose.rule.questionnaire import Questionnaire


def random_assessment(questionnaire: Questionnaire, rng: random.Random, answer_share: float = 1.0) -> Assessment:
    """A valid assessment; each question is answered with probability ``answer_share``."""
    choices = {}
    for question in questionnaire.questions:
        if rng.random() >= answer_share:
            continue
        codes = [o.code for o in question.options]
        if question.type == "multi":
            plain = [o.code for o in question.options if not o.exclusive]
            picked = sorted(c for c in plain if rng.random() < 0.5)
            choices[question.id] = tuple(picked) if picked or rng.random() < 0.5 else (codes[0],)
        else:
            choices[question.id] = (rng.choice(codes),)
    scenes = {s.name: rng.randint(0, 4) for s in questionnaire.scenes if rng.random() < 0.6}
    practices = tuple(p.id for p in questionnaire.practices if rng.random() < 0.3)
    return Assessment(questionnaire.id, choices, {}, scenes, practices)


def random_matrix(questionnaire: Questionnaire, n: int, seed: int = 0) -> AnswerMatrix:
    """``n`` random complete assessments built directly as a matrix (for benchmarks)."""
    gen = np.random.default_rng(seed)
    lay = layout(questionnaire)
    options = np.zeros((n, len(lay.columns)), dtype=np.float32)
    for question in questionnaire.questions:
        cols = [lay.columns[(question.id, o.code)] for o in question.options]
        if question.type == "multi":
            plain = [c for c, o in zip(cols, question.options, strict=True) if not o.exclusive]
            options[:, plain] = gen.random((n, len(plain))) < 0.5
            none_ticked = options[:, plain].sum(axis=1) == 0
            exclusive = [c for c, o in zip(cols, question.options, strict=True) if o.exclusive]
            if exclusive:
                options[none_ticked, exclusive[0]] = 1.0
        else:
            pick = gen.integers(0, len(cols), n)
            options[np.arange(n), np.array(cols)[pick]] = 1.0
    answered = np.ones((n, len(questionnaire.questions)), dtype=bool)
    scenes = gen.integers(-1, 5, (n, len(questionnaire.scenes))).astype(np.int8)
    practices = gen.random((n, len(questionnaire.practices))) < 0.3
    return AnswerMatrix(options, answered, scenes, practices)
