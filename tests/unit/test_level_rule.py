"""The level table (DOMAIN.md §2c) at and around every threshold, and the ★ rule."""

from __future__ import annotations

import pytest

from diagnose.rule.scoring import score

from .helpers import AT_THRESHOLD, assessment, scene_levels

# (level, score threshold, scenes at or above, of which ★)
LEVEL_TABLE = [(1, 20, 6, 3), (2, 40, 6, 3), (3, 60, 8, 5), (4, 80, 10, 6)]


def test_the_shipped_level_table_is_the_national_one(national):
    table = [(r.level, r.min_score, r.min_scenes, r.min_constrained_scenes) for r in national.levels]

    assert table == LEVEL_TABLE


@pytest.mark.parametrize(("level", "points", "scenes", "starred"), LEVEL_TABLE)
def test_exactly_at_every_threshold_reaches_the_level(national, level, points, scenes, starred):
    result = score(
        national, assessment(national, AT_THRESHOLD[level], scene_levels(national, level, scenes, starred, level - 1))
    )

    assert result.score == points
    assert result.level == level
    assert next(c for c in result.checks if c.level == level).met


@pytest.mark.parametrize(("level", "points", "scenes", "starred"), LEVEL_TABLE)
def test_a_score_just_below_the_threshold_falls_one_level(national, level, points, scenes, starred):
    choices = AT_THRESHOLD[level] | {"Q14": ("B",)}  # 1.5 points fewer

    result = score(national, assessment(national, choices, scene_levels(national, level, scenes, starred, level - 1)))

    assert result.score == points - 1.5
    assert result.level == level - 1
    failed = [c.kind for c in next(c for c in result.checks if c.level == level).conditions if not c.met]
    assert failed == ["score"]


@pytest.mark.parametrize(("level", "points", "scenes", "starred"), LEVEL_TABLE)
def test_one_scene_fewer_falls_one_level(national, level, points, scenes, starred):
    result = score(
        national,
        assessment(national, AT_THRESHOLD[level], scene_levels(national, level, scenes - 1, starred, level - 1)),
    )

    assert result.level == level - 1
    assert result.gap.scenes_missing == 1
    assert result.gap.constrained_missing == 0


@pytest.mark.parametrize(("level", "points", "scenes", "starred"), LEVEL_TABLE)
def test_level_needs_enough_constrained_scenes(national, level, points, scenes, starred):
    # as many scenes as the level asks, but one ★ scene swapped for a guiding one
    result = score(
        national,
        assessment(national, AT_THRESHOLD[level], scene_levels(national, level, scenes, starred - 1, level - 1)),
    )

    assert result.level == level - 1
    check = next(c for c in result.checks if c.level == level)
    assert [c.met for c in check.conditions] == [True, True, False]
    assert result.gap.constrained_missing == 1
    assert result.gap.scenes_missing == 1  # raising one ★ scene is enough


def test_level_two_needs_three_constrained_scenes(national):
    six_guiding = {s.name: 2 for s in national.scenes if not s.constrained}

    result = score(national, assessment(national, AT_THRESHOLD[2], six_guiding))

    assert result.scenes_at_or_above[2] == 6
    assert result.level == 0
    assert result.gap.text == "还需 3 个场景达到 L1，其中 3 个约束性场景"


def test_scenes_are_counted_at_or_above_the_level_not_exactly_at_it(national):
    scenes = scene_levels(national, 4, 6, 3, 0)

    result = score(national, assessment(national, AT_THRESHOLD[2], scenes))

    assert result.scenes_at_or_above[1:] == (6, 6, 6, 6)
    assert result.level == 2


def test_a_high_score_without_scenes_is_not_a_level(national):
    result = score(national, assessment(national, AT_THRESHOLD[4]))

    assert result.score == 80
    assert result.level == 0
    assert result.level_label == "未达一级"


def test_the_top_level_has_no_gap(national):
    result = score(national, assessment(national, AT_THRESHOLD[4], scene_levels(national, 4, 16, 10, 4)))

    assert result.level == 4
    assert result.gap is None
    assert result.to_dict()["gap"] is None


def test_gap_names_points_scenes_and_constrained_scenes(national):
    choices = {"Q5": ("E",), "Q12": ("C",)}  # 17 points
    scenes = scene_levels(national, 2, 4, 1, 1)  # 4 scenes at L2, one of them ★

    result = score(national, assessment(national, choices, scenes))

    assert result.level == 0
    assert (result.gap.level, result.gap.points_missing) == (1, 3)
    assert result.gap.text == "还差 3 分"
    one_level_up = score(national, assessment(national, AT_THRESHOLD[1], scenes))
    assert one_level_up.level == 1
    assert one_level_up.gap.text == "还差 20 分；还需 2 个场景达到 L2，其中 2 个约束性场景"
