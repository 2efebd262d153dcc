"""Read an uploaded survey export (CSV or XLSX), map its columns and turn it into canonical responses.

    raw = read_upload(data, "export.csv")                 # bytes -> RawTable (every cell a string)
    mapping = suggest_mapping(list(raw.frame.columns), raw.frame.head(200))
    responses, report = to_responses(raw, mapping)       # canonical table + ValidationReport

Nothing is lost quietly: malformed rows, unreadable dates, empty rows, repeated ids, duplicates,
truncated or NUL-carrying text all end up in the report with their source row numbers (row 1 is the
header, as a spreadsheet user counts). Respondent text is kept as plain text, whatever it contains.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.core import config
from analysis.core.schema import RowProblem, ValidationError, ValidationReport
from analysis.ingest.answer_rows import build_answers
from analysis.ingest.cleaning import strip_bidi_frame
from analysis.ingest.csv_reader import clean_header, parse_delimited
from analysis.ingest.decoding import OLD_OFFICE, decode_bytes, describe_binary
from analysis.ingest.header_rows import extra_header_rows, merge_option_row
from analysis.ingest.header_rules import MAPPABLE
from analysis.ingest.mapping import (
    MappingSuggestion,
    explain_mapping,
    suggest_mapping,
    text_columns,
)
from analysis.ingest.placeholders import placeholder_set
from analysis.ingest.row_checks import non_empty_rows, report_duplicates, report_read_problems
from analysis.ingest.xlsx_reader import SheetTable, is_zip, read_xlsx

log = logging.getLogger(__name__)

__all__ = [
    "RawTable",
    "read_upload",
    "read_path",
    "suggest_for",
    "suggest_mapping",
    "to_responses",
    "load_responses",
]

_SAMPLE_ROWS = 200


@dataclass
class RawTable:
    """An export as read: every cell a string ("" when empty), plus how it was read and what went wrong."""

    frame: pd.DataFrame
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    problems: list[str] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    row_problems: list[RowProblem] = field(
        default_factory=list
    )  # rows rejected or repaired while reading
    header_row: int = 1  # the row (line) the header was on, as a spreadsheet user counts
    header_rows: int = 1  # rows the header takes (Qualtrics: 3)
    descriptions: dict[str, str] = field(default_factory=dict)  # column -> question wording


def _frame(header: list[str], rows: list[list[str]]) -> pd.DataFrame:
    return (
        pd.DataFrame(rows, columns=header, dtype=object)
        if rows
        else pd.DataFrame({h: pd.Series([], dtype=object) for h in header})
    )


def read_upload(
    data: bytes, filename: str, *, max_bytes: int = config.MAX_UPLOAD_BYTES
) -> RawTable:
    """Read an uploaded CSV/TSV/XLSX export; raise ValidationError (one line) when nothing can be read."""
    data = _upload_bytes(data, max_bytes)
    name = str(filename or "")
    ext = Path(name).suffix.lower()
    problems: list[str] = []
    if is_zip(data):
        raw = _read_workbook(data, ext, problems)
    else:
        raw = _read_text(data, ext, problems)
    if raw.header_rows > 1:
        first, last = raw.header_row + 1, raw.header_row + raw.header_rows - 1
        span = (
            f"row {first} below it holds" if first == last else f"rows {first}-{last} below it hold"
        )
        raw.problems.append(
            f"The header is on row {raw.header_row}; {span} more header text "
            "(question wording or tool codes), not answers, and were not read as answers."
        )
    _strip_bidi(raw)
    if raw.frame.empty:
        raw.problems.append("The file has a header row but no answers below it.")
    log.info("read %s: %d rows x %d columns", name or "upload", len(raw.frame), raw.frame.shape[1])
    return raw


def _upload_bytes(data: bytes, max_bytes: int) -> bytes:
    """The upload as bytes; raise ValidationError when it is not bytes, too large or empty."""
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise ValidationError("The upload could not be read (expected the file's bytes).")
    if len(data) > max_bytes:
        raise ValidationError(
            f"The file is {len(data) / 1e6:,.1f} MB; the largest upload allowed is {max_bytes / 1e6:,.1f} MB."
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ValidationError("The file is empty.")
    return data


def _read_workbook(data: bytes, ext: str, problems: list[str]) -> RawTable:
    """Read an Excel workbook's chosen sheet; `problems` collects what the reader noticed."""
    if ext not in (".xlsx", ".xlsm", ""):
        problems.append(f"The file is named {ext} but is an Excel workbook; it was read as one.")
    table = read_xlsx(data, _pick_sheet)
    problems.extend(table.problems)
    rows, numbers, extra, descriptions = _below_header(table.header, table.rows, table.row_numbers)
    return RawTable(
        _frame(table.header, rows), None, None, table.sheet, problems, numbers,
        header_row=table.header_row, header_rows=1 + extra, descriptions=descriptions,
    )  # fmt: skip


