"""The dashboard from sums kept up to date by every write (pure, pandas).

Each enterprise adds **parts** to the dashboard: one row per view and key with a
count ``n`` and up to 16 sums ``s0``-``s15`` (what they hold depends on the
view, see ``VIEWS``). The store adds the parts of every enterprise into
**cells**, once under the enterprise's industry, district and size class and
once under "*" for all; each write replaces the parts of the enterprises it
touched and moves the cells by the difference (``store/board_cells.py``).

The figures are then read from a few thousand cells whatever the number of
enterprises. They are the figures ``board.board_figures`` computes from the
records, for the filters the cells serve: approved results, every stage and
visit date, any industry, district and size class. Scores are kept in
thousandths of a point and amounts in millionths of a yuan (exact for a price in
fen times a quantity in thousandths), so sums add and subtract exactly.

Two views depend on the day: a project counts as finished from its finish date.
Their cells are kept by month; the parts finishing in the current month are read
one by one up to today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from diagnose.board.records import Board, SceneNames
from diagnose.board.target import counting_month
from diagnose.board.views import (
    AFTER,
    BEFORE,
    SUBSCORES,
    adoption_table,
    heatmap_table,
    improvement_table,
    level_table,
    means_table,
    organisation_table,
    pilot_months,
    weakest_scenes,
    workload_table,
)
from diagnose.latest import latest_key
from diagnose.pilot import TARGET_LEVEL

SUMS = 16
S = [f"s{i}" for i in range(SUMS)]
DIMS = ["industry", "district", "size_class"]
ALL = "*"
AMOUNT_UNIT = 1_000_000  # of a yuan
# what each view's key and sums hold (one part per enterprise and key):
VIEWS = {
    "firms": "key ''; n 1",
    "level": "key '<latest|before|after>|<level>'; s0-s3 score, basic, management, effect (thousandths), "
    "s4 the scene levels added up, s5 how many scenes",
    "scenes": "key '<questionnaire hash>|<offset>'; s0-s15 the levels of scenes offset..offset+15 (latest result)",
    "improvement": "key ''; s0-s7 score, basic, management, effect (thousandths) before and after; s8 rose a level",
    "pilot": "key '-' (its result does not reach the level) or '<finish month>|<month it counts from>'; "
    "day: the finish date",
    "transformed": "key '<month of the first finished project>'; day: its finish date",
    "workload": "key '<consultant>|<status>'; n assessments",
    "visited": "key '<consultant>'",
    "assigned": "key '<consultant>'",
    "adoption": "key '<product id>'; s0 projects, s1 amount (millionths of a yuan)",
    "organisations": "key '<organisation id>|-' or, for an enterprise of its projects with a pilot key, "
    "'<organisation id>|<pilot key>'; s0 diagnosed by its consultants, s1 has its projects, s2 projects, "
    "s3 amount (millionths of a yuan), s4 compared (has its projects and results before and after), "
    "s5 level gain; day: the pilot part's",
}
BY_PLACE = ("level", "scenes", "improvement")  # the views the page breaks down by industry or district
PHASES = {"before": BEFORE, "after": AFTER}
PART_COLUMNS = ["enterprise_id", "view", "key", *DIMS, "day", "n", *S]


# --- what each enterprise adds ---


@dataclass
class Firm:
    """What one enterprise's parts are made of (the rows of ``board_queries`` that are its own)."""

    place: tuple[str, str, str]  # industry, district, size class
    # approved: (after, visit_date, assessment_id, result_id, score, basic, management, effect, level,
    #            scene_levels, questionnaire_hash), each assessment's newest result
    results: list = field(default_factory=list)
    pilot_finish: date | None = None  # earliest finish of its funded projects inside the window
    # approved after-transformation: (visit_date, assessment_id, result_id, level, decided_at)
    after: list = field(default_factory=list)
    first_finish: date | None = None  # earliest finish of any project
    workload: list = field(default_factory=list)  # (consultant, status, assessments)
    assigned: list = field(default_factory=list)  # consultants
    adoption: list = field(default_factory=list)  # (product_id, projects, amount in 元)
    served: list = field(default_factory=list)  # (organisation_id, projects, amount in 元)
    diagnosed_by: list = field(default_factory=list)  # organisation ids


