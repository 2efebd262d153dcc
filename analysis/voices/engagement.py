"""The engagement log: co-production activity beyond surveys, validated row by row, and summarised.

Columns are schema.ENGAGEMENT_COLUMNS. Validation keeps every good row and reports each bad one by
its spreadsheet row number (header = row 1). Text (title, locality, make-up) is kept exactly as
typed, as plain text: nothing here interprets it, pages show it with st.dataframe and exports go
through privacy's formula neutralising. Control characters are removed (they break exports).

The log records attendance at activities, entered by staff, not survey answers about individuals;
its counts are shown as entered. Summaries aggregate by quarter.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from analysis.core.schema import (
    ENGAGEMENT_COLUMNS,
    ENGAGEMENT_LEVELS,
    ENGAGEMENT_TYPES,
    RowProblem,
    ValidationError,
)

log = logging.getLogger(__name__)

# --- limits of the engagement log.
MAX_ENGAGEMENT_ROWS = 20_000
MAX_PARTICIPANTS = 1_000_000
TEXT_LIMITS = {"activity_id": 40, "title": 200, "locality": 100, "make_up": 500}
EARLIEST_DATE = date(1990, 1, 1)
REQUIRED = ("date", "activity_type", "level", "participants")

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LEVEL_ALIASES = {
    "coproduce": "co-produce",
    "co produce": "co-produce",
    "co-production": "co-produce",
    "coproduction": "co-produce",
    "co-produced": "co-produce",
    "informing": "inform",
    "consultation": "consult",
    "consulting": "consult",
    "involvement": "involve",
    "involving": "involve",
}
_HEADER_ALIASES = {
    "type": "activity_type",
    "activity": "activity_type",
    "involvement_level": "level",
    "level_of_involvement": "level",
    "lived_experience_participants": "lived_experience",
    "with_lived_experience": "lived_experience",
    "makeup": "make_up",
    "id": "activity_id",
}


@dataclass
class EngagementValidation:
    """Good rows (canonical columns, typed) and the problems found, by source row number."""

    entries: pd.DataFrame
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        """Rows not kept."""
        return sum(1 for p in self.problems if p.rejected)

    def messages(self) -> list[str]:
        """Problems as one line each ("Row 4: ...")."""
        return [f"Row {p.row}: {p.reason}" for p in self.problems]


def empty_log() -> pd.DataFrame:
    """An empty engagement log with canonical columns and dtypes."""
    return _typed(pd.DataFrame(columns=list(ENGAGEMENT_COLUMNS)))


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    out = df.reindex(columns=list(ENGAGEMENT_COLUMNS)).copy()
    out["date"] = pd.to_datetime(out["date"], errors="coerce")
    out["participants"] = pd.to_numeric(out["participants"], errors="coerce").astype("Int64")
    out["lived_experience"] = pd.to_numeric(out["lived_experience"], errors="coerce").astype(
        "Int64"
    )
    for col in ("activity_id", "activity_type", "title", "level", "locality", "make_up"):
        out[col] = out[col].astype("string")
    return out.reset_index(drop=True)


def _header(name: object) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")
    return _HEADER_ALIASES.get(key, key)


def _clean_text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return _CONTROL_RE.sub("", str(value)).strip()


def parse_date(value: str) -> date | None:
    """A date from ISO (2024-05-01) or UK day-first (01/05/2024) text; None when it is not one."""
    if not value:
        return None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", value)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        ts = pd.to_datetime(value, dayfirst=True, errors="raise")
    except (ValueError, OverflowError, TypeError):
        return None
    return None if pd.isna(ts) else ts.date()


def _whole_number(value: str) -> int | None:
    """An integer from "12", "12.0" or "1,200"; None for anything else (fractions, text)."""
    text = value.replace(",", "").strip()
    if not re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return None
    return int(float(text)) if len(text) < 16 else None


def normalise_level(value: str) -> str | None:
    """The canonical level for a typed one (case, spaces and common variants forgiven)."""
    key = " ".join(value.lower().split())
    if key in ENGAGEMENT_LEVELS:
        return key
    return _LEVEL_ALIASES.get(key) or _LEVEL_ALIASES.get(key.replace(" ", "-"))


def normalise_type(value: str) -> str | None:
    """The canonical activity type ("Interview panel for staff recruitment" -> "interview panel")."""
    key = " ".join(value.lower().replace("_", " ").split())
    if key in ENGAGEMENT_TYPES:
        return key
    for kind in sorted(ENGAGEMENT_TYPES, key=len, reverse=True):
        if key.startswith(kind + " ") or key == kind + "s":
            return kind
    return None


def validate_engagement(
    frame: pd.DataFrame, row_numbers: list[int] | None = None, *, today: date | None = None
) -> EngagementValidation:
    """Check engagement-log rows; keep the good ones, report the bad ones by row number.

    Args:
        frame: raw rows (any dtypes; headers matched case-insensitively, common aliases allowed).
        row_numbers: the source row number of each row (default: header is row 1, data from row 2).
        today: dates more than a year after this are refused (default: the real date).
    Raises ValidationError when required columns are missing or the file is too large.
    """
    today = today or date.today()
    if len(frame) > MAX_ENGAGEMENT_ROWS:
        raise ValidationError(
            f"The log has {len(frame):,} rows; at most {MAX_ENGAGEMENT_ROWS:,} can be imported."
        )
    renamed = {c: _header(c) for c in frame.columns}
    df = frame.rename(columns=renamed)
    df = df.loc[:, ~df.columns.duplicated()]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise ValidationError(
            f"The engagement log needs columns {', '.join(REQUIRED)}; missing: {', '.join(missing)}."
        )
    numbers = list(row_numbers) if row_numbers is not None else [i + 2 for i in range(len(df))]
    problems: list[RowProblem] = []
    kept: list[dict] = []
    seen_ids: set[str] = set()
    latest = date(today.year + 1, today.month, min(today.day, 28))
    for pos, rec in enumerate(df.to_dict("records")):
        row_no = numbers[pos] if pos < len(numbers) else pos + 2
        values = {c: _clean_text(rec.get(c)) for c in ENGAGEMENT_COLUMNS}
        if not any(values.values()):
            continue  # a blank line is not a problem
        entry, reasons = _checked_row(values, latest, seen_ids)
        if reasons:
            problems.append(RowProblem(row_no, "; ".join(reasons), rejected=True))
            continue
        for col, limit in TEXT_LIMITS.items():
            if len(entry[col]) > limit:
                problems.append(
                    RowProblem(row_no, f"{col.replace('_', ' ')} cut to {limit} characters")
                )
                entry[col] = entry[col][:limit]
        if entry["activity_id"]:
            seen_ids.add(entry["activity_id"])
        kept.append(entry)
    entries = _typed(pd.DataFrame(kept, columns=list(ENGAGEMENT_COLUMNS)))
    for col in ("title", "locality", "make_up", "activity_id"):
        entries[col] = entries[col].fillna("")
    log.info("engagement log: %d row(s) kept, %d problem(s)", len(entries), len(problems))
    return EngagementValidation(entries, problems)


def _checked_row(
    values: dict[str, str], latest: date, seen_ids: set[str]
) -> tuple[dict, list[str]]:
    """One row's typed entry and the reasons it is refused (none: it is kept)."""
    reasons: list[str] = []
    when = parse_date(values["date"])
    if when is None:
        reasons.append(f'date "{values["date"][:40]}" is not a date (use YYYY-MM-DD or DD/MM/YYYY)')
    elif not EARLIEST_DATE <= when <= latest:
        reasons.append(f"date {when.isoformat()} is out of range")
    kind = normalise_type(values["activity_type"])
    if kind is None:
        reasons.append(
            f'activity type "{values["activity_type"][:40]}" is not one of: {", ".join(ENGAGEMENT_TYPES)}'
        )
    level = normalise_level(values["level"])
    if level is None:
        reasons.append(
            f'level "{values["level"][:40]}" is not one of: {", ".join(ENGAGEMENT_LEVELS)}'
        )
    participants, lived = _checked_counts(values, reasons)
    activity_id = values["activity_id"]
    if activity_id and activity_id in seen_ids:
        reasons.append(f'activity id "{activity_id[:40]}" appears twice')
    entry = {
        **values,
        "date": pd.Timestamp(when) if when is not None else None,
        "activity_type": kind,
        "level": level,
        "participants": participants,
        "lived_experience": lived,
    }
    return entry, reasons


