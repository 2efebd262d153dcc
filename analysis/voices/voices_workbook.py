"""The Voices page's tables as one set: representation for every benchmark dimension, and the workbook of
every table (suppressed, formula-safe) that the page offers as one download."""

from __future__ import annotations

import pandas as pd

from analysis import privacy
from analysis.voices import participation
from analysis.voices.participation import PeopleTable, dimension_label


def benchmark_groups(column: str, bench: pd.DataFrame | None) -> tuple[str, ...] | None:
    """The benchmark's groups for `column` (so both tables hide the same cells), or None."""
    if column not in participation.BENCHMARK_DIMENSIONS or bench is None:
        return None
    return tuple(str(g) for g in participation.benchmark_shares(bench, column).index) or None


def representation_tables(
    responses: pd.DataFrame, bench: pd.DataFrame, localities: tuple[str, ...] = ()
) -> dict[str, PeopleTable]:
    """The representation table for every benchmark dimension the benchmark has (suppressed)."""
    return {
        dim: participation.representation(
            responses, bench, dim, localities=list(localities) or None
        )
        for dim in participation.BENCHMARK_DIMENSIONS
        if dim == "locality" or dim in set(bench["dimension"])
    }


def voices_workbook(
    responses: pd.DataFrame,
    all_tables: dict[str, PeopleTable],
    known: dict[str, tuple[str, ...] | None],
) -> bytes:
    """The workbook of every Voices table: population comparisons, then people by each column (suppressed)."""
    sheets = {
        f"vs population {dimension_label(d)}": t.display()
        for d, t in all_tables.items()
        if not t.withheld
    }
    for column in participation.PERSON_COLUMNS:
        groups = known.get(column)
        res = participation.who_took_part(
            responses, column, known_groups=list(groups) if groups else None
        )
        if not res.withheld:
            sheets[f"by {dimension_label(column)}"] = res.display()
    return privacy.safe_xlsx_bytes(
        sheets or {"Notice": pd.DataFrame({"notice": ["Too few people to show."]})}
    )
