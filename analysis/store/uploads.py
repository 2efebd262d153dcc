"""The upload flow: suggest (or recall) a mapping, build the preview, save the dataset and the mapping.

    start = start_upload(raw)                      # what the form shows: suggestion, memory, examples
    preview = prepare_upload(raw, choices)         # the answers and the report for those choices
    dataset_id = save_upload(name, raw, preview, filename=..., who=...)

A mapping confirmed by saving is remembered for the export's header signature, so the next file with
the same headers maps itself (and `start.remembered` says when and by whom it was confirmed). A file
whose headers are close to a remembered one's (a column added or renamed, the order changed) starts
from that mapping where its columns are still there and from the suggestion elsewhere
(`start.remembered_exact` is False, and `new_columns` / `gone_columns` say what changed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Engine

from analysis.core.schema import ValidationError, ValidationReport
from analysis.ingest import RawTable, suggest_for, to_responses
from analysis.ingest.dates import infer_date_order
from analysis.ingest.fields import FIELD_WORDS, column_example, header_signature
from analysis.ingest.mapping import MappingSuggestion, text_columns
from analysis.ingest.placeholders import DEFAULT_PLACEHOLDERS
from analysis.privacy import redact_text
from analysis.store.datasets import save_dataset
from analysis.store.mappings import (
    RememberedMapping,
    recall_mapping,
    recall_similar,
    remember_mapping,
)


@dataclass
class UploadChoices:
    """What the user chose on the form (None: what was suggested or remembered)."""

    mapping: dict
    placeholders: list[str] | None = None
    date_order: str | None = None


@dataclass
class UploadStart:
    """What the mapping form starts from."""

    signature: str
    suggestion: MappingSuggestion
    remembered: RememberedMapping | None
    choices: UploadChoices  # the remembered choices when there are any, else the suggestion
    examples: dict[str, str] = field(default_factory=dict)  # column -> a redacted example value
    date_unsettled: bool = False  # the suggested date column's values do not settle its order
    date_example: str | None = None
    remembered_exact: bool = True  # False: remembered for a file with close, not the same, headers
    new_columns: list[str] = field(default_factory=list)  # this file's headers that one lacked
    gone_columns: list[str] = field(default_factory=list)  # its mapped columns this file lacks


@dataclass
class UploadPreview:
    """The answers and report for a set of choices, or the reason they cannot be used."""

    choices: UploadChoices
    responses: pd.DataFrame | None
    report: ValidationReport | None
    error: str | None = None
    signature: str = ""

    @property
    def needs_date_order(self) -> bool:
        """True while a date column's order is neither settled by its values nor chosen."""
        return bool(self.report and self.report.dates_unsettled and not self.choices.date_order)


def start_upload(raw: RawTable, engine: Engine | None = None) -> UploadStart:
    """The suggestion for an export, the remembered mapping for its header signature, and examples."""
    signature = header_signature(list(raw.frame.columns))
    suggestion = suggest_for(raw)
    remembered = recall_mapping(signature, engine)
    similar = None
    if remembered is not None and _fits(remembered.mapping, raw):
        choices = UploadChoices(
            dict(remembered.mapping), remembered.placeholders, remembered.date_order
        )
    else:
        remembered = similar = recall_similar([str(c) for c in raw.frame.columns], engine)
        choices = (
            _reuse(similar, suggestion.mapping, raw)
            if similar is not None
            else UploadChoices(dict(suggestion.mapping))
        )
    examples = {
        str(c): redact_text(column_example(raw.frame, str(c))).text for c in raw.frame.columns
    }
    start = UploadStart(signature, suggestion, remembered, choices, examples)
    if similar is not None:
        start.remembered_exact = False
        start.new_columns = [str(c) for c in raw.frame.columns if str(c) not in similar.headers]
        start.gone_columns = sorted(
            _named_columns(similar.mapping) - set(map(str, raw.frame.columns))
        )
    date_col = choices.mapping.get("submitted")
    if isinstance(date_col, str) and date_col in raw.frame.columns:
        found = infer_date_order(raw.frame[date_col])
        start.date_unsettled, start.date_example = not found.settled, found.example
    return start


