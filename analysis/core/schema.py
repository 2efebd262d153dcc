"""The canonical tables (responses, milestones, engagement log) and their validation errors."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.core.errors import InputError

# Canonical responses: one row per free-text answer. Every column is stored as text except
# `submitted` (datetime) and `rating` (float); missing values are NA, never the string "NA".
RESPONSE_COLUMNS: tuple[str, ...] = (
    "response_id",
    "respondent_id",
    "submitted",
    "round",
    "respondent_type",
    "service",
    "locality",
    "question",
    "text",
    "rating",
    "age_band",
    "gender",
    "ethnicity",
    "disability",
    "sexual_orientation",
    "religion",
    # None for an answer; "blank" or "placeholder" ("N/A", "Did not answer") for a row kept only to
    # count who took part: never an answer, never themed, never in a denominator.
    "no_content",
)
REQUIRED_RESPONSE_COLUMNS: tuple[str, ...] = ("text",)
FILTER_COLUMNS: tuple[str, ...] = ("round", "respondent_type", "service", "locality")

MILESTONE_COLUMNS: tuple[str, ...] = (
    "milestone_id",
    "area",
    "milestone",
    "owner",
    "due_date",
    "status",
    "percent_complete",
    "evidence",
    "themes",  # codebook theme ids this milestone answers, joined by "|"
    "updated",
    "updated_by",
)

ENGAGEMENT_COLUMNS: tuple[str, ...] = (
    "activity_id",
    "date",
    "activity_type",
    "title",
    "level",
    "participants",
    "lived_experience",
    "locality",
    "make_up",
)
ENGAGEMENT_LEVELS: tuple[str, ...] = ("inform", "consult", "involve", "co-produce")
ENGAGEMENT_TYPES: tuple[str, ...] = (
    "survey",
    "group interview",
    "forum",
    "panel",
    "event",
    "interview panel",
    "workshop",
    "other",
)


class ValidationError(InputError):
    """A table or file that cannot be used; the message is shown to the user as it is."""


@dataclass
class RowProblem:
    """One problem with one source row (1-based row number as a spreadsheet user sees it)."""

    row: int
    reason: str
    rejected: bool = False


@dataclass
class ValidationReport:
    """What happened to a file on its way into the canonical schema."""

    answers: int = 0
    rejected_rows: int = 0
    problems: list[str] = field(default_factory=list)
    row_problems: list[RowProblem] = field(default_factory=list)
    mapping: dict[str, str | list[str]] = field(
        default_factory=dict
    )  # "text" may list several columns
    duplicates: int = 0
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1  # the row the header was on (title rows above it are skipped)
    no_content: int = 0  # blank and placeholder answers: people who took part without an answer
    no_content_values: dict[str, int] = field(default_factory=dict)  # placeholder -> how many
    date_order: dict[str, str] = field(default_factory=dict)  # date column -> order used
    dates_unsettled: list[str] = field(
        default_factory=list
    )  # date columns whose order was not settled

    @property
    def usable(self) -> bool:
        """True when at least one answer would load."""
        return self.answers > 0

    def to_dict(self) -> dict:
        """A JSON-ready dict (the `check --json` contract)."""
        return {
            "usable": self.usable,
            "answers": int(self.answers),
            "rejected_rows": int(self.rejected_rows),
            "duplicates": int(self.duplicates),
            "problems": list(self.problems),
            "row_problems": [
                {"row": p.row, "reason": p.reason, "rejected": p.rejected}
                for p in self.row_problems
            ],
            "mapping": dict(self.mapping),
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "header_row": int(self.header_row),
            "no_content": int(self.no_content),
            "no_content_values": dict(self.no_content_values),
            "date_order": dict(self.date_order),
            "dates_unsettled": list(self.dates_unsettled),
        }


def answers_only(df: pd.DataFrame) -> pd.DataFrame:
    """The rows that are answers: without the blank and placeholder rows kept to count who took part."""
    if "no_content" not in df.columns or not df["no_content"].notna().any():
        return df
    return df.loc[df["no_content"].isna().to_numpy(dtype=bool)].reset_index(drop=True)


def empty_responses() -> pd.DataFrame:
    """An empty responses table with the canonical columns and dtypes."""
    return conform_responses(pd.DataFrame(columns=list(RESPONSE_COLUMNS)))


def conform_responses(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` with exactly the canonical columns, in order, with canonical dtypes.

    Missing optional columns are added as NA. Text columns use pandas' nullable string dtype so
    that a respondent's literal "NA" or "None" stays a string.
    """
    out = pd.DataFrame(index=df.index)
    for col in RESPONSE_COLUMNS:
        if col in df.columns:
            out[col] = df[col]
        else:
            out[col] = pd.NA
    out["submitted"] = pd.to_datetime(out["submitted"], errors="coerce")
    out["rating"] = pd.to_numeric(out["rating"], errors="coerce").astype("Float64")
    for col in RESPONSE_COLUMNS:
        if col not in ("submitted", "rating"):
            out[col] = out[col].astype("string")
    return out.reset_index(drop=True)


def round_label(ts: pd.Timestamp) -> str:
    """Quarter label such as "2024 Q2" for a timestamp."""
    return f"{ts.year} Q{(ts.month - 1) // 3 + 1}"


def round_sort_key(label: str) -> tuple:
    """Sort key that orders "2024 Q4" before "2025 Q1" and unknown labels after, alphabetically."""
    parts = str(label).split()
    if len(parts) == 2 and parts[0].isdigit() and parts[1][:1] in "Qq" and parts[1][1:].isdigit():
        return (0, int(parts[0]), int(parts[1][1:]), "")
    return (1, 0, 0, str(label))
