"""Filling a store with sample data (示例), for a newcomer's first look and for benchmarks."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

from diagnose import demo
from diagnose.pilot import INDUSTRY_QUESTIONNAIRES
from diagnose.scoring import score
from diagnose.store import Store, records
from diagnose.store.bulk import write_demo_chunk

CHUNK = 500


def seed_demo(
    store: Store,
    actor: str,
    count: int,
    seed: int,
    questionnaires: dict,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add ``count`` sample enterprises with their visits; returns how many were added.

    Each chunk is one transaction: an interrupted run leaves whole enterprises only.
    """
    by_industry = {industry: questionnaires[qid] for industry, qid in INDUSTRY_QUESTIONNAIRES.items()}
    made = demo.generate(count, seed, questionnaires)
    with store.write() as conn:
        for questionnaire in {q.content_hash: q for q in by_industry.values()}.values():
            records.ensure_snapshot(conn, questionnaire)
    done = 0
    while chunk := list(islice(made, CHUNK)):
        with store.write() as conn:
            write_demo_chunk(conn, chunk, by_industry, score)
        done += len(chunk)
        if progress:
            progress(done, count)
    with store.write() as conn:
        records.audit(conn, actor, "demo", "enterprise", None, new={"enterprises": done, "seed": seed})
    return done
