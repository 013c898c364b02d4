"""No widget value reaches a save as an unparsed label: the scene level is one of its options or nothing."""

from __future__ import annotations

import pytest

from diagnose.rule.loading import DEFAULT_DIRECTORY, load_directory
from diagnose.visit.form import NOT_RATED, Incomplete, item_value, key

PLASTICS = load_directory(DEFAULT_DIRECTORY)["plastics"]
ITEM = "scene:质量管理"


@pytest.mark.parametrize("chosen", [0, 1, 2, 3, 4])
def test_a_chosen_scene_level_is_saved_as_that_level(chosen):
    assert item_value(PLASTICS, ITEM, {key(ITEM): chosen}) == chosen


@pytest.mark.parametrize("shown", [None, NOT_RATED])
def test_a_scene_not_rated_clears_the_item(shown):
    assert item_value(PLASTICS, ITEM, {key(ITEM): shown}) is None


@pytest.mark.parametrize("label", ["未评（尚未评级）", "L2 系统化管理", "2", True, 2.5, 7])
def test_a_label_or_anything_else_sent_back_is_refused_not_parsed(label):
    value = item_value(PLASTICS, ITEM, {key(ITEM): label})

    assert isinstance(value, Incomplete) and "不是可选的等级" in value.reason
