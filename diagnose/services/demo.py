"""Filling a store with sample data (示例), for a newcomer's first look and for benchmarks."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

from diagnose import demo
from diagnose.access.policy import Actor
from diagnose.pilot import INDUSTRY_QUESTIONNAIRES
from diagnose.rule.scoring import score
from diagnose.services.guard import require
from diagnose.store import Store, records
from diagnose.store.bulk import write_demo_chunk

CHUNK = 500


def seed_demo(
    store: Store,
    actor: Actor,
    count: int,
    seed: int,
    questionnaires: dict,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add ``count`` sample enterprises with their visits; returns how many were added.

    Each chunk is one transaction: an interrupted run leaves whole enterprises only.
    """
    require(store, actor, "demo.seed")
    by_industry = {industry: questionnaires[qid] for industry, qid in INDUSTRY_QUESTIONNAIRES.items()}
    made = demo.generate(count, seed, questionnaires)
    with store.write() as conn:
        for questionnaire in {q.content_hash: q for q in by_industry.values()}.values():
            records.ensure_snapshot(conn, questionnaire)
        organisations = _sample_organisations(conn, actor)
    done = 0
    while chunk := list(islice(made, CHUNK)):
        with store.write() as conn:
            write_demo_chunk(conn, chunk, by_industry, score, organisations)
        done += len(chunk)
        if progress:
            progress(done, count)
    with store.write() as conn:
        records.audit(conn, actor.username, "demo", "enterprise", None, new={"enterprises": done, "seed": seed})
    return done


def _sample_organisations(conn, actor: Actor) -> dict[str, int]:
    """The organisations the sample projects and visits name, registered (as 示例) when missing:
    the sample providers as 联合体 members of the demo provider's 牵引单位 (so the demo provider
    sees its 联合体's projects), and the diagnosis agencies. Name → id."""
    from diagnose.store import supply_records

    found = {}
    wanted = [(DEMO_ORGANISATION, {"kind": "lead", "industry": "塑胶"})]
    wanted += [(name, {"kind": "member", "lead": DEMO_ORGANISATION}) for name in demo.PROVIDERS]
    wanted += [(name, {"kind": "agency"}) for name in demo.AGENCIES]
    for name, kind in wanted:
        row = supply_records.organisation_by_name(conn, name)
        if row is None:
            made = {"name": name, "kind": kind["kind"], "industry": kind.get("industry", ""), "sample": True,
                    "lead_id": found.get(kind.get("lead"))}  # fmt: skip
            row = {"id": supply_records.insert_organisation(conn, made)}
            records.audit(conn, actor.username, "create", "organisation", row["id"], new=made)
        found[name] = row["id"]
    return found


# Demo accounts only: these passwords are printed and in the README; real accounts
# are made with `diagnose user add`, which never has a default password.
DEMO_ACCOUNTS = (
    ("demo_admin", "admin", "demo-admin-2026"),
    ("demo_official", "official", "demo-official-2026"),
    ("demo_consultant", "consultant", "demo-consultant-2026"),
    ("demo_enterprise", "enterprise", "demo-enterprise-2026"),
    ("demo_provider", "provider", "demo-provider-2026"),
    ("demo_expert", "expert", "demo-expert-2026"),
)
DEMO_ORGANISATION = "示例牵引单位甲"  # the demo provider's: a sample 牵引单位 of the plastics industry
DEMO_BATCH = "第3批（示例）"
DEMO_BATCH_DAYS = 60  # the demo batch stays open this long from the day the accounts are made
# the sample catalog's products came in these batches (catalog.yaml's `batch`): kept as published
# batches, so the batch list and the catalog agree; their deadlines are as invented as the products
SAMPLE_BATCHES = (("第1批", "2024-03-31"), ("第2批", "2024-09-30"))
DEMO_CONSULTANT_ENTERPRISES = 40


def create_demo_accounts(store: Store, actor: Actor) -> list[tuple[str, str, str]]:
    """One sample account per role (skipping those that exist); the consultant is assigned to
    sample enterprises and the enterprise account belongs to the first of them."""
    from diagnose.services.accounts import add_user, assign
    from diagnose.services.files import overview

    require(store, actor, "users.manage")  # even when every account exists and nothing is added
    sample = [e for e in overview(store, actor, "【示例】", limit=DEMO_CONSULTANT_ENTERPRISES) if e["sample"]]
    made = []
    with store.read() as conn:
        existing = {row["username"] for row in records.all_users(conn)}
    for username, role, password in DEMO_ACCOUNTS:
        if username in existing or (role == "enterprise" and not sample):
            continue
        code = sample[0]["credit_code"] if role == "enterprise" else None
        organisation = _demo_supply_side(store, actor) if role == "provider" else None
        add_user(store, actor, username, role, password, credit_code=code, sample=True, organisation=organisation)
        made.append((username, role, password))
    if "demo_consultant" in {m[0] for m in made}:
        for enterprise in sample:
            assign(store, actor, "demo_consultant", enterprise["credit_code"])
    return made


def _demo_supply_side(store: Store, actor: Actor) -> str:
    """The demo provider's organisation, the sample catalog's two batches as published, and an
    open sample batch to apply for (each made once)."""
    from datetime import date, timedelta

    from diagnose import clock
    from diagnose.catalog.review_criteria import load_criteria
    from diagnose.services.applications import add_organisation, open_batch
    from diagnose.store import supply_records

    with store.read() as conn:
        has_organisation = supply_records.organisation_by_name(conn, DEMO_ORGANISATION) is not None
        has_batch = supply_records.batch_by_name(conn, DEMO_BATCH) is not None
    if not has_organisation:
        add_organisation(store, actor, DEMO_ORGANISATION, "lead", industry="塑胶", sample=True)
    if not has_batch:
        with store.write() as conn:
            for name, deadline in SAMPLE_BATCHES:
                if supply_records.batch_by_name(conn, name) is None:
                    supply_records.insert_batch(conn, {"name": name, "deadline": date.fromisoformat(deadline),
                                                       "status": "published", "criteria": load_criteria().to_dict(),
                                                       "created_by": "示例数据"})  # fmt: skip
        open_batch(store, actor, DEMO_BATCH, clock.today() + timedelta(days=DEMO_BATCH_DAYS))
    return DEMO_ORGANISATION