def _checked_counts(values: dict[str, str], reasons: list[str]) -> tuple[int | None, int | None]:
    """Participants and lived-experience counts, adding to `reasons` what is wrong with them."""
    participants = _whole_number(values["participants"])
    if participants is None or participants < 0:
        reasons.append(
            f'participants "{values["participants"][:20]}" must be a whole number of 0 or more'
        )
    elif participants > MAX_PARTICIPANTS:
        reasons.append(f"participants {participants:,} is more than {MAX_PARTICIPANTS:,}")
    lived: int | None = None
    if values["lived_experience"]:
        lived = _whole_number(values["lived_experience"])
        if lived is None or lived < 0:
            reasons.append(
                f'lived experience "{values["lived_experience"][:20]}" must be a whole number of 0 or more'
            )
        elif participants is not None and participants >= 0 and lived > participants:
            reasons.append(f"lived experience ({lived}) is more than participants ({participants})")
    return participants, lived


def validate_entry(entry: dict, *, today: date | None = None) -> pd.DataFrame:
    """Check one entry (e.g. from the form); return it as a one-row log or raise ValidationError."""
    frame = pd.DataFrame([{k: ("" if v is None else str(v)) for k, v in entry.items()}])
    result = validate_engagement(frame, [1], today=today)
    rejected = [p.reason for p in result.problems if p.rejected]
    if rejected or result.entries.empty:
        raise ValidationError(rejected[0] if rejected else "The entry is empty.")
    return result.entries


