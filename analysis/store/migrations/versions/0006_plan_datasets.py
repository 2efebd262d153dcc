"""The Improvement Plan belongs to the datasets linked to it (plan_datasets).

Revision ID: 0006_plan_datasets
Revises: 0005_frame_snapshots

Before this revision the one plan was shown with every dataset, so an uploaded survey from another
service got the demo plan in its meeting pack. Now a dataset uses the plan only when linked. The
upgrade links the demo dataset (by its name) when the store has a plan, so a store that showed the
demo plan with the demo keeps doing so; no existing row changes.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0006_plan_datasets"
down_revision: str | None = "0005_frame_snapshots"
branch_labels = None
depends_on = None

DEMO_DATASET_NAME = "Demo: GM lived-experience survey 2024-25"  # frozen copy of config's name


def upgrade() -> None:
    """Create plan_datasets and link the demo dataset when a plan exists."""
    table = op.create_table(
        "plan_datasets",
        sa.Column(
            "dataset_id",
            sa.Integer,
            sa.ForeignKey("datasets.dataset_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("linked_by", sa.String(200), nullable=False),
        sa.Column("linked_at", sa.DateTime, nullable=False),
    )
    conn = op.get_bind()
    has_plan = conn.execute(sa.text("SELECT count(*) FROM milestones")).scalar()
    demo = conn.execute(
        sa.text("SELECT dataset_id FROM datasets WHERE name = :n"), {"n": DEMO_DATASET_NAME}
    ).scalar()
    if has_plan and demo is not None:
        op.bulk_insert(table, [{"dataset_id": demo, "linked_by": "upgrade",
                                "linked_at": datetime.now(UTC).replace(tzinfo=None)}])  # fmt: skip


def downgrade() -> None:
    """Not supported, as for every revision: restore a backup instead."""
    raise NotImplementedError("The store is never downgraded; restore a backup instead.")
