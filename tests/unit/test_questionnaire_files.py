"""Loading questionnaire files: the shipped ones are clean; broken ones say where and what."""

from __future__ import annotations

import copy
import textwrap

import pytest
import yaml

from diagnose.problems import ProblemsError
from diagnose.rule.loading import DEFAULT_DIRECTORY, check_file, load_file, questionnaire_files

NATIONAL = yaml.safe_load((DEFAULT_DIRECTORY / "national-2024.yaml").read_text(encoding="utf-8"))
RUBRICS = {"textiles": "纺织服装", "plastics": "塑胶", "hardware": "五金制造", "food": "食品加工"}


def write_national(folder, change=None, name="national-2024.yaml"):
    raw = copy.deepcopy(NATIONAL)
    if change:
        change(raw)
    path = folder / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_rubric(folder, body, name="food.yaml"):
    head = "kind: questionnaire\nid: food\nextends: national-2024\nversion: '1'\ntitle: 食品\nindustry: 食品加工\n"
    path = folder / name
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return path


def messages(path):
    _, problems = check_file(path)
    return [f"{p.place}: {p.message}" for p in problems]


@pytest.mark.parametrize("path", questionnaire_files(), ids=lambda p: p.name)
def test_every_shipped_questionnaire_loads_without_warnings(path):
    questionnaire, problems = check_file(path)

    assert problems == []
    assert questionnaire.content_hash and len(questionnaire.content_hash) == 64


def test_the_shipped_set_is_the_national_part_and_four_rubrics(registry):
    assert sorted(registry) == ["food", "hardware", "national-2024", "plastics", "textiles"]


@pytest.mark.parametrize(("qid", "industry"), RUBRICS.items())
def test_each_rubric_builds_on_the_national_part_in_its_industrys_words(registry, qid, industry):
    rubric, national = registry[qid], registry["national-2024"]

    assert rubric.industry == industry
    assert rubric.base == "national-2024"
    assert rubric.levels == national.levels and rubric.scenes == national.scenes
    assert len(rubric.practices) >= 12
    assert len(rubric.priority_scenes) >= 3
    pairs = zip(rubric.questions, national.questions, strict=True)
    assert all(q.evidence and q.evidence != n.evidence for q, n in pairs)
    assert [(q.id, q.options) for q in rubric.questions] == [(q.id, q.options) for q in national.questions]
    assert len({p.scene for p in rubric.practices}) >= 8


def test_the_content_hash_follows_content_not_formatting(tmp_path):
    original = load_file(DEFAULT_DIRECTORY / "national-2024.yaml")
    reformatted = load_file(write_national(tmp_path))
    changed = load_file(write_national(tmp_path, lambda raw: raw["levels"][1].update(min_score=45)))

    assert reformatted.content_hash == original.content_hash
    assert changed.content_hash != original.content_hash


def test_a_rubrics_hash_changes_when_its_base_changes(tmp_path):
    write_national(tmp_path)
    rubric = write_rubric(tmp_path, "practices: []\n")
    before = load_file(rubric).content_hash

    write_national(tmp_path, lambda raw: raw["questions"][4]["options"][1].update(text="一个环节"))

    assert load_file(rubric).content_hash != before


def test_a_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("kind: questionnaire\nid: [oops\n", encoding="utf-8")

    problems = messages(path)

    assert len(problems) == 1
    assert problems[0].startswith("line 3, column 1: not valid YAML")


