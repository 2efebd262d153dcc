"""App-side helpers for the Data page: reading an upload once, the mapping form, the preview, saving."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from analysis import ingest, store
from analysis.core.schema import ValidationError
from analysis.ingest.dates import DAYFIRST, MONTHFIRST, ORDER_WORDS
from analysis.ingest.fields import FIELD_WORDS
from analysis.store import uploads
from ui import auth
from ui.widgets import md_safe

NONE = "(not in this file)"


@st.cache_data(max_entries=3, show_spinner="Reading the file…")
def read_upload_cached(data: bytes, filename: str) -> ingest.RawTable:
    """Read an uploaded file once per content (the bytes are the cache key)."""
    return ingest.read_upload(data, filename)


def upload_key(data: bytes) -> str:
    """A short content hash that keys the widgets of one upload."""
    return hashlib.sha256(data).hexdigest()[:12]


def describe_read(raw: ingest.RawTable) -> None:
    """One line on how the file was read: rows, columns, encoding, sheet, where the header was."""
    st.text(
        f"Read {len(raw.frame):,} rows and {raw.frame.shape[1]} columns"
        + (f" (encoding {raw.encoding})" if raw.encoding else "")
        + (f" from sheet {raw.sheet!r}" if raw.sheet else "")
        + f"; header on row {raw.header_row}"
        + (
            f" (with {raw.header_rows - 1} more header row(s) below it)"
            if raw.header_rows > 1
            else ""
        )
    )


def upload_form(raw: ingest.RawTable, key: str) -> uploads.UploadChoices:
    """The mapping form: answer columns, every field in words with an example, dates, placeholders."""
    start = uploads.start_upload(raw)
    _say_where_the_mapping_came_from(start)
    columns = [str(c) for c in raw.frame.columns]
    suggested = start.choices.mapping
    st.markdown("**Column mapping**: which column holds what (check it; change it if it is wrong)")
    mapping: dict[str, str | list[str]] = {}
    mapping["text"] = st.multiselect(
        FIELD_WORDS["text"] + " (one or more columns)",
        options=columns,
        default=[c for c in ingest.mapping_text_columns(suggested) if c in columns],
        key=f"map_text_{key}",
        help="Choose several when the export has one column per question; each becomes its own answer.",
    )
    for col in mapping["text"]:
        st.caption(md_safe(f"e.g. {col}: {start.examples.get(col) or '(empty)'}"))
    grid = st.columns(3)
    # With several answer columns, each answer's question is its column header, not a column.
    skipped = {"text", "question"} if len(mapping["text"]) > 1 else {"text"}
    fields = [f for f in FIELD_WORDS if f not in skipped]
    for i, field_name in enumerate(fields):
        default = suggested.get(field_name)
        options = [NONE] + columns
        index = options.index(default) if isinstance(default, str) and default in options else 0
        with grid[i % 3]:
            choice = st.selectbox(
                FIELD_WORDS[field_name], options=options, index=index, key=f"map_{field_name}_{key}"
            )
            if choice != NONE:
                mapping[field_name] = choice
                st.caption(md_safe(f"e.g. {start.examples.get(choice) or '(empty)'}"))
    date_order = _date_order_choice(raw, mapping, start, key)
    placeholders = _placeholder_list(start, key)
    return uploads.UploadChoices(mapping, placeholders, date_order)


def _listed(names: list[str], most: int = 8) -> str:
    """Column names in a sentence, the first `most` of them and how many more."""
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _say_where_the_mapping_came_from(start: uploads.UploadStart) -> None:
    if start.remembered is not None and start.remembered_exact:
        when = pd.Timestamp(start.remembered.saved_at).strftime("%d %b %Y")
        st.success(
            md_safe(
                f"This file has the same columns as one saved before, so the mapping confirmed then "
                f"(by {start.remembered.saved_by}, {when}) was used. Check it below."
            )
        )
        return
    if start.remembered is not None:
        when = pd.Timestamp(start.remembered.saved_at).strftime("%d %b %Y")
        changes = []
        if start.new_columns:
            changes.append("new columns: " + _listed(start.new_columns))
        if start.gone_columns:
            changes.append("no longer in the file: " + _listed(start.gone_columns))
        st.info(
            md_safe(
                "This file's columns are close to those of a file saved before, so the mapping "
                f"confirmed then (by {start.remembered.saved_by}, {when}) was used where its columns are "
                "still here, and a suggestion elsewhere. "
                + (
                    f"What changed: {'; '.join(changes)}. "
                    if changes
                    else "Only the order changed. "
                )
                + "Check the mapping below, especially for those columns."
            )
        )
        for unsure in start.suggestion.unsure:
            st.warning(md_safe(unsure))
        return
    for note in start.suggestion.notes:
        st.info(md_safe(note))
    for unsure in start.suggestion.unsure:
        st.warning(md_safe(unsure))


def _date_order_choice(
    raw: ingest.RawTable, mapping: dict, start: uploads.UploadStart, key: str
) -> str | None:
    """Ask for the date order when the chosen date column's values do not settle it."""
    column = mapping.get("submitted")
    if not isinstance(column, str):
        return None
    found = ingest.infer_date_order(raw.frame[column])
    if found.settled and start.choices.date_order is None:
        st.caption(md_safe(f"Dates are read {ORDER_WORDS[found.order]}: the values settle it."))
        return None
    remembered = start.choices.date_order
    options = [DAYFIRST, MONTHFIRST]
    return st.radio(
        md_safe(
            f'Dates in "{column}" can be read day first or month first'
            + (f' (e.g. "{found.example}")' if found.example else "")
            + ": which is it?"
        ),
        options=options,
        format_func=ORDER_WORDS.get,
        index=options.index(remembered) if remembered in options else None,
        key=f"date_order_{key}",
    )


