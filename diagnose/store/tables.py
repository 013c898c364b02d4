"""The tables of 一企一档. The migrations create them; this module names them for queries.

Every constraint is named by the convention below, so migrations can alter
them on SQLite (batch mode) and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

enterprises = Table(
    "enterprises",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("credit_code", String(18), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("industry", String(20), nullable=False, index=True),
    Column("district", String(20), nullable=False, index=True),
    Column("address", String(300), nullable=False, default=""),
    Column("founded_on", Date),
    Column("contact_name", String(50), nullable=False, default=""),
    Column("contact_phone", String(30), nullable=False, default=""),
    Column("main_products", String(500), nullable=False, default=""),
    Column("ownership", String(20), nullable=False, default=""),
    Column("above_scale", Boolean),
    Column("head_count", Integer),
    Column("head_count_prev", Integer),
    Column("revenue", Float),  # 万元, last year
    Column("revenue_prev", Float),
    Column("size_class", String(10), nullable=False, default=""),  # derived on every save
    Column("sample", Boolean, nullable=False, default=False),  # demo data, labelled as such everywhere
    Column("revision", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# The questionnaire an assessment was scored with, kept whole: a stored result
# never changes when the files in questionnaires/ change.
questionnaire_snapshots = Table(
    "questionnaire_snapshots",
    metadata,
    Column("content_hash", String(64), primary_key=True),
    Column("questionnaire_id", String(50), nullable=False),
    Column("version", String(50), nullable=False),
    Column("documents", JSON, nullable=False),  # the parsed files, base first
    Column("created_at", DateTime(timezone=True), nullable=False),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("stage", String(20), nullable=False),
    # a copy of the "visit.date" item, for filtering by date; the item is the record
    Column("visit_date", Date, index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("return_comment", Text, nullable=False, default=""),
    Column("questionnaire_hash", String(64), ForeignKey("questionnaire_snapshots.content_hash"), nullable=False),
    Column("revision", Integer, nullable=False, default=0),  # +1 on every change
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("submitted_at", DateTime(timezone=True)),
    Column("decided_at", DateTime(timezone=True)),
    # an after-visit: the project whose effect it measures, and the baseline its answers came
    # from (plain ids: projects already name an assessment, and a cycle of foreign keys would
    # keep SQLite's batch migrations from rebuilding either table)
    Column("project_id", Integer),
    Column("carried_from", Integer),
    # the organisation of the consultant who started the visit, as it was then (a plain id: see migration 0008)
    Column("organisation_id", Integer),
    # covers the dashboard's count of assessments per consultant, status, stage and visit date
    Index("ix_assessments_workload", "created_by", "status", "stage", "visit_date", "enterprise_id"),
)

# One row per item typed during a visit: a question ("Q5"), a scene
# ("scene:产品设计"), a practice ("practice:T01"), or the visit's information
# ("visit.date", "report.pain_points"). ``revision`` is the assessment's
# revision when the row was last written; a save based on an older view of
# this item conflicts instead of overwriting it.
answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id"), nullable=False),
    Column("item", String(60), nullable=False),
    Column("value", JSON),
    Column("note", Text, nullable=False, default=""),
    Column("revision", Integer, nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # copied from the baseline into an after-visit and not yet confirmed or changed
    Column("carried", Boolean, nullable=False, default=False),
    UniqueConstraint("assessment_id", "item"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id"), nullable=False, index=True),
    Column("item", String(60), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)

results = Table(
    "results",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id"), nullable=False, index=True),
    Column("questionnaire_hash", String(64), ForeignKey("questionnaire_snapshots.content_hash"), nullable=False),
    Column("questionnaire_id", String(50), nullable=False),
    Column("version", String(50), nullable=False),
    Column("reason", String(20), nullable=False),  # submitted | rescored
    Column("score", Float, nullable=False),
    Column("basic", Float, nullable=False),
    Column("management", Float, nullable=False),
    Column("effect", Float, nullable=False),
    Column("level", Integer, nullable=False, index=True),
    # one digit per scene, in the order of the questionnaire's scenes ("1203..."): what the
    # dashboard reads for 100,000 enterprises; result_scenes holds the same levels by name
    Column("scene_levels", String(40)),
    Column("detail", JSON, nullable=False),  # Result.to_dict(): every number and its reason
    Column("scored_by", String(100), nullable=False),
    Column("scored_at", DateTime(timezone=True), nullable=False),
)

result_scenes = Table(
    "result_scenes",
    metadata,
    Column("result_id", Integer, ForeignKey("results.id"), primary_key=True),
    Column("scene", String(20), primary_key=True),
    Column("constrained", Boolean, nullable=False),
    Column("level", Integer, nullable=False),
)

projects = Table(
    "projects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("provider", String(200), nullable=False),
    Column("contract_signed_on", Date),
    Column("started_on", Date),
    Column("finished_on", Date),
    Column("funded", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("baseline_assessment_id", Integer),  # the diagnosis it acts on (a plain id: see migration 0006)
    Column("contract_no", String(100), nullable=False, default=""),
    # what the pilot's contracts must state (DOMAIN.md §3b)
    Column("responsibilities", Text, nullable=False, default=""),  # 各方责任
    Column("measures", Text, nullable=False, default=""),  # 改造措施
    Column("period", Text, nullable=False, default=""),  # 实施期限
    Column("goals", Text, nullable=False, default=""),  # 实现目标
    Column("funding_amount", Float),  # 元 of public funding, when funded
    Column("status", String(20), nullable=False, default="signed"),  # signed | implementing | finished | accepted
    Column("revision", Integer, nullable=False, default=1),  # +1 on every edit: edits are revision-checked
    Column("created_by", String(100), nullable=False, default=""),
    Column("updated_at", DateTime(timezone=True)),
    Column("organisation_id", Integer, index=True),  # the contracted 服务商 when registered (migration 0008)
)

# The contract, invoices, 投入清单, 真实性声明 … of a project, kept like evidence (by hash).
project_documents = Table(
    "project_documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)

# Every review decision on an assessment (approve or return, with the comment), oldest first.
reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id"), nullable=False, index=True),
    Column("decision", String(20), nullable=False),  # approved | returned
    Column("comment", Text, nullable=False, default=""),
    Column("reviewer", String(100), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
)

project_items = Table(
    "project_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("product_id", String(50), nullable=False, default=""),
    Column("quantity", Float, nullable=False),
    Column("unit", String(20), nullable=False),
    Column("unit_price", Float, nullable=False),  # 元
)

# Append-only: migrations add triggers that refuse UPDATE and DELETE.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("entity", String(30), nullable=False),
    Column("entity_id", Integer),
    Column("field", String(60), nullable=False, default=""),
    Column("old_value", JSON),
    Column("new_value", JSON),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(32), nullable=False, unique=True),
    Column("role", String(20), nullable=False),  # consultant | enterprise | official | admin
    Column("enterprise_id", Integer, ForeignKey("enterprises.id")),  # for an enterprise account only
    Column("password_hash", String(200), nullable=False),  # argon2id
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True)),
    # changes when the password does: a session signed before it is void
    Column("session_version", Integer, nullable=False, default=1),
    Column("sample", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("organisation_id", Integer),  # a provider's, expert's or consultant's (a plain id: migration 0007)
)

assignments = Table(
    "assignments",
    metadata,
    Column("consultant_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), primary_key=True, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The live catalog: seeded from questionnaires/catalog.yaml, then kept here so that
# an administrator's status changes and imports are stored and audited.
catalog_products = Table(
    "catalog_products",
    metadata,
    Column("id", String(30), primary_key=True),
    Column("entry", JSON, nullable=False),  # the product as in catalog.yaml, checked on every write
    Column("status", String(10), nullable=False, index=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


# The dashboard's sums, kept up to date by every write (store/board_cells.py): each
# enterprise's share of them (its parts) and the sums themselves (cells), once under the
# enterprise's industry, district and size class and once under "*" for all of them.
SUMS = 16  # value columns s0..s15 of a part or cell; their meaning depends on the view


def _sums() -> list[Column]:
    return [Column(f"s{i}", BigInteger, nullable=False, default=0) for i in range(SUMS)]


board_parts = Table(
    "board_parts",
    metadata,
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), primary_key=True),
    Column("view", String(16), primary_key=True),
    Column("key", String(120), primary_key=True),
    Column("industry", String(20), nullable=False),
    Column("district", String(20), nullable=False),
    Column("size_class", String(10), nullable=False),
    Column("day", Date),  # for the views that depend on today: the day the part starts to count
    Column("n", BigInteger, nullable=False),
    *_sums(),
    Index("ix_board_parts_view_day", "view", "day"),
)

board_cells = Table(
    "board_cells",
    metadata,
    Column("view", String(16), primary_key=True),
    Column("industry", String(20), primary_key=True),
    Column("district", String(20), primary_key=True),
    Column("size_class", String(10), primary_key=True),
    Column("key", String(120), primary_key=True),
    Column("n", BigInteger, nullable=False),
    *_sums(),
)

# one row, written when the cells were last built from scratch: until then the
# dashboard computes every figure from the records
board_state = Table(
    "board_state",
    metadata,
    Column("name", String(20), primary_key=True),
    Column("built_at", DateTime(timezone=True), nullable=False),
)


# The supply side (DOMAIN.md §3b): the organisations that apply products, the review batches,
# and the applications with their files.
organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),  # lead | member | provider | agency
    Column("industry", String(20), nullable=False, default=""),  # a 牵引单位's industry
    Column("lead_id", Integer, ForeignKey("organisations.id")),  # a 联合体 member's 牵引单位
    Column("sample", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

catalog_batches = Table(
    "catalog_batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(40), nullable=False, unique=True),  # 第3批
    Column("deadline", Date, nullable=False),  # the last day (China's) an application may be submitted
    Column("status", String(20), nullable=False),  # open | closed | published
    Column("criteria", JSON, nullable=False),  # the review criteria it was opened with (catalog/review_criteria.py)
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True)),
)

product_applications = Table(
    "product_applications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("batch_id", Integer, ForeignKey("catalog_batches.id"), nullable=False, index=True),
    Column("fields", JSON, nullable=False),  # what the provider typed (catalog/applications.py FIELDS)
    # draft | submitted | returned (补正) | accepted (受理) | refused (不予受理) → approved (入库) | rejected (不入库)
    Column("status", String(20), nullable=False, index=True),
    Column("comment", Text, nullable=False, default=""),  # the last check's or decision's reason
    Column("product_id", String(30), nullable=False, default=""),  # its catalog id, once its batch is published
    Column("decided_at", DateTime(timezone=True)),
    Column("revision", Integer, nullable=False, default=1),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("submitted_at", DateTime(timezone=True)),
)

# Each reviewer's scores of one application (criterion id → points out of its weight), kept apart
# until submitted: a reviewer sees the others' only after giving their own.
application_reviews = Table(
    "application_reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application_id", Integer, ForeignKey("product_applications.id"), nullable=False, index=True),
    Column("reviewer_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("reviewer", String(32), nullable=False),
    Column("assigned_by", String(100), nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False),
    Column("scores", JSON),
    Column("comment", Text, nullable=False, default=""),
    Column("submitted_at", DateTime(timezone=True)),
    UniqueConstraint("application_id", "reviewer_id"),
)

application_files = Table(
    "application_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application_id", Integer, ForeignKey("product_applications.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # brochure | price_sheet | showcase_contract
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)

# The products of the cheapest bundle recommended to a baseline when it was approved, at the
# live catalog's prices then: how often a product was recommended (a provider's page) is counted
# from these, never recomputed with today's catalog.
recommendations = Table(
    "recommendations",
    metadata,
    Column("assessment_id", Integer, primary_key=True),  # a plain id, as the other columns of 0008
    Column("product_id", String(50), primary_key=True, index=True),
    Column("target", Integer, nullable=False),  # the level the bundle reaches: 二级, or the next one up
    Column("price", Float, nullable=False),  # 元, the catalog's then
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

# The planner's kept bundles (a cache: every row can be computed again from the result and the
# catalog): the cheapest products that bring a result to ``target`` with the candidate products
# whose ``fingerprint`` (services/planner.py) they were solved on; product_ids None: none does.
plan_bundles = Table(
    "plan_bundles",
    metadata,
    Column("result_id", Integer, primary_key=True),
    Column("target", Integer, primary_key=True),
    Column("fingerprint", String(64), primary_key=True),
    Column("product_ids", Text, nullable=True),  # comma-separated, or NULL when the target is out of reach
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

# What each fingerprint of ``plan_bundles`` names: the candidate products as described
# (plan/bundles.py), one JSON text per line, so that a bundle solved on more products can be
# reused on fewer (a product paused) where none of its own products is gone.
plan_catalogs = Table(
    "plan_catalogs",
    metadata,
    Column("fingerprint", String(64), primary_key=True),
    Column("products", Text, nullable=False),
    Column("kept_at", DateTime(timezone=True), nullable=False),
)
