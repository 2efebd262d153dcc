"""Which datasets the Improvement Plan belongs to: a dataset uses the plan only when it is linked
to it (the demo dataset is, when the demo plan is loaded; an editor links others on the Improvement
Plan page). A dataset without a plan gets no plan in its meeting pack or presentation.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from analysis import store
from analysis.store import METADATA

plan_datasets_table = sa.Table(
    "plan_datasets",
    METADATA,
    sa.Column(
        "dataset_id",
        sa.Integer,
        sa.ForeignKey("datasets.dataset_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("linked_by", sa.String(200), nullable=False),
    sa.Column("linked_at", sa.DateTime, nullable=False),
)


def _engine(engine: Engine | None) -> Engine:
    return engine or store.get_engine()


def uses_plan(dataset_id: int, engine: Engine | None = None) -> bool:
    """True when `dataset_id` is linked to the Improvement Plan."""
    with _engine(engine).connect() as conn:
        row = conn.execute(
            sa.select(plan_datasets_table.c.dataset_id).where(
                plan_datasets_table.c.dataset_id == int(dataset_id)
            )
        ).first()
    return row is not None


def linked_datasets(engine: Engine | None = None) -> list[int]:
    """The ids of every dataset that shares the Improvement Plan."""
    with _engine(engine).connect() as conn:
        return [int(r[0]) for r in conn.execute(sa.select(plan_datasets_table.c.dataset_id))]


def set_uses_plan(dataset_id: int, use: bool, *, by: str, engine: Engine | None = None) -> None:
    """Link `dataset_id` to the plan (use=True) or unlink it; doing what is already so is harmless."""
    engine = _engine(engine)
    with engine.begin() as conn:
        conn.execute(
            sa.delete(plan_datasets_table).where(
                plan_datasets_table.c.dataset_id == int(dataset_id)
            )
        )
        if use:
            conn.execute(
                sa.insert(plan_datasets_table).values(
                    dataset_id=int(dataset_id),
                    linked_by=by,
                    linked_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
