"""Parse and normalise cell values on their way into the canonical table: dates, rounds, ratings,
respondent types and demographics. Every function takes strings and never raises on bad values.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pandas as pd

from analysis.core import config

_ISO = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_YMD_SLASH = re.compile(
    r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_DMY = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?)?$"
)
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_MONTH_NAME = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.IGNORECASE
)
_EXCEL_EPOCH = datetime(1899, 12, 30)
# Excel serials for 1990-01-01 and 2100-01-01: outside that a five-digit number is not a survey date.
_SERIAL_MIN, _SERIAL_MAX = 32874, 73051


def dmy_parts(value: str) -> tuple[int, int, int, int, int, int] | None:
    """(first, second, year, hour, minute, second) of a 1/2/2024-style date, or None for other shapes."""
    m = _DMY.match(value)
    if not m:
        return None
    a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if len(m.group(3)) == 2:
        y += 2000 if y < 70 else 1900
    hh = int(m.group(4) or 0)
    mm = int(m.group(5) or 0)
    ss = int(m.group(6) or 0)
    ampm = (m.group(7) or "").lower()
    if ampm == "pm" and hh < 12:
        hh += 12
    elif ampm == "am" and hh == 12:
        hh = 0
    return a, b, y, hh, mm, ss


def parse_date(value: str, month_first: bool = False) -> pd.Timestamp | None:
    """Parse one date in a shape survey exports use; None when it cannot be read.

    ISO (2024-03-31, with or without time), yyyy/mm/dd, dd/mm/yyyy (UK first unless `month_first`),
    dd-Mon-yyyy and other forms with a month name, and Excel serial day numbers.
    """
    v = " ".join(str(value).split())
    if not v or len(v) > 64:  # no date is longer; keeps the parsers away from pasted essays
        return None
    try:
        if _ISO.match(v):
            ts = pd.Timestamp(v.replace(" ", "T", 1) if " " in v and ":" in v else v)
            if ts.tzinfo is not None:
                ts = ts.tz_convert("UTC").tz_localize(None)
            return ts
        m = _YMD_SLASH.match(v)
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            return pd.Timestamp(
                datetime(y, mo, d, int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0))
            )
        parts = dmy_parts(v)
        if parts:
            a, b, y, hh, mm, ss = parts
            d, mo = (b, a) if month_first else (a, b)
            return pd.Timestamp(datetime(y, mo, d, hh, mm, ss))
        if _SERIAL.match(v):
            serial = float(v)
            if _SERIAL_MIN <= serial <= _SERIAL_MAX:
                return pd.Timestamp(_EXCEL_EPOCH + timedelta(days=serial)).round("s")
            return None
        if _MONTH_NAME.search(v) and re.search(r"\d{4}|\d{1,2}\D+\d{2}$", v):
            from dateutil import parser as du

            ts = pd.Timestamp(du.parse(v, dayfirst=not month_first, default=datetime(2000, 1, 1)))
            if ts.tzinfo is not None:
                ts = ts.tz_convert("UTC").tz_localize(None)
            return ts
    except (ValueError, OverflowError, TypeError, pd.errors.OutOfBoundsDatetime):
        return None
    return None


def parse_dates(values: pd.Series) -> tuple[pd.Series, list[int]]:
    """Parse a column of date strings; return (datetime64 series with NaT, positions that failed).

    Blank cells are missing, not failures. The order is the one the values settle
    (analysis.ingest.dates.read_dates, which also says whether they settled it).
    """
    from analysis.ingest.dates import read_dates  # dates builds on this module

    parsed, bad, _ = read_dates(values)
    return parsed, bad


_ROUND = re.compile(r"^(?:(\d{4})\s*[-/ ]?\s*q([1-4])|q([1-4])\s*[-/ ]?\s*(\d{4}))$", re.IGNORECASE)


def normalise_round(value: str) -> str | None:
    """Tidy a round label: "Q2 2024", "2024-q2", "2024Q2" -> "2024 Q2"; other labels trimmed; blank -> None."""
    v = " ".join(str(value).split())
    if not v:
        return None
    m = _ROUND.match(v)
    if m:
        year = m.group(1) or m.group(4)
        q = m.group(2) or m.group(3)
        return f"{year} Q{q}"
    return v


# Friends and Family Test answers: higher is better (5 = very good), so charts read naturally.
FFT_SCORES = {
    "very good": 5.0,
    "extremely likely": 5.0,
    "good": 4.0,
    "likely": 4.0,
    "neither good nor poor": 3.0,
    "neither likely nor unlikely": 3.0,
    "poor": 2.0,
    "unlikely": 2.0,
    "very poor": 1.0,
    "extremely unlikely": 1.0,
}
_NUMBER = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*(?:/\s*\d+|stars?|out of \d+)?$", re.IGNORECASE)


def parse_rating(value: str) -> float | None:
    """A rating as a number: "4", "4/5", "4 stars" or a Friends and Family Test answer; else None."""
    v = " ".join(str(value).split()).lower()
    if not v:
        return None
    m = _NUMBER.match(v)
    if m:
        return float(m.group(1))
    return FFT_SCORES.get(v.rstrip("."))


_CARER = re.compile(
    r"\b(carer|carers|caring|cares? for|family|relative|friend|parent|guardian|partner|spouse|next of kin|mum|dad|mother|father|son|daughter)\b"
)
_STAFF = re.compile(
    r"\b(staff|employee|employed|colleague|clinician|nurse|doctor|psychiatrist|psychologist|therapist|worker|professional|practitioner|manager|volunteer|work for|work in|trust member of staff)\b"
)
_SERVICE_USER = re.compile(
    r"\b(service ?users?|patients?|client|inpatient|outpatient|use[sd]? (the |our |these |mental health )?services?|user of|person who uses|people who use|expert by experience|lived experience|su)\b"
)


def normalise_respondent_type(value: str) -> str | None:
    """Map a respondent-type answer to service user / carer / staff / other; blank -> None."""
    v = " ".join(re.sub(r"[^\w']+", " ", str(value).lower().replace("-", " ")).split())
    if not v:
        return None
    if v in config.RESPONDENT_TYPES:
        return v
    # Carer first: "carer of a service user" is a carer; then staff: "staff member" mentions no patient.
    if _CARER.search(v):
        return "carer"
    if _STAFF.search(v):
        return "staff"
    if _SERVICE_USER.search(v):
        return "service user"
    return "other"


_PNTS = {
    "prefer not to say",
    "prefer not to answer",
    "prefer not say",
    "i prefer not to say",
    "i would prefer not to say",
    "i'd prefer not to say",
    "i'd rather not say",
    "rather not say",
    "would rather not say",
    "prefer not to disclose",
    "do not wish to say",
    "don't wish to say",
    "do not want to say",
    "don't want to say",
    "not disclosed",
    "declined",
    "declined to answer",
    "declined to say",
    "pnts",
    "not stated",
}


def normalise_demographic(value: str) -> str | None:
    """Trim a demographic answer; blanks -> None; "prefer not to say" variants -> config.PREFER_NOT_TO_SAY."""
    v = " ".join(str(value).split())
    if not v:
        return None
    key = re.sub(r"[^\w' ]+", "", v.lower().replace("’", "'")).strip()
    key = " ".join(key.split())
    if key in _PNTS:
        return config.PREFER_NOT_TO_SAY
    return v


_BOROUGHS = {b.lower(): b for b in config.GM_BOROUGHS}


def normalise_place(value: str) -> str | None:
    """Trim a service or locality; blanks -> None; a Greater Manchester borough gets its usual spelling."""
    v = " ".join(str(value).split())
    if not v:
        return None
    return _BOROUGHS.get(v.lower(), v)