def _placeholder_list(start: uploads.UploadStart, key: str) -> list[str]:
    """The user's list of answers that say nothing, starting from the remembered or default list."""
    words = start.choices.placeholders or list(uploads.DEFAULT_PLACEHOLDERS)
    with st.expander("Answers that say nothing (no content)"):
        st.caption(
            "Blank answers and these words are kept to count who took part, but are never answers: "
            "never themed and never in a share. One per line; capitals and a final full stop do not "
            "matter. 'None' and 'Nothing' are not on the list: in answer to 'what could be better?' "
            "they say there was nothing to improve. Add them if your question makes them empty."
        )
        text = st.text_area("No-content answers", value="\n".join(words), key=f"nothing_{key}")
    return [w.strip() for w in text.splitlines() if w.strip()]


def show_preview(preview: uploads.UploadPreview) -> None:
    """The validation report and a preview of the answers, or why the choices cannot be used."""
    if preview.error:
        st.error(md_safe(preview.error))
        return
    report = preview.report
    st.markdown("**Validation report**")
    c = st.columns(4)
    c[0].metric("Answers that will load", f"{report.answers:,}")
    c[1].metric("No content (blank, N/A...)", f"{report.no_content:,}")
    c[2].metric("Rows rejected", f"{report.rejected_rows:,}")
    c[3].metric("Repeated response ids (kept)", f"{report.duplicates:,}")
    problems, rows = report_tables(report)
    if not problems.empty:
        st.dataframe(problems, hide_index=True, key="upload_problems")
    if not rows.empty:
        with st.expander(f"Row problems ({len(report.row_problems):,})"):
            st.dataframe(rows, hide_index=True, key="upload_row_problems")
    with st.expander("Preview of the answers as they will be saved"):
        st.dataframe(preview.responses.head(50), hide_index=True, key="upload_preview")


def save_form(raw: ingest.RawTable, preview: uploads.UploadPreview, filename: str) -> int | None:
    """The name box and Save button; the new dataset's id once saved (the mapping is remembered)."""
    if preview.report is None:
        return None
    if preview.needs_date_order:
        st.warning("Choose the date order above before saving.")
    with st.form("save_dataset"):
        default_name = filename.rsplit(".", 1)[0][:80]
        name = st.text_input("Dataset name", value=default_name, max_chars=200, key="save_name")
        submitted = st.form_submit_button(
            "Save dataset",
            type="primary",
            disabled=not preview.report.usable or preview.needs_date_order,
        )
    if not submitted:
        return None
    try:
        return uploads.save_upload(name, raw, preview, filename=filename, who=auth.editor_name())
    except (store.StoreError, ValidationError) as exc:
        st.error(md_safe(exc))
        return None


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
