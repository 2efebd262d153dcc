"""Answers that say nothing: responses.no_content ("blank" or "placeholder"; NULL for an answer).

Revision ID: 0002_no_content
Revises: 0001_baseline

Rows with a blank or placeholder answer ("N/A", "Did not answer") are kept to count who took part,
but are never answers. Stores made before this revision kept blank answers as empty text: they are
marked "blank" here, so every page stops counting them. Placeholders in older datasets are left as
they were (re-upload the file to have them recognised); nothing else changes and no row is removed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_no_content"
down_revision: str | None = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add responses.no_content and mark the blank answers older stores kept as empty text."""
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("no_content", sa.Text, nullable=True))
    op.execute("UPDATE responses SET no_content = 'blank' WHERE text IS NULL OR TRIM(text) = ''")


def downgrade() -> None:
    """Not supported: the store is never downgraded; restore a backup instead."""
    raise NotImplementedError("The store is never downgraded; restore a backup instead.")
