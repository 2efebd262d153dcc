"""Stored classification results, classification jobs and the task queue's tables.

Revision ID: 0003_stored_results
Revises: 0002_no_content

Adds tables only; every existing row is kept. theme_results holds each distinct answer's themes and
sentiment per model key; classify_jobs records each background classification (queued, running with
progress, done, failed with a reason); huey_* are the task queue's storage (huey's SQL storage).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_stored_results"
down_revision: str | None = "0002_no_content"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the four queue tables, the results table and the jobs table."""
    op.create_table(
        "theme_results",
        sa.Column("model_key", sa.String(64), primary_key=True),
        sa.Column("text_key", sa.String(40), primary_key=True),
        sa.Column("themes", sa.Text, nullable=False),
        sa.Column("scores", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("theme_sentiment", sa.Text, nullable=False),
        sa.Column("sentiment", sa.Float, nullable=False),
        sa.Column("sentiment_label", sa.String(20), nullable=False),
    )
    op.create_table(
        "classify_jobs",
        sa.Column("job_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "dataset_id",
            sa.Integer,
            sa.ForeignKey("datasets.dataset_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("model_key", sa.String(64), nullable=False),
        sa.Column("codebook_version", sa.Integer, nullable=False),
        sa.Column("previous_model_key", sa.String(64)),
        sa.Column("corrections_json", sa.Text, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("done_count", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("agreement_json", sa.Text),
        sa.Column("worker", sa.String(200)),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("dataset_id", "model_key", name="uq_classify_jobs_dataset_model"),
    )
    op.create_index("ix_classify_jobs_dataset_id", "classify_jobs", ["dataset_id"])
    op.create_table(
        "huey_task",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("queue", sa.String(255), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("priority", sa.Float, nullable=False),
    )
    op.create_index("huey_task_queue_priority_id", "huey_task", ["queue", "priority", "id"])
    op.create_table(
        "huey_schedule",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("queue", sa.String(255), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("timestamp", sa.BigInteger, nullable=False),
    )
    op.create_index("huey_schedule_queue_timestamp", "huey_schedule", ["queue", "timestamp"])
    op.create_table(
        "huey_kv",
        sa.Column("queue", sa.String(255), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("value", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "huey_counter",
        sa.Column("queue", sa.String(255), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    """Drop the tables this revision made."""
    for name in ("huey_counter", "huey_kv", "huey_schedule", "huey_task", "classify_jobs"):
        op.drop_table(name)
    op.drop_table("theme_results")
