"""Remembered column mappings: one row per export header signature.

Revision ID: 0004_remembered_mappings
Revises: 0003_stored_results

A new table only; no existing row changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_remembered_mappings"
down_revision: str | None = "0003_stored_results"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create remembered_mappings."""
    op.create_table(
        "remembered_mappings",
        sa.Column("signature", sa.String(64), primary_key=True),
        sa.Column("headers_json", sa.Text, nullable=False),
        sa.Column("mapping_json", sa.Text, nullable=False),
        sa.Column("placeholders_json", sa.Text),
        sa.Column("date_order", sa.String(20)),
        sa.Column("saved_by", sa.String(200), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Not supported: the store is never downgraded; restore a backup instead."""
    raise NotImplementedError("The store is never downgraded; restore a backup instead.")
