"""for the dashboard over many enterprises: each result's scene levels in one short column,
and an index that answers the consultants' workload without reading the assessments

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

results = sa.table(
    "results", sa.column("id", sa.Integer), sa.column("questionnaire_hash", sa.String), sa.column("scene_levels")
)
result_scenes = sa.table("result_scenes", sa.column("result_id"), sa.column("scene"), sa.column("level"))
snapshots = sa.table("questionnaire_snapshots", sa.column("content_hash"), sa.column("documents", sa.JSON))


def upgrade() -> None:
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scene_levels", sa.String(length=40), nullable=True))
    _backfill(op.get_bind())
    op.create_index("ix_assessments_workload", "assessments",
                    ["created_by", "status", "stage", "visit_date", "enterprise_id"])  # fmt: skip


def _backfill(conn) -> None:
    """Results stored before this column: their levels from result_scenes, in the order of the
    scenes of the questionnaire they were scored with (its national part lists them)."""
    orders = {
        h: [s["name"] for s in documents[0]["scenes"]]
        for h, documents in conn.execute(sa.select(snapshots.c.content_hash, snapshots.c.documents))
    }
    levels: dict[int, dict[str, int]] = {}
    for result_id, scene, level in conn.execute(sa.select(result_scenes.c.result_id, result_scenes.c.scene,
                                                          result_scenes.c.level)):  # fmt: skip
        levels.setdefault(result_id, {})[scene] = level
    updates = [
        {"rid": result_id, "levels": "".join(str(levels.get(result_id, {}).get(s, 0)) for s in orders[content_hash])}
        for result_id, content_hash in conn.execute(sa.select(results.c.id, results.c.questionnaire_hash))
    ]
    if updates:
        conn.execute(
            results.update().where(results.c.id == sa.bindparam("rid")).values(scene_levels=sa.bindparam("levels")),
            updates,
        )


def downgrade() -> None:
    op.drop_index("ix_assessments_workload", table_name="assessments")
    # both databases drop a column in place (SQLite since 3.35); a batch copy of the table
    # would trip over the foreign keys that point at it
    op.execute("ALTER TABLE results DROP COLUMN scene_levels")
