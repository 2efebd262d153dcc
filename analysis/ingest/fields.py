"""The canonical fields in the words people use, and an export's header signature."""

from __future__ import annotations

import hashlib

import pandas as pd

from analysis.ingest.header_rules import normalise_header
from analysis.ingest.placeholders import is_placeholder

# In the order the mapping screen shows them; the answer text first.
FIELD_WORDS: dict[str, str] = {
    "text": "Answer text",
    "submitted": "Date submitted",
    "respondent_type": "Respondent type (service user, carer, staff)",
    "response_id": "Response id (one per answer or form)",
    "respondent_id": "Person id (the same person across answers)",
    "round": "Survey round or period",
    "service": "Service or team",
    "locality": "Where they live (locality, borough)",
    "question": "Question asked",
    "rating": "Rating or score",
    "age_band": "Age band",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "disability": "Disability",
    "sexual_orientation": "Sexual orientation",
    "religion": "Religion or belief",
}


def header_signature(columns: list[str]) -> str:
    """A key for an export's shape: its headers, normalised, in order (the same tool's next file)."""
    joined = "\x1f".join(normalise_header(c) for c in columns)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


def column_example(frame: pd.DataFrame, column: str | None, limit: int = 60) -> str:
    """The first value of `column` that says something (not blank, not a placeholder), shortened."""
    if not column or column not in frame.columns:
        return ""
    said = [" ".join(str(v).split()) for v in frame[column].head(500).tolist()]
    said = [t for t in said if t and not is_placeholder(t)]
    if not said:
        return ""
    # An answer column is best shown by an answer of a few words, not its first "Nothing".
    text = next((t for t in said[:50] if len(t.split()) >= 4), said[0])
    return text if len(text) <= limit else text[: limit - 1] + "…"
