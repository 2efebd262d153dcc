"""Read delimited text exports: find the delimiter and split rows (decoding: analysis.ingest.decoding).

Every cell comes back as a string (nothing is ever turned into NaN, so a respondent's "NA" stays
"NA"). Rows with the wrong number of fields are reported with their line number and reason and never
cost the rows around them: the csv module is driven line by line so that a stray quote mark, which
would otherwise swallow the rest of the file, is confined to the line it is on.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter
from dataclasses import dataclass, field

from analysis.core.schema import RowProblem, ValidationError

# Decoding lives in analysis.ingest.decoding; these names stay importable from here.
from analysis.ingest.decoding import OLD_OFFICE as OLD_OFFICE
from analysis.ingest.decoding import decode_bytes as decode_bytes
from analysis.ingest.decoding import describe_binary as describe_binary
from analysis.ingest.header_rows import SCAN_ROWS, header_index

log = logging.getLogger(__name__)

CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
_NO_DELIMITER = "\x1f"  # a one-column file is split on a character no export contains
_SNIFF_LINES = 200  # physical lines used to choose the delimiter


@dataclass
class ParsedText:
    """Header and rows of a delimited file, with the source line number of every row."""

    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    encoding: str
    delimiter: str | None
    problems: list[str] = field(default_factory=list)
    row_problems: list[RowProblem] = field(default_factory=list)
    header_line: int = 1  # the line the header was on (title lines above it are skipped)


class _Lines:
    """An iterator over physical lines that remembers how many the csv reader has consumed."""

    def __init__(self, lines: list[str], start: int = 0) -> None:
        self.lines = lines
        self.pos = start

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def split_lines(text: str) -> list[str]:
    """Physical lines with their endings (\\r\\n, \\n or \\r only; not Unicode line separators)."""
    return io.StringIO(text, newline="").readlines()


def _excel_sep_hint(lines: list[str]) -> str | None:
    """The delimiter named by Excel's optional first line "sep=;" (or None)."""
    if lines:
        first = lines[0].strip("\r\n").strip('"')
        if len(first) == 5 and first.lower().startswith("sep="):
            return first[4]
    return None


def choose_delimiter(lines: list[str]) -> str | None:
    """The delimiter that splits the header into >1 fields most consistently with the rows below.

    None when no candidate splits the header: the file has a single column.
    """
    sample = lines[:_SNIFF_LINES]
    best, best_score = None, (-1.0, 0, 0.0)
    for delim in CANDIDATE_DELIMITERS:
        counts = []
        try:
            for rec in csv.reader(iter(sample), delimiter=delim, quotechar='"', strict=False):
                if any(cell.strip() for cell in rec):
                    counts.append(len(rec))
        except csv.Error:
            pass
        if not counts:
            continue
        mode_n, mode_c = Counter(counts).most_common(1)[0]
        # Title lines above the header ("Patient survey export") are narrower than the table.
        header_n = next((c for c in counts[:SCAN_ROWS] if c >= 0.6 * mode_n), counts[0])
        if header_n < 2:
            continue
        # Records cut short by an open quote at the end of the sample are not evidence against.
        consistency = mode_c / len(counts)
        header_agrees = 1 if header_n == mode_n else 0
        score = (round(consistency * header_agrees, 2), header_n, consistency)
        if score > best_score:
            best, best_score = delim, score
    return best


def parse_delimited(text: str, encoding: str, delimiter: str | None = None) -> ParsedText:
    """Split decoded text into a header and rows, reporting (not dropping) malformed rows."""
    problems: list[str] = []
    if "\x00" in text:
        # Databases reject NUL; removing it loses nothing a reader could see.
        n_nul = text.count("\x00")
        text = text.replace("\x00", "")
        problems.append(f"{n_nul} NUL character(s) were removed.")
    lines = split_lines(text)
    hinted = _excel_sep_hint(lines)
    if hinted:
        delimiter = delimiter or hinted
        lines[0] = "\n"  # Excel's "sep=;" line is an instruction, not the header
    delim = delimiter or choose_delimiter(lines) or _NO_DELIMITER
    csv.field_size_limit(max(len(text), 131072))
    found = _read_records(lines, delim)
    if found.header is None:
        raise ValidationError("The file is empty: it has no header row and no answers.")
    header = clean_header(found.header)
    if found.title_lines:
        problems.append(
            f"{found.title_lines} title line(s) above the header on line {found.header_line} "
            "were skipped."
        )
    log.debug(
        "parsed %d rows (header on line %d) with %r", len(found.rows), found.header_line, delim
    )
    return ParsedText(
        header,
        found.rows,
        found.numbers,
        encoding,
        None if delim == _NO_DELIMITER else delim,
        problems,
        found.row_problems,
        found.header_line,
    )


