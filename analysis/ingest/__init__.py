"""Reading survey exports (CSV and XLSX), mapping their columns and turning them into answer rows."""

from analysis.ingest.exports import (
    RawTable,
    load_responses,
    read_path,
    read_upload,
    suggest_for,
    to_responses,
)
from analysis.ingest.mapping import MappingSuggestion, explain_mapping, suggest_mapping
from analysis.ingest.placeholders import DEFAULT_PLACEHOLDERS, is_placeholder, no_content_kind

__all__ = [
    "DEFAULT_PLACEHOLDERS",
    "MappingSuggestion",
    "RawTable",
    "explain_mapping",
    "is_placeholder",
    "load_responses",
    "no_content_kind",
    "read_path",
    "read_upload",
    "suggest_for",
    "suggest_mapping",
    "to_responses",
]
