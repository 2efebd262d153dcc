"""Build canonical answer rows from a mapped export: ids, dates, rounds, normalised values, and one
row per answer when a wide export has several free-text questions. Used by analysis.ingest.exports.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from analysis.core import config
from analysis.core.schema import RESPONSE_COLUMNS, RowProblem, ValidationReport, conform_responses
from analysis.ingest.dates import ORDER_WORDS, read_dates
from analysis.ingest.mapping import GENERIC_TEXT_HEADERS, normalise_header, text_columns
from analysis.ingest.placeholders import BLANK, PLACEHOLDER, no_content_kind
from analysis.ingest.values import (
    normalise_demographic,
    normalise_place,
    normalise_respondent_type,
    normalise_round,
    parse_rating,
)

_LISTED_ROWS = 10


def _map_unique(values: list[str], fn):  # noqa: ANN001, ANN202
    """Apply `fn` once per distinct value (exports repeat the same few categories thousands of times)."""
    cache: dict[str, object] = {}
    out = []
    for v in values:
        if v not in cache:
            cache[v] = fn(v)
        out.append(cache[v])
    return out  # row numbers spelled out in a summary problem before "and N more"


def rows_list(rows: list[int], limit: int = _LISTED_ROWS) -> str:
    """Row numbers for a message: the first `limit`, then "and N more"."""
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" and {len(rows) - limit} more" if len(rows) > limit else "")


def _col(frame: pd.DataFrame, mapping: dict, key: str) -> pd.Series | None:
    src = mapping.get(key)
    if not src or isinstance(src, list):
        return None
    return frame[src].astype(str)


def build_answers(
    frame: pd.DataFrame,
    numbers: list[int],
    mapping: dict,
    report: ValidationReport,
    placeholders: frozenset[str] | None = None,
    date_order: str | None = None,
) -> pd.DataFrame:
    """Canonical responses for the kept source rows (`numbers` are their source row numbers).

    Blank and placeholder answers (`placeholders`, default analysis.ingest.placeholders) are kept with
    `no_content` set, so they count who took part without ever counting as answers.
    """
    n = len(frame)
    if n == 0:
        return conform_responses(pd.DataFrame(columns=list(RESPONSE_COLUMNS)))
    meta = pd.DataFrame(index=range(n))

    ids = _col(frame, mapping, "response_id")
    base_ids = [
        (s.strip() if s.strip() else f"r{num}")
        for s, num in zip(ids.tolist() if ids is not None else [""] * n, numbers)
    ]
    resp = _col(frame, mapping, "respondent_id")
    respondent = [s.strip() or None for s in resp.tolist()] if resp is not None else [None] * n

    meta["submitted"] = _submitted_dates(frame, numbers, mapping, report, date_order)
    meta["submitted"] = pd.to_datetime(meta["submitted"], errors="coerce")
    meta["round"] = _rounds(frame, mapping, meta["submitted"])
    _add_categories(frame, mapping, meta, report)
    rating = _col(frame, mapping, "rating")
    if rating is not None:
        meta["rating"] = _ratings(rating, numbers, report)
    question = _col(frame, mapping, "question")

    return _explode_text(
        frame, numbers, mapping, meta, base_ids, respondent, question, report, placeholders
    )


def _submitted_dates(
    frame: pd.DataFrame,
    numbers: list[int],
    mapping: dict,
    report: ValidationReport,
    date_order: str | None,
) -> object:
    """The submitted dates as values for the meta frame (NaT when unmapped); report unreadable ones."""
    submitted = _col(frame, mapping, "submitted")
    if submitted is None:
        return pd.NaT
    parsed, bad, facts = read_dates(submitted.reset_index(drop=True), date_order)
    _report_date_order(str(mapping["submitted"]), facts, report)
    if bad:
        bad_rows = [numbers[i] for i in bad]
        for i in bad:
            shown = " ".join(submitted.iloc[i].split())[:40]
            report.row_problems.append(
                RowProblem(numbers[i], f'date "{shown}" could not be read; kept without a date')
            )
        report.problems.append(
            f"{len(bad)} date(s) could not be read (kept without a date): rows {rows_list(bad_rows)}."
        )
    return parsed.to_numpy()


def _rounds(frame: pd.DataFrame, mapping: dict, submitted: pd.Series) -> list[str | None]:
    """The round of each row: the mapped round column, else the quarter of its submitted date."""
    rounds = _col(frame, mapping, "round")
    derived = [schema_round(ts) for ts in submitted]
    if rounds is None:
        return derived
    return [r or d for r, d in zip(_map_unique(rounds.tolist(), normalise_round), derived)]


def _add_categories(
    frame: pd.DataFrame, mapping: dict, meta: pd.DataFrame, report: ValidationReport
) -> None:
    """Add the normalised respondent type, place and demographic columns that are mapped to `meta`."""
    rtype = _col(frame, mapping, "respondent_type")
    if rtype is not None:
        meta["respondent_type"] = _respondent_types(rtype, report)
    for key in ("service", "locality"):
        col = _col(frame, mapping, key)
        if col is not None:
            meta[key] = _map_unique(col.tolist(), normalise_place)
    for key in config.DEMOGRAPHIC_COLUMNS:
        col = _col(frame, mapping, key)
        if col is not None:
            meta[key] = _map_unique(col.tolist(), normalise_demographic)


def _respondent_types(rtype: pd.Series, report: ValidationReport) -> list:
    """Normalised respondent types; report the values not recognised (counted as other)."""
    normalised = _map_unique(rtype.tolist(), normalise_respondent_type)
    unknown = Counter(
        " ".join(v.split())[:40]
        for v, t in zip(rtype.tolist(), normalised)
        if t == "other" and " ".join(v.split()).lower() != "other"
    )
    if unknown:
        shown = ", ".join(f'"{k}" ({c})' for k, c in unknown.most_common(5))
        report.problems.append(
            f"{sum(unknown.values())} respondent type(s) not recognised, counted as other: {shown}."
        )
    return normalised


def _ratings(rating: pd.Series, numbers: list[int], report: ValidationReport) -> list:
    """Parsed ratings (None when not a number); report the non-blank values that were not numbers."""
    scores = _map_unique(rating.tolist(), parse_rating)
    bad = [num for v, s, num in zip(rating.tolist(), scores, numbers) if s is None and v.strip()]
    if bad:
        report.problems.append(
            f"{len(bad)} rating(s) were not numbers and were left empty: rows {rows_list(bad)}."
        )
    return scores


def _report_date_order(column: str, facts: dict, report: ValidationReport) -> None:
    """Say which order a date column was read in, and ask when its values do not settle it."""
    order, found = facts["order"], facts["found"]
    report.date_order[column] = order
    if not facts["settled"]:
        report.dates_unsettled.append(column)
        report.problems.append(
            f'Dates in "{column[:40]}" can be read day first or month first (e.g. "{found.example}": '
            f"{found.ambiguous} could be either, {found.day_first_only} only day first, "
            f"{found.month_first_only} only month first). They were read {ORDER_WORDS[order]}: "
            "choose the order (upload form, or --date-order) if that is wrong."
        )
    if facts["other_way"]:
        report.problems.append(
            f'{facts["other_way"]} date(s) in "{column[:40]}" can only be read the other way round '
            f"from {ORDER_WORDS[order]} and were read that way."
        )


def schema_round(ts: object) -> str | None:
    """The "YYYY Qn" round of a timestamp, or None when it is missing."""
    if ts is None or pd.isna(ts):
        return None
    ts = pd.Timestamp(ts)
    return f"{ts.year} Q{(ts.month - 1) // 3 + 1}"


def _explode_text(
    frame: pd.DataFrame,
    numbers: list[int],
    mapping: dict,
    meta: pd.DataFrame,
    base_ids: list[str],
    respondent: list[str | None],
    question: pd.Series | None,
    report: ValidationReport,
    placeholders: frozenset[str] | None = None,
) -> pd.DataFrame:
    """One response row per answer (one per mapped text column when the export is wide)."""
    tcols = text_columns(mapping)
    texts = [frame[c].astype(str).tolist() for c in tcols]
    wide = len(tcols) > 1
    if wide and question is not None:
        report.problems.append(
            "A question column is ignored because several answer columns are mapped."
        )
        question = None
    out_rows: list[dict] = []
    src_rows: list[int] = []
    fixes = _TextFixes()
    meta_records = meta.to_dict("records")
    questions = [q.strip() or None for q in question.tolist()] if question is not None else None
    default_question = tcols[0] if normalise_header(tcols[0]) not in GENERIC_TEXT_HEADERS else None
    for i in range(len(frame)):
        for k, value, kind in _row_answers(texts, i, placeholders):
            rec = dict(meta_records[i])
            rec["text"] = fixes.clean(value, kind, numbers[i])
            rec["no_content"] = kind
            if wide:
                rec["response_id"] = f"{base_ids[i]}-q{k}"
                rec["respondent_id"] = respondent[i] or base_ids[i]
                rec["question"] = tcols[k - 1]
            else:
                rec["response_id"] = base_ids[i]
                rec["respondent_id"] = respondent[i]
                rec["question"] = questions[i] if questions is not None else default_question
            out_rows.append(rec)
            src_rows.append(numbers[i])
    fixes.report_to(report)
    _dedupe_ids(out_rows, src_rows, report)
    return conform_responses(pd.DataFrame(out_rows))


def _row_answers(
    texts: list[list[str]], i: int, placeholders: frozenset[str] | None
) -> list[tuple[int, str, str | None]]:
    """The non-blank answers of row `i` as (question number, value, no-content kind)."""
    answers: list[tuple[int, str, str | None]] = []
    for k, col_values in enumerate(texts, start=1):
        value = col_values[i]
        if value.strip():
            answers.append((k, value, no_content_kind(value, placeholders)))
    if not answers:
        answers = [(1, "", BLANK)]  # the person took part: one row says so
    return answers


class _TextFixes:
    """What cleaning answer texts found (no-content values, NUL characters, overlong answers)."""

    def __init__(self) -> None:
        self.kinds: Counter[str] = Counter()
        self.nothing_rows: list[int] = []
        self.nul_rows: list[int] = []
        self.long_rows: list[int] = []

    def clean(self, value: str, kind: str | None, row: int) -> str:
        """The answer text without NULs, stripped and cut to the maximum length; note what changed."""
        if kind is not None:
            self.nothing_rows.append(row)
            self.kinds[" ".join(value.split())[:40] if kind == PLACEHOLDER else "(blank)"] += 1
        text = value
        if "\x00" in text:
            text = text.replace("\x00", "")
            self.nul_rows.append(row)
        text = text.strip()
        if len(text) > config.MAX_TEXT_CHARS:
            text = text[: config.MAX_TEXT_CHARS]
            self.long_rows.append(row)
        return text

    def report_to(self, report: ValidationReport) -> None:
        """Record the no-content counts and the problems found in `report`."""
        kinds = self.kinds
        report.no_content = sum(kinds.values())
        report.no_content_values = dict(kinds.most_common(20))
        if kinds:
            shown = ", ".join(
                f'"{k}" ({c})' if k != "(blank)" else f"blank ({c})"
                for k, c in kinds.most_common(6)
            )
            report.problems.append(
                f"{report.no_content} answer(s) say nothing: {shown}. They count who took part but are "
                f"not answers: never themed and never in a share (rows {rows_list(self.nothing_rows)})."
            )
        if self.nul_rows:
            report.problems.append(
                f"NUL characters were removed from {len(self.nul_rows)} answer(s): "
                f"rows {rows_list(self.nul_rows)}."
            )
        if self.long_rows:
            report.problems.append(
                f"{len(self.long_rows)} answer(s) longer than {config.MAX_TEXT_CHARS:,} characters were "
                f"cut to that length: rows {rows_list(self.long_rows)}."
            )
        for r in self.long_rows:
            report.row_problems.append(
                RowProblem(r, f"answer cut to {config.MAX_TEXT_CHARS:,} characters")
            )


def _dedupe_ids(rows: list[dict], src_rows: list[int], report: ValidationReport) -> None:
    """Make response ids unique by adding "-2", "-3"...; report which rows were renamed."""
    seen = Counter(r["response_id"] for r in rows)
    if all(c == 1 for c in seen.values()):
        return
    used = set(seen)
    count: Counter[str] = Counter()
    renamed: list[int] = []
    for rec, src in zip(rows, src_rows):
        rid = rec["response_id"]
        count[rid] += 1
        if count[rid] == 1:
            continue
        k = count[rid]
        new = f"{rid}-{k}"
        while new in used:
            k += 1
            new = f"{rid}-{k}"
        used.add(new)
        rec["response_id"] = new
        renamed.append(src)
        report.row_problems.append(
            RowProblem(src, f'response id "{rid[:40]}" already used; renamed "{new[:50]}"')
        )
    report.problems.append(
        f"{len(renamed)} repeated response id(s) were made unique with a suffix: rows {rows_list(renamed)}."
    )
