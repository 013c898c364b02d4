"""Properties over random assessments: monotone, additive, and the batch path agrees."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnose.rule.answers import Assessment
from diagnose.rule.batch import encode, score_matrix
from diagnose.rule.loading import DEFAULT_DIRECTORY, load_directory
from diagnose.rule.scoring import score
from diagnose.rule.simulate import random_assessment

REGISTRY = load_directory(DEFAULT_DIRECTORY)
IDS = sorted(REGISTRY)


@st.composite
def assessments(draw, questionnaire_id=None):
    questionnaire = REGISTRY[questionnaire_id or draw(st.sampled_from(IDS))]
    choices = {}
    for question in questionnaire.questions:
        if not draw(st.booleans()) and draw(st.booleans()):
            continue  # about a quarter unanswered
        codes = [o.code for o in question.options]
        if question.type == "multi":
            plain = [o.code for o in question.options if not o.exclusive]
            picked = draw(st.lists(st.sampled_from(plain), unique=True))
            choices[question.id] = tuple(sorted(picked)) or draw(st.sampled_from([(), (codes[0],)]))
        else:
            choices[question.id] = (draw(st.sampled_from(codes)),)
    names = list(questionnaire.scene_names)
    scenes = draw(st.dictionaries(st.sampled_from(names), st.integers(0, 4)))
    ids = [p.id for p in questionnaire.practices]
    practices = tuple(draw(st.lists(st.sampled_from(ids), unique=True))) if ids else ()
    return questionnaire, Assessment(questionnaire.id, choices, {}, scenes, practices)


@given(assessments())
def test_sub_scores_add_up_to_the_score(case):
    questionnaire, answers = case

    result = score(questionnaire, answers)

    assert result.score_milli == sum(result.dimension_milli.values())
    assert result.score == result.dimension("basic") + result.dimension("management") + result.dimension("effect")
    assert 0 <= result.score <= 100


def assert_no_lower(questionnaire, answers, choices) -> None:
    """Scored with ``choices`` instead of its own, the assessment keeps at least its score and level."""
    before = score(questionnaire, answers)
    after = score(questionnaire, Assessment(answers.questionnaire, choices, {}, answers.scenes, answers.practices))

    assert after.score >= before.score
    assert after.level >= before.level


@given(assessments(), st.data())
def test_ticking_one_more_option_never_lowers_score_or_level(case, data):
    questionnaire, answers = case
    multi = [q for q in questionnaire.questions if q.type == "multi" and not set(answers.choices.get(q.id, ())) & {"A"}]
    question = data.draw(st.sampled_from(multi))
    free = [o.code for o in question.options if not o.exclusive and o.code not in answers.choices.get(question.id, ())]
    if not free:
        return
    more = dict(answers.choices) | {
        question.id: tuple(sorted((*answers.choices.get(question.id, ()), data.draw(st.sampled_from(free)))))
    }

    assert_no_lower(questionnaire, answers, more)


@given(assessments(), st.data())
def test_a_later_single_choice_never_lowers_score_or_level(case, data):
    questionnaire, answers = case
    question = data.draw(st.sampled_from([q for q in questionnaire.questions if q.type != "multi"]))
    current = answers.choices.get(question.id, ("A",))[0]
    later = data.draw(st.sampled_from([o.code for o in question.options if o.code >= current]))
    more = dict(answers.choices) | {question.id: (later,)}

    assert_no_lower(questionnaire, answers, more)


@given(assessments(), st.data())
def test_raising_one_scene_never_lowers_the_level(case, data):
    questionnaire, answers = case
    before = score(questionnaire, answers)
    target = data.draw(st.sampled_from([s for s in before.scenes if s.level < 4]))
    raised = dict(answers.scenes) | {target.name: data.draw(st.integers(target.level + 1, 4))}

    after = score(questionnaire, Assessment(answers.questionnaire, answers.choices, {}, raised, answers.practices))

    assert after.level >= before.level
    assert all(a >= b for a, b in zip(after.scenes_at_or_above, before.scenes_at_or_above, strict=True))


@settings(max_examples=50)
@given(st.lists(assessments("textiles"), min_size=1, max_size=40))
def test_the_batch_path_agrees_with_scoring_one_by_one(cases):
    questionnaire = cases[0][0]
    answers = [a for _, a in cases]

    batch = score_matrix(questionnaire, encode(questionnaire, answers))

    for i, one in enumerate(score(questionnaire, a) for a in answers):
        assert batch.score_milli[i] == one.score_milli
        assert batch.dimension_milli[i].tolist() == list(one.dimension_milli.values())
        assert batch.level[i] == one.level
        assert bool(batch.complete[i]) == one.complete
        assert batch.scene_levels[i].tolist() == [s.level for s in one.scenes]
        assert batch.scenes_at_or_above[i].tolist() == list(one.scenes_at_or_above[1:])
        assert batch.constrained_at_or_above[i].tolist() == list(one.constrained_at_or_above[1:])
        gap = (
            (0, 0, 0)
            if one.gap is None
            else (one.gap.points_missing_milli, one.gap.scenes_missing, one.gap.constrained_missing)
        )
        assert (batch.gap_points_milli[i], batch.gap_scenes[i], batch.gap_constrained[i]) == gap


def test_the_batch_path_agrees_on_many_random_assessments_of_every_industry():
    rng = random.Random(7)
    for questionnaire in REGISTRY.values():
        answers = [random_assessment(questionnaire, rng, answer_share=0.9) for _ in range(2000)]

        batch = score_matrix(questionnaire, encode(questionnaire, answers))

        single = [score(questionnaire, a) for a in answers]
        assert batch.score_milli.tolist() == [r.score_milli for r in single]
        assert batch.level.tolist() == [r.level for r in single]
        assert np.bincount(batch.level, minlength=5)[1:].sum() > 0, "the sample should reach some levels"


def test_the_batch_frame_has_one_row_per_assessment_with_the_result_columns(registry):
    food = registry["food"]
    answers = [random_assessment(food, random.Random(i)) for i in range(5)]

    frame = score_matrix(food, encode(food, answers)).to_frame()

    assert len(frame) == 5
    assert {
        "score",
        "basic",
        "management",
        "effect",
        "level",
        "complete",
        "scenes_L2",
        "constrained_L2",
        "gap_points",
    } <= set(frame.columns)
    assert frame["score"].tolist() == [score(food, a).score for a in answers]
