"""the dashboard's sums kept up to date by every write: each enterprise's parts and the cells
they add up to (built from the records by ``diagnose db upgrade`` right after this migration)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SUMS = 16


def _sums() -> list[sa.Column]:
    return [sa.Column(f"s{i}", sa.BigInteger(), nullable=False) for i in range(SUMS)]


def upgrade() -> None:
    op.create_table(
        "board_parts",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("view", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("industry", sa.String(length=20), nullable=False),
        sa.Column("district", sa.String(length=20), nullable=False),
        sa.Column("size_class", sa.String(length=10), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("n", sa.BigInteger(), nullable=False),
        *_sums(),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprises.id"], name="fk_board_parts_enterprise_id_enterprises"),
        sa.PrimaryKeyConstraint("enterprise_id", "view", "key", name="pk_board_parts"),
    )
    op.create_index("ix_board_parts_view_day", "board_parts", ["view", "day"])
    op.create_table(
        "board_cells",
        sa.Column("view", sa.String(length=16), nullable=False),
        sa.Column("industry", sa.String(length=20), nullable=False),
        sa.Column("district", sa.String(length=20), nullable=False),
        sa.Column("size_class", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        *_sums(),
        sa.PrimaryKeyConstraint("view", "industry", "district", "size_class", "key", name="pk_board_cells"),
    )
    op.create_table(
        "board_state",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_board_state"),
    )


def downgrade() -> None:
    op.drop_table("board_state")
    op.drop_table("board_cells")
    op.drop_index("ix_board_parts_view_day", table_name="board_parts")
    op.drop_table("board_parts")
