"""Persistence of the engagement log (one table on analysis.store.datasets.METADATA).

Every save is one transaction: an import either adds all its good rows or nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from analysis import store
from analysis.core import config
from analysis.core.roles import LOCAL_USER
from analysis.core.schema import ENGAGEMENT_COLUMNS, RowProblem, ValidationError
from analysis.voices.engagement import (
    EngagementValidation,
    empty_log,
    validate_engagement,
    validate_entry,
)

log = logging.getLogger(__name__)

engagement_log = sa.Table(
    "engagement_log",
    store.METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("activity_id", sa.String(40), nullable=False, unique=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("activity_type", sa.String(40), nullable=False),
    sa.Column("title", sa.Text, nullable=False, default=""),
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("participants", sa.Integer, nullable=False),
    sa.Column("lived_experience", sa.Integer),
    sa.Column("locality", sa.Text, nullable=False, default=""),
    sa.Column("make_up", sa.Text, nullable=False, default=""),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("added_by", sa.String(200), nullable=False, default=LOCAL_USER),
)


@dataclass
class ImportResult:
    """What an import did: rows added, and every problem by source row number."""

    added: int
    problems: list[RowProblem] = field(default_factory=list)

    def messages(self) -> list[str]:
        """Problems as one line each."""
        return [f"Row {p.row}: {p.reason}" for p in self.problems]


def _engine(engine: Engine | None) -> Engine:
    return engine or store.get_engine()


def list_entries(engine: Engine | None = None) -> pd.DataFrame:
    """The whole log, oldest first, canonical columns and dtypes."""
    eng = _engine(engine)

    def _q() -> pd.DataFrame:
        with eng.connect() as conn:
            rows = (
                conn.execute(
                    sa.select(*[engagement_log.c[c] for c in ENGAGEMENT_COLUMNS]).order_by(
                        engagement_log.c.date, engagement_log.c.id
                    )
                )
                .mappings()
                .all()
            )
        if not rows:
            return empty_log()
        frame = pd.DataFrame([dict(r) for r in rows], columns=list(ENGAGEMENT_COLUMNS))
        return validate_engagement(
            frame.astype(object).where(frame.notna(), ""), today=date(9998, 1, 1)
        ).entries

    return store.run_in_store(_q)


def _next_ids(conn: sa.Connection, n: int) -> list[str]:
    """Fresh activity ids ("ENG-0041", ...) after the highest stored numeric one."""
    ids = conn.execute(sa.select(engagement_log.c.activity_id)).scalars().all()
    nums = [int(i[4:]) for i in ids if i.startswith("ENG-") and i[4:].isdigit()]
    start = max(nums, default=0) + 1
    return [f"ENG-{k:04d}" for k in range(start, start + n)]


def save_entries(
    entries: pd.DataFrame, *, added_by: str = LOCAL_USER, engine: Engine | None = None
) -> tuple[int, list[str]]:
    """Insert validated entries in one transaction; return (added, ids skipped as already stored)."""
    eng = _engine(engine)
    if entries.empty:
        return 0, []

    def _q() -> tuple[int, list[str]]:
        with eng.begin() as conn:
            existing = set(conn.execute(sa.select(engagement_log.c.activity_id)).scalars().all())
            recs = entries.to_dict("records")
            skipped = [
                str(r["activity_id"])
                for r in recs
                if r["activity_id"] and r["activity_id"] in existing
            ]
            recs = [r for r in recs if not (r["activity_id"] and r["activity_id"] in existing)]
            fresh = iter(_next_ids(conn, sum(1 for r in recs if not r["activity_id"])))
            now = store.now_utc()
            rows = []
            for r in recs:
                le = r["lived_experience"]
                rows.append(
                    {
                        "activity_id": str(r["activity_id"]) or next(fresh),
                        "date": pd.Timestamp(r["date"]).date(),
                        "activity_type": str(r["activity_type"]),
                        "title": str(r["title"] or ""),
                        "level": str(r["level"]),
                        "participants": int(r["participants"]),
                        "lived_experience": None if pd.isna(le) else int(le),
                        "locality": str(r["locality"] or ""),
                        "make_up": str(r["make_up"] or ""),
                        "added_at": now,
                        "added_by": added_by[:200],
                    }
                )
            if rows:
                conn.execute(sa.insert(engagement_log), rows)
        return len(rows), skipped

    added, skipped = store.run_in_store(_q)
    log.info("engagement log: %d added, %d skipped", added, len(skipped))
    return added, skipped


def add_entry(entry: dict, *, added_by: str = LOCAL_USER, engine: Engine | None = None) -> str:
    """Validate and store one activity (e.g. from the form); return its id. ValidationError if bad."""
    row = validate_entry(entry)
    if row.loc[0, "activity_id"]:
        raise ValidationError("New entries get their id automatically; leave the id empty.")
    eng = _engine(engine)
    added, _ = save_entries(row, added_by=added_by, engine=eng)
    if not added:
        raise ValidationError("The entry could not be saved.")
    with eng.connect() as conn:
        return str(
            conn.execute(
                sa.select(engagement_log.c.activity_id).order_by(engagement_log.c.id.desc())
            ).scalar()
        )


def import_log(
    data: bytes, filename: str, *, added_by: str = LOCAL_USER, engine: Engine | None = None
) -> ImportResult:
    """Import a CSV/XLSX log: validate every row, store the good ones in one transaction."""
    from analysis import ingest  # the shared reader: encodings, delimiters, XLSX, size limits

    raw = ingest.read_upload(data, filename)
    validation: EngagementValidation = validate_engagement(raw.frame, raw.row_numbers or None)
    problems = list(getattr(raw, "row_problems", []) or []) + list(validation.problems)
    added, skipped = save_entries(validation.entries, added_by=added_by, engine=engine)
    if skipped:
        problems.append(
            RowProblem(
                0,
                f"{len(skipped)} activity id(s) already in the log were skipped: "
                f"{', '.join(skipped[:5])}{' ...' if len(skipped) > 5 else ''}",
            )
        )
    return ImportResult(added, problems)


def ensure_demo_engagement(engine: Engine | None = None) -> int:
    """Load the demo log when the log is empty; return how many rows were added (0 if not empty)."""
    eng = _engine(engine)
    with eng.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(engagement_log)).scalar() or 0
    if count or not config.DEMO_ENGAGEMENT_LOG.is_file():
        return 0
    frame = pd.read_csv(config.DEMO_ENGAGEMENT_LOG, dtype=str, keep_default_na=False)
    validation = validate_engagement(frame, today=date(9998, 1, 1))
    try:
        added, _ = save_entries(validation.entries, added_by="demo", engine=eng)
    except store.StoreError:
        # Another session seeded it at the same moment (unique ids clash): the log is there.
        if list_entries(eng).empty:
            raise
        return 0
    return added
