"""The approved product catalog (数字化产品清单) as data, checked against the questionnaire.

Each product says which scenes it lifts to which level and which questions it
brings to which option (a multi-choice question: the options it adds). The
shipped catalog is sample data: ``sample`` is true and every name says 示例.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from diagnose.pilot import INDUSTRIES
from diagnose.problems import Problem, ProblemsError, errors
from diagnose.rule.loading import DEFAULT_DIRECTORY, display_path, read_document
from diagnose.rule.questionnaire import Questionnaire

ALL_INDUSTRIES = "全部"
LINKS = ("设计", "制造", "销售", "服务", "管理", "安全")
TYPES = ("SaaS", "本地部署软件", "硬件", "系统集成", "安全服务")
STATUSES = ("在库", "暂停", "退出")
AVAILABLE = "在库"
DEFAULT_CATALOG = DEFAULT_DIRECTORY / "catalog.yaml"


@dataclass(frozen=True)
class Product:
    """One catalog product: what and whose it is, the industries and links it serves, the scene levels
    and question options it brings, its price, unit, batch and status."""

    id: str
    name: str
    version: str
    lead_firm: str
    provider: str
    type: str
    industries: tuple[str, ...]
    links: tuple[str, ...]
    scenes: Mapping[str, int]  # scene → the level it brings the scene to, at least
    questions: Mapping[str, tuple[str, ...]]  # question → its option (single) or the options it adds (multi)
    deployment: str
    price: int  # 元, for the unit below
    unit: str
    implementation_days: int
    showcase: str
    ip_status: str
    batch: str
    status: str

    def serves(self, industry: str) -> bool:
        """Whether the product is for ``industry`` (or for every industry, 全部)."""
        return ALL_INDUSTRIES in self.industries or industry in self.industries


@dataclass(frozen=True)
class Catalog:
    """The checked catalog: its id, version, title, whether it is sample data, and its products."""

    id: str
    version: str
    title: str
    sample: bool
    products: tuple[Product, ...]

    def available_for(self, industry: str) -> tuple[Product, ...]:
        """The products that may be recommended: 在库 and serving the industry."""
        return tuple(p for p in self.products if p.status == AVAILABLE and p.serves(industry))


def load_catalog(questionnaire: Questionnaire, path: Path = DEFAULT_CATALOG) -> Catalog:
    """The catalog in ``path``, every effect checked against ``questionnaire``; raises ProblemsError."""
    catalog, problems = check_catalog(questionnaire, path)
    if catalog is None:
        raise ProblemsError(errors(problems))
    return catalog


def read_catalog(path: Path = DEFAULT_CATALOG) -> tuple[dict | None, list[Problem]]:
    """The parsed catalog file (its ``products`` are the entries the store keeps)."""
    return read_document(path)


def check_catalog(questionnaire: Questionnaire, path: Path) -> tuple[Catalog | None, list[Problem]]:
    """The catalog in ``path`` checked against ``questionnaire`` (None on any error), with every problem found,
    warnings included."""
    raw, problems = read_catalog(path)
    if raw is None:
        return None, problems
    label = display_path(path)
    products, problems = check_entries(questionnaire, raw.get("products"), label, "products")
    if raw.get("kind") != "catalog":
        problems.insert(0, Problem(label, "kind", f"must be 'catalog', not {raw.get('kind')!r}"))
    if errors(problems):
        return None, problems
    from diagnose.rule.schema import Checker

    ck = Checker(label)
    ck.problems = problems
    catalog = Catalog(
        id=ck.text(raw, "id", ""),
        version=ck.text(raw, "version", ""),
        title=ck.text(raw, "title", ""),
        sample=bool(raw.get("sample")),
        products=products,
    )
    return catalog, ck.problems


def check_entries(questionnaire: Questionnaire, entries, label: str, where: str = "products",
                  places: list[str] | None = None) -> tuple[tuple[Product, ...], list[Problem]]:  # fmt: skip
    """Products from raw entries (the mappings of catalog.yaml), with every problem located.

    ``places`` names each entry's place (``row 5`` for a sheet); by default ``products[i]``.
    """
    from diagnose.rule.schema import Checker

    ck = Checker(label)
    if not isinstance(entries, list):
        ck.error(where, "must be a list of products")
        return (), ck.problems
    built = []
    for i, item in enumerate(entries):
        place = places[i] if places else f"{where}[{i}]"
        product = _product(ck, place, item, questionnaire)
        if product is not None:
            built.append((place, product))
    ck.unique([(f"{p}.id", pr.id) for p, pr in built], "product id")
    return tuple(p for _, p in built), ck.problems


def _choices(ck, place: str, value, allowed: tuple[str, ...]) -> tuple[str, ...]:
    listed = value if isinstance(value, list) else [value]
    for code in listed:
        if code not in allowed:
            ck.error(place, f"unknown {code!r} (one of {', '.join(allowed)})")
    return tuple(listed)


# A product priced above a billion yuan, or taking more than ten years, is a slip of digits: the
# amounts of the projects that contract it must stay within what the dashboard sums can hold.
MAX_PRICE = 1_000_000_000
MAX_DAYS = 3650


def _product(ck, place: str, item, questionnaire: Questionnaire) -> Product | None:
    text = {key: ck.text(item, key, place) for key in ("id", "name", "version", "lead_firm", "provider", "type",
                                                        "deployment", "unit", "showcase", "ip_status", "batch",
                                                        "status")}  # fmt: skip
    if text["type"] and text["type"] not in TYPES:
        ck.error(f"{place}.type", f"unknown type {text['type']!r} (one of {', '.join(TYPES)})")
    if text["status"] and text["status"] not in STATUSES:
        ck.error(f"{place}.status", f"unknown status {text['status']!r} (one of {', '.join(STATUSES)})")
    industries = _choices(ck, f"{place}.industries", ck.field(item, "industries", place, list) or [],
                          (ALL_INDUSTRIES, *INDUSTRIES))  # fmt: skip
    links = _choices(ck, f"{place}.links", ck.field(item, "links", place, list) or [], LINKS)
    price = ck.field(item, "price", place, int)
    if price is not None and not 0 <= price <= MAX_PRICE:
        ck.error(f"{place}.price", f"must be between 0 and {MAX_PRICE:,} (yuan), not {price:,}")
    days = ck.field(item, "implementation_days", place, int)
    if days is not None and not 0 <= days <= MAX_DAYS:
        ck.error(f"{place}.implementation_days", f"must be between 0 and {MAX_DAYS:,} days, not {days:,}")
    scenes = {}
    for name, level in (ck.field(item, "scenes", place, dict) or {}).items():
        if questionnaire.scene(name) is None:
            ck.error(f"{place}.scenes.{name}", f"unknown scene {name!r}")
        elif isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
            ck.error(f"{place}.scenes.{name}", f"a level from 1 to 4, not {level!r}")
        else:
            scenes[name] = level
    questions = {}
    for qid, value in (ck.field(item, "questions", place, dict, required=False) or {}).items():
        question = questionnaire.question(qid)
        where = f"{place}.questions.{qid}"
        if question is None:
            ck.error(where, f"unknown question {qid!r}")
            continue
        codes = _choices(ck, where, value, tuple(o.code for o in question.options if not o.exclusive))
        if question.type != "multi" and len(codes) != 1:
            ck.error(where, f"{qid} is single-choice: name one option")
        questions[qid] = codes
    if not scenes and not questions:
        ck.warn(place, "lifts no scene and improves no question")
    if None in (price, days) or not all(text.values()):
        return None
    return Product(**text, industries=industries, links=links, scenes=MappingProxyType(scenes),
                   questions=MappingProxyType(questions), price=price, implementation_days=days)  # fmt: skip
