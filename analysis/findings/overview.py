"""Headline figures, answers per round by respondent type, and the data-quality summary."""

from __future__ import annotations

import json
import math

import pandas as pd

from analysis.core import config
from analysis.core.filters import sorted_rounds
from analysis.core.schema import RESPONSE_COLUMNS
from analysis.privacy import (
    check_group_size,
    effective_threshold,
    format_suppressed,
    suppress_counts,
)


def headline_figures(df: pd.DataFrame) -> dict[str, int]:
    """Answers, respondents (by respondent_id, else one per answer), rounds and respondent types."""
    if "respondent_id" in df and df["respondent_id"].notna().any():
        ids = df["respondent_id"].astype("string")
        # Answers without a respondent id each count as one respondent.
        respondents = int(ids.dropna().nunique() + ids.isna().sum())
    else:
        respondents = len(df)
    return {
        "answers": int(len(df)),
        "respondents": respondents,
        "rounds": int(df["round"].dropna().nunique()),
        "respondent_types": int(df["respondent_type"].dropna().nunique()),
    }


NOT_RECORDED_VALUE = "Unknown"  # short enough for a metric at 1280 px wide


def headline_labels(
    figures: dict[str, int], people: str = "Respondents"
) -> list[tuple[str, str, str | None]]:
    """The four headline figures as (label, value, note) to show, saying when nothing was recorded.

    A dataset with answers but no survey round (no date) or no respondent type recorded shows
    "Unknown" with a note saying why, not 0: zero would read as a count of something counted.
    """
    some = figures["answers"] > 0

    def count(key: str, what: str) -> tuple[str, str | None]:
        if some and figures[key] == 0:
            return NOT_RECORDED_VALUE, f"Not recorded: no answer in this data has {what}."
        return f"{figures[key]:,}", None

    rounds, rounds_note = count("rounds", "a date or survey round")
    types, types_note = count("respondent_types", "a respondent type")
    return [
        ("Answers", f"{figures['answers']:,}", None),
        (people, f"{figures['respondents']:,}", None),
        ("Survey rounds", rounds, rounds_note),
        ("Respondent types", types, types_note),
    ]


def answers_by_round_and_type(df: pd.DataFrame) -> pd.DataFrame:
    """A rounds x respondent-type table of answer counts (rows in time order, types as columns)."""
    if df.empty:
        return pd.DataFrame()
    types = df["respondent_type"].fillna(config.NOT_RECORDED)
    rounds = df["round"].fillna("Undated")
    table = pd.crosstab(rounds, types)
    order = [r for r in sorted_rounds(df["round"])] + (
        ["Undated"] if (rounds == "Undated").any() else []
    )
    table = table.reindex(order)
    known = [t for t in config.RESPONDENT_TYPES if t in table.columns]
    table = table[known + [c for c in table.columns if c not in known]]
    table.index.name = "round"
    table.columns.name = None
    return table


def data_quality(
    df: pd.DataFrame, report: dict | None = None, threshold: int | None = None
) -> pd.DataFrame:
    """One row per canonical column: how complete it is, plus what ingest reported for the file.

    Counts of 1 to threshold-1 answers (missing, blank, "prefer not to say") are hidden (NaN), like
    every small count: "prefer not to say: 2" describes two people. When missing or blank answers are
    hidden, "filled" and "% complete" are hidden too, since they add up to the number of answers.
    """
    t = effective_threshold(threshold)
    rows = []
    n = len(df)
    for col in RESPONSE_COLUMNS:
        if col not in df or col == "no_content":  # a mark set by ingest, not a column of the file
            continue
        series = df[col]
        missing = int(series.isna().sum())
        blank = (
            int((series.astype("string").str.strip() == "").fillna(False).sum())
            if col == "text"
            else 0
        )
        pnts = (
            int((series == config.PREFER_NOT_TO_SAY).fillna(False).sum())
            if col in config.DEMOGRAPHIC_COLUMNS
            else 0
        )
        hide_filled = 0 < missing < t or 0 < blank < t
        rows.append(
            {
                "column": col,
                "filled": math.nan if hide_filled else n - missing - blank,
                "missing": math.nan if 0 < missing < t else missing,
                "blank answers": math.nan if 0 < blank < t else blank,
                "prefer not to say": math.nan if 0 < pnts < t else pnts,
                "% complete": math.nan
                if hide_filled
                else (round(100 * (n - missing - blank) / n, 1) if n else 0.0),
                "distinct values": int(series.nunique(dropna=True)),
            }
        )
    return pd.DataFrame(rows)


_ORDER_WORDS = {"dayfirst": "day first", "monthfirst": "month first", "iso": "year first"}


def ingest_summary(report: dict | str | None) -> pd.DataFrame:
    """The stored validation report (dict or its JSON) as a two-column table for display."""
    if isinstance(report, str):
        try:
            report = json.loads(report or "{}")
        except ValueError:
            report = {}
    report = report or {}
    pairs = [
        ("Answers loaded", f"{int(report.get('answers', 0)):,}"),
        (
            "No content (blank or placeholder; counts who took part, never an answer)",
            f"{int(report.get('no_content', 0)):,}",
        ),
        ("Rows rejected", f"{int(report.get('rejected_rows', 0)):,}"),
        (
            "Repeated response ids or identical rows (kept)",
            f"{int(report.get('duplicates', 0)):,}",
        ),
    ]
    if int(report.get("header_row", 1) or 1) != 1:
        pairs.append(("Header row", str(int(report["header_row"]))))
    unsettled = set(report.get("dates_unsettled") or [])
    for column, order in (report.get("date_order") or {}).items():
        words = _ORDER_WORDS.get(str(order), str(order))
        if column in unsettled:
            words += " (not settled by the values)"
        pairs.append((f'Dates in "{column}" read', words))
    if report.get("encoding"):
        pairs.append(("Encoding", str(report["encoding"])))
    if report.get("sheet"):
        pairs.append(("Sheet", str(report["sheet"])))
    for problem in report.get("problems", [])[:20]:
        pairs.append(("Problem", str(problem)))
    return pd.DataFrame(pairs, columns=["check", "result"])


def too_few_people(df: pd.DataFrame, threshold: int | None = None) -> bool:
    """True when the selection holds fewer respondents than the suppression threshold."""
    return not check_group_size(headline_figures(df)["respondents"], threshold)


def answers_by_round_suppressed(
    df: pd.DataFrame, threshold: int | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rounds x type table after small-number suppression: (values with NaN hidden, display copy)."""
    table = answers_by_round_and_type(df)
    if table.empty:
        return table, table
    result = suppress_counts(table, threshold=effective_threshold(threshold))
    display = format_suppressed(result).reset_index()
    return result.values, display
