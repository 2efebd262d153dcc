"""Remove characters from upload cells that change how text looks without being part of it.

Unicode bidirectional controls (U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates) make
"abc\u202edlrow" display as "abcworld" reversed: kept, they reverse words in charts, tables, exports and
the meeting pack, and can make an answer read as something it does not say. Nobody types them in a
survey answer on purpose, so ingest removes them from every cell and header and reports how many cells
it changed.
"""

from __future__ import annotations

import re

import pandas as pd

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]")
_BIDI_TABLE = str.maketrans("", "", BIDI_CONTROLS)


def strip_bidi(value: str) -> str:
    """`value` without Unicode bidirectional control characters."""
    return value.translate(_BIDI_TABLE)


def strip_bidi_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Remove bidi controls from every cell and header; return (frame, number of cells changed).

    Columns are checked with one vectorised search first: nearly every upload has none, and a
    200,000-row export must not pay a Python call per cell for that.
    """
    changed = 0
    columns = [strip_bidi(str(c)) for c in frame.columns]
    changed += sum(1 for old, new in zip(frame.columns, columns) if str(old) != new)
    out = frame
    for i in range(frame.shape[1]):
        values = frame.iloc[:, i]
        hits = values.astype(str).str.contains(_BIDI_RE, na=False)
        n = int(hits.sum())
        if not n:
            continue
        if out is frame:
            out = frame.copy()
        cleaned = values.astype(object).copy()
        cleaned[hits] = [strip_bidi(str(v)) for v in values[hits]]
        out.iloc[:, i] = cleaned
        changed += n
    if columns != [str(c) for c in frame.columns]:
        if out is frame:
            out = frame.copy()
        out.columns = _unique(columns)
    return out, changed


def _unique(names: list[str]) -> list[str]:
    """Header names made unique again after cleaning ("A" and "A\u202e" would both become "A")."""
    taken: set[str] = set()
    out = []
    for name in names:
        new, k = name, 1
        while new in taken:
            k += 1
            new = f"{name} ({k})"
        taken.add(new)
        out.append(new)
    return out