def test_an_unknown_practice_scene_is_named_with_file_and_place(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path.parent)
    write_national(tmp_path)
    path = write_rubric(tmp_path, "practices:\n  - {id: F01, scene: 仓储, level: 2, text: 冷库温度}\n")

    _, problems = check_file(path)

    assert f"{tmp_path.name}/food.yaml: practices[0].scene: unknown scene '仓储'" in [str(p) for p in problems]


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    def break_it(raw):
        raw["questions"][1]["id"] = "Q1"  # duplicate id
        raw["questions"][2]["dimension"] = "经营"  # unknown dimension
        raw["questions"][4]["options"][4]["points"] = 9  # Q5's best option no longer max_points
        raw["questions"][0]["options"][1]["exclusive"] = True  # two exclusive options on Q1
        raw["levels"][2]["min_score"] = 30  # thresholds out of order
        raw["scenes"][3]["name"] = "产品设计"  # duplicate scene

    problems = messages(write_national(tmp_path, break_it))

    assert "questions[1].id: duplicate question id 'Q1' (first at questions[0].id)" in problems
    assert "questions[2].dimension: unknown dimension '经营'" in problems
    assert "questions[4].options: the best option scores 9, not max_points 10" in problems
    assert "questions[0].options: at most one option can be exclusive" in problems
    assert "questions[0].options[1].exclusive: an exclusive option (无) must score 0" in problems
    assert "levels: min_score must rise from level 2 to 3" in problems
    assert "scenes[3].name: duplicate scene '产品设计' (first at scenes[0].name)" in problems
    assert any(p.startswith("dimensions: questions of basic add up to") for p in problems)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda raw: raw["questions"][3]["options"][5].update(points=0.75),
            "questions[3].options: multi-choice points add up to 10.05, not max_points 10",
        ),
        (
            lambda raw: raw["questions"][4]["options"][0].update(exclusive=True),
            "questions[4].options[0].exclusive: only a multi-choice option can be exclusive",
        ),
        (
            lambda raw: raw["questions"][1]["options"][2].update(upper_percent=15),
            "questions[1].options: band upper ends must rise strictly, got [10, 20, 15, 60, 100]",
        ),
        (
            lambda raw: raw["questions"][1]["options"][4].update(upper_percent=90),
            "questions[1].options: the last band must end at 100 percent, not 90",
        ),
        (lambda raw: raw["questions"][1].pop("figures"), "questions[1].figures: is required"),
        (
            lambda raw: raw["questions"][0]["options"][1].update(points=0.0005),
            "questions[0].options[1].points: has more than three decimals: 0.0005",
        ),
        (
            lambda raw: raw["questions"][0].update(type="scale"),
            "questions[0].type: unknown type 'scale' (one of single, multi, ratio)",
        ),
        (
            lambda raw: raw["levels"][0].update(min_constrained_scenes=7),
            "levels[0].min_constrained_scenes: cannot exceed min_scenes",
        ),
        (lambda raw: raw["levels"][3].update(min_scenes=5), "levels: scene thresholds must not fall from level 3 to 4"),
        (lambda raw: raw["levels"][0].update(level=2), "levels[1].level: duplicate level 2 (first at levels[0].level)"),
        (
            lambda raw: raw["scenes"][0].update(levels=["a", "b"]),
            "scenes[0].levels: must list four non-empty descriptors, L1 to L4",
        ),
        (
            lambda raw: raw["scenes"][0].update(constrained="yes"),
            "scenes[0].constrained: must be true or false, not 'yes'",
        ),
        (lambda raw: raw.update(practises=[]), "practises: unknown field"),
        (lambda raw: raw.update(kind="catalog"), "kind: must be 'questionnaire', not 'catalog'"),
        (
            lambda raw: raw["dimensions"][0].update(max_points=55),
            "dimensions: questions of basic add up to 50 points, not the declared 55",
        ),
    ],
)
def test_a_broken_national_definition_is_refused_with_its_place(tmp_path, change, expected):
    problems = messages(write_national(tmp_path, change))

    assert expected in problems


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "practices:\n  - {id: F01, scene: 质量管理, level: 5, text: 视觉}\n",
            "practices[0].level: a practice demonstrates a level from 1 to 4, not 5",
        ),
        (
            "practices:\n  - {id: F01, scene: 质量管理, level: 0, text: 视觉}\n",
            "practices[0].level: a practice demonstrates a level from 1 to 4, not 0",
        ),
        (
            "practices:\n  - {id: F01, scene: 质量管理, level: 2, text: a}\n"
            "  - {id: F01, scene: 质量管理, level: 3, text: b}\n",
            "practices[1].id: duplicate practice id 'F01' (first at practices[0].id)",
        ),
        ("practices:\n  - {scene: 质量管理, level: 2, text: a}\n", "practices[0].id: is required"),
        ("evidence: {Q16: 台账}\n", "evidence.Q16: unknown question 'Q16'"),
        ("priority_scenes: [质量管理, 冷库]\n", "priority_scenes[1]: unknown scene '冷库'"),
        ("questions: []\n", "questions: unknown field; a rubric extends 'national-2024' and may not redefine it"),
    ],
)
def test_a_broken_rubric_is_refused_with_its_place(tmp_path, body, expected):
    write_national(tmp_path)

    assert expected in messages(write_rubric(tmp_path, body))


def test_a_thin_rubric_loads_with_warnings_kept_apart_from_errors(tmp_path):
    write_national(tmp_path)

    questionnaire, problems = check_file(write_rubric(tmp_path, "priority_scenes: [质量管理]\npractices: []\n"))

    assert questionnaire is not None
    assert {p.severity for p in problems} == {"warning"}
    assert "practices: has 0 practices; a rubric needs at least 12" in [f"{p.place}: {p.message}" for p in problems]
    assert "priority_scenes: priority scene '质量管理' has no practice" in [f"{p.place}: {p.message}" for p in problems]


def test_a_rubric_whose_base_is_missing_says_so(tmp_path):
    assert messages(write_rubric(tmp_path, "practices: []\n")) == [
        "extends: unknown questionnaire 'national-2024' (no " + str(tmp_path / "national-2024.yaml") + ")"
    ]


def test_a_rubric_on_a_broken_base_reports_both(tmp_path):
    write_national(tmp_path, lambda raw: raw["levels"][0].update(min_score="twenty"))

    problems = messages(write_rubric(tmp_path, "practices: []\n"))

    assert problems[0] == "extends: its base 'national-2024' has errors"
    assert "levels[0].min_score: must be a whole number or a number, not 'twenty'" in problems


def test_load_file_raises_with_every_error(tmp_path):
    path = write_national(
        tmp_path, lambda raw: (raw["questions"][0].update(id="Q2"), raw["scenes"][0].update(group=""))
    )

    with pytest.raises(ProblemsError) as raised:
        load_file(path)

    assert len(raised.value.problems) >= 2
