"""Decode the bytes of a text export: recognise binary files, byte-order marks, UTF-16 without a BOM,
UTF-8 with a few Windows-1252 lines, and fall back to Windows-1252 or Latin-1 so no byte is refused.
Used by analysis.ingest.csv_reader and analysis.ingest.exports.
"""

from __future__ import annotations

import logging
import unicodedata

from analysis.core.schema import ValidationError

log = logging.getLogger(__name__)

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
