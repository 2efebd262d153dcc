"""Read delimited text exports: sniff the file type, decode the bytes, find the delimiter, split rows.

Every cell comes back as a string (nothing is ever turned into NaN, so a respondent's "NA" stays
"NA"). Rows with the wrong number of fields are reported with their line number and reason and never
cost the rows around them: the csv module is driven line by line so that a stray quote mark, which
would otherwise swallow the rest of the file, is confined to the line it is on.
"""

from __future__ import annotations

import csv
import io
import logging
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from analysis.core.schema import RowProblem, ValidationError
from analysis.ingest.header_rows import SCAN_ROWS, header_index

log = logging.getLogger(__name__)

CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
_NO_DELIMITER = "\x1f"  # a one-column file is split on a character no export contains
_SNIFF_LINES = 200  # physical lines used to choose the delimiter
# Encodings that write Western European text; charset-normalizer's other guesses for Latin text
# (mac_roman, cp1250, cp850 ...) are less likely in an NHS export than Excel's own Windows-1252.
_WESTERN = {
    "cp1252",
    "windows-1252",
    "latin_1",
    "latin-1",
    "iso8859_1",
    "iso8859_15",
    "ascii",
    "utf_8",
}

OLD_OFFICE = "an old-style Excel (.xls) file or a password-protected workbook"
# File signatures of things people rename to .csv by mistake (checked before any decoding).
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLD_OFFICE),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"SQLite format 3\x00", "a SQLite database"),
)


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


def describe_binary(data: bytes) -> str | None:
    """Name the kind of binary file `data` is when it is clearly not text, else None."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def decode_bytes(data: bytes) -> tuple[str, str, list[str]]:
    """Decode an export to text; return (text, encoding name, problems).

    Order: byte-order marks, UTF-16 without a BOM, strict UTF-8, then Windows-1252 unless
    charset-normalizer is sure the text is in a non-Latin script. Raises ValidationError for binary data.
    """
    problems: list[str] = []
    boms = (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    )
    for bom, enc in boms:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, problems
            except UnicodeDecodeError:
                text = data.decode(enc, errors="replace")
                problems.append(
                    f"Some characters could not be read as {enc} and were replaced with \ufffd."
                )
                return text, enc, problems
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16, problems
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        raise ValidationError(
            "This file is not a text (CSV) file or a spreadsheet; it looks like binary data."
        )
    try:
        return data.decode("utf-8"), "utf-8", problems
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed_utf8(data)
    if mixed is not None:
        text, n_lines = mixed
        problems.append(
            f"{n_lines} line(s) were not valid UTF-8 and were read as Windows-1252 (the rest is UTF-8)."
        )
        return text, "utf-8+cp1252", problems
    guess = _charset_guess(data)
    try:
        cp1252 = data.decode("cp1252")
    except UnicodeDecodeError:
        cp1252 = None
    if guess is not None and (cp1252 is None or _mostly_non_latin(guess[0])):
        return guess[0], guess[1], problems
    if cp1252 is not None:
        return cp1252, "cp1252", problems
    # Nothing decodes cleanly: keep every byte visible rather than refuse the file.
    problems.append("The file's text encoding could not be recognised; it was read as Latin-1.")
    return data.decode("latin-1"), "latin-1", problems


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    # ASCII-heavy UTF-16 text has a NUL in every other byte.
    if odd_nul > 0.6 and even_nul < 0.1:
        return "utf-16-le"
    if even_nul > 0.6 and odd_nul < 0.1:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    if describe_binary(sample):
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12, 11))
    # Hostile text may carry a few NUL bytes; real binary is dense with control bytes.
    return controls > max(8, 0.03 * len(sample))


def _decode_mixed_utf8(data: bytes) -> tuple[str, int] | None:
    """Decode line by line when a mostly-UTF-8 file has a few Windows-1252 lines (hand edits)."""
    lines = data.splitlines(keepends=True)
    bad = 0
    has_multibyte = False
    out = []
    for line in lines:
        try:
            s = line.decode("utf-8")
            has_multibyte = has_multibyte or any(b >= 0x80 for b in line)
        except UnicodeDecodeError:
            bad += 1
            s = line.decode("cp1252", errors="replace")
        out.append(s)
    if has_multibyte and 0 < bad <= max(1, len(lines) // 10):
        return "".join(out), bad
    return None


def _charset_guess(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:1_000_000]).best()
    except Exception:  # noqa: BLE001 - a guesser failing must not fail the upload
        log.debug("charset-normalizer failed", exc_info=True)
        return None
    if best is None:
        return None
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_non_latin(text: str) -> bool:
    letters = [c for c in text[:200_000] if c.isalpha()]
    if not letters:
        return False
    non_latin = sum(1 for c in letters if ord(c) > 0x24F and "LATIN" not in unicodedata.name(c, ""))
    return non_latin / len(letters) > 0.5


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
    row_problems: list[RowProblem] = []
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
    header: list[str] | None = None
    header_line = 0
    header_at, title_lines = _header_line(lines, delim), 0
    rows: list[list[str]] = []
    numbers: list[int] = []
    src = _Lines(lines)
    reader = csv.reader(src, delimiter=delim, quotechar='"', strict=False)
    while True:
        start = src.pos
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row_problems.append(
                RowProblem(start + 1, f"could not be split into fields ({exc})", True)
            )
            src = _Lines(lines, start + 1)
            reader = csv.reader(src, delimiter=delim, quotechar='"', strict=False)
            continue
        line_no = start + 1
        if header is None:
            if not any(c.strip() for c in rec):
                continue  # blank lines above the header
            if line_no < header_at:
                title_lines += 1
                continue
            header, header_line = rec, line_no
            continue
        if not any(c.strip() for c in rec):
            if src.pos - start == 1 and not rec:
                continue  # a bare blank line, not a row of empty cells: nothing to report
            numbers.append(line_no)
            rows.append([""] * len(header))
            continue
        n, want = len(rec), len(header)
        if n > want and not any(c.strip() for c in rec[want:]):
            rec = rec[:want]  # trailing empty cells left by spreadsheet exports
            n = want
        if n == want:
            rows.append(rec)
            numbers.append(line_no)
            continue
        spanned = src.pos - start
        if spanned > 1:
            # An unbalanced quote ran this record over several lines: blame only its first line,
            # then parse again from the next line so later rows survive.
            row_problems.append(
                RowProblem(
                    line_no,
                    'has an unmatched quote mark (") and could not be split into fields',
                    True,
                )
            )
            src = _Lines(lines, start + 1)
            reader = csv.reader(src, delimiter=delim, quotechar='"', strict=False)
            continue
        if n < want:
            rows.append(rec + [""] * (want - n))
            numbers.append(line_no)
            row_problems.append(
                RowProblem(
                    line_no, f"has {n} field(s), expected {want}; missing cells left empty", False
                )
            )
            continue
        row_problems.append(
            RowProblem(
                line_no,
                f"has {n} fields, expected {want} (an unquoted delimiter in the text?)",
                True,
            )
        )
    if header is None:
        raise ValidationError("The file is empty: it has no header row and no answers.")
    header = clean_header(header)
    if title_lines:
        problems.append(
            f"{title_lines} title line(s) above the header on line {header_line} were skipped."
        )
    log.debug("parsed %d rows (header on line %d) with %r", len(rows), header_line, delim)
    return ParsedText(
        header,
        rows,
        numbers,
        encoding,
        None if delim == _NO_DELIMITER else delim,
        problems,
        row_problems,
        header_line,
    )


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