def firms_from_facts(results: dict, activity: dict) -> dict[int, Firm]:
    """Each enterprise of ``results["enterprises"]`` with its own rows, from its approved results
    (``board_queries.result_facts`` with the default filter and the questionnaire hash) and its
    activity (``board_queries.activity_by_enterprise``)."""
    firms = {
        int(i): Firm((industry, district, size or ""))
        for i, industry, district, size in _rows(results["enterprises"], ["id", *DIMS])
    }
    columns = ["after", "visit_date", "assessment_id", "result_id", "score", "basic", "management", "effect",
               "level", "scene_levels", "questionnaire_hash"]  # fmt: skip
    for row in _rows(results["chosen"], ["enterprise_id", *columns]):
        firms[row[0]].results.append(row[1:])
    for enterprise_id, finished in _rows(results["candidates"], ["enterprise_id", "finished_on"]):
        firms[enterprise_id].pilot_finish = finished
    for row in _rows(results["after"], ["enterprise_id", "visit_date", "assessment_id", "result_id", "level",
                                        "decided_at"]):  # fmt: skip
        firms[row[0]].after.append(row[1:])
    for enterprise_id, finished in _rows(activity["finished"], ["enterprise_id", "finished_on"]):
        firms[enterprise_id].first_finish = finished
    for row in _rows(activity["workload"], ["enterprise_id", "consultant", "status", "assessments"]):
        firms[row[0]].workload.append(row[1:])
    for enterprise_id, consultant in _rows(activity["assigned"], ["enterprise_id", "consultant"]):
        firms[enterprise_id].assigned.append(consultant)
    for row in _rows(activity["adoption"], ["enterprise_id", "product_id", "projects", "amount"]):
        firms[row[0]].adoption.append(row[1:])
    for row in _rows(activity["served"], ["enterprise_id", "organisation_id", "projects", "amount"]):
        firms[row[0]].served.append(row[1:])
    for enterprise_id, organisation_id in _rows(activity["diagnosed_by"], ["enterprise_id", "organisation_id"]):
        firms[enterprise_id].diagnosed_by.append(organisation_id)
    return firms


def _rows(frame: pd.DataFrame, columns: list[str]):
    """The rows of these columns as tuples of plain Python values."""
    return zip(*(frame[c].tolist() for c in columns), strict=True) if len(frame) else iter(())


