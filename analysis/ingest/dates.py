"""The day/month order of a date column, settled by its values or asked for, never guessed silently.

"03/04/2024" is 3 April in the UK and March 4 in the US. A value with a first number over 12
("30/09/2021") settles a column day-first; a second number over 12 ("9/30/2021") settles it
month-first. A column where nothing settles it, or where both kinds appear, is unsettled: the upload
form and `--date-order` ask for the order, and until then it is read day-first (UK) and the report
says so. Values that can only be read one way are read that way, and counted in the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from analysis.ingest.values import dmy_parts, parse_date

DAYFIRST, MONTHFIRST, ISO = "dayfirst", "monthfirst", "iso"
DATE_ORDERS = (DAYFIRST, MONTHFIRST, ISO)
ORDER_WORDS = {
    DAYFIRST: "day first (31/01/2024, UK)",
    MONTHFIRST: "month first (01/31/2024, US)",
    ISO: "year first (2024-01-31)",
}


@dataclass(frozen=True)
class DateOrder:
    """What a column's values say about its order."""

    order: str  # DAYFIRST, MONTHFIRST or ISO: the order the values settle, or the UK default
    settled: bool  # False when nothing settles it, or both orders appear
    day_first_only: int  # values only readable day-first (30/09/2021)
    month_first_only: int  # values only readable month-first (9/30/2021)
    ambiguous: int  # values readable both ways with different dates (03/04/2024)
    example: str | None = None  # an ambiguous value, to show when asking


def infer_date_order(values: pd.Series | list[str]) -> DateOrder:
    """The order a column's date values settle (distinct values are enough)."""
    day = month = ambiguous = slashed = 0
    example = None
    for v in pd.unique(pd.Series(list(values), dtype=object).astype(str).str.strip()):
        parts = dmy_parts(" ".join(v.split())) if v else None
        if parts is None:
            continue
        slashed += 1
        a, b = parts[0], parts[1]
        if a > 12 and b <= 12:
            day += 1
        elif b > 12 and a <= 12:
            month += 1
        elif a != b and a <= 12 and b <= 12:
            ambiguous += 1
            example = example or v
    if not slashed:
        return DateOrder(ISO, True, 0, 0, 0)
    if day and not month:
        return DateOrder(DAYFIRST, True, day, 0, ambiguous)
    if month and not day:
        return DateOrder(MONTHFIRST, True, 0, month, ambiguous)
    if not day and not month and not ambiguous:
        return DateOrder(DAYFIRST, True, 0, 0, 0)  # 01/01/2024: either way the same date
    order = MONTHFIRST if month > day else DAYFIRST
    return DateOrder(order, False, day, month, ambiguous, example)


def read_dates(values: pd.Series, order: str | None = None) -> tuple[pd.Series, list[int], dict]:
    """Parse a date column in `order` (None: the order its values settle, day-first when unsettled).

    Returns (datetime64 series with NaT, positions that could not be read, facts for the report:
    "order", "settled", "other_way" = values only readable the other way and read so).
    """
    strings = values.fillna("").astype(str).str.strip()
    found = infer_date_order(strings)
    use = order if order in DATE_ORDERS else found.order
    month_first = use == MONTHFIRST
    parsed: dict[str, pd.Timestamp | None] = {}
    other_way = 0
    for u in pd.unique(strings):
        if not u:
            continue
        ts = parse_date(u, month_first)
        if ts is None:
            ts = _only_other_reading(u, month_first)
            other_way += ts is not None
        parsed[u] = ts
    out = pd.to_datetime(
        pd.Series(
            [parsed.get(s) if s else None for s in strings], index=values.index, dtype=object
        ),
        errors="coerce",
    )
    bad = [i for i, s in enumerate(strings) if s and parsed.get(s) is None]
    facts = {"order": use, "settled": found.settled or order in DATE_ORDERS, "found": found}
    facts["other_way"] = other_way
    return out, bad, facts


def _only_other_reading(value: str, month_first: bool) -> pd.Timestamp | None:
    """9/30/2021 read day-first fails; its only reading is month-first."""
    parts = dmy_parts(" ".join(value.split()))
    if parts is None:
        return None
    a, b, y, hh, mm, ss = parts
    d, mo = (a, b) if month_first else (b, a)
    try:
        return pd.Timestamp(datetime(y, mo, d, hh, mm, ss))
    except ValueError:
        return None
