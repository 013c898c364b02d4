"""what each of the planner's catalog fingerprints names, so that a bundle solved on more products
is reused where it still is the cheapest (a product paused)

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_catalogs",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("products", sa.Text(), nullable=False),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name="pk_plan_catalogs"),
    )


def downgrade() -> None:
    op.drop_table("plan_catalogs")