def parts_of(enterprise_id: int, firm: Firm) -> list[dict]:
    """The parts one enterprise adds (rows of ``PART_COLUMNS``)."""
    made: list[dict] = []

    def add(view: str, key: str, n: int = 1, sums=(), day: date | None = None) -> None:
        row = dict(zip(S, (*sums, *[0] * (SUMS - len(sums))), strict=True))
        made.append({"enterprise_id": enterprise_id, "view": view, "key": key, **dict(zip(DIMS, firm.place,
                     strict=True)), "day": day, "n": int(n), **row})  # fmt: skip

    add("firms", "")
    ordered = sorted(firm.results, key=lambda r: latest_key(*r[1:4]))  # the last is the latest
    phases = {"before": None, "after": None}
    for row in ordered:
        phases["after" if row[0] else "before"] = row
    for phase, row in [("latest", ordered[-1] if ordered else None), *phases.items()]:
        if row is not None:
            digits = row[9] or ""
            add("level", f"{phase}|{int(row[8])}", sums=(*_milli(row[4:8]), sum(map(int, digits)), len(digits)))
    if ordered:
        digits, content_hash = ordered[-1][9] or "", ordered[-1][10]
        for offset in range(0, len(digits), SUMS):
            add("scenes", f"{content_hash}|{offset}", sums=tuple(map(int, digits[offset : offset + SUMS])))
    before, after = phases["before"], phases["after"]
    if before is not None and after is not None:
        pairs = [value for i in range(4, 8) for value in _milli((before[i], after[i]))]
        add("improvement", "", sums=(*pairs, int(after[8] > before[8])))
    pilot = _pilot_key(firm.pilot_finish, firm.after) if firm.pilot_finish is not None else None
    if pilot is not None:
        add("pilot", *pilot)
    if firm.first_finish is not None:
        add("transformed", firm.first_finish.strftime("%Y-%m"), day=firm.first_finish)
    for consultant, status, assessments in firm.workload:
        add("workload", f"{consultant}|{status}", n=assessments)
    for consultant in dict.fromkeys(c for c, _, _ in firm.workload):
        add("visited", consultant)
    for consultant in firm.assigned:
        add("assigned", consultant)
    for product_id, projects, amount in firm.adoption:
        add("adoption", product_id, sums=(int(projects), round(float(amount) * AMOUNT_UNIT)))
    gain = None if before is None or after is None else int(after[8]) - int(before[8])
    served = {int(o): (int(projects), amount) for o, projects, amount in firm.served}
    for organisation in sorted(served.keys() | {int(o) for o in firm.diagnosed_by}):
        projects, amount = served.get(organisation, (0, 0))
        is_served = organisation in served
        # an enterprise of its projects counts toward the target as the pilot part says, from its day
        counts = is_served and pilot is not None and pilot[0] != "-"
        compared = is_served and gain is not None
        sums = (int(organisation in firm.diagnosed_by), int(is_served), projects, round(float(amount) * AMOUNT_UNIT),
                int(compared), gain if compared else 0)  # fmt: skip
        add("organisations", f"{organisation}|{pilot[0] if counts else '-'}", sums=sums,
            day=pilot[3] if counts else None)  # fmt: skip
    return made


def _milli(values) -> list[int]:
    return [round(float(v) * 1000) for v in values]


def _pilot_key(finished: date, after: list) -> tuple[str, int, tuple, date | None]:
    """key, n, sums, day of an enterprise with a funded project in the window."""
    if not after:
        return "-", 1, (), None
    *_, level, decided_at = max(after, key=lambda r: latest_key(*r[:3]))  # its latest approved after result
    if level < TARGET_LEVEL:
        return "-", 1, (), None
    return f"{finished:%Y-%m}|{counting_month(finished, decided_at)}", 1, (), finished


def parts_from_facts(results: dict, activity: dict) -> list[dict]:
    """The parts of every enterprise of ``results["enterprises"]`` (see ``firms_from_facts``)."""
    return [part for i, firm in firms_from_facts(results, activity).items() for part in parts_of(i, firm)]


def cells_from_parts(parts: pd.DataFrame) -> pd.DataFrame:
    """The cells the parts (a frame of ``PART_COLUMNS``) add up to: by view, industry, district,
    size class and key, and by view and key under "*"."""
    sums = ["n", *S]
    placed = parts.groupby(["view", *DIMS, "key"], sort=False)[sums].sum().reset_index()
    total = parts.groupby(["view", "key"], sort=False)[sums].sum().reset_index().assign(**dict.fromkeys(DIMS, ALL))
    return pd.concat([placed, total], ignore_index=True)[["view", *DIMS, "key", *sums]]


def cell_changes(added: list[dict], removed: list[dict]) -> dict[tuple, list[int]]:
    """What the cells gain when the parts ``removed`` are replaced by ``added``: by cell key
    (view, industry, district, size class, key), n and s0..s15; cells that do not change are
    left out. The same sums as ``cells_from_parts``, for a few parts at a time."""
    change: dict[tuple, list[int]] = {}
    for sign, parts in ((1, added), (-1, removed)):
        for part in parts:
            values = [sign * int(part[c]) for c in ("n", *S)]
            for place in ((part["industry"], part["district"], part["size_class"]), (ALL, ALL, ALL)):
                cell = change.setdefault((part["view"], *place, part["key"]), [0] * (SUMS + 1))
                cell[:] = [a + b for a, b in zip(cell, values, strict=True)]
    return {key: values for key, values in change.items() if any(values)}


# --- the figures from the cells ---


