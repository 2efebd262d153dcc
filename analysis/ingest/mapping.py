"""Suggest how an export's columns map to the canonical responses columns.

Headers are matched by word patterns (analysis.ingest.header_rules); a sample of the values settles the hard cases: a column of
long, varied answers is free text whatever its header says, and a column of a few short values is
never free text even when its header is a question ("Overall, how was your experience?"). The values
also settle ids, categories and roles (analysis.ingest.column_values).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from analysis.ingest.column_values import ColumnValues, profile_values
from analysis.ingest.header_rules import (
    GENERIC_TEXT_HEADERS,
    QUESTION_START,
    TEXT,
    TEXT_HEADER,
    exact_match,
    normalise_header,
    rule_match,
)
from analysis.ingest.placeholders import is_placeholder

_DATE_LIKE = re.compile(r"^\s*\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}([ T].*)?$")


def sample_profile(values: pd.Series) -> dict[str, float]:
    """Summary of a column's sample: non-empty count, distinct ratio, mean length and words.

    Blanks and placeholders ("N/A", "-", "Did not answer") are left out: a free-text column with
    many of them is still free text.
    """
    vals = [str(v).strip() for v in values.tolist() if not is_placeholder(v)]
    if not vals:
        return {
            "n": 0,
            "distinct": 0.0,
            "mean_len": 0.0,
            "mean_words": 0.0,
            "numeric": 0.0,
            "datey": 0.0,
        }
    n = len(vals)
    numeric = sum(1 for v in vals if re.fullmatch(r"[-+]?\d+(\.\d+)?", v)) / n
    datey = sum(1 for v in vals if _DATE_LIKE.match(v)) / n
    return {
        "n": n,
        "distinct": len(set(vals)) / n,
        "mean_len": sum(len(v) for v in vals) / n,
        "mean_words": sum(len(v.split()) for v in vals) / n,
        "numeric": numeric,
        "datey": datey,
    }


def looks_like_free_text(profile: dict[str, float]) -> bool:
    """True when sampled values read like written answers rather than codes or categories."""
    if profile["n"] == 0 or profile["numeric"] > 0.5 or profile["datey"] > 0.5:
        return False
    varied = profile["distinct"] >= 0.6 or profile["n"] < 5
    return varied and (profile["mean_words"] >= 4 or profile["mean_len"] >= 25)


def looks_closed(profile: dict[str, float]) -> bool:
    """True when sampled values are a few short categories (a closed question)."""
    if profile["n"] < 5:
        return False  # too few values to tell
    short_repeated = profile["mean_words"] <= 3 and profile["distinct"] <= 0.6
    return profile["mean_len"] < 30 and (
        profile["distinct"] <= 0.3 or profile["numeric"] > 0.8 or short_repeated
    )


@dataclass
class MappingSuggestion:
    """A suggested mapping, with what the values showed and where the suggestion is unsure."""

    mapping: dict[str, str | list[str]]
    notes: list[str] = field(default_factory=list)  # what the values settled, in words
    unsure: list[str] = field(default_factory=list)  # what the user should check or choose


_ID_HEADER = re.compile(r"\b(id|ids|ref|reference|code|number|no|key|uuid|guid|token)$")
_ID_FIELDS = ("response_id", "respondent_id")


def suggest_mapping(
    columns: list[str], sample: pd.DataFrame | None = None
) -> dict[str, str | list[str]]:
    """Suggest canonical column -> source column; "text" maps to a list when several columns are free text.

    Args:
        columns: the export's headers, in order.
        sample: optional first rows of the export (all strings), used to tell answers from categories.
    """
    return explain_mapping(columns, sample).mapping


def explain_mapping(
    columns: list[str],
    sample: pd.DataFrame | None = None,
    descriptions: dict[str, str] | None = None,
) -> MappingSuggestion:
    """Suggest a mapping from headers and values, saying what the values settled and what is unsure.

    Args:
        columns: the export's headers, in order.
        sample: optional first rows of the export (all strings).
        descriptions: optional longer wording per column (a Qualtrics question row), used when the
            header itself ("Q1") says nothing.
    """
    descriptions = descriptions or {}
    values: dict[str, ColumnValues] = {}
    if sample is not None and len(sample):
        values = {c: profile_values(sample[c].head(500)) for c in columns if c in sample.columns}
    headers = {c: _header_for(c, descriptions.get(c)) for c in columns}
    mapping = _by_headers(columns, sample, headers, values)
    notes: list[str] = []
    _prefer_completion_time(columns, headers, mapping)
    _settle_by_values(columns, headers, values, mapping, notes)
    unsure: list[str] = []
    texts = text_columns(mapping)
    if not texts:
        unsure.append("No column reads clearly as answers: choose the answer column(s).")
    elif (
        sample is not None
        and len(sample)
        and not any(looks_like_free_text(sample_profile(sample[c].head(200))) for c in texts)
    ):
        unsure.append(
            f'"{texts[0]}" was the wordiest column left, but its values do not read clearly as '
            "written answers: check the answer column."
        )
    return MappingSuggestion(mapping, notes, unsure)


def _header_for(column: str, description: str | None) -> str:
    """The normalised header, or the description when the header is a bare code like "Q3"."""
    h = normalise_header(column)
    if not description:
        return h
    code = not h or re.fullmatch(r"q\d+\w*( text)?|question \d+|column \d+", h)
    if code or (rule_match(h) is None and exact_match(h) is None and h not in GENERIC_TEXT_HEADERS):
        return normalise_header(description)
    return h


def _by_headers(columns, sample, headers, values) -> dict:  # noqa: ANN001
    """The header-and-shape mapping, with columns whose values are ids or constants kept from text."""
    clean = [c for c in columns if not _never_text(values.get(c), headers[c])]
    renamed = {c: headers[c] for c in clean}
    mapping = _header_mapping(clean, sample, renamed)
    if not text_columns(mapping) and sample is not None and len(sample):
        fallback = _wordiest_unmapped(clean, _profiles(clean, sample), mapping)
        if fallback:
            mapping[TEXT] = fallback
    for col in columns:  # ids and constants: only the header rules for non-text fields apply
        if col in clean:
            continue
        canonical = exact_match(headers[col]) or rule_match(headers[col])
        if canonical and canonical != TEXT and canonical not in mapping:
            mapping[canonical] = col
    return mapping


_START = re.compile(r"^start(ed)?( date| time|date|time)?\b")
_FINISH = re.compile(r"\b(end|completion|completed|submitted|submission|recorded)( date| time)?\b")


def _prefer_completion_time(columns, headers, mapping) -> None:  # noqa: ANN001
    """An answer is given when the form is sent: prefer "Completion time" / "EndDate" to a start time."""
    chosen = mapping.get("submitted")
    if not isinstance(chosen, str) or not _START.search(headers[chosen]):
        return
    used = _used(mapping)
    for col in columns:
        if (
            col not in used
            and _FINISH.search(headers[col])
            and rule_match(headers[col]) == "submitted"
        ):
            mapping["submitted"] = col
            return


def _never_text(prof: ColumnValues | None, header: str) -> bool:
    """Ids are never answers; nor is one value repeated down a column not headed as answers."""
    if prof is None:
        return False
    generic = header in GENERIC_TEXT_HEADERS or exact_match(header) == TEXT
    return prof.id_like or (prof.constant and prof.n >= 10 and not generic)


def _settle_by_values(columns, headers, values, mapping, notes) -> None:  # noqa: ANN001
    """Fix what headers got wrong: ids that are categories, roles, unnamed id columns."""
    for field_name in _ID_FIELDS:
        col = mapping.get(field_name)
        prof = values.get(col) if isinstance(col, str) else None
        if prof is None or not prof.categories:
            continue
        del mapping[field_name]
        if prof.roles and "respondent_type" not in mapping:
            mapping["respondent_type"] = col
            notes.append(
                f'"{col}" holds a few roles (like service user, carer, staff): read as respondent '
                "type, not as a person's id."
            )
        else:
            notes.append(f'"{col}" holds a handful of repeated values, so it is not an id.')
    used = _used(mapping)
    for col in columns:
        prof = values.get(col)
        if prof is None or col in used:
            continue
        if prof.roles and "respondent_type" not in mapping:
            mapping["respondent_type"] = col
            used.add(col)
            notes.append(
                f'"{col}" holds roles (service user, carer, staff): read as respondent type.'
            )
        elif prof.id_like:
            if "response_id" not in mapping and _ID_HEADER.search(headers[col]):
                mapping["response_id"] = col
                used.add(col)
            notes.append(f'"{col}" holds unique codes or ids: never read as answers.')


def _used(mapping: dict) -> set[str]:
    used: set[str] = set()
    for value in mapping.values():
        used.update([value] if isinstance(value, str) else list(value))
    return used


def _profiles(columns: list[str], sample: pd.DataFrame) -> dict[str, dict[str, float]]:
    return {c: sample_profile(sample[c].head(200)) for c in columns if c in sample.columns}


def _header_mapping(
    columns: list[str], sample: pd.DataFrame | None, headers: dict[str, str]
) -> dict[str, str | list[str]]:
    """Canonical -> source column from header words, with value shapes settling question headers."""
    mapping: dict[str, str | list[str]] = {}
    text_cols: list[str] = []
    profiles = _profiles(columns, sample) if sample is not None and len(sample) else {}
    for col in columns:
        h = headers[col]
        if not h:
            continue
        prof = profiles.get(col)
        free = prof is not None and looks_like_free_text(prof)
        closed = prof is not None and looks_closed(prof)
        empty = prof is not None and prof["n"] == 0
        exact = exact_match(h)
        if exact == TEXT or (exact is None and h in GENERIC_TEXT_HEADERS):
            text_cols.append(col)
            continue
        if exact and exact not in mapping:
            mapping[exact] = col
            continue
        questionish = col.strip().endswith("?") or h.endswith("?") or bool(QUESTION_START.match(h))
        long_header = len(h.split()) > 6
        canonical = None
        if not free:
            # Long question headers only map to metadata when the values are categories.
            if not (long_header or questionish) or closed or prof is None:
                canonical = rule_match(h)
            if canonical in mapping:
                canonical = None
        if canonical and canonical != TEXT:
            if questionish and prof is None and canonical not in _QUESTION_FIELDS:
                canonical = None  # e.g. "What could we do better for our service?": a question, not "service"
            if canonical:
                mapping[canonical] = col
                continue
        if free or (not closed and not empty and (questionish or TEXT_HEADER.search(h))):
            if prof is None or not closed:
                text_cols.append(col)
    if text_cols:
        mapping[TEXT] = text_cols[0] if len(text_cols) == 1 else text_cols
    return mapping


_QUESTION_FIELDS = (
    "respondent_type",
    "age_band",
    "rating",
    "gender",
    "ethnicity",
    "disability",
    "sexual_orientation",
    "religion",
)


def _wordiest_unmapped(columns: list[str], profiles: dict, mapping: dict) -> str | None:
    """When nothing reads as free text, offer the unmapped column with the most words per value."""
    used = {v for v in mapping.values() if isinstance(v, str)}
    best, best_words = None, 2.0
    for col in columns:
        prof = profiles.get(col)
        if col in used or prof is None or prof["n"] == 0:
            continue
        if prof["numeric"] > 0.5 or prof["datey"] > 0.5 or prof["distinct"] < 0.5:
            continue
        if prof["mean_words"] >= best_words:
            best, best_words = col, prof["mean_words"]
    return best


def text_columns(mapping: dict) -> list[str]:
    """The source columns mapped to free text, as a list (empty when none)."""
    value = mapping.get(TEXT)
    if value is None or value == "":
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]
