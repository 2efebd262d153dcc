"""Reading survey exports (CSV and XLSX), mapping their columns and turning them into answer rows."""

from analysis.ingest.exports import RawTable, load_responses, read_path, read_upload, to_responses
from analysis.ingest.mapping import suggest_mapping

__all__ = [
    "RawTable",
    "load_responses",
    "read_path",
    "read_upload",
    "suggest_mapping",
    "to_responses",
]
