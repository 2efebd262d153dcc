"""Datasets in the store: one row per uploaded file, its answers, and their content hash."""

from __future__ import annotations

import hashlib
import json
import logging

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from analysis.core.roles import LOCAL_USER
from analysis.core.schema import RESPONSE_COLUMNS, answers_only, conform_responses
from analysis.store import snapshots
from analysis.store.database import (
    METADATA,
    StoreError,
    get_engine,
    now_utc,
    run_in_store,
    store_failure,
)

log = logging.getLogger(__name__)

datasets = sa.Table(
    "datasets",
    METADATA,
    sa.Column("dataset_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False, default=LOCAL_USER),
    sa.Column("source_filename", sa.String(500)),
    sa.Column("n_answers", sa.Integer, nullable=False),
    sa.Column("n_rejected", sa.Integer, nullable=False, default=0),
    sa.Column("mapping_json", sa.Text, nullable=False, default="{}"),
    sa.Column("report_json", sa.Text, nullable=False, default="{}"),
    sa.Column("content_hash", sa.String(64), nullable=False),
)

_TEXT_COLUMNS = [c for c in RESPONSE_COLUMNS if c not in ("submitted", "rating")]
responses = sa.Table(
    "responses",
    METADATA,
    sa.Column(
        "dataset_id",
        sa.Integer,
        sa.ForeignKey("datasets.dataset_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("row_no", sa.Integer, nullable=False),
    *[sa.Column(c, sa.Text) for c in _TEXT_COLUMNS],
    sa.Column("submitted", sa.DateTime),
    sa.Column("rating", sa.Float),
    sa.PrimaryKeyConstraint("dataset_id", "row_no"),
)


def content_hash(df: pd.DataFrame) -> str:
    """A stable hash of a responses table's content (used as a cache key and data version)."""
    h = hashlib.sha256()
    hashed = pd.util.hash_pandas_object(df.astype("string").fillna("\x00<NA>"), index=False)
    h.update(hashed.values.tobytes())
    return h.hexdigest()


def save_dataset(
    name: str,
    df: pd.DataFrame,
    *,
    report: dict | None = None,
    mapping: dict | None = None,
    source_filename: str | None = None,
    created_by: str = LOCAL_USER,
    replace: bool = False,
    engine: Engine | None = None,
) -> int:
    """Save a canonical responses table as a named dataset in one transaction; return its id.

    Raises StoreError when the name is taken (and `replace` is false) or the store fails.
    """
    name = " ".join(str(name).split())[:200]
    if not name:
        raise StoreError("Give the dataset a name.")
    engine = engine or get_engine()
    df = conform_responses(df)
    rows = _response_rows(df)
    try:
        with engine.begin() as conn:
            _free_name(conn, name, replace)
            values = _dataset_values(name, df, report, mapping, source_filename, created_by)
            result = conn.execute(sa.insert(datasets).values(**values))
            dataset_id = int(result.inserted_primary_key[0])
            _insert_rows(conn, dataset_id, rows)
    except IntegrityError as exc:
        raise _integrity_failure(exc, name) from exc
    except (OperationalError, DatabaseError) as exc:
        raise store_failure(exc, engine) from exc
    log.info("saved dataset %s (%d rows) as id %d", name, len(df), dataset_id)
    return dataset_id


def _free_name(conn: sa.Connection, name: str, replace: bool) -> None:
    """Remove the dataset called `name` when replacing; else raise StoreError when the name is taken."""
    taken = conn.execute(sa.select(datasets.c.dataset_id).where(datasets.c.name == name)).first()
    if replace:
        if taken is not None:
            snapshots.delete_dataset_frames(conn, int(taken[0]))
        conn.execute(sa.delete(datasets).where(datasets.c.name == name))
    elif taken:
        raise StoreError(f'A dataset called "{name}" already exists. Choose another name.')


def _dataset_values(
    name: str,
    df: pd.DataFrame,
    report: dict | None,
    mapping: dict | None,
    source_filename: str | None,
    created_by: str,
) -> dict:
    """The values of a new dataset's row in the datasets table."""
    return {
        "name": name,
        "created_at": now_utc(),
        "created_by": created_by,
        "source_filename": (source_filename or "")[:500],
        "n_answers": len(answers_only(df)),
        "n_rejected": int((report or {}).get("rejected_rows", 0)),
        "mapping_json": json.dumps(mapping or {}),
        "report_json": json.dumps(report or {}, default=str),
        "content_hash": content_hash(df),
    }


def _insert_rows(conn: sa.Connection, dataset_id: int, rows: list[dict]) -> None:
    """Insert the answer rows of a dataset, 5,000 at a time."""
    for start in range(0, len(rows), 5000):
        chunk = rows[start : start + 5000]
        for r in chunk:
            r["dataset_id"] = dataset_id
        conn.execute(sa.insert(responses), chunk)


def _integrity_failure(exc: IntegrityError, name: str) -> StoreError:
    """The StoreError for a failed save: a name taken meanwhile, or what the database said."""
    # Two people saving the same name at once: the unique constraint is the arbiter.
    if "datasets.name" in str(exc.orig) or "datasets_name" in str(exc.orig):
        return StoreError(f'A dataset called "{name}" already exists. Choose another name.')
    return StoreError(
        f"The dataset could not be saved, and nothing was written: {str(exc.orig)[:200]}"
    )


def _response_rows(df: pd.DataFrame) -> list[dict]:
    rows: list[dict] = []
    records = df.astype(object).where(df.notna(), None).to_dict("records")
    for i, rec in enumerate(records):
        sub = rec.get("submitted")
        rec["submitted"] = sub.to_pydatetime() if isinstance(sub, pd.Timestamp) else None
        rec["rating"] = float(rec["rating"]) if rec.get("rating") is not None else None
        rec["row_no"] = i
        rows.append(rec)
    return rows


def list_datasets(engine: Engine | None = None) -> pd.DataFrame:
    """All datasets, newest first, with their metadata (no answers)."""
    engine = engine or get_engine()

    def _q() -> pd.DataFrame:
        with engine.connect() as conn:
            rows = (
                conn.execute(
                    sa.select(datasets).order_by(
                        datasets.c.created_at.desc(), datasets.c.dataset_id.desc()
                    )
                )
                .mappings()
                .all()
            )
        return pd.DataFrame(rows, columns=[c.name for c in datasets.columns])

    return run_in_store(_q)


def get_dataset_meta(dataset_id: int, engine: Engine | None = None) -> dict | None:
    """Metadata of one dataset, or None when it does not exist."""
    engine = engine or get_engine()
    with engine.connect() as conn:
        row = (
            conn.execute(sa.select(datasets).where(datasets.c.dataset_id == dataset_id))
            .mappings()
            .first()
        )
    if row is None:
        return None
    meta = dict(row)
    meta["mapping"] = json.loads(meta.pop("mapping_json") or "{}")
    meta["report"] = json.loads(meta.pop("report_json") or "{}")
    return meta


def load_dataset(
    dataset_id: int, engine: Engine | None = None, *, with_no_content: bool = False
) -> pd.DataFrame:
    """The answers of one dataset (StoreError when it does not exist).

    Rows kept only to count who took part (blank or placeholder answers, `no_content` set) are left
    out unless `with_no_content`: they are never answers, never themed and never in a share.
    """
    engine = engine or get_engine()

    def _q() -> pd.DataFrame:
        content = _content_hash_of(dataset_id, engine)
        # The background worker keeps Parquet copies (snapshot_dataset): one read, not 200,000 rows.
        snapshot = snapshots.load_frame(_snapshot_key(dataset_id, content, with_no_content), engine)
        if snapshot is not None:
            return snapshot
        return _from_rows(dataset_id, engine, with_no_content)

    return run_in_store(_q)


def snapshot_dataset(
    dataset_id: int, engine: Engine | None = None, *, answers: pd.DataFrame | None = None
) -> None:
    """Keep Parquet copies of a dataset's answers and of every row (who took part), so a server
    opening it after a restart reads one value per frame (the background worker calls this).

    `answers`: the answers already read from the rows, when the caller has them.
    """
    engine = engine or get_engine()
    content = _content_hash_of(dataset_id, engine)
    for with_no_content in (False, True):
        key = _snapshot_key(dataset_id, content, with_no_content)
        if snapshots.has_frame(key, engine):
            continue
        frame = answers if answers is not None and not with_no_content else None
        if frame is None:
            frame = _from_rows(dataset_id, engine, with_no_content)
        snapshots.save_frame(key, frame, engine)


def _content_hash_of(dataset_id: int, engine: Engine) -> str:
    with engine.connect() as conn:
        found = conn.execute(
            sa.select(datasets.c.content_hash).where(datasets.c.dataset_id == dataset_id)
        ).first()
    if found is None:
        raise StoreError("That dataset no longer exists; choose another in the sidebar.")
    return str(found[0])


def _snapshot_key(dataset_id: int, content: str, with_no_content: bool) -> str:
    # Every row (with blank and placeholder answers, to count people) or the answers alone.
    return snapshots.dataset_key(dataset_id, content, "everyone" if with_no_content else "answers")


def _from_rows(dataset_id: int, engine: Engine, with_no_content: bool) -> pd.DataFrame:
    with engine.connect() as conn:
        query = sa.select(*[responses.c[c] for c in RESPONSE_COLUMNS]).where(
            responses.c.dataset_id == dataset_id
        )
        if not with_no_content:
            query = query.where(responses.c.no_content.is_(None))
        df = pd.read_sql(query.order_by(responses.c.row_no), conn)
    return conform_responses(df)


def delete_dataset(dataset_id: int, engine: Engine | None = None) -> bool:
    """Delete a dataset and its answers in one transaction; True when something was deleted."""
    engine = engine or get_engine()

    def _q() -> bool:
        with engine.begin() as conn:
            snapshots.delete_dataset_frames(conn, dataset_id)
            conn.execute(sa.delete(responses).where(responses.c.dataset_id == dataset_id))
            n = conn.execute(
                sa.delete(datasets).where(datasets.c.dataset_id == dataset_id)
            ).rowcount
        return bool(n)

    return run_in_store(_q)


def dataset_id_by_name(name: str, engine: Engine | None = None) -> int | None:
    """The id of the dataset called `name`, or None."""
    engine = engine or get_engine()
    with engine.connect() as conn:
        row = conn.execute(sa.select(datasets.c.dataset_id).where(datasets.c.name == name)).first()
    return int(row[0]) if row else None
