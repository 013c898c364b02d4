"""The pilot planner (officials and admins): which enterprises to bring to 二级, with which catalog
products, at what public cost, to reach the pilot's target.

Each diagnosed enterprise below 二级 is planned from its latest approved baseline: the exact
cheapest bundle to 二级 and to 三级 (``catalog.recommend``), priced by the live catalog, its
public share by the subsidy rule (``plan/subsidy.py``) and the days it takes. A bundle that
cannot be finished by the deadline is replaced by the cheapest one of the products that can; an
enterprise with none is left out, and the plan says why. Then ``plan/choose.py`` picks the
enterprises. Bundles are kept per result, target and catalog fingerprint (table
``plan_bundles``), so a plan over thousands of enterprises solves only what changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from diagnose import clock
from diagnose.access.policy import Actor
from diagnose.board.records import BoardFilter
from diagnose.board.target import pilot_figures
from diagnose.catalog.products import Catalog, Product
from diagnose.latest import in_latest_order
from diagnose.pilot import AFTER_STAGES, TARGET_COUNT, TARGET_LEVEL, TARGET_WINDOW
from diagnose.plan.bundles import candidates, described, fingerprint, solve, still_cheapest
from diagnose.plan.choose import Option, cheapest_first, choose, choose_coupled
from diagnose.plan.subsidy import SubsidyRule, load_subsidy_rule
from diagnose.plan.tables import Bundle, Line
from diagnose.services.catalog_admin import live_catalog
from diagnose.services.dashboard import WINDOW, board
from diagnose.services.guard import require
from diagnose.services.plan_keep import THREE, national
from diagnose.services.snapshots import snapshot
from diagnose.store import Store, plan_records
from diagnose.store.board_queries import enterprise_names, result_facts
from diagnose.visit.items import assessment_from_items

WINDOW_END = date.fromisoformat(TARGET_WINDOW[1])  # the default deadline: the pilot window's end
ASIDE_COLUMNS = ["企业", "统一社会信用代码", "细分行业", "行政区", "不在规划内的原因"]
KEEP_EVERY = 200  # bundles solved between two writes of the kept ones (and two progress reports)


@dataclass(frozen=True)
class PlanRequest:
    """What the official asks: the number of enterprises to bring to 二级 (None: the pilot's target
    minus those already counting), the public money available (None: no limit), the deadline
    (None: the pilot window's end), which enterprises (industry, district, size class; "" any),
    and couplings: at least so many in a district, at most so many per provider."""

    target: int | None = None
    budget: int | None = None
    deadline: date | None = None
    industry: str = ""
    district: str = ""
    size_class: str = ""
    district_minimum: tuple[tuple[str, int], ...] = ()
    provider_capacity: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Plan:
    """The answer: the chosen enterprises (cheapest first), the others that could be chosen, those
    left out and why, the totals, and how exact the choice is."""

    request: PlanRequest
    today: date
    deadline: date
    rule: SubsidyRule
    catalog_title: str
    catalog_sample: bool
    counting: int  # enterprises already counting toward the pilot target (the whole city)
    target: int  # enterprises to bring to 二级, as resolved
    chosen: tuple[Line, ...]
    spare: tuple[Line, ...]  # could be brought to 二级 by the deadline, not chosen
    left_out: tuple[Line, ...]  # no bundle to 二级 by the deadline, or none at all: ``note`` says
    set_aside: Mapping[str, int]  # enterprises not planned, by why (already counting, …)
    aside: pd.DataFrame  # the same enterprises, one row each: ASIDE_COLUMNS
    exactness: str
    shortfall: str  # "" when the target is met, else why not
    solved: int = 0  # bundles solved for this plan (the others were kept)
    kept: int = 0
    infeasible: bool = False  # the couplings cannot all be met
    warnings: tuple[str, ...] = ()  # about the conditions asked (a deadline past, or after the window)

    @property
    def catalog_label(self) -> str:
        """The catalog's title, saying 示例数据 when it is sample data and its title does not say so."""
        said = not self.catalog_sample or "示例" in self.catalog_title
        return self.catalog_title + ("" if said else "（示例数据）")

    @property
    def total(self) -> int:
        return sum(line.to_two.total for line in self.chosen)

    @property
    def public(self) -> int:
        return sum(line.to_two.public for line in self.chosen)


def plan(store: Store, actor: Actor, request: PlanRequest = PlanRequest(),
         progress: Callable[[int, int], None] | None = None) -> Plan:  # fmt: skip
    """The plan for ``request`` as of today (China's day); officials and admins only. ``progress``
    hears (solved, to solve) while bundles not kept yet are solved."""
    require(store, actor, "plan.read")
    today = clock.today()
    deadline = request.deadline or WINDOW_END
    days_left = (deadline - today).days
    rule = load_subsidy_rule()
    catalog = live_catalog(store, national())
    counting = board(store, actor).counting
    lines, set_aside, aside, solved, kept = _lines(store, catalog, rule, request, today, days_left, progress)
    target = request.target if request.target is not None else max(0, TARGET_COUNT - counting)
    ready = [line for line in lines if line.to_two is not None]
    by_id = {line.enterprise_id: line for line in ready}
    options = sorted((_option(line) for line in ready), key=cheapest_first)
    coupled = bool(request.district_minimum or request.provider_capacity)
    if coupled:
        picked = choose_coupled(options, target, request.budget, dict(request.district_minimum),
                                dict(request.provider_capacity))  # fmt: skip
    else:
        picked = choose(options, target, request.budget)
    infeasible = picked is None
    chosen = tuple(by_id[o.enterprise_id] for o in picked or ())  # both choices give them cheapest first
    taken = {line.enterprise_id for line in chosen}
    return Plan(
        request=request, today=today, deadline=deadline, rule=rule, catalog_title=catalog.title,
        catalog_sample=catalog.sample, counting=counting, target=target, chosen=chosen,
        spare=tuple(by_id[o.enterprise_id] for o in options if o.enterprise_id not in taken),
        left_out=tuple(line for line in lines if line.to_two is None), set_aside=set_aside, aside=aside,
        exactness=_exactness(coupled), shortfall=_shortfall(chosen, target, ready, request, infeasible),
        warnings=_warnings(request, today, deadline, counting),
        solved=solved, kept=kept, infeasible=infeasible,
    )  # fmt: skip


def _option(line: Line) -> Option:
    providers = tuple(sorted({p.provider for p in line.to_two.products}))
    return Option(line.enterprise_id, line.to_two.public, line.to_two.total, line.district, providers)


def _exactness(coupled: bool) -> str:
    if coupled:
        return ("加入区县最低家数或服务商承接上限后，各企业的选择互相牵连：用整数规划求最优解（HiGHS 求解器，"
                "不留误差），结果是满足全部条件时家数最多、其中财政资金最少的选择（精确）。")  # fmt: skip
    return ("各企业的产品组合互不影响，财政资金按企业分别计算：按财政资金从少到多取前 N 家，即为达到目标所需"
            "财政资金最少的选择；有预算时，同样的顺序取到预算用完，即为预算能支持的最多家数（均为精确解）。"
            "每家企业的组合本身是整数规划的精确最优解，并已按评测规则复核达到二级。")  # fmt: skip


def _shortfall(chosen: tuple[Line, ...], target: int, ready: list[Line], request: PlanRequest,
               infeasible: bool) -> str:  # fmt: skip
    """Why fewer than ``target`` were chosen, naming what limited the plan; "" when none did."""
    if infeasible:
        return _why_infeasible(target, ready, request)
    if len(chosen) >= target:
        return ""
    short = f"距目标 {target} 家还差 {target - len(chosen)} 家"
    if len(chosen) == len(ready):
        return (f"可规划的企业只有 {len(ready)} 家（改造前诊断已审核通过、低于二级、截止日前可达到二级），{short}；"
                "其余企业的情况见“不在规划内的企业”。")  # fmt: skip
    spent = sum(line.to_two.public for line in chosen)
    taken = {line.enterprise_id for line in chosen}
    cheapest_left = min(line.to_two.public for line in ready if line.enterprise_id not in taken)
    if request.budget is not None and spent + cheapest_left > request.budget:
        return f"预算 {request.budget:,} 元只够支持 {len(chosen)} 家（用去 {spent:,} 元），{short}。"
    if request.provider_capacity:
        return f"服务商承接上限使可选企业减少：选出 {len(chosen)} 家，{short}。"
    return f"在所设条件下选出 {len(chosen)} 家，{short}。"


def _why_infeasible(target: int, ready: list[Line], request: PlanRequest) -> str:
    """Which district minimum cannot be met, and what stands in its way."""
    wanted = sum(least for _, least in request.district_minimum)
    if wanted > target:
        return f"各区县最低家数合计 {wanted} 家，超过目标 {target} 家：请降低最低家数或提高目标。"
    for district, least in request.district_minimum:
        there = sum(line.district == district for line in ready)
        if there < least:
            return f"{district}截止日前可达到二级的企业只有 {there} 家，少于要求的 {least} 家：请放宽条件。"
    asked = (("预算", request.budget is not None), ("服务商承接上限", bool(request.provider_capacity)))
    limits = [name for name, given in asked if given]
    within = f"在{'和'.join(limits)}之内" if limits else ""
    return f"{within}无法同时满足各区县的最低家数：请放宽条件。"


def _warnings(request: PlanRequest, today: date, deadline: date, counting: int) -> tuple[str, ...]:
    """What the official should know about the conditions asked."""
    said = []
    if deadline <= today:
        said.append(f"截止日期 {deadline:%Y-%m-%d} 不晚于测算日 {today:%Y-%m-%d}：来不及实施任何产品。")
    if deadline > WINDOW_END:
        said.append(f"截止日期晚于试点期末（{TARGET_WINDOW[1]}）：在此之后完成的项目不计入试点目标。")
    if request.target is None and (request.industry or request.district or request.size_class):
        said.append(f"目标按全市计算（{TARGET_COUNT} 家减去全市已计入的 {counting} 家）；筛选只缩小了可选企业的范围。")
    return tuple(said)


def _lines(store: Store, catalog: Catalog, rule: SubsidyRule, request: PlanRequest, today: date, days_left: int,
           progress) -> tuple[list[Line], dict[str, int], pd.DataFrame, int, int]:  # fmt: skip
    """Every enterprise in scope whose latest approved baseline is below 二级, with its bundles; the
    enterprises set aside, counted and listed by why; how many bundles were solved and how many kept."""
    scope = BoardFilter(industry=request.industry, district=request.district, size_class=request.size_class,
                        stage="baseline")  # fmt: skip
    with store.read() as conn:
        facts = result_facts(conn, scope, WINDOW, AFTER_STAGES)
        pilot = pilot_figures(facts["enterprises"], facts["candidates"], facts["after"], today)
        latest = in_latest_order(facts["chosen"]).drop_duplicates("enterprise_id", keep="last")
        counting, close = set(pilot.counting["id"]), set(pilot.close["id"])
        planned = latest[~latest["enterprise_id"].isin(counting | close)]
        below = planned[planned["level"] < TARGET_LEVEL]
        unplanned = set(facts["enterprises"]["id"]) - set(latest["enterprise_id"]) - counting - close
        groups = {
            "已计入试点目标": counting,
            "受资助项目推进中（完成并通过改造后评测即可计入）": close,
            "改造前已达二级（完成受资助项目并通过改造后评测即可计入）": set(
                planned.loc[planned["level"] >= TARGET_LEVEL, "enterprise_id"]
            ),
            "尚无审核通过的改造前诊断（未走访，或诊断待审核、已退回）": unplanned,
        }
        set_aside = {why: len(ids) for why, ids in groups.items()}
        names = enterprise_names(conn, [int(i) for i in facts["enterprises"]["id"]]).set_index("id")
        firms = facts["enterprises"].set_index("id")
    aside = pd.DataFrame(
        [(names.at[i, "name"], names.at[i, "credit_code"], firms.at[i, "industry"], firms.at[i, "district"], why)
         for why, ids in groups.items() for i in sorted(ids)],
        columns=ASIDE_COLUMNS,
    )  # fmt: skip
    products = {p.id: p for p in catalog.products}
    wanted = [(row, str(firms.at[row.enterprise_id, "industry"])) for row in below.itertuples(index=False)]
    prints = {}  # industry → fingerprints of all its candidates and of those done by the deadline
    sets = {}  # fingerprint → the products it names, described
    for industry in {industry for _, industry in wanted}:
        every, quick = candidates(catalog, industry), candidates(catalog, industry, days_left)
        prints[industry] = (fingerprint(every), fingerprint(quick))
        sets |= {prints[industry][0]: described(every), prints[industry][1]: described(quick)}
    with store.read() as conn:
        kept = plan_records.kept_bundles(conn, sets)
        known = plan_records.catalogs(conn)
    if set(sets) - set(known):
        with store.write() as conn:
            for print_ in set(sets) - set(known):
                plan_records.keep_catalog(conn, print_, sets[print_])
    needed = []
    for row, industry in wanted:
        full, _ = prints[industry]
        for target in (TARGET_LEVEL, THREE):
            if (row.result_id, target, full) not in kept:
                needed.append((row, industry, target, full, None))
    solved = _solve(store, catalog, _reuse(store, needed, kept, sets, known), kept, progress)
    late, looked_up = [], 2 * len(wanted)
    for row, industry in wanted:
        full, quick = prints[industry]
        two = kept[(row.result_id, TARGET_LEVEL, full)]
        if two is not None and 0 < days_left < _days(two, products):
            looked_up += 1
            if (row.result_id, TARGET_LEVEL, quick) not in kept:
                late.append((row, industry, TARGET_LEVEL, quick, days_left))
    solved += _solve(store, catalog, _reuse(store, late, kept, sets, known), kept, progress)
    lines = [_line(row, industry, names, firms, kept, prints[industry], products, rule, days_left)
             for row, industry in wanted]  # fmt: skip
    return lines, set_aside, aside, solved, looked_up - solved


def _reuse(store: Store, needed: list, kept: dict, sets: Mapping[str, frozenset[str]],
           known: Mapping[str, frozenset[str]]) -> list:  # fmt: skip
    """Of the ``needed`` (row, industry, target, fingerprint, most days) programs, those still to
    solve: any other is answered by its bundle kept on more products, where that is still the
    cheapest (``still_cheapest``: a product paused that the bundle does not use), and kept under
    its own fingerprint too."""
    wider = {f: [old for old, named in known.items() if old != f and s < named] for f, s in sets.items()}
    if not needed or not any(wider.values()):
        return needed
    with store.read() as conn:
        earlier = plan_records.kept_bundles(conn, {old for olds in wider.values() for old in olds})
    left, reused = [], []
    for item in needed:
        row, _, target, print_, _ = item
        for old in wider[print_]:
            key = (row.result_id, target, old)
            if key in earlier and still_cheapest(earlier[key], known[old], sets[print_]):
                kept[(row.result_id, target, print_)] = earlier[key]
                reused.append((int(row.result_id), target, print_, earlier[key]))
                break
        else:
            left.append(item)
    if reused:
        with store.write() as conn:
            plan_records.keep_bundles(conn, reused)
    return left


def _days(ids: tuple[str, ...], products: Mapping[str, Product]) -> int:
    return max((products[i].implementation_days for i in ids), default=0)


def _solve(store: Store, catalog: Catalog, needed: list, kept: dict, progress) -> int:
    """Solve the ``needed`` (row, industry, target, fingerprint, most days) programs into ``kept``,
    keeping them in the store as they come (a page left half-way keeps what it solved)."""
    if not needed:
        return 0
    with store.read() as conn:
        values = plan_records.answer_values(conn, [int(row.assessment_id) for row, *_ in needed])
        hashes = plan_records.result_questionnaires(conn, [int(row.result_id) for row, *_ in needed])
        questionnaires = {h: snapshot(conn, h) for h in set(hashes.values())}
    pending = []
    for done, (row, industry, target, print_, most_days) in enumerate(needed, start=1):
        questionnaire = questionnaires[hashes[int(row.result_id)]]
        assessment, _ = assessment_from_items(questionnaire, values[int(row.assessment_id)])
        ids = solve(questionnaire, assessment, industry, candidates(catalog, industry, most_days), target)
        kept[(row.result_id, target, print_)] = ids
        pending.append((int(row.result_id), target, print_, ids))
        if len(pending) >= KEEP_EVERY or done == len(needed):
            with store.write() as conn:
                plan_records.keep_bundles(conn, pending)
            pending = []
            if progress:
                progress(done, len(needed))
    return len(needed)


def _deadline_note(slow: int | None, days_left: int, replaced: bool) -> str:
    """Why an enterprise's cheapest bundle to 二级 is not in the plan as it is: ``slow`` is the days
    it takes (None: no bundle reaches 二级); ``replaced``: a bundle done by the deadline took its place."""
    if days_left <= 0:
        return "截止日期已到，来不及实施任何产品"
    if slow is None:
        return "产品清单中适用的在库产品合起来也达不到二级"
    if replaced:
        return f"最便宜的组合需 {slow} 天，超过截止日（剩 {days_left} 天）：改用截止日前可完成的组合"
    return f"最便宜的组合需 {slow} 天，截止日前（剩 {days_left} 天）可完成的产品达不到二级"


def _text(value) -> str:
    """A profile field as shown: "" when it was never filled in (None, or pandas' NaN)."""
    return "" if value is None or value != value else str(value)


def _line(row, industry: str, names, firms, kept: dict, prints: tuple[str, str], products: Mapping[str, Product],
          rule: SubsidyRule, days_left: int) -> Line:  # fmt: skip
    full, quick = prints
    two_ids, three_ids = kept[(row.result_id, TARGET_LEVEL, full)], kept[(row.result_id, THREE, full)]
    note = ""
    slow = None if two_ids is None else _days(two_ids, products)
    if two_ids is None or days_left <= 0 or slow > days_left:
        two_ids = kept[(row.result_id, TARGET_LEVEL, quick)] if two_ids is not None and 0 < days_left < slow else None
        note = _deadline_note(slow, days_left, two_ids is not None)
    three = Bundle.of(tuple(products[i] for i in three_ids), rule) if three_ids is not None else None
    return Line(
        enterprise_id=int(row.enterprise_id), name=str(names.at[row.enterprise_id, "name"]),
        credit_code=str(names.at[row.enterprise_id, "credit_code"]), industry=industry,
        district=str(firms.at[row.enterprise_id, "district"]),
        size_class=_text(firms.at[row.enterprise_id, "size_class"]),
        assessment_id=int(row.assessment_id), level=int(row.level), score=float(row.score),
        to_two=Bundle.of(tuple(products[i] for i in two_ids), rule) if two_ids is not None else None,
        to_three=three, note=note,
    )  # fmt: skip


def enterprise_plan(store: Store, actor: Actor, credit_code: str, use_draft: bool = False,
                    deadline: date | None = None) -> Line:  # fmt: skip
    """One enterprise's bundles to 二级 and to 三级, from its latest approved baseline or, with
    ``use_draft``, from the baseline visit still being filled in or reviewed (solved afresh, never
    kept: its answers may still change); officials and admins only. NotFound when it has none."""
    from diagnose.latest import latest_key
    from diagnose.rule.scoring import score
    from diagnose.services import assessments as visits
    from diagnose.services.errors import NotFound
    from diagnose.store import records

    require(store, actor, "plan.read")
    with store.read() as conn:
        firm = records.enterprise_by_code(conn, credit_code.strip().upper())
        if firm is None:
            raise NotFound(f"没有统一社会信用代码为 {credit_code.strip()} 的企业")
        baselines = [a for a in records.assessments_of(conn, firm["id"]) if a["stage"] == "baseline"]
    wanted = [a for a in baselines if (a["status"] != "approved") == use_draft]
    if not wanted:
        kind = ("尚未审核通过的改造前诊断（草稿、已提交或已退回）" if use_draft
                else "审核通过的改造前诊断（可勾选“用尚未审核通过的诊断”按草稿测算）")  # fmt: skip
        raise NotFound(f"{firm['name']} 没有{kind}")
    chosen = max(wanted, key=lambda a: latest_key(a["visit_date"], a["id"], 0))
    file = visits.load(store, actor, chosen["id"])
    assessment, _ = assessment_from_items(file.questionnaire, file.values)
    catalog = live_catalog(store, file.questionnaire)
    rule = load_subsidy_rule()
    days_left = ((deadline or WINDOW_END) - clock.today()).days

    def bundle(target: int, most_days: int | None = None) -> Bundle | None:
        products = candidates(catalog, firm["industry"], most_days)
        ids = solve(file.questionnaire, assessment, firm["industry"], products, target)
        return None if ids is None else Bundle.of(tuple(p for p in products if p.id in ids), rule)

    current = score(file.questionnaire, assessment)
    two, three, note = bundle(TARGET_LEVEL), bundle(THREE), ""
    if current.level >= TARGET_LEVEL:
        note = "已达二级：无需为达到二级采购产品"
    elif two is None or days_left <= 0 or two.days > days_left:  # as a line of the plan says it
        slow = None if two is None else two.days
        two = bundle(TARGET_LEVEL, days_left) if slow is not None and 0 < days_left < slow else None
        note = _deadline_note(slow, days_left, two is not None)
    status = {"draft": "草稿", "submitted": "已提交", "returned": "已退回", "approved": "已审核通过"}[file.status]
    return Line(
        enterprise_id=firm["id"], name=firm["name"], credit_code=firm["credit_code"], industry=firm["industry"],
        district=firm["district"], size_class=firm.get("size_class") or "", assessment_id=chosen["id"],
        level=current.level, score=current.score, to_two=two, to_three=three,
        note=f"依据改造前诊断（编号 {chosen['id']}，{status}）" + (f"；{note}" if note else ""),
    )  # fmt: skip
