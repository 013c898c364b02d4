"""The cheapest set of approved products that reaches a target level: exact, explained.

The choice is a small integer program, solved exactly (HiGHS through
scipy.optimize.milp, zero optimality gap): one 0/1 variable per product, one
per option or scene level the products could bring, and the three conditions
of the target level as constraints. Every bundle it returns is then scored by
the national rule itself (``adopt`` + ``score``), so the projected result is
the real one, never the model's estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from diagnose.catalog.products import Catalog, Product
from diagnose.rule.answers import Assessment
from diagnose.rule.questionnaire import Questionnaire, to_points
from diagnose.rule.scoring import Result, score

DEFAULT_TARGET = 2


def target_after(level: int) -> int:
    """The level a bundle is sought for, as on the result card: 二级, or the next level up for an
    enterprise already there (四级 at most)."""
    return min(4, max(DEFAULT_TARGET, level + 1))


# a hair per product: among bundles of one price, the one with fewer products
TIE_BREAK = 1e-3


@dataclass(frozen=True)
class Bundle:
    """Products (cheapest first), their total price, the rule's result once they are adopted, and what each brings."""

    products: tuple[Product, ...]
    total_price: int
    projected: Result
    reasons: dict[str, tuple[str, ...]]  # product id → what it brings, in Chinese


@dataclass(frozen=True)
class Recommendation:
    """What reaches ``target``: the current result, the cheapest bundle (None: ``unmet`` says why) and, given a
    ``budget`` the cheapest exceeds or with no cheapest, ``within_budget``: the best bundle the budget buys."""

    target: int
    target_label: str
    current: Result
    cheapest: Bundle | None  # None: the catalog cannot reach the target
    unmet: tuple[str, ...]  # why not, condition by condition
    budget: int | None = None
    within_budget: Bundle | None = None  # the highest level the budget reaches, when the cheapest exceeds it


def adopt(questionnaire: Questionnaire, assessment: Assessment, products) -> Assessment:
    """The answers as they would be with ``products`` in use: scenes lifted, options added or raised."""
    current = {s.name: s.level for s in score(questionnaire, assessment).scenes}
    scenes = dict(assessment.scenes)
    choices = dict(assessment.choices)
    figures = dict(assessment.figures)
    for product in products:
        for name, level in product.scenes.items():
            scenes[name] = max(scenes.get(name, current[name]), current[name], level)
        for qid, codes in product.questions.items():
            question = questionnaire.question(qid)
            held = choices.get(qid, ())
            if question.type == "multi":
                kept = [c for c in held if not question.option(c).exclusive]
                choices[qid] = tuple(sorted(set(kept) | set(codes)))
            else:
                best = max([*held, codes[0]], key=lambda c: question.option(c).points_milli)
                if best not in held:
                    choices[qid] = (best,)
                    figures.pop(qid, None)  # the figures typed no longer describe the answer
    return Assessment(assessment.questionnaire, choices, figures, scenes, assessment.practices)


