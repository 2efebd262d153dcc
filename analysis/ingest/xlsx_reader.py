"""Read XLSX workbooks safely: zip-bomb and XML-attack checks first, formulas kept as their text.

Decisions (see also DESIGN.md, "bad input"):
- The archive's declared sizes are checked before any XML is parsed; Python's zipfile then refuses to
  inflate a member past its declared size, so a lying header cannot get past the cap.
- Any XML part carrying a DTD (<!DOCTYPE / <!ENTITY) is refused: Office never writes one, and that is
  where billion-laughs and external-entity attacks live. openpyxl also parses through defusedxml
  (it does so automatically when defusedxml is installed; `_require_defusedxml` checks it).
- The workbook is opened read-only with data_only=False: a formula cell comes through as its literal
  text ("=HYPERLINK(...)"), never as a computed or cached value, so what a respondent typed is what
  we keep, and nothing is evaluated.
- The data sheet is the one whose header maps to the canonical columns with a free-text column and
  that has the most non-empty rows; it need not be the first sheet.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass, field

from analysis.core import config
from analysis.core.schema import ValidationError
from analysis.ingest.csv_reader import clean_header
from analysis.ingest.header_rows import SCAN_ROWS, header_index

log = logging.getLogger(__name__)

_DTD = re.compile(rb"<\s*!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DTD_UTF16 = [m.encode("utf-16-le") for m in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")]


@dataclass
class SheetTable:
    """The data found on one worksheet."""

    sheet: str
    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    problems: list[str] = field(default_factory=list)
    header_row: int = 1


def is_zip(data: bytes) -> bool:
    """True when `data` starts like a ZIP archive (XLSX files are ZIP archives)."""
    return data[:4] == b"PK\x03\x04"


def check_archive(data: bytes) -> zipfile.ZipFile:
    """Open the archive and refuse zip bombs and XML attacks before anything is parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ValidationError(f"This looks like an Excel file but it is damaged ({exc}).") from exc
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        if "content.xml" in names:
            raise ValidationError(
                "OpenDocument spreadsheets (.ods) are not supported; save it as .xlsx or CSV."
            )
        raise ValidationError(
            "This is a ZIP archive, not an Excel workbook; upload a .xlsx or .csv file."
        )
    if len(infos) > 10_000:
        raise ValidationError("This workbook has too many parts to be a survey export.")
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if total > config.MAX_XLSX_UNCOMPRESSED_BYTES:
        raise ValidationError(
            f"This workbook would expand to {total / 1e6:,.0f} MB, more than the "
            f"{config.MAX_XLSX_UNCOMPRESSED_BYTES / 1e6:,.0f} MB allowed."
        )
    if total / packed > config.MAX_XLSX_RATIO:
        raise ValidationError(
            f"This workbook is compressed {total / packed:,.0f} times (more than {config.MAX_XLSX_RATIO}); "
            "it looks like a zip bomb and was not opened."
        )
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")) and _has_dtd(archive, info):
            raise ValidationError(
                "This workbook contains XML entity declarations (a known attack) and was not opened."
            )
    return archive


def _has_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    # A DTD must come before the root element, so the first 64 KB is enough to find one.
    try:
        with archive.open(info) as fh:
            head = fh.read(65536)
    except (zipfile.BadZipFile, NotImplementedError, OSError, RuntimeError, EOFError) as exc:
        raise ValidationError(f"This Excel file is damaged ({exc}).") from exc
    return bool(_DTD.search(head)) or any(m in head for m in _DTD_UTF16)


def _require_defusedxml() -> None:
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise ValidationError("Excel files cannot be read safely here (defusedxml is not active).")


def read_xlsx(data: bytes, pick_sheet) -> SheetTable:  # noqa: ANN001 - callable(list[SheetTable]) -> SheetTable
    """Read every worksheet as text and return the one `pick_sheet` chooses."""
    check_archive(data)
    _require_defusedxml()
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles/extensions it ignores
            wb = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many types on damaged files
        log.debug("openpyxl failed", exc_info=True)
        raise ValidationError(
            f"This Excel file could not be opened ({type(exc).__name__}: {str(exc)[:120]})."
        ) from exc
    tables: list[SheetTable] = []
    try:
        for ws in wb.worksheets:
            try:
                table = _read_sheet(ws)
            except ValidationError:
                raise
            except Exception as exc:
                log.debug("sheet %s failed", ws.title, exc_info=True)
                raise ValidationError(
                    f'Sheet "{ws.title}" could not be read ({type(exc).__name__}).'
                ) from exc
            if table is not None:
                tables.append(table)
    finally:
        wb.close()
    if not tables:
        raise ValidationError("The workbook has no data: every sheet is empty.")
    return pick_sheet(tables)


def _read_sheet(ws) -> SheetTable | None:  # noqa: ANN001
    raw: list[tuple[int, list[str]]] = []
    # The <dimension> tag is written by the producer and may lie; without it rows are not padded.
    ws.reset_dimensions()
    too_wide = False
    nul_cells = 0
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        values = list(values)
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        if len(values) > config.INGEST_MAX_COLUMNS:
            too_wide = True
            values = values[: config.INGEST_MAX_COLUMNS]
        cells = [cell_text(v) for v in values]
        if any("\x00" in c for c in cells):
            nul_cells += sum(1 for c in cells if "\x00" in c)
            cells = [c.replace("\x00", "") for c in cells]
        raw.append((r, cells))
        if r > config.INGEST_MAX_ROWS + SCAN_ROWS:
            raise ValidationError(
                f'Sheet "{ws.title}" has more than {config.INGEST_MAX_ROWS:,} rows.'
            )
    non_empty = [(r, c) for r, c in raw if any(x.strip() for x in c)]
    if not non_empty:
        return None
    head_idx = header_index([c for _, c in non_empty])
    header_row, header_cells = non_empty[head_idx]
    width = max(len(c) for _, c in non_empty[head_idx:])
    header = clean_header(header_cells + [""] * (width - len(header_cells)))
    rows: list[list[str]] = []
    numbers: list[int] = []
    problems: list[str] = []
    if nul_cells:
        problems.append(
            f'Sheet "{ws.title}": NUL characters were removed from {nul_cells} cell(s).'
        )
    if too_wide:
        problems.append(
            f'Sheet "{ws.title}": only the first {config.INGEST_MAX_COLUMNS} columns were read.'
        )
    if head_idx:
        problems.append(
            f'Sheet "{ws.title}": {head_idx} title row(s) above the header on row {header_row} were skipped.'
        )
    for r, cells in raw:
        if r <= header_row:
            continue
        rows.append(cells + [""] * (width - len(cells)))
        numbers.append(r)
    # Trailing empty rows are formatting, not data.
    while rows and not any(x.strip() for x in rows[-1]):
        rows.pop()
        numbers.pop()
    return SheetTable(ws.title, header, rows, numbers, problems, header_row)


def cell_text(value: object) -> str:
    """A cell's value as the text a spreadsheet user would see (formulas as their formula text)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = getattr(value, "text", None)  # ArrayFormula / DataTableFormula keep their formula here
    if isinstance(text, str):
        return text
    return str(value)
