"""organisations at work: the provider organisation a project is contracted with, and the
organisation of the consultant who made a visit (a 第三方机构 or a 牵引单位)

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


def downgrade() -> None:
    op.execute("ALTER TABLE assessments DROP COLUMN organisation_id")
    op.drop_index("ix_projects_organisation_id", "projects")
    op.execute("ALTER TABLE projects DROP COLUMN organisation_id")
