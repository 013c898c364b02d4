"""Reading an enterprise's file (一企一档) whole: profile, assessments, results, projects, log."""

from __future__ import annotations

from diagnose.access.policy import Actor
from diagnose.latest import latest_key
from diagnose.services.guard import require, visible_enterprises
from diagnose.services.lookup import enterprise_row
from diagnose.store import Store, records


def overview(store: Store, actor: Actor, text: str = "", industry: str = "", district: str = "",
             limit: int | None = 200, level: int | None = None, status: str = "") -> list[dict]:  # fmt: skip
    """Matching enterprises the actor may see (the first ``limit`` by name; all when None), with their
    latest level (None when nothing is scored yet) and the state of their latest assessment."""
    require(store, actor, "enterprise.read")
    only = visible_enterprises(store, actor)
    with store.read() as conn:
        return records.enterprise_overview(conn, text.strip(), industry, district, limit, only, level, status)


def enterprise_file(store: Store, actor: Actor, enterprise_id: int) -> dict:
    """Everything the pilot's acceptance checks for one enterprise; its assessments oldest first
    by visit date (``diagnose.latest``: the last scored one holds its latest result), each with
    its results, newest last."""
    require(store, actor, "enterprise.read", enterprise_id)
    with store.read() as conn:
        profile = enterprise_row(conn, enterprise_id)
        visits = sorted(records.assessments_of(conn, enterprise_id), key=lambda v: latest_key(v["visit_date"], v["id"]))
        for visit in visits:
            visit["results"] = records.results_of(conn, visit["id"])
        return {
            "profile": profile,
            "assessments": visits,
            "projects": records.projects_of(conn, enterprise_id),
            "log": records.enterprise_log(conn, enterprise_id, [v["id"] for v in visits]),
        }