# --- summaries ------------------------------------------------------------------------------


def _quarter(dates: pd.Series) -> pd.Series:
    return (
        dates.dt.year.astype("Int64").astype(str)
        + " Q"
        + dates.dt.quarter.astype("Int64").astype(str)
    )


def activity_over_time(entries: pd.DataFrame, by: str = "level") -> pd.DataFrame:
    """Activities and participants per quarter by `by` ("level" or "activity_type"), in time order.

    Columns: quarter, <by>, activities, participants. Every level/type appears in a fixed order.
    """
    if by not in ("level", "activity_type"):
        raise ValueError('by must be "level" or "activity_type"')
    cols = ["quarter", by, "activities", "participants"]
    e = entries.dropna(subset=["date"])
    if e.empty:
        return pd.DataFrame(columns=cols)
    e = e.assign(quarter=_quarter(e["date"]), participants=e["participants"].fillna(0).astype(int))
    table = e.groupby(["quarter", by], observed=True).agg(
        activities=("activity_id", "size"), participants=("participants", "sum")
    )
    order = list(ENGAGEMENT_LEVELS if by == "level" else ENGAGEMENT_TYPES)
    table = table.reset_index()
    table["_o"] = table[by].map({v: i for i, v in enumerate(order)}).fillna(len(order))
    table = table.sort_values(["quarter", "_o"]).drop(columns="_o").reset_index(drop=True)
    table["activities"] = table["activities"].astype(int)
    table["participants"] = table["participants"].astype(int)
    return table[cols]


def lived_experience_share(entries: pd.DataFrame) -> pd.DataFrame:
    """Per quarter: participants, how many have lived experience (where recorded), and the share.

    Activities that did not record lived experience are left out of both numbers, so the share is
    of participants whose lived experience was recorded. Columns: quarter, activities,
    participants, lived_experience, share_pct.
    """
    cols = ["quarter", "activities", "participants", "lived_experience", "share_pct"]
    e = entries.dropna(subset=["date", "lived_experience", "participants"])
    if e.empty:
        return pd.DataFrame(columns=cols)
    e = e.assign(quarter=_quarter(e["date"]))
    table = (
        e.groupby("quarter")
        .agg(
            activities=("activity_id", "size"),
            participants=("participants", "sum"),
            lived_experience=("lived_experience", "sum"),
        )
        .reset_index()
    )
    for c in ("activities", "participants", "lived_experience"):
        table[c] = table[c].astype(int)
    denom = table["participants"].where(table["participants"] > 0)
    table["share_pct"] = (100 * table["lived_experience"] / denom).round(1)
    return table[cols]


def engagement_summary(entries: pd.DataFrame) -> str:
    """One plain sentence: activities, participants, share with lived experience, share co-produced."""
    if entries.empty:
        return "No engagement activity is recorded yet."
    n = len(entries)
    parts = int(entries["participants"].fillna(0).sum())
    rec = entries.dropna(subset=["lived_experience"])
    rec_parts = int(rec["participants"].fillna(0).sum())
    lived = int(rec["lived_experience"].sum())
    co = int((entries["level"] == "co-produce").sum())
    first, last = entries["date"].min(), entries["date"].max()
    span = f" from {first:%d %b %Y} to {last:%d %b %Y}" if pd.notna(first) else ""
    share = (
        f"{100 * lived / rec_parts:.0f}% of them had lived experience (where recorded)"
        if rec_parts
        else "lived experience was not recorded"
    )
    return (
        f"{n} activities{span} involved {parts:,} participants; {share}. "
        f"{co} of {n} activities ({100 * co / n:.0f}%) were co-produced."
    )


def entries_for_display(entries: pd.DataFrame) -> pd.DataFrame:
    """The log as shown and exported: dates as YYYY-MM-DD, newest first, counts as whole numbers."""
    out = entries.sort_values("date", ascending=False, kind="stable").copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    out["participants"] = out["participants"].astype("Int64")
    out["lived_experience"] = out["lived_experience"].astype("Int64")
    return out.reset_index(drop=True).replace({np.nan: None})
