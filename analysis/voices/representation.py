"""Representation: respondents' shares against population shares, with a ratio and its interval.

Representation ratio (see `wilson_interval`, `representation`): a group's share of the respondents
whose answer falls in a benchmark group, divided by its share of the benchmark population. The
interval is the Wilson score interval of the respondent share divided by the population share; the
population share is treated as fixed (a census count, orders of magnitude larger than any survey).
"Under-represented" is said only when the interval's upper bound is below 1, "over-represented" only
when its lower bound is above 1; otherwise "in line with the population (interval includes 1)".
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from analysis import privacy
from analysis.core.schema import ValidationError
from analysis.voices.benchmark import benchmark_shares
from analysis.voices.participation_words import (
    CONFIDENCE,
    IN_LINE,
    NOT_IN_BENCHMARK,
    OVER,
    TOO_FEW,
    TOTAL_LABEL,
    UNDER,
    dimension_label,
    withheld_notice,
)
from analysis.voices.people_counts import (
    PeopleTable,
    _canonical_labels,
    _no_data_table,
    _order,
    _suppress_distribution,
    count_people,
    people,
    unrecorded_columns,
)


def wilson_interval(successes: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson score interval for a proportion successes/n (n > 0)."""
    if n <= 0:
        raise ValueError("n must be positive")
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def representation_ratio(
    successes: int, n: int, population_share: float, confidence: float = CONFIDENCE
) -> tuple[float, float, float]:
    """(ratio, low, high): respondent share / population share, with the Wilson interval scaled."""
    if not population_share > 0:
        raise ValueError("population share must be positive")
    lo, hi = wilson_interval(successes, n, confidence)
    return successes / n / population_share, lo / population_share, hi / population_share


def finding_for(low: float, high: float) -> str:
    """The words for an interval: under only when high < 1, over only when low > 1."""
    if high < 1:
        return UNDER
    if low > 1:
        return OVER
    return IN_LINE


def representation(
    responses: pd.DataFrame,
    benchmark: pd.DataFrame,
    dimension: str,
    *,
    localities: list[str] | None = None,
    threshold: int | None = None,
    confidence: float = CONFIDENCE,
) -> PeopleTable:
    """Each group's share of respondents against its population share, with ratio and interval.

    Shares are of respondents whose value is a benchmark group ("recorded"); Prefer not to say, Not
    recorded and values the benchmark lacks are listed with their counts but get no ratio. The
    benchmark is summed over `localities` (default: every benchmark locality; pass the locality
    filter so the comparison is with the same places). Columns: group, respondents, respondent_pct, population,
    population_pct, ratio, ratio_low, ratio_high, finding.
    """
    threshold = privacy.effective_threshold(threshold)
    title = f"Respondents against the population, by {dimension_label(dimension)}"
    count_cols = ["respondents"]
    n_all = count_people(responses)
    if n_all < threshold:
        return PeopleTable(title, None, count_cols, threshold, notice=withheld_notice(threshold))
    if unrecorded_columns(responses, (dimension,)):
        return _no_data_table(title, dimension, threshold, n_all)
    p = people(responses)
    localities = list(localities) if localities else None
    pop = benchmark_shares(benchmark, dimension, localities)
    if pop.empty or pop.sum() <= 0:
        raise ValidationError(
            f"The benchmark has no population figures for {dimension_label(dimension)}."
        )
    bench_groups = list(pop.index)
    labels = _canonical_labels(p[dimension], bench_groups)
    order = _order(list(labels.unique()) + bench_groups, dimension, bench_groups)
    counts = labels.value_counts().reindex(order, fill_value=0).astype(int)
    hidden = _suppress_distribution(counts, bench_groups, threshold)
    recorded = int(counts[counts.index.isin(bench_groups)].sum())
    rows = [
        _representation_row(
            group, int(counts[group]), bool(hidden[group]), pop, recorded, confidence
        )
        for group in order
    ]
    columns = ["group", "respondents", "respondent_pct", "population", "population_pct", "ratio", "ratio_low",
               "ratio_high", "finding"]  # fmt: skip
    table = pd.DataFrame(rows).reindex(columns=columns)
    total = {"group": TOTAL_LABEL, "respondents": float(n_all), "finding": ""}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    table["population"] = table["population"].astype("Int64")
    return PeopleTable(title, table, count_cols, threshold, n_people=n_all)


def _representation_row(
    group: str,
    x: int,
    hidden: bool,
    pop: pd.Series,
    recorded: int,
    confidence: float,
) -> dict[str, object]:
    """One group's row of the representation table (ratio and finding only for shown benchmark groups)."""
    row: dict[str, object] = {"group": group, "respondents": np.nan if hidden else float(x)}
    if group not in pop.index:
        row["finding"] = NOT_IN_BENCHMARK
        return row
    share = float(pop[group] / pop.sum())
    row.update(population=int(pop[group]), population_pct=round(100 * share, 2))
    if hidden:
        row["finding"] = TOO_FEW
    elif recorded == 0 or share == 0:
        row["finding"] = "no population to compare" if share == 0 else TOO_FEW
    else:
        ratio, lo, hi = representation_ratio(x, recorded, share, confidence)
        # Round the interval outwards, and judge on what is shown: the words can then
        # never contradict the printed interval (e.g. "under" beside an upper bound of 1.00).
        lo, hi = math.floor(lo * 100) / 100, math.ceil(hi * 100) / 100
        row.update(
            respondent_pct=round(100 * x / recorded, 1),
            ratio=round(ratio, 2),
            ratio_low=lo,
            ratio_high=hi,
            finding=finding_for(lo, hi),
        )
    return row
