"""the planner's kept bundles: per result, target level and catalog fingerprint, the cheapest
products that bring the result to the target (or none), so that a plan over thousands of
enterprises does not solve their programs again

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_bundles",
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("product_ids", sa.Text(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("result_id", "target", "fingerprint", name="pk_plan_bundles"),
    )


def downgrade() -> None:
    op.drop_table("plan_bundles")
