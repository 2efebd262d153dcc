"""Where a table's header is: title rows above it and extra header rows below it.

Survey tools write more than one header row. Qualtrics writes three (short names, the question
wording, then `{"ImportId":"QID2"}` JSON); SmartSurvey and Excel reports put a title and a blank row
above the header; some tools put the question on one row and its options on the next. Rows like
these are not answers: the header is the first row nearly as wide as the table, and a row just below
it is another header row when its cells do not fit the values their columns hold further down (a
question where the column holds dates, numbers, ids or a few categories).
"""

from __future__ import annotations

import re
from collections import Counter

SCAN_ROWS = 30  # title rows above the header are common in survey exports
_MAX_EXTRA = 3  # header rows below the first one (Qualtrics writes two)
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:', re.IGNORECASE)
_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?%?$")
_DATE = re.compile(r"^\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}([ T,].*)?$|^\d{1,2}:\d{2}")
_TOKEN_WITH_DIGIT = re.compile(r"^(?=.*\d)[\w\-.:/#]{4,40}$")
_BOOL = {"true", "false", "yes", "no", "1", "0"}
_UNNAMED = re.compile(r"^Column \d+$")  # what clean_header calls a blank header cell


def header_index(records: list[list[str]]) -> int:
    """Index of the header among the first non-empty records: the first nearly as wide as the table."""
    top = records[:SCAN_ROWS]
    if not top:
        return 0
    filled = [sum(1 for x in c if str(x).strip()) for c in top]
    widest = max(filled)
    for i, n in enumerate(filled):
        if n >= max(2, 0.6 * widest) or widest < 2:
            return i
    return 0


def _kind(value: str) -> str:
    v = value.strip()
    if _NUMBER.match(v):
        return "number"
    if _DATE.match(v):
        return "date"
    if v.lower() in _BOOL:
        return "bool"
    if _TOKEN_WITH_DIGIT.match(v):
        return "token"
    return "text"


def _column_models(rows: list[list[str]], width: int) -> list[tuple[str, set[str]] | None]:
    """Per column, the kind of value it holds further down, and its categories when it has a few."""
    models: list[tuple[str, set[str]] | None] = []
    for j in range(width):
        vals = [r[j].strip() for r in rows if j < len(r) and r[j].strip()]
        if len(vals) < 5:
            models.append(None)
            continue
        kind, count = Counter(_kind(v) for v in vals).most_common(1)[0]
        distinct = set(vals)
        cats = distinct if len(distinct) <= 12 and len(distinct) <= 0.5 * len(vals) else set()
        models.append((kind, cats) if count >= 0.9 * len(vals) else None)
    return models


def _is_header_row(row: list[str], models: list, header: list[str], filled: list[float]) -> bool:
    """True when a row just below the header is more header (question wording, codes, options)."""
    cells = [(j, c.strip()) for j, c in enumerate(row) if c.strip()]
    if not cells:
        return False
    # An options row under a question merged across columns: it names the unnamed columns and is
    # blank where every answer row has a value (the id, the date).
    names_unnamed = any(_UNNAMED.match(header[j]) for j, _ in cells if j < len(header))
    blank_where_filled = sum(
        1 for j, f in enumerate(filled) if f >= 0.95 and not (j < len(row) and row[j].strip())
    )
    if names_unnamed and blank_where_filled >= 2:
        return True
    if sum(1 for _, c in cells if _IMPORT_ID.match(c)) >= 0.5 * len(cells):
        return True
    evidence = misfits = 0
    for j, c in cells:
        model = models[j] if j < len(models) else None
        if model is None:
            continue
        kind, cats = model
        if kind == "text" and not cats:
            continue  # free text fits anything
        evidence += 1
        if (cats and c not in cats) or (not cats and _kind(c) != kind):
            misfits += 1
    return evidence >= 2 and misfits >= 0.75 * evidence


def extra_header_rows(header: list[str], rows: list[list[str]]) -> tuple[int, dict[str, str]]:
    """How many rows below the header are header rows too, and each column's wording from them.

    The wording is the first extra row that reads as words (a Qualtrics question row), keyed by the
    header; it helps the mapping when headers are codes like "Q1".
    """
    if len(rows) < 8:
        return 0, {}
    below = rows[_MAX_EXTRA : _MAX_EXTRA + 300]
    models = _column_models(below, len(header))
    filled = [
        sum(1 for r in below if j < len(r) and r[j].strip()) / len(below)
        for j in range(len(header))
    ]
    n = 0
    while n < _MAX_EXTRA and n < len(rows) and _is_header_row(rows[n], models, header, filled):
        n += 1
    descriptions: dict[str, str] = {}
    for row in rows[:n]:
        if any(_IMPORT_ID.match(c.strip()) for c in row if c.strip()):
            continue
        for name, cell in zip(header, row):
            cell = " ".join(cell.split())
            if cell and name not in descriptions and cell != name:
                descriptions[name] = cell
    return n, descriptions


def merge_option_row(header: list[str], option_row: list[str]) -> list[str] | None:
    """Names for a question row over an options row (a question merged across its options' columns).

    "Which services?", "", "" over "Inpatient", "Community", "Crisis" gives "Which services?: Inpatient"
    and so on. None when the header has no question spanning unnamed columns.
    """
    spans = [
        j for j, name in enumerate(header) if _UNNAMED.match(name) and j < len(option_row)
        and option_row[j].strip()
    ]  # fmt: skip
    if not spans:
        return None
    out: list[str] = []
    parent = ""
    for j, name in enumerate(header):
        option = " ".join(option_row[j].split()) if j < len(option_row) else ""
        if not _UNNAMED.match(name):
            parent = name
            grouped = j + 1 < len(header) and _UNNAMED.match(header[j + 1])
            out.append(f"{name}: {option}" if grouped and option else name)
        elif parent and option:
            out.append(f"{parent}: {option}")
        else:
            out.append(name)
    return out
