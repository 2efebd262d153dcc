"""Frame snapshots: a dataset's answers and a done job's results kept as Parquet (Arrow) in the store,
so a server opening them after a restart reads one value instead of rebuilding a frame row by row.

A snapshot is a copy made from rows the store already holds (the responses, the stored results); it
is written by the background worker, read by everyone, and deleted with its dataset. Parquet holds
data only (no code runs when it is read), and keys name the dataset's content hash, so a snapshot of
other content is never read.
"""

from __future__ import annotations

import io
import logging

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from analysis.store.database import METADATA, get_engine, now_utc

log = logging.getLogger(__name__)

frame_snapshots = sa.Table(
    "frame_snapshots",
    METADATA,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)


def dataset_key(dataset_id: int, content_hash: str, part: str = "answers") -> str:
    """The key of a snapshot of one dataset's content (its answers, or a job's results)."""
    return f"dataset:{int(dataset_id)}:{content_hash}:{part}"


def save_frame(key: str, frame: pd.DataFrame, engine: Engine | None = None) -> None:
    """Store a frame under key (a snapshot already there is kept: same key, same content)."""
    engine = engine or get_engine()
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, compression="zstd")
    try:
        with engine.begin() as conn:
            if conn.execute(
                sa.select(frame_snapshots.c.key).where(frame_snapshots.c.key == key)
            ).first():
                return
            conn.execute(
                sa.insert(frame_snapshots).values(
                    key=key, created_at=now_utc(), data=buf.getvalue()
                )
            )
    except IntegrityError:
        pass  # another worker wrote the same snapshot first


def has_frame(key: str, engine: Engine | None = None) -> bool:
    """True when a snapshot is stored under key (without reading it)."""
    engine = engine or get_engine()
    with engine.connect() as conn:
        return (
            conn.execute(
                sa.select(frame_snapshots.c.key).where(frame_snapshots.c.key == key)
            ).first()
            is not None
        )


def load_frame(key: str, engine: Engine | None = None) -> pd.DataFrame | None:
    """The frame stored under key, or None."""
    engine = engine or get_engine()
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(frame_snapshots.c.data).where(frame_snapshots.c.key == key)
        ).first()
    if row is None:
        return None
    return pd.read_parquet(io.BytesIO(bytes(row[0])))


def delete_dataset_frames(conn: sa.Connection, dataset_id: int) -> None:
    """Delete every snapshot of a dataset, in the caller's transaction."""
    conn.execute(
        sa.delete(frame_snapshots).where(frame_snapshots.c.key.like(f"dataset:{int(dataset_id)}:%"))
    )