@dataclass
class _Records:
    """What reading the lines found: the raw header, the rows and their line numbers, the problems."""

    header: list[str] | None = None
    header_line: int = 0
    title_lines: int = 0
    rows: list[list[str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    row_problems: list[RowProblem] = field(default_factory=list)


def _read_records(lines: list[str], delim: str) -> _Records:
    """Read every record; after one that cannot be split, start again on the line after its first."""
    found = _Records()
    header_at = _header_line(lines, delim)
    src = _Lines(lines)
    reader = csv.reader(src, delimiter=delim, quotechar='"', strict=False)
    while True:
        start = src.pos
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            found.row_problems.append(
                RowProblem(start + 1, f"could not be split into fields ({exc})", True)
            )
            restart = True
        else:
            restart = _take_record(found, rec, start + 1, src.pos - start, header_at)
        if restart:
            src = _Lines(lines, start + 1)
            reader = csv.reader(src, delimiter=delim, quotechar='"', strict=False)
    return found


def _take_record(
    found: _Records, rec: list[str], line_no: int, spanned: int, header_at: int
) -> bool:
    """File one record (title line, header, row or problem); True when reading must restart."""
    if found.header is None:
        if not any(c.strip() for c in rec):
            return False  # blank lines above the header
        if line_no < header_at:
            found.title_lines += 1
        else:
            found.header, found.header_line = rec, line_no
        return False
    if not any(c.strip() for c in rec):
        if spanned == 1 and not rec:
            return False  # a bare blank line, not a row of empty cells: nothing to report
        found.numbers.append(line_no)
        found.rows.append([""] * len(found.header))
        return False
    n, want = len(rec), len(found.header)
    if n > want and not any(c.strip() for c in rec[want:]):
        rec = rec[:want]  # trailing empty cells left by spreadsheet exports
        n = want
    if n == want:
        found.rows.append(rec)
        found.numbers.append(line_no)
        return False
    if spanned > 1:
        # An unbalanced quote ran this record over several lines: blame only its first line,
        # then parse again from the next line so later rows survive.
        found.row_problems.append(
            RowProblem(
                line_no, 'has an unmatched quote mark (") and could not be split into fields', True
            )
        )
        return True
    if n < want:
        found.rows.append(rec + [""] * (want - n))
        found.numbers.append(line_no)
        found.row_problems.append(
            RowProblem(
                line_no, f"has {n} field(s), expected {want}; missing cells left empty", False
            )
        )
        return False
    found.row_problems.append(
        RowProblem(
            line_no, f"has {n} fields, expected {want} (an unquoted delimiter in the text?)", True
        )
    )
    return False


def _header_line(lines: list[str], delim: str) -> int:
    """The line number of the header: the first record nearly as wide as the table below it."""
    head = lines[: SCAN_ROWS * 2]
    records: list[tuple[int, list[str]]] = []
    src = _Lines(head)
    reader = csv.reader(src, delimiter=delim, quotechar='"', strict=False)
    try:
        while len(records) < SCAN_ROWS:
            start = src.pos
            rec = next(reader)
            if any(c.strip() for c in rec):
                records.append((start + 1, rec))
    except (StopIteration, csv.Error):
        pass
    if not records:
        return 1
    return records[header_index([r for _, r in records])][0]


def clean_header(header: list[str]) -> list[str]:
    """Trim header cells, name blank ones and make repeated names unique."""
    out: list[str] = []
    taken: set[str] = set()
    for i, name in enumerate(header):
        base = " ".join(str(name).replace("\ufeff", "").split()) or f"Column {i + 1}"
        name, k = base, 1
        while name in taken:
            k += 1
            name = f"{base} ({k})"
        taken.add(name)
        out.append(name)
    return out
