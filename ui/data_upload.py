"""App-side helpers for the Data page: reading an upload once, mapping widgets, saving."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from analysis import ingest
from analysis.core.schema import RESPONSE_COLUMNS, ValidationError

NONE = "(not in this file)"


@st.cache_data(max_entries=3, show_spinner="Reading the file…")
def read_upload_cached(data: bytes, filename: str) -> ingest.RawTable:
    """Read an uploaded file once per content (the bytes are the cache key)."""
    return ingest.read_upload(data, filename)


def upload_key(data: bytes) -> str:
    """A short content hash that keys the widgets of one upload."""
    return hashlib.sha256(data).hexdigest()[:12]


def mapping_editor(raw: ingest.RawTable, key: str) -> dict[str, str | list[str]]:
    """Show the suggested column mapping as widgets the user can correct; return the mapping."""
    columns = [str(c) for c in raw.frame.columns]
    suggested = ingest.suggest_mapping(columns, raw.frame.head(200))
    text_default = suggested.get("text", [])
    if isinstance(text_default, str):
        text_default = [text_default]
    mapping: dict[str, str | list[str]] = {}
    mapping["text"] = st.multiselect(
        "Free-text answer column(s)",
        options=columns,
        default=[c for c in text_default if c in columns],
        key=f"map_text_{key}",
        help="Choose several when the export has one column per question; each becomes its own answer.",
    )
    grid = st.columns(3)
    # With several answer columns, each answer's question is its column header, not a column.
    skipped = ("text", "question") if len(mapping["text"]) > 1 else ("text",)
    skipped += ("no_content",)  # worked out by ingest, never a column of the file
    for i, canonical in enumerate(c for c in RESPONSE_COLUMNS if c not in skipped):
        default = suggested.get(canonical)
        options = [NONE] + columns
        index = options.index(default) if isinstance(default, str) and default in options else 0
        choice = grid[i % 3].selectbox(
            canonical, options=options, index=index, key=f"map_{canonical}_{key}"
        )
        if choice != NONE:
            mapping[canonical] = choice
    return mapping


def report_tables(report) -> tuple[pd.DataFrame, pd.DataFrame]:  # noqa: ANN001 - ValidationReport
    """The report's problems and row problems as tables (row problems capped for display)."""
    problems = pd.DataFrame({"problem": report.problems})
    rows = pd.DataFrame(
        [
            {"row": p.row, "reason": p.reason, "rejected": p.rejected}
            for p in report.row_problems[:5000]
        ],
        columns=["row", "reason", "rejected"],
    )
    return problems, rows


def safe_read(data: bytes, filename: str) -> tuple[ingest.RawTable | None, str | None]:
    """Read an upload, returning (raw, None) or (None, the reason it cannot be read)."""
    try:
        return read_upload_cached(data, filename), None
    except ValidationError as exc:
        return None, str(exc)
