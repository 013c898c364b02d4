"""The officials' figures: headline counts and the pilot target, for a chosen industry and district."""

from __future__ import annotations

from datetime import date

from diagnose.accounts import Actor
from diagnose.pilot_target import PilotFigures, pilot_figures
from diagnose.services.guard import require
from diagnose.store import Store, records


def pilot(
    store: Store, actor: Actor, industry: str = "", district: str = "", today: date | None = None
) -> PilotFigures:
    """Every figure over the enterprises of ``industry`` and ``district`` (empty: all)."""
    require(store, actor, "dashboard.read")
    with store.read() as conn:
        facts = records.pilot_facts(conn)
    firms = [
        e for e in facts["enterprises"]
        if (not industry or e["industry"] == industry) and (not district or e["district"] == district)
    ]  # fmt: skip
    kept = {e["id"] for e in firms}
    facts = {
        "enterprises": firms,
        "projects": [p for p in facts["projects"] if p["enterprise_id"] in kept],
        "results": [r for r in facts["results"] if r["enterprise_id"] in kept],
    }
    return pilot_figures(facts, today or date.today())
