"""Milestone fields: validation and normalisation of values, and finding the edited cells.

Shared by the store (analysis.plan.milestone_store), the import (analysis.plan.import_export) and the page's editor.
Every problem is a short reason a user can act on ("percent complete 140 is outside 0-100").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from analysis.core import config
from analysis.plan.progress import normalise_status

EDITABLE_FIELDS: tuple[str, ...] = (
    "area",
    "milestone",
    "owner",
    "due_date",
    "status",
    "percent_complete",
    "evidence",
    "themes",
)
MAX_TITLE_CHARS = 500
MAX_OWNER_CHARS = 200
MAX_EVIDENCE_CHARS = 5000
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")
THEME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


@dataclass
class MilestoneEdit:
    """Changed fields of one milestone, and the version the editor started from."""

    milestone_id: str
    changes: dict
    expected_version: int


# --- validation ------------------------------------------------------------------------------


def is_blank(value: object) -> bool:
    """True for None, NaN/NaT/NA and whitespace-only text (an empty cell)."""
    if value is None:
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and not value.strip()


def parse_due_date(value: object) -> date | None:
    """A due date from a date, timestamp or text (2025-03-31, 31/03/2025, 31 Mar 2025); ValueError if not."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in (
        "%Y-%m-%d",
        "%Y-%m-%d %H:%M:%S",
        "%d/%m/%Y",
        "%d-%m-%Y",
        "%d %b %Y",
        "%d %B %Y",
        "%Y/%m/%d",
    ):
        try:
            d = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 2000 <= d.year <= 2100:
            return d
        raise ValueError(f'due date "{text[:30]}" is outside 2000-2100')
    raise ValueError(f'due date "{text[:30]}" is not a date (use YYYY-MM-DD or DD/MM/YYYY)')


def clean_value(name: str, value: object) -> object:
    """The stored form of one field's value; ValueError with a user-facing reason when invalid."""
    if name == "area":
        text = " ".join(str(value if not is_blank(value) else "").split()).lower()
        for area in config.PLAN_AREAS:
            if area.lower() == text:
                return area
        raise ValueError(
            f'unknown area "{str(value)[:60]}" (use one of: {", ".join(config.PLAN_AREAS)})'
        )
    if name == "status":
        return normalise_status(value)
    if name == "percent_complete":
        text = "" if is_blank(value) else str(value).strip().rstrip("%").strip()
        try:
            pct = float(text)
        except ValueError:
            raise ValueError(f'percent complete "{str(value)[:20]}" is not a number') from None
        if not 0 <= pct <= 100:
            raise ValueError(f"percent complete {pct:g} is outside 0-100")
        return int(round(pct))
    if name == "due_date":
        return parse_due_date(value)
    if name == "milestone":
        text = " ".join(str(value if not is_blank(value) else "").split())
        if not text:
            raise ValueError("the milestone has no description")
        if len(text) > MAX_TITLE_CHARS:
            raise ValueError(
                f"the milestone description is longer than {MAX_TITLE_CHARS} characters"
            )
        return text
    if name == "owner":
        text = " ".join(str(value if not is_blank(value) else "").split())
        if len(text) > MAX_OWNER_CHARS:
            raise ValueError(f"the owner is longer than {MAX_OWNER_CHARS} characters")
        return text
    if name == "evidence":
        text = "" if is_blank(value) else str(value).strip()
        if len(text) > MAX_EVIDENCE_CHARS:
            raise ValueError(f"the evidence is longer than {MAX_EVIDENCE_CHARS} characters")
        return text
    if name == "themes":
        if is_blank(value):
            return ""
        items = value if isinstance(value, (list, tuple)) else re.split(r"[|;,]", str(value))
        ids = [str(i).strip().lower() for i in items if str(i).strip()]
        bad = [i for i in ids if not THEME_PATTERN.fullmatch(i)]
        if bad:
            raise ValueError(
                f'theme id "{bad[0][:40]}" is not valid (lower-case letters, digits, _)'
            )
        return "|".join(dict.fromkeys(ids))
    raise ValueError(f'"{name}" cannot be edited')


def clean_fields(values: Mapping[str, object]) -> tuple[dict, list[str]]:
    """Validate and normalise milestone fields; return (clean values, problems). Unknown keys are problems."""
    clean, problems = {}, []
    for name, value in values.items():
        if name not in EDITABLE_FIELDS:
            problems.append(f'"{name}" cannot be edited')
            continue
        try:
            clean[name] = clean_value(name, value)
        except ValueError as exc:
            problems.append(str(exc))
    return clean, problems


def value_text(value: object) -> str:
    """How a stored value is written in the history (and compared for "did it change")."""
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value)


def _stored_text(name: str, value: object) -> str:
    """How `value` would be stored for field `name`, as text; the raw text when it is invalid."""
    if is_blank(value):
        return ""
    if name == "due_date" and not isinstance(value, str):
        value = pd.Timestamp(value).date()
    try:
        return value_text(clean_value(name, value))
    except ValueError:
        return "\x00invalid:" + str(value)  # differs from any valid value: validation reports it


def diff_edits(original: pd.DataFrame, edited: pd.DataFrame) -> list[MilestoneEdit]:
    """The changed editable cells between two copies of the milestones table (rows matched by id).

    Both need milestone_id and version; only columns in EDITABLE_FIELDS are compared.
    """
    before = original.set_index("milestone_id")
    after = edited.set_index("milestone_id")
    cols = [c for c in EDITABLE_FIELDS if c in before.columns and c in after.columns]
    edits = []
    for mid in after.index:
        if mid not in before.index:
            continue
        changes = {}
        for c in cols:
            old, new = before.at[mid, c], after.at[mid, c]
            # Compare stored forms, so 45 vs 45.0 or a date vs a timestamp is no change.
            if _stored_text(c, old) != _stored_text(c, new):
                changes[c] = None if is_blank(new) else new
        if changes:
            edits.append(MilestoneEdit(str(mid), changes, int(before.at[mid, "version"])))
    return edits
