"""The approved product catalog (数字化产品清单) as data, checked against the questionnaire.

Each product says which scenes it lifts to which level and which questions it
brings to which option (a multi-choice question: the options it adds). The
shipped catalog is sample data: ``sample`` is true and every name says 示例.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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


# What a product's fields are called in the catalog sheet and in every message about them.
FIELD_TITLES = {
    "id": "编号", "name": "名称", "version": "版本", "lead_firm": "牵引单位", "provider": "服务商", "type": "类型",
    "industries": "适用行业", "links": "环节", "scenes": "场景提升", "questions": "题目提升", "deployment": "部署方式",
    "price": "价格（元）", "unit": "计价单位", "implementation_days": "实施周期（天）", "showcase": "样板项目",
    "ip_status": "知识产权", "batch": "批次", "status": "状态",
}  # fmt: skip
TEXT_FIELDS = ("id", "name", "version", "lead_firm", "provider", "type", "deployment", "unit", "showcase",
               "ip_status", "batch", "status")  # fmt: skip


def check_entries(questionnaire: Questionnaire, entries, label: str, where: str = "products",
                  located: Callable[[int, str, str], str] | None = None,
                  ) -> tuple[tuple[Product, ...], list[Problem]]:  # fmt: skip
    """Products from raw entries (the mappings of catalog.yaml), with every problem located, in Chinese.

    ``located(i, key, part)`` says where field ``key`` (and its ``part``: a scene or a question)
    of entry ``i`` is, and ``located(i, "", "")`` the entry itself (a sheet names its cell,
    ``第 5 行，F 列（类型）``); by default ``products[i].type`` and ``products[i]``.
    """
    ck = _ProductChecker(label, located or _in_file(where))
    if not isinstance(entries, list):
        ck.error(where, "应为产品列表")
        return (), ck.problems
    built = []
    for i, item in enumerate(entries):
        product = _product(ck, i, item, questionnaire)
        if product is not None:
            built.append((i, product))
    seen: dict[str, int] = {}
    for i, product in built:
        if product.id in seen:
            ck.error(ck.at(i, "id"), f"产品编号 {product.id} 重复（与{ck.at(seen[product.id])}相同）")
        else:
            seen[product.id] = i
    return tuple(p for _, p in built), ck.problems


def _in_file(where: str) -> Callable[[int, str, str], str]:
    """Places in catalog.yaml: ``products[3]``, ``products[3].scenes.营销管理``."""
    return lambda i, key, part: f"{where}[{i}]" + "".join(f".{name}" for name in (key, part) if name)


class _ProductChecker:
    """Located problems of catalog entries, said in Chinese, placed by ``located`` (see ``check_entries``)."""

    KINDS = {str: "文字", int: "整数", list: "列表", dict: "对照表"}

    def __init__(self, label: str, located: Callable[[int, str, str], str]) -> None:
        self.label, self.located = label, located
        self.problems: list[Problem] = []

    def at(self, entry: int, key: str = "", part: str = "") -> str:
        """Where field ``key`` (and its ``part``, a scene or a question) of entry ``entry`` is."""
        return self.located(entry, key, part)

    def error(self, place: str, message: str) -> None:
        self.problems.append(Problem(self.label, place, message))

    def warn(self, place: str, message: str) -> None:
        self.problems.append(Problem(self.label, place, message, "warning"))

    def field(self, item, key: str, entry: int, kind: type, required: bool = True):
        """``item[key]`` when it is of ``kind`` (a bool is never a number), else None and a problem."""
        value = item.get(key) if isinstance(item, dict) else None
        if value is None:
            if required:
                self.error(self.at(entry, key), "必须填写")
            return None
        if isinstance(value, bool) or not isinstance(value, kind):
            self.error(self.at(entry, key), f"应为{self.KINDS[kind]}，而不是 {value!r}")
            return None
        return value

    def text(self, item, key: str, entry: int) -> str:
        value = self.field(item, key, entry, str)
        if value is not None and not value.strip():
            self.error(self.at(entry, key), "必须填写")
        return value or ""


def _choices(ck: _ProductChecker, place: str, value, allowed: tuple[str, ...]) -> tuple[str, ...]:
    listed = value if isinstance(value, list) else [value]
    for code in listed:
        if code not in allowed:
            ck.error(place, f"“{code}”不是可选的一项（可选：{'、'.join(allowed)}）")
    return tuple(listed)


# A product priced above a billion yuan, or taking more than ten years, is a slip of digits: the
# amounts of the projects that contract it must stay within what the dashboard sums can hold.
MAX_PRICE = 1_000_000_000
MAX_DAYS = 3650


def _product(ck: _ProductChecker, entry: int, item, questionnaire: Questionnaire) -> Product | None:
    text = {key: ck.text(item, key, entry) for key in TEXT_FIELDS}
    if text["type"] and text["type"] not in TYPES:
        ck.error(ck.at(entry, "type"), f"类型“{text['type']}”不是可选的一项（可选：{'、'.join(TYPES)}）")
    if text["status"] and text["status"] not in STATUSES:
        ck.error(ck.at(entry, "status"), f"状态“{text['status']}”不是可选的一项（可选：{'、'.join(STATUSES)}）")
    industries = _choices(ck, ck.at(entry, "industries"), ck.field(item, "industries", entry, list) or [],
                          (ALL_INDUSTRIES, *INDUSTRIES))  # fmt: skip
    links = _choices(ck, ck.at(entry, "links"), ck.field(item, "links", entry, list) or [], LINKS)
    price = ck.field(item, "price", entry, int)
    if price is not None and not 0 <= price <= MAX_PRICE:
        ck.error(ck.at(entry, "price"), f"应在 0 到 {MAX_PRICE:,} 元之间，而不是 {price:,}")
    days = ck.field(item, "implementation_days", entry, int)
    if days is not None and not 0 <= days <= MAX_DAYS:
        ck.error(ck.at(entry, "implementation_days"), f"应在 0 到 {MAX_DAYS:,} 天之间，而不是 {days:,}")
    scenes = {}
    for name, level in (ck.field(item, "scenes", entry, dict) or {}).items():
        if questionnaire.scene(name) is None:
            ck.error(ck.at(entry, "scenes", name), f"问卷中没有场景“{name}”")
        elif isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
            ck.error(ck.at(entry, "scenes", name), f"{name} 的等级应为 1 到 4，而不是 {level!r}")
        else:
            scenes[name] = level
    questions = {}
    for qid, value in (ck.field(item, "questions", entry, dict, required=False) or {}).items():
        question = questionnaire.question(qid)
        where = ck.at(entry, "questions", qid)
        if question is None:
            ck.error(where, f"问卷中没有题目 {qid}")
            continue
        codes = _choices(ck, where, value, tuple(o.code for o in question.options if not o.exclusive))
        if question.type != "multi" and len(codes) != 1:
            ck.error(where, f"{qid} 是单选题：只能写一个选项")
        questions[qid] = codes
    if not scenes and not questions:
        ck.warn(ck.at(entry), "既不提升任何场景，也不提升任何题目")
    if None in (price, days) or not all(text.values()):
        return None
    return Product(**text, industries=industries, links=links, scenes=MappingProxyType(scenes),
                   questions=MappingProxyType(questions), price=price, implementation_days=days)  # fmt: skip
