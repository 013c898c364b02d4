"""The migrations build exactly the tables the code names, and carry old data forward."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, update

from diagnose.services import assessments as visits
from diagnose.services.dashboard import board
from diagnose.store import board_cells
from diagnose.store.migrate import alembic_config
from diagnose.store.tables import metadata, results

from .helpers import ADMIN, OFFICIAL, fill_visit, new_enterprise, user


def test_the_migrated_schema_is_the_schema_in_tables_py(store):
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_scene_levels_of_results_stored_before_the_column_are_filled_in(store, questionnaires):
    consultant = user(store, "顾问甲")
    draft = visits.start_assessment(store, consultant, new_enterprise(store), "baseline", questionnaires)
    fill_visit(store, draft, scenes=3)
    visits.save_item(store, consultant, draft, "scene:产品设计", 1, visits.load(store, consultant, draft).revision)
    visits.submit(store, consultant, draft)
    with store.read() as conn:
        written = conn.execute(select(results.c.scene_levels)).scalar_one()
    assert written == "1" + "3" * 15  # 产品设计 is the first scene of the national list

    with store.write() as conn:
        conn.execute(update(results).values(scene_levels=None))
    config = alembic_config()
    with store.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
        command.upgrade(config, "head")
        conn.commit()
    with store.read() as conn:
        assert conn.execute(select(results.c.scene_levels)).scalar_one() == written


def test_a_database_from_before_the_dashboard_sums_gets_them_built_on_upgrade(store, questionnaires):
    consultant = user(store, "顾问甲")
    draft = visits.start_assessment(store, consultant, new_enterprise(store), "baseline", questionnaires)
    fill_visit(store, draft)
    visits.submit(store, consultant, draft)
    visits.approve(store, OFFICIAL, draft)
    config = alembic_config()
    with store.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
        conn.commit()

    store.upgrade()

    with store.read() as conn:
        assert board_cells.built(conn)
        assert board_cells.check(conn) == []
    assert board(store, ADMIN).diagnosed == 1
