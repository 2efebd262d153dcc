"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Created: ${create_date}
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "${up_revision}"
down_revision: str | None = "${down_revision}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """${message}"""
    ${upgrades if upgrades else "raise NotImplementedError('write the upgrade: op.add_column, op.create_table, ...')"}


def downgrade() -> None:
    """Not supported: restore a backup instead (a downgrade could lose rows)."""
    raise NotImplementedError("The store is never downgraded; restore a backup instead.")
