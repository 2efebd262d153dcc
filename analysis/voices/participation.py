"""Who took part, against a population benchmark, with small-number suppression applied.

Unit: people. A person is a distinct respondent_id; an answer without one counts as one person
(analysis.findings.theme_tables.respondent_keys). Each person is counted once per table, under their most
frequent recorded value of the column (ties: first seen), so every table adds up to its total and
secondary suppression can protect it. "Prefer not to say" and missing (config.NOT_RECORDED) are kept
as their own categories and always listed.

Every count goes through analysis.privacy.suppress_counts before it leaves this module; percentages
are computed from the suppressed table (a hidden cell has no percentage). When the chosen answers hold
fewer people than the threshold, results are *withheld*: they carry a notice and no numbers at all.

This module holds the tables of who took part; it also re-exports the names of its siblings
(people_counts, benchmark, representation, participation_words) so `participation.<name>` keeps working.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import privacy
from analysis.voices.benchmark import (
    BENCHMARK_COLUMNS,
    BENCHMARK_DIMENSIONS,
    benchmark_shares,
    load_benchmark,
    validate_benchmark,
)
from analysis.voices.participation_words import (
    CONFIDENCE,
    DIMENSION_LABELS,
    IN_LINE,
    NOT_IN_BENCHMARK,
    OVER,
    TOO_FEW,
    TOTAL_LABEL,
    UNDER,
    dimension_label,
    missing_voices,
    no_data_notice,
    under_represented_groups,
    withheld_notice,
)
from analysis.voices.people_counts import (
    DEFAULT_GROUP_ORDER,
    PERSON_COLUMNS,
    PeopleTable,
    _canonical_labels,
    _no_data_table,
    _order,
    _people,
    _suppress,
    _suppress_distribution,
    canonical_labels,
    count_people,
    display_table,
    people,
    unrecorded_columns,
)
from analysis.voices.representation import (
    finding_for,
    representation,
    representation_ratio,
    wilson_interval,
)

__all__ = [
    "BENCHMARK_COLUMNS",
    "BENCHMARK_DIMENSIONS",
    "CONFIDENCE",
    "DEFAULT_GROUP_ORDER",
    "DIMENSION_LABELS",
    "IN_LINE",
    "NOT_IN_BENCHMARK",
    "OVER",
    "PERSON_COLUMNS",
    "PeopleTable",
    "TOO_FEW",
    "TOTAL_LABEL",
    "UNDER",
    "benchmark_shares",
    "canonical_labels",
    "count_people",
    "dimension_label",
    "display_table",
    "finding_for",
    "intersections",
    "load_benchmark",
    "missing_voices",
    "no_data_notice",
    "over_rounds",
    "people",
    "representation",
    "representation_ratio",
    "under_represented_groups",
    "unrecorded_columns",
    "validate_benchmark",
    "who_took_part",
    "wilson_interval",
    "withheld_notice",
]


# --- who took part ---------------------------------------------------------------------------


def who_took_part(
    responses: pd.DataFrame,
    column: str,
    *,
    threshold: int | None = None,
    known_groups: list[str] | None = None,
) -> PeopleTable:
    """People by one column (respondent type, service, locality or a demographic), suppressed.

    `known_groups` are the benchmark's groups for this column (default: DEFAULT_GROUP_ORDER); pass
    the same ones `representation` uses so both tables hide the same cells.
    Columns: group, respondents (NaN if suppressed), percent (of all respondents, visible cells only).
    The last row is the total ("All respondents").
    """
    threshold = privacy.effective_threshold(threshold)
    title = f"Who took part, by {dimension_label(column)}"
    n = count_people(responses)
    if n < threshold:
        return PeopleTable(
            title, None, ["respondents"], threshold, notice=withheld_notice(threshold)
        )
    if unrecorded_columns(responses, (column,)):
        return _no_data_table(title, column, threshold, n)
    p = people(responses)
    labels = _canonical_labels(p[column], known_groups)
    order = _order(list(labels.unique()), column, known_groups)
    counts = labels.value_counts().reindex(order, fill_value=0).astype(int)
    known = list(known_groups or DEFAULT_GROUP_ORDER.get(column, ()))
    hidden = (
        _suppress_distribution(counts, known, threshold)
        if known
        else _suppress(counts.to_frame("respondents"), threshold)[1]["respondents"]
    )
    shown = counts.astype(float).where(~hidden.reindex(order).to_numpy())
    table = pd.DataFrame({"group": order, "respondents": shown.to_numpy()})
    table["percent"] = (100 * table["respondents"] / n).round(1)
    total = pd.DataFrame({"group": [TOTAL_LABEL], "respondents": [float(n)], "percent": [100.0]})
    table = pd.concat([table, total], ignore_index=True)
    return PeopleTable(title, table, ["respondents"], threshold, n_people=n)


def over_rounds(
    responses: pd.DataFrame, column: str = "respondent_type", *, threshold: int | None = None
) -> PeopleTable:
    """People per round by one column (rounds x groups, plus a per-round total), suppressed.

    A person answering in two rounds counts once in each. The per-round total comes from the
    suppression itself, so a round with fewer people than the threshold has its total hidden too.
    """
    threshold = privacy.effective_threshold(threshold)
    title = f"Who took part over rounds, by {dimension_label(column)}"
    if count_people(responses) < threshold:
        return PeopleTable(title, None, [], threshold, notice=withheld_notice(threshold))
    if unrecorded_columns(responses, (column,)):
        return _no_data_table(title, column, threshold, count_people(responses))
    rounds = _canonical_labels(responses["round"]).to_numpy()
    per_round = []
    for rnd in pd.unique(rounds):
        p = _people(responses.iloc[np.flatnonzero(rounds == rnd)], (column,))
        per_round.append(_canonical_labels(p[column]).value_counts().rename(rnd))
    matrix = pd.DataFrame(per_round).fillna(0).astype(int)
    row_order = [r for r in _order(list(matrix.index), "round") if r in matrix.index]
    col_order = [c for c in _order(list(matrix.columns), column) if c in matrix.columns]
    matrix = matrix.reindex(index=row_order, columns=col_order)
    result = privacy.suppress_counts(matrix.astype(float), threshold=threshold)
    values = result.values.where(~result.suppressed.astype(bool))
    if result.row_totals is not None:
        values[TOTAL_LABEL] = result.row_totals.astype(float)
    else:  # one group only: each row's total is its single cell
        values[TOTAL_LABEL] = values.iloc[:, 0]
    values.index.name = "round"
    table = values.reset_index()
    return PeopleTable(
        title, table, [*col_order, TOTAL_LABEL], threshold, n_people=count_people(responses)
    )


def intersections(
    responses: pd.DataFrame, row_column: str, col_column: str, *, threshold: int | None = None
) -> PeopleTable:
    """People by two columns (e.g. age band x ethnicity), suppressed; NaN cells are hidden."""
    threshold = privacy.effective_threshold(threshold)
    title = f"Who took part, by {dimension_label(row_column)} and {dimension_label(col_column)}"
    n = count_people(responses)
    if n < threshold:
        return PeopleTable(title, None, [], threshold, notice=withheld_notice(threshold))
    if row_column == col_column:
        raise ValueError("Choose two different columns to cross.")
    lacking = unrecorded_columns(responses, (row_column, col_column))
    if lacking:
        table = _no_data_table(title, row_column, threshold, n)
        table.notice = no_data_notice(lacking)
        return table
    p = people(responses)
    rows = _canonical_labels(p[row_column])
    cols = _canonical_labels(p[col_column])
    matrix = pd.crosstab(rows, cols)
    matrix = matrix.reindex(
        index=_order(list(matrix.index), row_column),
        columns=_order(list(matrix.columns), col_column),
        fill_value=0,
    )
    # Empty special rows/columns add nothing to a heatmap; keep them only when someone is in them.
    matrix = matrix.loc[matrix.sum(axis=1) > 0, matrix.sum(axis=0) > 0]
    values, _ = _suppress(matrix, threshold)
    values.index.name = row_column
    table = values.reset_index()
    return PeopleTable(title, table, [str(c) for c in values.columns], threshold, n_people=n)
