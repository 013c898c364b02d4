"""The review criteria file: the shipped one loads; a broken one is refused with every problem
named in Chinese at its place, and nothing half-read is used."""

from __future__ import annotations

import pytest

from diagnose.catalog.review_criteria import DEFAULT_CRITERIA, check_criteria, load_criteria
from diagnose.problems import ProblemsError

GOOD = """kind: review-criteria
id: product-review
version: "1"
title: 评审标准
pass_score: 70
parts:
  - {id: written, name: 书面评审}
criteria:
  - {id: ip, part: written, name: 自主知识产权, weight: 60}
  - {id: fit, part: written, name: 场景契合度, weight: 40}
"""


def test_the_shipped_criteria_weigh_100_over_three_parts():
    criteria = load_criteria(DEFAULT_CRITERIA)

    assert sum(c.weight for c in criteria.criteria) == 100
    assert list(criteria.parts.values()) == ["书面评审", "现场评审", "产品技术测评"]
    assert criteria.from_dict(criteria.to_dict()) == criteria  # what a batch keeps reads back the same


@pytest.mark.parametrize(
    ("change", "place", "words"),
    [
        (("weight: 40}", "weight: 30}"), "criteria", "各项权重之和应为 100，现为 90"),
        (
            ("part: written, name: 场景契合度", "part: onsite, name: 场景契合度"),
            "criteria[1].part",
            "应为 written 之一",
        ),
        (("weight: 60}", "weight: .nan}"), "criteria[0].weight", "权重应为 0 至 100 之间的正数"),
        (("id: fit", "id: ip"), "criteria[1].id", "指标 'ip' 重复"),
        (("pass_score: 70", "pass_score: 170"), "pass_score", "入库分数线应为 0 至 100 之间的数"),
        (("kind: review-criteria", "kind: catalog"), "kind", "应为 review-criteria"),
        (("  - {id: ip, part: written", "  - {id: ip part: written"), "第 9 行第 17 列", "不是有效的 YAML"),
    ],
)
def test_a_broken_criteria_file_names_each_problem_at_its_place(tmp_path, change, place, words):
    path = tmp_path / "review-criteria.yaml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")

    criteria, problems = check_criteria(path)

    assert criteria is None
    assert [p.place for p in problems] == [place]
    assert words in problems[0].message
    with pytest.raises(ProblemsError):
        load_criteria(path)
