"""organisations at work: the provider organisation a project is contracted with, the
organisation of the consultant who made a visit (a 第三方机构 or a 牵引单位), and the products
recommended to an approved baseline as they were at its approval

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain columns, as in 0006 and 0007: on SQLite a foreign key would make batch mode copy the table
    op.add_column("projects", sa.Column("organisation_id", sa.Integer(), nullable=True))
    op.create_index("ix_projects_organisation_id", "projects", ["organisation_id"])
    op.add_column("assessments", sa.Column("organisation_id", sa.Integer(), nullable=True))
    op.create_table(
        "recommendations",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(length=50), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("price", sa.Float(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("assessment_id", "product_id", name="pk_recommendations"),
    )
    op.create_index("ix_recommendations_product_id", "recommendations", ["product_id"])


def downgrade() -> None:
    op.drop_index("ix_recommendations_product_id", "recommendations")
    op.drop_table("recommendations")
    op.execute("ALTER TABLE assessments DROP COLUMN organisation_id")
    op.drop_index("ix_projects_organisation_id", "projects")
    op.execute("ALTER TABLE projects DROP COLUMN organisation_id")