def _read_text(data: bytes, ext: str, problems: list[str]) -> RawTable:
    """Read a delimited text export; refuse binary files and markup with a clear message."""
    kind = describe_binary(data)
    if kind == OLD_OFFICE:
        raise ValidationError(
            f"This is {kind}; save it as .xlsx (without a password) or as CSV and upload that."
        )
    if kind:
        raise ValidationError(f"This file is {kind}, not a CSV or Excel (.xlsx) file.")
    if ext in (".xlsx", ".xlsm"):
        problems.append(f"The file is named {ext} but is plain text; it was read as CSV.")
    text, encoding, decode_problems = decode_bytes(data)
    _refuse_markup(text)
    problems.extend(decode_problems)
    parsed = parse_delimited(text, encoding)
    problems.extend(parsed.problems)
    rows, numbers, extra, descriptions = _below_header(
        parsed.header, parsed.rows, parsed.row_numbers
    )
    return RawTable(
        _frame(parsed.header, rows), parsed.encoding, parsed.delimiter, None, problems,
        numbers, parsed.row_problems, header_row=parsed.header_line, header_rows=1 + extra,
        descriptions=descriptions,
    )  # fmt: skip


def _below_header(
    header: list[str], rows: list[list[str]], numbers: list[int]
) -> tuple[list[list[str]], list[int], int, dict[str, str]]:
    """Rows and row numbers without the extra header rows some tools write below the header."""
    extra, descriptions = extra_header_rows(header, rows)
    if len(numbers) != len(rows):
        numbers = list(range(2, len(rows) + 2))
    if extra:
        merged = merge_option_row(header, rows[0])
        if merged is not None:
            header[:] = clean_header(merged)
            descriptions = {}
    return rows[extra:], numbers[extra:], extra, descriptions


def _strip_bidi(raw: RawTable) -> None:
    """Remove bidirectional control characters from every cell and header, and say so."""
    raw.frame, changed = strip_bidi_frame(raw.frame)
    if changed:
        raw.problems.append(
            f"Hidden text-direction characters (Unicode bidi controls) were removed from {changed} "
            "cell(s): they can make text display reversed."
        )


def _refuse_markup(text: str) -> None:
    """Old systems save HTML or Excel 2003 XML under a spreadsheet name; say so instead of misreading it."""
    head = text[:2000].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<html", "<!doctype html", "<table")) or (
        "<html" in head and head.startswith("<")
    ):
        raise ValidationError(
            "This is a web page (HTML), not a CSV; open it in Excel and save it as .xlsx or CSV."
        )
    if (
        head.startswith("<?xml")
        and "urn:schemas-microsoft-com:office:spreadsheet" in text[:5000].lower()
    ):
        raise ValidationError(
            "This is an Excel 2003 XML file; open it in Excel and save it as .xlsx or CSV."
        )


