"""The product review's criteria (评审标准) as data: parts, criteria with weights adding up to
100, and the pass score; read from ``questionnaires/review-criteria.yaml`` with every problem
named in Chinese at its place."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from diagnose.numbers import finite
from diagnose.problems import Problem, ProblemsError
from diagnose.rule.loading import DEFAULT_DIRECTORY, display_path

DEFAULT_CRITERIA = DEFAULT_DIRECTORY / "review-criteria.yaml"
TOTAL = 100


@dataclass(frozen=True)
class Criterion:
    """One thing a reviewer scores, out of ``weight`` points, in one part of the review."""

    id: str
    part: str
    name: str
    weight: float
    guide: str


@dataclass(frozen=True)
class Criteria:
    """The criteria a batch is reviewed by: parts (id → name), criteria, the pass score."""

    id: str
    version: str
    title: str
    parts: dict[str, str]
    criteria: tuple[Criterion, ...]
    pass_score: float

    def to_dict(self) -> dict:
        """The form a batch keeps (``from_dict`` reads it back)."""
        return {"id": self.id, "version": self.version, "title": self.title, "parts": dict(self.parts),
                "criteria": [vars(c) for c in self.criteria], "pass_score": self.pass_score}  # fmt: skip

    @classmethod
    def from_dict(cls, kept: dict) -> Criteria:
        return cls(kept["id"], kept["version"], kept["title"], dict(kept["parts"]),
                   tuple(Criterion(**c) for c in kept["criteria"]), kept["pass_score"])  # fmt: skip


def load_criteria(path: Path = DEFAULT_CRITERIA) -> Criteria:
    """The criteria in ``path``; raises ProblemsError with every problem found."""
    criteria, problems = check_criteria(path)
    if criteria is None:
        raise ProblemsError(problems)
    return criteria


def check_criteria(path: Path) -> tuple[Criteria | None, list[Problem]]:
    """The criteria in ``path`` (None when anything is wrong) and every problem, located."""
    label = display_path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [Problem(label, "", "找不到评审标准文件")]
    except (OSError, UnicodeDecodeError):
        return None, [Problem(label, "", "无法按 UTF-8 文本读取评审标准文件")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        return None, [Problem(label, place, "不是有效的 YAML")]
    problems: list[Problem] = []

    def bad(place: str, message: str) -> None:
        problems.append(Problem(label, place, message))

    if not isinstance(raw, dict):
        return None, [Problem(label, "", "应为含 kind、parts、criteria 的 YAML 映射")]
    if raw.get("kind") != "review-criteria":
        bad("kind", f"应为 review-criteria，不是 {raw.get('kind')!r}")
    texts = {}
    for key in ("id", "version", "title"):
        texts[key] = raw.get(key)
        if not isinstance(texts[key], str) or not texts[key].strip():
            bad(key, "必须填写（文字）")
    parts = {}
    for i, part in enumerate(raw.get("parts") if isinstance(raw.get("parts"), list) else []):
        if not isinstance(part, dict) or not all(isinstance(part.get(k), str) and part.get(k) for k in ("id", "name")):
            bad(f"parts[{i}]", "每一部分须有 id 和 name")
        elif part["id"] in parts:
            bad(f"parts[{i}].id", f"部分 {part['id']!r} 重复")
        else:
            parts[part["id"]] = part["name"]
    if not parts:
        bad("parts", "至少要有一个评审部分")
    criteria, seen = [], set()
    listed = raw.get("criteria") if isinstance(raw.get("criteria"), list) else None
    if not listed:
        bad("criteria", "至少要有一项评审指标")
    for i, item in enumerate(listed or []):
        place = f"criteria[{i}]"
        if not isinstance(item, dict):
            bad(place, "应为含 id、part、name、weight 的映射")
            continue
        for key in ("id", "name"):
            if not isinstance(item.get(key), str) or not item.get(key).strip():
                bad(f"{place}.{key}", "必须填写（文字）")
        if item.get("id") in seen:
            bad(f"{place}.id", f"指标 {item.get('id')!r} 重复")
        seen.add(item.get("id"))
        if item.get("part") not in parts:
            bad(f"{place}.part", f"应为 {'、'.join(parts) or '已定义的部分'} 之一，不是 {item.get('part')!r}")
        weight = item.get("weight")
        if not finite(weight) or not 0 < weight <= TOTAL:
            bad(f"{place}.weight", f"权重应为 0 至 {TOTAL} 之间的正数，不是 {weight!r}")
        if not problems:
            guide = str(item.get("guide", ""))
            criteria.append(Criterion(item["id"], item["part"], item["name"], float(weight), guide))
    if criteria and not problems and not math.isclose(sum(c.weight for c in criteria), TOTAL):
        bad("criteria", f"各项权重之和应为 {TOTAL}，现为 {sum(c.weight for c in criteria):g}")
    pass_score = raw.get("pass_score")
    if not finite(pass_score) or not 0 <= pass_score <= TOTAL:
        bad("pass_score", f"入库分数线应为 0 至 {TOTAL} 之间的数，不是 {pass_score!r}")
    if problems:
        return None, problems
    return Criteria(texts["id"], texts["version"], texts["title"], parts, tuple(criteria), float(pass_score)), []