def board_from_cells(cells: pd.DataFrame, this_month: dict, scenes: SceneNames, product_names: dict[str, str],
                     today: date, organisation_names: dict[int, tuple[str, str]] | None = None) -> Board:  # fmt: skip
    """Every figure from ``cells`` (those of the filter's industry, district and size class, or
    of every one; the views not in ``BY_PLACE`` may come as "*" cells) and ``this_month``: the
    keys of the pilot parts and of the organisations parts (DataFrames of key, n) and the number
    of transformed parts finishing from the first of today's month up to ``today``."""
    view = {name: group for name, group in cells.groupby("view", sort=False)}
    empty = cells.iloc[0:0]

    def rows(name: str) -> pd.DataFrame:
        return view.get(name, empty)

    month = today.strftime("%Y-%m")
    level = _split(rows("level"), ["phase", "level"])
    level["level"] = level["level"].astype(int)
    latest = level[level["phase"] == "latest"]
    counting = _counting(rows("pilot"), this_month["pilot"], month)
    heatmap = heatmap_table(*_scene_sums(rows("scenes"), scenes))
    workload = _split(rows("workload"), ["consultant", "status"], sep_from_right=True)
    finished = rows("transformed")  # keyed by the month of the first finished project
    return Board(
        enterprises=int(rows("firms")["n"].sum()),
        diagnosed=int(latest["n"].sum()),
        transformed=int(finished.loc[finished["key"] < month, "n"].sum()) + int(this_month["transformed"]),
        at_target_level=int(latest.loc[latest["level"] >= TARGET_LEVEL, "n"].sum()),
        counting=int(counting.sum()),
        close=int(rows("pilot")["n"].sum()) - int(counting.sum()),
        by_month=pilot_months(counting),
        levels=level_table(
            level[level["phase"] != "latest"]
            .assign(phase=lambda f: f["phase"].map(PHASES))
            .groupby(["industry", "phase", "level"], sort=False)["n"]
            .sum()
            .rename("enterprises")
            .reset_index()
        ),
        by_industry=means_table(_means_sums(latest, "industry"), "industry"),
        by_district=means_table(_means_sums(latest, "district"), "district"),
        heatmap=heatmap,
        constrained=scenes.constrained,
        weakest=weakest_scenes(heatmap, scenes.names, scenes.constrained),
        improvement=improvement_table(_improvement_sums(rows("improvement"))),
        workload=workload_table(
            workload.groupby(["consultant", "status"], sort=False)["n"].sum().rename("assessments").reset_index(),
            _by_key(rows("visited"), "consultant", "enterprises"),
            _by_key(rows("assigned"), "consultant", "assigned"),
        ),
        adoption=adoption_table(_adoption(rows("adoption")), product_names),
        organisations=organisation_table(
            _organisations(rows("organisations"), this_month.get("organisations"), month), organisation_names
        ),
    )


def _split(rows: pd.DataFrame, names: list[str], sep_from_right: bool = False) -> pd.DataFrame:
    """The rows with their key split at "|" into ``names``."""
    if rows.empty:
        return rows.assign(**{name: pd.Series(dtype=object) for name in names})
    parts = rows["key"].str.rsplit("|", n=1, expand=True) if sep_from_right else rows["key"].str.split("|", expand=True)
    parts = parts.reindex(columns=range(len(names)))
    return rows.assign(**{name: parts[i] for i, name in enumerate(names)})


def _counting(pilot: pd.DataFrame, this_month: pd.DataFrame, month: str) -> pd.Series:
    """Enterprises counting toward the target by the month they count from: those whose project
    finished before this month (from the cells), and this month's up to today (part by part)."""
    reaching = _split(pilot[pilot["key"] != "-"], ["finished", "counts_from"])
    earlier = reaching[reaching["finished"] < month].groupby("counts_from")["n"].sum()
    now = _split(this_month, ["finished", "counts_from"]).groupby("counts_from")["n"].sum()
    return earlier.add(now, fill_value=0).astype(int)


