"""the pilot's loop: review decisions, the transformation project's contract, status and
documents, and the after-visit's link to its project with the answers carried from the baseline

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# New columns are plain (no foreign keys to or from assessments): on SQLite a foreign key
# makes batch mode copy the whole table, which fails while other tables refer to its rows.
PROJECT_COLUMNS = (
    sa.Column("baseline_assessment_id", sa.Integer(), nullable=True),
    sa.Column("contract_no", sa.String(length=100), nullable=False, server_default=""),
    *(sa.Column(name, sa.Text(), nullable=False, server_default="")
      for name in ("responsibilities", "measures", "period", "goals")),
    sa.Column("funding_amount", sa.Float(), nullable=True),
    sa.Column("status", sa.String(length=20), nullable=False, server_default="signed"),
    sa.Column("revision", sa.Integer(), nullable=False, server_default="1"),
    sa.Column("created_by", sa.String(length=100), nullable=False, server_default=""),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
)  # fmt: skip
ASSESSMENT_COLUMNS = (
    sa.Column("project_id", sa.Integer(), nullable=True),
    sa.Column("carried_from", sa.Integer(), nullable=True),
)


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], name="fk_reviews_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
    )
    op.create_index("ix_reviews_assessment_id", "reviews", ["assessment_id"])
    for column in PROJECT_COLUMNS:
        op.add_column("projects", column)
    # projects from before this migration were finished or not by their dates alone
    op.execute("UPDATE projects SET status = 'finished' WHERE finished_on IS NOT NULL")
    op.execute("UPDATE projects SET updated_at = created_at")
    op.create_table(
        "project_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name="fk_project_documents_project_id_projects"),
        sa.PrimaryKeyConstraint("id", name="pk_project_documents"),
    )
    op.create_index("ix_project_documents_project_id", "project_documents", ["project_id"])
    for column in ASSESSMENT_COLUMNS:
        op.add_column("assessments", column)
    # an item copied from the baseline into an after-visit, until the consultant confirms or changes it
    op.add_column("answers", sa.Column("carried", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35, PostgreSQL): no copy of the tables
    op.execute("ALTER TABLE answers DROP COLUMN carried")
    for table, columns in (("assessments", ASSESSMENT_COLUMNS), ("projects", PROJECT_COLUMNS)):
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column.name}")
    op.drop_index("ix_project_documents_project_id", "project_documents")
    op.drop_table("project_documents")
    op.drop_index("ix_reviews_assessment_id", "reviews")
    op.drop_table("reviews")