class _Program:
    """The 0/1 program for one assessment, one target level and some candidate products."""

    def __init__(self, questionnaire: Questionnaire, assessment: Assessment, candidates, target: int):
        self.products = list(candidates)
        self.columns = len(self.products)
        self.rows: list[tuple[dict[int, float], float, float]] = []
        base = score(questionnaire, assessment)
        self.gain: dict[int, float] = {}  # column → thousandths of a point it adds
        self._questions(questionnaire, assessment)
        rule = questionnaire.level_rule(target)
        scene_columns, starred_columns = self._scenes(base, target)
        self.score_need = rule.min_score_milli - base.score_milli
        self.scenes_need = rule.min_scenes - base.scenes_at_or_above[target]
        self.starred_need = rule.min_constrained_scenes - base.constrained_at_or_above[target]
        self.scene_columns, self.starred_columns = scene_columns, starred_columns

    def _new(self) -> int:
        self.columns += 1
        return self.columns - 1

    def _reachable_by(self, column: int, providers: list[int]) -> None:
        # the option (or level) counts only if a chosen product brings it
        self.rows.append(({column: 1.0, **{p: -1.0 for p in providers}}, -np.inf, 0.0))

    def _questions(self, questionnaire: Questionnaire, assessment: Assessment) -> None:
        for question in questionnaire.questions:
            held = assessment.choices.get(question.id, ())
            if question.type == "multi":
                for option in question.options:
                    if option.exclusive or option.code in held:
                        continue
                    providers = [
                        i for i, p in enumerate(self.products) if option.code in p.questions.get(question.id, ())
                    ]
                    if providers:
                        column = self._new()
                        self._reachable_by(column, providers)
                        self.gain[column] = option.points_milli
                continue
            now = max((question.option(c).points_milli for c in held), default=0)
            picks = []
            for option in question.options:
                providers = [
                    i for i, p in enumerate(self.products) if p.questions.get(question.id, (None,))[0] == option.code
                ]
                if providers and option.points_milli > now:
                    column = self._new()
                    self._reachable_by(column, providers)
                    self.gain[column] = option.points_milli - now
                    picks.append(column)
            if len(picks) > 1:  # a single-choice answer holds one option
                self.rows.append(({c: 1.0 for c in picks}, -np.inf, 1.0))

    def _scenes(self, base: Result, target: int) -> tuple[list[int], list[int]]:
        all_columns, starred = [], []
        for scene in base.scenes:
            if scene.level >= target:
                continue
            providers = [i for i, p in enumerate(self.products) if p.scenes.get(scene.name, 0) >= target]
            if providers:
                column = self._new()
                self._reachable_by(column, providers)
                all_columns.append(column)
                if scene.constrained:
                    starred.append(column)
        return all_columns, starred

    def _level_rows(self) -> list[tuple[dict[int, float], float, float]]:
        rows = []
        if self.score_need > 0:
            rows.append((dict(self.gain), float(self.score_need), np.inf))
        if self.scenes_need > 0:
            rows.append(({c: 1.0 for c in self.scene_columns}, float(self.scenes_need), np.inf))
        if self.starred_need > 0:
            rows.append(({c: 1.0 for c in self.starred_columns}, float(self.starred_need), np.inf))
        return rows

    def solve(self, objective: dict[int, float], extra_rows=()) -> list[Product] | None:
        """The chosen products minimising ``objective``, or None when nothing satisfies the rows."""
        # here, not at the top: scipy's optimiser takes about half a second to import, and every
        # page and command that imports this module without recommending would pay it
        from scipy.optimize import Bounds, LinearConstraint, milp

        rows = self.rows + list(extra_rows)
        if self.columns == 0:  # no candidate product: met already, or never (HiGHS takes no empty program)
            return [] if all(low <= 0 <= high for _, low, high in rows) else None
        c = np.zeros(self.columns)
        for column, weight in objective.items():
            c[column] = weight
        constraints = []
        if rows:
            matrix = np.zeros((len(rows), self.columns))
            for r, (coefficients, _, _) in enumerate(rows):
                for column, weight in coefficients.items():
                    matrix[r, column] = weight
            constraints.append(LinearConstraint(matrix, [r[1] for r in rows], [r[2] for r in rows]))
        found = milp(c, constraints=constraints, integrality=np.ones(self.columns), bounds=Bounds(0, 1),
                     options={"mip_rel_gap": 0.0})  # fmt: skip
        if not found.success:
            return None
        return [p for i, p in enumerate(self.products) if found.x[i] > 0.5]

    def cheapest(self) -> list[Product] | None:
        """The cheapest products meeting the target level's conditions (fewest among equal prices), or None."""
        price = {i: p.price + TIE_BREAK for i, p in enumerate(self.products)}
        return self.solve(price, self._level_rows())

    def best_score_within(self, budget: int) -> list[Product] | None:
        """The products costing at most ``budget`` that add the most question points, fewest among equals;
        the level conditions are not required."""
        spend = ({i: float(p.price) for i, p in enumerate(self.products)}, -np.inf, float(budget))
        objective = {c: -float(g) for c, g in self.gain.items()} | {i: TIE_BREAK for i in range(len(self.products))}
        return self.solve(objective, [spend])


