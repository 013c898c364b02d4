"""The plan's bundles of a baseline, solved and kept as it is approved (``services.planner`` reads
them); apart from the planner so that the approval, which calls it, imports nothing that reads
assessments back."""

from __future__ import annotations

import logging
from functools import cache

from diagnose.pilot import TARGET_LEVEL
from diagnose.plan.bundles import candidates, described, fingerprint, solve
from diagnose.rule.questionnaire import Questionnaire
from diagnose.services.catalog_admin import live_catalog
from diagnose.services.snapshots import snapshot
from diagnose.store import Store, plan_records
from diagnose.visit.items import assessment_from_items

THREE = 3


@cache
def national() -> Questionnaire:
    """The national questionnaire, which the live catalog is checked against."""
    from diagnose.services import questionnaires

    return questionnaires()["national-2024"]


def keep_at_approval(store: Store, assessment_id: int) -> None:
    """Solve and keep the plan's bundles (to 二级 and 三级, on today's catalog) of an approved
    baseline below 二级, so that the plan finds them kept. Called by the approval, as the system
    (the approver has been checked), after it is written: a failure is logged and undoes nothing;
    the plan solves what it does not find."""
    try:
        _keep(store, assessment_id)
    except Exception:  # the approval is the official's decision; the kept bundles only save time
        logging.getLogger(__name__).exception("no plan bundles kept for assessment %s", assessment_id)


def _keep(store: Store, assessment_id: int) -> None:
    from diagnose.rule.scoring import score
    from diagnose.services.lookup import assessment_row
    from diagnose.store import records

    with store.read() as conn:
        row = assessment_row(conn, assessment_id)
        newest = records.results_of(conn, assessment_id)
        if row["stage"] != "baseline" or not newest:
            return
        result_id = newest[-1]["id"]  # the assessment's latest result, as the plan reads it
        questionnaire = snapshot(conn, newest[-1]["questionnaire_hash"])
        values = plan_records.answer_values(conn, [assessment_id])[assessment_id]
        industry = records.enterprise_by_id(conn, row["enterprise_id"])["industry"]
    assessment, _ = assessment_from_items(questionnaire, values)
    if score(questionnaire, assessment).level >= TARGET_LEVEL:
        return  # the plan plans only enterprises below 二级
    products = candidates(live_catalog(store, national()), industry)
    print_ = fingerprint(products)
    kept = [(result_id, target, print_, solve(questionnaire, assessment, industry, products, target))
            for target in (TARGET_LEVEL, THREE)]  # fmt: skip
    with store.write() as conn:
        plan_records.keep_catalog(conn, print_, described(products))
        plan_records.keep_bundles(conn, kept)
