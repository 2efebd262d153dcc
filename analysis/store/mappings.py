"""Column mappings remembered per export shape, so next quarter's file from the same tool maps itself.

The key is the export's header signature (analysis.ingest.header_signature): the same headers in the
same order. A file whose headers are only close to a remembered one's (a column added, one renamed,
the order changed: the same tool next quarter) gets the closest mapping through recall_similar, for the
upload flow to reuse what still fits. What is kept is what the user confirmed on saving: the mapping,
their placeholder list and the date order they chose, and the headers. Nothing from the answers is kept.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from analysis.ingest.header_rules import normalise_header
from analysis.store.database import METADATA, get_engine, now_utc, run_in_store

log = logging.getLogger(__name__)

remembered_mappings = sa.Table(
    "remembered_mappings",
    METADATA,
    sa.Column("signature", sa.String(64), primary_key=True),
    sa.Column("headers_json", sa.Text, nullable=False),
    sa.Column("mapping_json", sa.Text, nullable=False),
    sa.Column("placeholders_json", sa.Text),
    sa.Column("date_order", sa.String(20)),
    sa.Column("saved_by", sa.String(200), nullable=False),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class RememberedMapping:
    """A confirmed mapping for one header signature, with who confirmed it and when."""

    mapping: dict
    placeholders: list[str] | None
    date_order: str | None
    saved_by: str
    saved_at: datetime
    headers: list[str] = field(default_factory=list)  # the headers of the file it was confirmed on


def remember_mapping(
    signature: str,
    headers: list[str],
    mapping: dict,
    *,
    placeholders: list[str] | None = None,
    date_order: str | None = None,
    who: str,
    engine: Engine | None = None,
) -> None:
    """Keep (or replace) the confirmed mapping for one header signature."""
    engine = engine or get_engine()
    values = {
        "headers_json": json.dumps(list(headers)),
        "mapping_json": json.dumps(mapping),
        "placeholders_json": None if placeholders is None else json.dumps(list(placeholders)),
        "date_order": date_order,
        "saved_by": str(who)[:200],
        "saved_at": now_utc(),
    }

    def _q() -> None:
        with engine.begin() as conn:
            t = remembered_mappings
            updated = conn.execute(
                sa.update(t).where(t.c.signature == signature).values(**values)
            ).rowcount
            if not updated:
                conn.execute(sa.insert(t).values(signature=signature, **values))

    run_in_store(_q)
    log.info("remembered the mapping for header signature %s", signature[:12])


def recall_mapping(signature: str, engine: Engine | None = None) -> RememberedMapping | None:
    """The mapping confirmed for this header signature, or None."""
    engine = engine or get_engine()

    def _q() -> RememberedMapping | None:
        with engine.connect() as conn:
            t = remembered_mappings
            row = conn.execute(sa.select(t).where(t.c.signature == signature)).mappings().first()
        if row is None:
            return None
        return _from_row(row)

    return run_in_store(_q)


def _from_row(row) -> RememberedMapping:  # noqa: ANN001 - a SQLAlchemy row mapping
    placeholders = row["placeholders_json"]
    return RememberedMapping(
        mapping=json.loads(row["mapping_json"]),
        placeholders=None if placeholders is None else json.loads(placeholders),
        date_order=row["date_order"],
        saved_by=row["saved_by"],
        saved_at=row["saved_at"],
        headers=[str(h) for h in json.loads(row["headers_json"] or "[]")],
    )


# Headers two exports must share (of all the headers either has) for one to reuse the other's mapping:
# one column added to or renamed in a file of five still qualifies; a different survey does not.
SIMILAR_HEADERS = 0.6


def header_overlap(a: list[str], b: list[str]) -> float:
    """The share of headers two exports have in common (normalised, order ignored), 0 to 1."""
    sa_, sb = {normalise_header(h) for h in a}, {normalise_header(h) for h in b}
    union = sa_ | sb
    return len(sa_ & sb) / len(union) if union else 0.0


def recall_similar(
    headers: list[str], engine: Engine | None = None, minimum: float = SIMILAR_HEADERS
) -> RememberedMapping | None:
    """The remembered mapping whose headers overlap these most (at least `minimum`; the newest on a
    tie), or None. A store keeps one row per export shape, so all are compared."""
    engine = engine or get_engine()

    def _q() -> list:
        with engine.connect() as conn:
            t = remembered_mappings
            return list(conn.execute(sa.select(t).order_by(t.c.saved_at.desc())).mappings())

    best, best_overlap = None, minimum
    for row in run_in_store(_q):
        overlap = header_overlap(headers, json.loads(row["headers_json"] or "[]"))
        if overlap > best_overlap or (best is None and overlap >= minimum):
            best, best_overlap = row, overlap
    return None if best is None else _from_row(best)