def read_path(path: str | Path, *, max_bytes: int = config.MAX_UPLOAD_BYTES) -> RawTable:
    """Read an export from a file path (the size cap is checked before reading)."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ValidationError(f"Cannot open {p.name}: {exc.strerror or exc}.") from exc
    if size > max_bytes:
        raise ValidationError(
            f"The file is {size / 1e6:,.1f} MB; the largest allowed is {max_bytes / 1e6:,.1f} MB."
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Cannot read {p.name}: {exc.strerror or exc}.") from exc
    return read_upload(data, p.name, max_bytes=max_bytes)


def _pick_sheet(tables: list[SheetTable]) -> SheetTable:
    """The sheet that looks like the data: a mapped free-text column first, then most non-empty rows."""

    def score(t: SheetTable) -> tuple:
        sample = _frame(t.header, t.rows[:_SAMPLE_ROWS])
        mapping = suggest_mapping(t.header, sample)
        filled = sum(1 for r in t.rows if any(c.strip() for c in r))
        return (bool(text_columns(mapping)), filled, len(mapping))

    best = max(tables, key=score)  # max keeps the first of equals: workbook order breaks ties
    if len(tables) > 1:
        best.problems.insert(
            0, f'Read sheet "{best.sheet}" (the workbook has {len(tables)} sheets with data).'
        )
    return best


def suggest_for(raw: RawTable) -> MappingSuggestion:
    """The suggested mapping of a read export, from its headers, question wording and values."""
    return explain_mapping(
        list(raw.frame.columns), raw.frame.head(_SAMPLE_ROWS), descriptions=raw.descriptions
    )


def _check_mapping(raw: RawTable, mapping: dict) -> dict:
    cols = set(raw.frame.columns)
    clean: dict = {}
    for key, value in (mapping or {}).items():
        if key not in MAPPABLE:
            raise ValidationError(f'"{key}" is not a column of the responses table.')
        if key == "text":
            values = [value] if isinstance(value, str) else list(value or [])
            values = [v for v in values if v]
            missing = [v for v in values if v not in cols]
            if missing:
                raise ValidationError(f'The mapped text column "{missing[0]}" is not in the file.')
            if values:
                clean[key] = values[0] if len(values) == 1 else values
            continue
        if value in (None, ""):
            continue
        if not isinstance(value, str) or value not in cols:
            raise ValidationError(f'The column "{value}" mapped to {key} is not in the file.')
        clean[key] = value
    if "text" not in clean:
        shown = ", ".join(f'"{c}"' for c in list(raw.frame.columns)[:8])
        raise ValidationError(
            f"No column holds free-text answers; choose the answer column (columns: {shown})."
        )
    return clean


def to_responses(
    raw: RawTable,
    mapping: dict | None = None,
    placeholders: Iterable[str] | None = None,
    date_order: str | None = None,
) -> tuple[pd.DataFrame, ValidationReport]:
    """Turn a RawTable into canonical responses (one row per answer) and a report of what happened.

    Args:
        raw: the export as read.
        mapping: canonical column -> source column(s); suggested when None.
        placeholders: the whole list of answers that say nothing ("N/A", "Did not answer"), as the
            user edited it; None uses analysis.ingest.placeholders.DEFAULT_PLACEHOLDERS. Blanks and
            punctuation alone are always no content.
        date_order: "dayfirst", "monthfirst" or "iso" for the date column; None reads the order
            its values settle (day-first, reported as unsettled, when they do not).

    Raises ValidationError when the mapping names no free-text column or a column the file lacks.
    """
    if mapping is None:
        mapping = suggest_mapping(list(raw.frame.columns), raw.frame.head(_SAMPLE_ROWS))
    if raw.frame.shape[1]:
        _strip_bidi(raw)  # a RawTable built by hand has not been through read_upload
    mapping = _check_mapping(raw, mapping)
    report = ValidationReport(
        mapping=dict(mapping),
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        sheet=raw.sheet,
        header_row=raw.header_row,
    )
    report_read_problems(raw.problems, raw.row_problems, report)

    # A RawTable built by hand (not by read_upload) may hold None/NaN: those are empty cells.
    frame = raw.frame.astype(object).where(raw.frame.notna(), "").astype(str)
    numbers = (
        list(raw.row_numbers)
        if len(raw.row_numbers) == len(frame)
        else list(range(2, len(frame) + 2))
    )
    values = frame.astype(str).to_numpy().tolist() if len(frame) else []
    columns = list(frame.columns)
    keep = non_empty_rows(values, numbers, report)
    report_duplicates(values, keep, numbers, columns, mapping, report)
    words = None if placeholders is None else placeholder_set(placeholders, defaults=False)
    rows = build_answers(
        frame.iloc[keep], [numbers[i] for i in keep], mapping, report, words, date_order
    )
    report.answers = int(rows["no_content"].isna().sum())
    return rows, report


def load_responses(
    path_or_bytes: str | Path | bytes,
    filename: str | None = None,
    mapping: dict | None = None,
    placeholders: Iterable[str] | None = None,
    date_order: str | None = None,
) -> tuple[pd.DataFrame, ValidationReport]:
    """Read a file (path or bytes) and return canonical responses and the report (mapping suggested when None)."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        raw = read_upload(bytes(path_or_bytes), filename or "upload.csv")
    else:
        raw = read_path(path_or_bytes)
    return to_responses(raw, mapping, placeholders, date_order)
