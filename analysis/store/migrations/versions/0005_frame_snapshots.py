"""Frame snapshots: a dataset's answers and a done job's results as Parquet, for fast opening.

Revision ID: 0005_frame_snapshots
Revises: 0004_remembered_mappings

Adds one table; every existing row is kept. Snapshots are copies of rows the store already holds,
made by the background worker.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_frame_snapshots"
down_revision: str | None = "0004_remembered_mappings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create frame_snapshots."""
    op.create_table(
        "frame_snapshots",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    """Drop frame_snapshots."""
    op.drop_table("frame_snapshots")
