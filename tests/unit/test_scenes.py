"""Scene levels: explicit levels, practices that propose levels, and where each came from."""

from __future__ import annotations

from diagnose.rule.scoring import score

from .helpers import assessment


def scene(result, name):
    return next(s for s in result.scenes if s.name == name)


def test_a_scene_takes_the_highest_level_among_its_ticked_practices(registry):
    textiles = registry["textiles"]

    result = score(textiles, assessment(textiles, practices=("T09", "T10", "T01")))

    quality = scene(result, "质量管理")
    assert (quality.level, quality.source, quality.practices) == (3, "practices", ("T10",))
    assert scene(result, "产品设计").level == 1


def test_an_explicit_level_always_wins_over_practices(registry):
    textiles = registry["textiles"]

    result = score(textiles, assessment(textiles, scenes={"质量管理": 1}, practices=("T10",)))

    quality = scene(result, "质量管理")
    assert (quality.level, quality.source, quality.practices) == (1, "explicit", ("T10",))


def test_an_explicit_zero_also_wins(registry):
    textiles = registry["textiles"]

    result = score(textiles, assessment(textiles, scenes={"质量管理": 0}, practices=("T11",)))

    assert scene(result, "质量管理").level == 0


def test_a_scene_neither_rated_nor_practised_is_zero(national):
    result = score(national, assessment(national))

    assert {s.level for s in result.scenes} == {0}
    assert {s.source for s in result.scenes} == {"none"}


def test_the_constrained_scenes_are_the_ten_of_the_national_system(national):
    starred = [s.name for s in national.scenes if s.constrained]

    assert starred == [
        "产品设计",
        "营销管理",
        "生产管控",
        "质量管理",
        "设备管理",
        "安全生产",
        "能耗管理",
        "采购管理",
        "仓储物流",
        "财务管理",
    ]
    assert len(national.scenes) == 16