def _means_sums(latest: pd.DataFrame, by: str) -> pd.DataFrame:
    grouped = latest.groupby(by, sort=False)
    sums = grouped[["n", "s0", "s1", "s2", "s3", "s4", "s5"]].sum()
    out = pd.DataFrame({"enterprises": sums["n"], "scene_total": sums["s4"], "scenes_rated": sums["s5"]})
    for i, figure in enumerate(("score", *SUBSCORES)):
        out[figure] = sums[f"s{i}"] / 1000
    return out.reset_index()


def _scene_sums(rows: pd.DataFrame, scenes: SceneNames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per industry and scene: the levels added up, and how many enterprises have the scene."""
    columns = list(scenes.names)
    blocks = _split(rows, ["hash", "offset"]).groupby(["industry", "hash", "offset"], sort=False)[["n", *S]].sum()
    industries = list(dict.fromkeys(blocks.index.get_level_values("industry")))
    at = {name: j for j, name in enumerate(columns)}
    totals = np.zeros((len(industries), len(columns)))
    counts = np.zeros((len(industries), len(columns)))
    # one row per industry and questionnaire: a few dozen, whatever the number of enterprises
    for (industry, content_hash, offset), n, *sums in blocks.itertuples(name=None):
        order = scenes.orders.get(content_hash, scenes.names)[int(offset) : int(offset) + SUMS]
        i = industries.index(industry)
        for name, total in zip(order, sums, strict=False):
            if name in at:
                totals[i, at[name]] += total
                counts[i, at[name]] += n
    return (pd.DataFrame(totals, index=industries, columns=columns),
            pd.DataFrame(counts, index=industries, columns=columns))  # fmt: skip


def _improvement_sums(rows: pd.DataFrame) -> pd.DataFrame:
    sums = rows.groupby("industry", sort=False)[["n", *S]].sum()
    out = pd.DataFrame({"enterprises": sums["n"], "level_up": sums["s8"]})
    for i, figure in enumerate(("score", *SUBSCORES)):
        out[f"{figure}_before"] = sums[f"s{2 * i}"] / 1000
        out[f"{figure}_after"] = sums[f"s{2 * i + 1}"] / 1000
    return out.reset_index()


def _by_key(rows: pd.DataFrame, name: str, count: str) -> pd.DataFrame:
    return rows.groupby("key", sort=False)["n"].sum().rename(count).rename_axis(name).reset_index()


def _organisations(rows: pd.DataFrame, this_month: pd.DataFrame | None, month: str) -> pd.DataFrame:
    """``views.ORGANISATION_COLUMNS`` per organisation from its cells: an enterprise of its
    projects counts toward the target as in ``_counting``: from the cells when its project
    finished before this month, part by part (``this_month``) when it finishes this month."""
    split = _split(rows, ["organisation_id", "finished", "counts_from"])
    sums = split.groupby("organisation_id", sort=False)[["s0", "s1", "s2", "s3", "s4", "s5"]].sum()
    earlier = split[(split["finished"] != "-") & (split["finished"] < month)].groupby("organisation_id")["n"].sum()
    now = _split(this_month if this_month is not None else rows.iloc[0:0][["key", "n"]], ["organisation_id", "rest"])
    counting = earlier.add(now.groupby("organisation_id")["n"].sum(), fill_value=0)
    return pd.DataFrame({
        "organisation_id": sums.index.astype(int), "diagnosed": sums["s0"].to_numpy(),
        "enterprises": sums["s1"].to_numpy(), "projects": sums["s2"].to_numpy(),
        "amount": sums["s3"].to_numpy() / AMOUNT_UNIT,
        "counting": counting.reindex(sums.index, fill_value=0).astype(int).to_numpy(),
        "compared": sums["s4"].to_numpy(), "gain": sums["s5"].to_numpy(),
    })  # fmt: skip


def _adoption(rows: pd.DataFrame) -> pd.DataFrame:
    sums = rows.groupby("key", sort=False)[["n", "s0", "s1"]].sum()
    return pd.DataFrame({"product_id": sums.index, "enterprises": sums["n"].to_numpy(),
                         "projects": sums["s0"].to_numpy(), "amount": sums["s1"].to_numpy() / AMOUNT_UNIT})  # fmt: skip