def _fits(mapping: dict, raw: RawTable) -> bool:
    """A remembered mapping still names only columns this file has, and some answer text."""
    cols = set(raw.frame.columns)
    named = [v for k, v in mapping.items() if k != "text" and v]
    return bool(text_columns(mapping)) and set(text_columns(mapping)) <= cols and set(named) <= cols


def _named_columns(mapping: dict) -> set[str]:
    """Every source column a mapping names (the text columns included)."""
    named = {str(v) for k, v in mapping.items() if k != "text" and isinstance(v, str) and v}
    return named | set(text_columns(mapping))


def _reuse(remembered: RememberedMapping, suggested: dict, raw: RawTable) -> UploadChoices:
    """A close export's confirmed mapping for this file: each field keeps its remembered column when
    the file still has it; a field whose column is gone, or that was left unmapped but matches one of
    this file's new columns, takes the suggestion (if no kept field uses that column already)."""
    cols = {str(c) for c in raw.frame.columns}
    new = cols - set(remembered.headers)
    mapping: dict = {}
    for name, value in remembered.mapping.items():
        if name == "text":
            kept = [c for c in text_columns(remembered.mapping) if c in cols]
            if kept:
                mapping["text"] = kept[0] if isinstance(value, str) and len(kept) == 1 else kept
        elif isinstance(value, str) and value in cols:
            mapping[name] = value
    used = _named_columns(mapping)
    for name, value in suggested.items():
        if name in mapping:
            continue
        wanted = text_columns({"text": value}) if name == "text" else [value]
        gone = name in remembered.mapping
        fresh = [c for c in wanted if isinstance(c, str) and c not in used and (gone or c in new)]
        if fresh:
            mapping[name] = fresh if name == "text" and isinstance(value, list) else fresh[0]
            used |= set(fresh)
    date_kept = mapping.get("submitted") == remembered.mapping.get("submitted")
    return UploadChoices(
        mapping, remembered.placeholders, remembered.date_order if date_kept else None
    )


def prepare_upload(raw: RawTable, choices: UploadChoices) -> UploadPreview:
    """The canonical answers and the validation report for the user's choices (never raises)."""
    signature = header_signature(list(raw.frame.columns))
    try:
        df, report = to_responses(raw, choices.mapping, choices.placeholders, choices.date_order)
    except ValidationError as exc:
        return UploadPreview(choices, None, None, str(exc), signature)
    return UploadPreview(choices, df, report, None, signature)


def save_upload(
    name: str,
    raw: RawTable,
    preview: UploadPreview,
    *,
    filename: str,
    who: str,
    engine: Engine | None = None,
) -> int:
    """Save the previewed answers as a dataset and remember the confirmed mapping; the dataset id."""
    if preview.responses is None or preview.report is None:
        raise ValidationError(preview.error or "There is nothing to save.")
    dataset_id = save_dataset(
        name,
        preview.responses,
        report=preview.report.to_dict(),
        mapping=preview.report.mapping,
        source_filename=filename,
        created_by=who,
        engine=engine,
    )
    remember_mapping(
        preview.signature or header_signature(list(raw.frame.columns)),
        [str(c) for c in raw.frame.columns],
        preview.report.mapping,
        placeholders=preview.choices.placeholders,
        date_order=preview.choices.date_order,
        who=who,
        engine=engine,
    )
    return dataset_id


__all__ = [
    "DEFAULT_PLACEHOLDERS",
    "FIELD_WORDS",
    "UploadChoices",
    "UploadPreview",
    "UploadStart",
    "prepare_upload",
    "save_upload",
    "start_upload",
]