def _bundle(questionnaire: Questionnaire, assessment: Assessment, base: Result, products) -> Bundle:
    products = tuple(sorted(products, key=lambda p: (p.price, p.id)))
    projected = score(questionnaire, adopt(questionnaire, assessment, products))
    reasons = {p.id: explain(questionnaire, assessment, base, p) for p in products}
    return Bundle(products, sum(p.price for p in products), projected, reasons)


def explain(questionnaire: Questionnaire, assessment: Assessment, base: Result, product: Product) -> tuple[str, ...]:
    """What one product brings on its own, against the current answers."""
    levels = {s.name: (s.level, s.constrained) for s in base.scenes}
    said = []
    for name, level in product.scenes.items():
        now, starred = levels[name]
        if level > now:
            said.append(f"场景「{name}」L{now} → L{level}" + ("（约束性★）" if starred else ""))
    for qid, codes in product.questions.items():
        question = questionnaire.question(qid)
        held = assessment.choices.get(qid, ())
        if question.type == "multi":
            added = [question.option(c) for c in codes if c not in held]
            if added:
                gained = sum(o.points_milli for o in added)
                names = "、".join(f"{o.code}. {o.text}" for o in added)
                said.append(f"{qid} {question.item}：新增 {names}（+{to_points(gained):g} 分）")
            continue
        now = max((question.option(c) for c in held), key=lambda o: o.points_milli, default=None)
        brought = question.option(codes[0])
        if now is None or brought.points_milli > now.points_milli:
            start = f"{now.code}" if now else "未答"
            gained = brought.points_milli - (now.points_milli if now else 0)
            said.append(f"{qid} {question.item}：{start} → {brought.code}. {brought.text}（+{to_points(gained):g} 分）")
    return tuple(said) or ("对当前评测没有提升",)


def recommend(questionnaire: Questionnaire, catalog: Catalog, assessment: Assessment, industry: str,
              target: int = DEFAULT_TARGET, budget: int | None = None) -> Recommendation:  # fmt: skip
    """The cheapest 在库 products of the industry that bring ``assessment`` to ``target``."""
    base = score(questionnaire, assessment)
    label = questionnaire.level_label(target)
    candidates = [p for p in catalog.available_for(industry) if p.scenes or p.questions]
    if base.level >= target:
        return Recommendation(target, label, base, _bundle(questionnaire, assessment, base, ()), (), budget)
    program = _Program(questionnaire, assessment, candidates, target)
    chosen = program.cheapest()
    if chosen is None:
        return Recommendation(target, label, base, None, _unmet(questionnaire, assessment, candidates, target), budget,
                              _within_budget(questionnaire, assessment, base, candidates, target, budget))  # fmt: skip
    cheapest = _bundle(questionnaire, assessment, base, chosen)
    if cheapest.projected.level < target:  # the model and the rule disagree: a bug, never a silent answer
        raise AssertionError(f"bundle {[p.id for p in chosen]} does not reach level {target}")
    within = None
    if budget is not None and cheapest.total_price > budget:
        within = _within_budget(questionnaire, assessment, base, candidates, target, budget)
    return Recommendation(target, label, base, cheapest, (), budget, within)


def _within_budget(questionnaire, assessment, base, candidates, target, budget) -> Bundle | None:
    """The highest level above the current one that ``budget`` reaches, at the lowest price;
    failing that, the most points the budget buys."""
    if budget is None:
        return None
    for level in range(target - 1, base.level, -1):
        chosen = _Program(questionnaire, assessment, candidates, level).cheapest()
        if chosen is not None and sum(p.price for p in chosen) <= budget:
            return _bundle(questionnaire, assessment, base, chosen)
    chosen = _Program(questionnaire, assessment, candidates, max(target, 1)).best_score_within(budget)
    if not chosen:
        return None
    return _bundle(questionnaire, assessment, base, chosen)


def _unmet(questionnaire: Questionnaire, assessment: Assessment, candidates, target: int) -> tuple[str, ...]:
    """Which condition of the target the whole catalog still leaves unmet."""
    best = score(questionnaire, adopt(questionnaire, assessment, candidates))
    check = next(c for c in best.checks if c.level == target)
    lead = f"即使采用全部 {len(candidates)} 个适用的在库产品"
    return tuple(f"{lead}，{c.text.replace('，要求', '，仍达不到要求的')}" for c in check.conditions if not c.met)
