"""The task queue's tables (huey's SQL storage, analysis.jobs.queue), described here so the store's
migrations make them like every other table. Their columns are those huey's peewee models use."""

from __future__ import annotations

import sqlalchemy as sa

from analysis.store.database import METADATA

huey_task = sa.Table(
    "huey_task",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("queue", sa.String(255), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("priority", sa.Float, nullable=False),
    sa.Index("huey_task_queue_priority_id", "queue", "priority", "id"),
)
huey_schedule = sa.Table(
    "huey_schedule",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("queue", sa.String(255), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("timestamp", sa.BigInteger, nullable=False),
    sa.Index("huey_schedule_queue_timestamp", "queue", "timestamp"),
)
huey_kv = sa.Table(
    "huey_kv",
    METADATA,
    sa.Column("queue", sa.String(255), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("value", sa.LargeBinary, nullable=False),
)
huey_counter = sa.Table(
    "huey_counter",
    METADATA,
    sa.Column("queue", sa.String(255), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)
