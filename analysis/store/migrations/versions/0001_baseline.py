"""Baseline: the schema of every table as the store had it before migrations (commit b92d148).

Revision ID: 0001_baseline
Revises: (none)

A store made before migrations has some or all of these tables (each was created the first time
its page was used) and no alembic_version table. This revision creates only the tables that are
missing, so such a store is taken into the chain in place with every row kept; on an empty store it
creates them all. The definitions are frozen copies: later changes go in later revisions, never here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001_baseline"
down_revision: str | None = None
branch_labels = None
depends_on = None

_RESPONSE_TEXT_COLUMNS = (
    "response_id",
    "respondent_id",
    "round",
    "respondent_type",
    "service",
    "locality",
    "question",
    "text",
    "age_band",
    "gender",
    "ethnicity",
    "disability",
    "sexual_orientation",
    "religion",
)


def _tables(meta: sa.MetaData) -> None:
    """The nine tables, on `meta`, in an order where a referenced table comes first."""
    sa.Table(
        "access_log",
        meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("action", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text),
    )
    sa.Table(
        "datasets",
        meta,
        sa.Column("dataset_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("source_filename", sa.String(500)),
        sa.Column("n_answers", sa.Integer, nullable=False),
        sa.Column("n_rejected", sa.Integer, nullable=False),
        sa.Column("mapping_json", sa.Text, nullable=False),
        sa.Column("report_json", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
    )
    sa.Table(
        "responses",
        meta,
        sa.Column(
            "dataset_id",
            sa.Integer,
            sa.ForeignKey("datasets.dataset_id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("row_no", sa.Integer, nullable=False),
        *[sa.Column(c, sa.Text) for c in _RESPONSE_TEXT_COLUMNS],
        sa.Column("submitted", sa.DateTime),
        sa.Column("rating", sa.Float),
        sa.PrimaryKeyConstraint("dataset_id", "row_no"),
    )
    sa.Table(
        "milestones",
        meta,
        sa.Column("milestone_id", sa.String(40), primary_key=True),
        sa.Column("area", sa.String(100), nullable=False),
        sa.Column("milestone", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("percent_complete", sa.Integer, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("themes", sa.Text, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("updated", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    sa.Table(
        "milestone_history",
        meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "milestone_id",
            sa.String(40),
            sa.ForeignKey("milestones.milestone_id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("changed_at", sa.DateTime, nullable=False, index=True),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("old_value", sa.Text, nullable=False),
        sa.Column("new_value", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=True),
    )
    sa.Table(
        "engagement_log",
        meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("activity_id", sa.String(40), nullable=False, unique=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("activity_type", sa.String(40), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("participants", sa.Integer, nullable=False),
        sa.Column("lived_experience", sa.Integer),
        sa.Column("locality", sa.Text, nullable=False),
        sa.Column("make_up", sa.Text, nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
    )
    sa.Table(
        "theme_corrections",
        meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dataset_id", sa.Integer, nullable=False, index=True),
        sa.Column("response_id", sa.String(200), nullable=False),
        sa.Column("theme_id", sa.String(100), nullable=False),
        sa.Column("present", sa.Boolean, nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    sa.Table(
        "theme_agreement_history",
        meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dataset_id", sa.Integer, nullable=False, index=True),
        sa.Column("codebook_version", sa.Integer),
        sa.Column("n_corrections", sa.Integer, nullable=False),
        sa.Column("before", sa.Float),
        sa.Column("after", sa.Float),
        sa.Column("detail_json", sa.Text, nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    sa.Table(
        "codebook_versions",
        meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("lineage", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("codebook_json", sa.Text, nullable=False),
        sa.Column("saved_by", sa.String(200), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("base_version", sa.Integer),
        sa.Column("restored_from", sa.Integer),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.UniqueConstraint("lineage", "version", name="uq_codebook_lineage_version"),
    )


def upgrade() -> None:
    """Create each baseline table that the store does not have yet (existing ones are kept as they are)."""
    meta = sa.MetaData()
    _tables(meta)
    # The same statement that made these tables before migrations, so a new store equals an old one.
    meta.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Not supported: dropping the baseline would delete every row. Restore a backup instead."""
    raise NotImplementedError("The store is never downgraded; restore a backup instead.")
