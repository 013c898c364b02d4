"""the supply side: organisations (牵引单位, 联合体 members, 服务商, 第三方机构), provider accounts,
review batches with their criteria, product applications with their files, and reviewers' scores

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("industry", sa.String(length=20), nullable=False, server_default=""),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("sample", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["organisations.id"], name="fk_organisations_lead_id_organisations"),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sa.UniqueConstraint("name", name="uq_organisations_name"),
    )
    # a plain column, as in 0006: on SQLite a foreign key would make batch mode copy the users table
    op.add_column("users", sa.Column("organisation_id", sa.Integer(), nullable=True))
    op.create_table(
        "catalog_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_batches"),
        sa.UniqueConstraint("name", name="uq_catalog_batches_name"),
    )
    op.create_table(
        "product_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("product_id", sa.String(length=30), nullable=False, server_default=""),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name="fk_product_applications_organisation_id_organisations"),
        sa.ForeignKeyConstraint(["batch_id"], ["catalog_batches.id"],
                                name="fk_product_applications_batch_id_catalog_batches"),
        sa.PrimaryKeyConstraint("id", name="pk_product_applications"),
    )  # fmt: skip
    for column in ("organisation_id", "batch_id", "status"):
        op.create_index(f"ix_product_applications_{column}", "product_applications", [column])
    op.create_table(
        "application_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(length=32), nullable=False),
        sa.Column("assigned_by", sa.String(length=100), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["application_id"], ["product_applications.id"],
                                name="fk_application_reviews_application_id_product_applications"),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"], name="fk_application_reviews_reviewer_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_application_reviews"),
        sa.UniqueConstraint("application_id", "reviewer_id", name="uq_application_reviews_application_id_reviewer_id"),
    )  # fmt: skip
    op.create_index("ix_application_reviews_application_id", "application_reviews", ["application_id"])
    op.create_table(
        "application_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["product_applications.id"],
                                name="fk_application_files_application_id_product_applications"),
        sa.PrimaryKeyConstraint("id", name="pk_application_files"),
    )  # fmt: skip
    op.create_index("ix_application_files_application_id", "application_files", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_application_files_application_id", "application_files")
    op.drop_table("application_files")
    op.drop_index("ix_application_reviews_application_id", "application_reviews")
    op.drop_table("application_reviews")
    for column in ("organisation_id", "batch_id", "status"):
        op.drop_index(f"ix_product_applications_{column}", "product_applications")
    op.drop_table("product_applications")
    op.drop_table("catalog_batches")
    op.execute("ALTER TABLE users DROP COLUMN organisation_id")
    op.drop_table("organisations")
