"""Who took part, against a population benchmark, with small-number suppression applied.

Unit: people. A person is a distinct respondent_id; an answer without one counts as one person
(analysis.findings.theme_tables.respondent_keys). Each person is counted once per table, under their most
frequent recorded value of the column (ties: first seen), so every table adds up to its total and
secondary suppression can protect it. "Prefer not to say" and missing (config.NOT_RECORDED) are kept
as their own categories and always listed.

Every count goes through analysis.privacy.suppress_counts before it leaves this module; percentages
are computed from the suppressed table (a hidden cell has no percentage). When the chosen answers hold
fewer people than the threshold, results are *withheld*: they carry a notice and no numbers at all.

Representation ratio (see `wilson_interval`, `representation`): a group's share of the respondents
whose answer falls in a benchmark group, divided by its share of the benchmark population. The
interval is the Wilson score interval of the respondent share divided by the population share; the
population share is treated as fixed (a census count, orders of magnitude larger than any survey).
"Under-represented" is said only when the interval's upper bound is below 1, "over-represented" only
when its lower bound is above 1; otherwise "in line with the population (interval includes 1)".
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from analysis import privacy
from analysis.core import config
from analysis.core.filters import sorted_rounds
from analysis.core.memo import FrameMemo
from analysis.core.schema import ValidationError
from analysis.findings.theme_tables import respondent_keys

log = logging.getLogger(__name__)

# --- participation constants live here rather than config: only this area uses them.
PERSON_COLUMNS: tuple[str, ...] = (
    "respondent_type",
    "service",
    "locality",
    *config.DEMOGRAPHIC_COLUMNS,
)
BENCHMARK_COLUMNS: tuple[str, ...] = ("locality", "dimension", "group", "population")
BENCHMARK_DIMENSIONS: tuple[str, ...] = (*config.DEMOGRAPHIC_COLUMNS, "locality")
CONFIDENCE = 0.95
UNDER, OVER, IN_LINE = "under-represented", "over-represented", "in line (interval includes 1)"
TOO_FEW, NOT_IN_BENCHMARK = "too few to report", "not in benchmark"
TOTAL_LABEL = "All respondents"
# Display order of the demographic groups the demo and the benchmark use; others follow, sorted.
DEFAULT_GROUP_ORDER: dict[str, tuple[str, ...]] = {
    **config.DEMOGRAPHIC_GROUPS,
    "locality": config.GM_BOROUGHS,
}
DIMENSION_LABELS = {
    "respondent_type": "respondent type",
    "service": "service",
    "locality": "locality",
    "round": "round",
    "age_band": "age band",
    "gender": "gender",
    "ethnicity": "ethnicity",
    "disability": "disability",
    "sexual_orientation": "sexual orientation",
    "religion": "religion",
}


@dataclass
class PeopleTable:
    """A suppressed table of counts of people, or a withheld result with only a notice.

    `table` is None when withheld. Count columns hold floats with NaN where suppressed.
    """

    title: str
    table: pd.DataFrame | None
    count_columns: list[str]
    threshold: int
    n_people: int | None = None
    notice: str | None = None
    no_data: bool = False  # the file records nothing for this column (withheld, with a notice)

    @property
    def withheld(self) -> bool:
        """True when there are too few people to show anything."""
        return self.table is None

    def display(self, as_text: bool = False) -> pd.DataFrame:
        """The table for people: suppressed counts shown as config.SUPPRESSED_MARK (empty if withheld).

        With `as_text`, count columns are strings throughout (for grids that need one type per column).
        """
        if self.table is None:
            return pd.DataFrame()
        out = display_table(self.table, self.count_columns)
        if as_text:
            for col in self.count_columns:
                if col in out:
                    out[col] = out[col].map(str)
        return out


def dimension_label(column: str) -> str:
    """A column name in words ("age_band" -> "age band")."""
    return DIMENSION_LABELS.get(column, column.replace("_", " "))


def withheld_notice(threshold: int) -> str:
    """The notice shown instead of numbers when the filters select too few people."""
    return (
        f"Fewer than {threshold} people match the current filters, so no breakdown is shown: numbers "
        "this small could identify someone. Widen the filters to see who took part."
    )


def no_data_notice(columns: list[str] | tuple[str, ...]) -> str:
    """The sentence for columns the file does not record (demographics: representation cannot be assessed)."""
    names = ", ".join(dimension_label(c) for c in columns)
    if any(c in config.DEMOGRAPHIC_COLUMNS for c in columns):
        return f"This file has no {names} data: representation cannot be assessed."
    return f"This file has no {names} data, so people cannot be counted by it."


def unrecorded_columns(
    responses: pd.DataFrame, columns: tuple[str, ...] = PERSON_COLUMNS
) -> list[str]:
    """Columns of `columns` with no recorded value in `responses` (absent, blank or "Not recorded").

    "Prefer not to say" is an answer, so a column holding only it counts as recorded.
    """
    missing = []
    for col in columns:
        if col not in responses:
            missing.append(col)
            continue
        values = responses[col].astype("string").str.strip().str.casefold()
        recorded = values.notna() & (values != "") & (values != config.NOT_RECORDED.casefold())
        if not recorded.any():
            missing.append(col)
    return missing


def _no_data_table(title: str, column: str, threshold: int, n: int) -> PeopleTable:
    return PeopleTable(
        title,
        None,
        ["respondents"],
        threshold,
        n_people=n,
        notice=no_data_notice([column]),
        no_data=True,
    )


def display_table(table: pd.DataFrame, count_columns: list[str]) -> pd.DataFrame:
    """Copy of `table` with NaN in count columns replaced by the suppressed mark (as text)."""
    out = table.astype(object).where(table.notna(), None)
    for col in count_columns:
        if col in out:
            out[col] = [
                config.SUPPRESSED_MARK
                if v is None
                else (int(v) if float(v).is_integer() else float(v))
                for v in out[col]
            ]
    return out


# --- people and labels -------------------------------------------------------------------------


def _canonical_labels(values: pd.Series, known: list[str] | None = None) -> pd.Series:
    """Trimmed strings; NA/blank -> NOT_RECORDED; case-insensitive matches to `known` or PNTS."""
    s = values.astype("string").str.strip()
    s = s.where(s.notna() & (s != ""), config.NOT_RECORDED)
    lookup = {k.casefold(): k for k in (known or [])}
    lookup[config.PREFER_NOT_TO_SAY.casefold()] = config.PREFER_NOT_TO_SAY
    lookup[config.NOT_RECORDED.casefold()] = config.NOT_RECORDED
    # Map the few distinct labels, not every person's (a Python call per row cost 0.1 s per 100,000).
    codes, distinct = pd.factorize(s)
    mapped = np.array(
        [lookup.get(str(v).casefold(), str(v)) for v in distinct] + [config.NOT_RECORDED],
        dtype=object,
    )
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def people(responses: pd.DataFrame) -> pd.DataFrame:
    """One row per person: `person` key and each person column (most frequent recorded value, or NA).

    Memoised on the frame's identity (every Voices table starts from it); callers get a copy.
    """
    return _PEOPLE.get_or_compute((responses,), "people", lambda: _people(responses)).copy()


_PEOPLE = FrameMemo(8)


def _people(responses: pd.DataFrame, columns: tuple[str, ...] = PERSON_COLUMNS) -> pd.DataFrame:
    codes, persons = pd.factorize(respondent_keys(responses))
    out = pd.DataFrame({"person": persons})
    for col in columns:
        out[col] = (
            _mode_per_person(codes, len(persons), responses[col]) if col in responses else pd.NA
        )
    return out


def _mode_per_person(person_codes: np.ndarray, n_people: int, values: pd.Series) -> np.ndarray:
    """Each person's most frequent recorded (non-blank, trimmed) value; ties go to the first seen; NaN if none.

    Counted on integer codes (pairs of person and value), not by grouping 200,000 text keys.
    """
    out = np.full(n_people, np.nan, dtype=object)
    vals = values.astype("string").str.strip()
    ok = (vals.notna() & (vals != "")).to_numpy(dtype=bool)
    if not ok.any():
        return out
    value_codes, distinct = pd.factorize(vals[ok])
    width = np.int64(len(distinct))
    pairs = person_codes[ok].astype(np.int64) * width + value_codes
    pair, first_seen, count = np.unique(pairs, return_index=True, return_counts=True)
    who, what = pair // width, pair % width
    order = np.lexsort((first_seen, -count, who))  # by person, then most frequent, then first seen
    who, what = who[order], what[order]
    first = np.r_[True, who[1:] != who[:-1]]
    out[who[first]] = np.asarray(distinct, dtype=object)[what[first]]
    return out


def count_people(responses: pd.DataFrame) -> int:
    """Distinct people in the chosen answers."""
    return int(respondent_keys(responses).nunique()) if len(responses) else 0


def _order(values: list[str], column: str, known: list[str] | None = None) -> list[str]:
    """Display order: known groups first (benchmark / config order), others sorted, then PNTS, NR."""
    specials = [config.PREFER_NOT_TO_SAY, config.NOT_RECORDED]
    if column == "respondent_type":
        known = list(config.RESPONDENT_TYPES)
    elif column == "round":
        known = sorted_rounds([v for v in values if v not in specials])
    elif not known:
        known = list(DEFAULT_GROUP_ORDER.get(column, ()))
    first = [k for k in (known or []) if k not in specials]
    rest = sorted(v for v in set(values) if v not in first and v not in specials)
    return first + rest + specials


# --- suppression adapters --------------------------------------------------------------------


def _suppress(counts: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values with NaN where hidden, bool mask) from analysis.privacy.suppress_counts."""
    result = privacy.suppress_counts(counts.astype(float), threshold=threshold)
    values = result.values.reindex(index=counts.index, columns=counts.columns)
    mask = (
        result.suppressed.reindex(index=counts.index, columns=counts.columns)
        .fillna(True)
        .astype(bool)
    )
    return values.where(~mask), mask


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


# --- population benchmark --------------------------------------------------------------------


def load_benchmark(
    source: str | Path | bytes | None = None, filename: str | None = None
) -> pd.DataFrame:
    """Read and check a benchmark table (long format: locality, dimension, group, population[, source]).

    `source` is a path, the bytes of an upload (with `filename`), or None for the demo benchmark.
    Raises schema.ValidationError with a plain reason when it cannot be used.
    """
    if source is None:
        source = config.POPULATION_BENCHMARK
    if isinstance(source, (bytes, bytearray)):
        from analysis import ingest  # imported late: ingest is optional for the CLI's own files

        frame = ingest.read_upload(bytes(source), filename or "benchmark.csv").frame
    else:
        path = Path(source)
        if not path.is_file():
            raise ValidationError(f"No benchmark file at {path}.")
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise ValidationError(
                f"The benchmark file could not be read as CSV: {str(exc)[:120]}"
            ) from exc
    return validate_benchmark(frame)


def validate_benchmark(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a benchmark table's columns and values; return it tidy (population as int)."""
    cols = {str(c).strip().lower(): c for c in frame.columns}
    missing = [c for c in BENCHMARK_COLUMNS if c not in cols]
    if missing:
        raise ValidationError(
            f"The benchmark needs columns {', '.join(BENCHMARK_COLUMNS)}; missing: {', '.join(missing)}."
        )
    out = pd.DataFrame({c: frame[cols[c]].astype(str).str.strip() for c in BENCHMARK_COLUMNS})
    out["source"] = frame[cols["source"]].astype(str).str.strip() if "source" in cols else ""
    pop = pd.to_numeric(out["population"].str.replace(",", "", regex=False), errors="coerce")
    bad = pop.isna() | (pop < 0) | (pop != pop.round())
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0]) + 2  # +1 header, +1 one-based
        raise ValidationError(f"Row {first}: population must be a whole number of 0 or more.")
    out["population"] = pop.astype("int64")
    if (out[["locality", "dimension", "group"]] == "").any(axis=None):
        raise ValidationError("Every benchmark row needs a locality, a dimension and a group.")
    if out.empty:
        raise ValidationError("The benchmark has no rows.")
    dupes = out.duplicated(["locality", "dimension", "group"])
    if dupes.any():
        first = int(np.flatnonzero(dupes.to_numpy())[0]) + 2
        raise ValidationError(f"Row {first}: the same locality, dimension and group appear twice.")
    return out.reset_index(drop=True)


def benchmark_shares(
    benchmark: pd.DataFrame, dimension: str, localities: list[str] | None = None
) -> pd.Series:
    """Population by group for `dimension` over `localities` (all when None); "locality" = borough sizes.

    Locality sizes come from the age_band rows (the whole population counted once).
    """
    b = benchmark
    if localities:
        b = b[b["locality"].isin(localities)]
    if dimension == "locality":
        base = b[b["dimension"] == "age_band"]
        if base.empty:
            base = b[b["dimension"] == b["dimension"].iloc[0]] if not b.empty else b
        return base.groupby("locality", sort=False)["population"].sum()
    rows = b[b["dimension"] == dimension]
    return rows.groupby("group", sort=False)["population"].sum()


# --- representation ----------------------------------------------------------------------------


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
    rows = []
    for group in order:
        x = int(counts[group])
        row = {"group": group, "respondents": np.nan if hidden[group] else float(x)}
        if group in bench_groups:
            share = float(pop[group] / pop.sum())
            row.update(population=int(pop[group]), population_pct=round(100 * share, 2))
            if hidden[group]:
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
        else:
            row["finding"] = NOT_IN_BENCHMARK
        rows.append(row)
    columns = ["group", "respondents", "respondent_pct", "population", "population_pct", "ratio", "ratio_low",
               "ratio_high", "finding"]  # fmt: skip
    table = pd.DataFrame(rows).reindex(columns=columns)
    total = {"group": TOTAL_LABEL, "respondents": float(n_all), "finding": ""}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    table["population"] = table["population"].astype("Int64")
    return PeopleTable(title, table, count_cols, threshold, n_people=n_all)


def _protect_recorded_split(counts: pd.Series, mask: pd.Series, bench: set[str]) -> pd.Series:
    """Widen suppression so the recorded total (the ratio's denominator) reveals no hidden cell.

    Publishing the recorded total splits the hidden cells into two sums (benchmark groups and the
    rest); each side with hidden cells needs at least two, or its single hidden cell is recoverable.
    (A lone hidden cell with none on the other side cannot occur: the total is published, so
    suppress_counts already hid a second one.)
    """
    hidden = mask.copy().astype(bool)
    in_bench = counts.index.isin(list(bench))
    for side in (in_bench, ~in_bench):
        if hidden[side].sum() == 1 and hidden[~side].sum() >= 1:
            shown = counts[side & ~hidden.to_numpy()]
            if len(shown):
                # Smallest non-zero first: hiding a true zero protects less.
                pick = sorted(shown.index, key=lambda g: (shown[g] == 0, shown[g]))[0]
                hidden[pick] = True
    return hidden


def _suppress_distribution(counts: pd.Series, known: list[str], threshold: int) -> pd.Series:
    """Hidden mask of a one-way distribution, protected for the total and the recorded split.

    Used by both `who_took_part` and `representation` so the two tables hide the same cells and
    cannot be combined to recover one.
    """
    _, mask = _suppress(counts.to_frame("respondents"), threshold)
    return _protect_recorded_split(counts, mask["respondents"], set(known))


def missing_voices(tables: dict[str, PeopleTable], *, max_groups: int = 4) -> str:
    """A plain sentence naming the groups furthest below their population share (supported only).

    `tables` maps a dimension to its `representation` result. Only groups whose interval lies wholly
    below 1 are named; suppressed groups are never named.
    """
    found = []
    withheld = False
    no_data = [dim for dim, result in tables.items() if result.no_data]
    for dim, result in tables.items():
        if result.no_data:
            continue
        if result.withheld:
            withheld = True
            continue
        t = result.table
        under = t[(t["finding"] == UNDER) & t["ratio"].notna()]
        for _, r in under.iterrows():
            found.append((float(r["ratio_high"]), float(r["ratio"]), dim, str(r["group"]), r))
    lacking = no_data_notice(no_data) if no_data else ""
    if no_data and len(no_data) == len(tables):
        return lacking
    if withheld and not found:
        return next(t for t in tables.values() if not t.no_data).notice or ""
    if not found:
        return _join(
            lacking,
            (
                "No group is clearly under-represented: for every group shown, the interval around its share "
                "of respondents includes its population share, or there were too few people to tell."
            ),
        )
    found.sort(key=lambda f: (f[1], f[0]))
    parts = []
    localities = [f for f in found if f[2] == "locality"]
    groups = [f for f in found if f[2] != "locality"]
    for _, ratio, dim, group, r in groups[:max_groups]:
        parts.append(
            f"{group} ({dimension_label(dim)}: {r['respondent_pct']:.1f}% of respondents against "
            f"{r['population_pct']:.1f}% of the population, ratio {ratio:.2f}, "
            f"{int(CONFIDENCE * 100)}% CI {r['ratio_low']:.2f} to {r['ratio_high']:.2f})"
        )
    sentences = []
    if parts:
        sentences.append("Furthest below their population share: " + "; ".join(parts) + ".")
    if localities:
        locs = [
            f"{group} (ratio {ratio:.2f}, CI {r['ratio_low']:.2f} to {r['ratio_high']:.2f})"
            for _, ratio, _, group, r in localities[:max_groups]
        ]
        sentences.append(
            "Localities furthest below their population share: " + "; ".join(locs) + "."
        )
    more = len(groups) - min(len(groups), max_groups)
    if more > 0:
        sentences.append(f"{more} more group(s) are also under-represented (see the tables).")
    return _join(lacking, " ".join(sentences))


def _join(first: str, second: str) -> str:
    return f"{first} {second}".strip()


def under_represented_groups(tables: dict[str, PeopleTable]) -> list[tuple[str, str]]:
    """(dimension, group) pairs found under-represented, lowest ratio first (suppressed excluded)."""
    found = []
    for dim, result in tables.items():
        if result.withheld:
            continue
        t = result.table
        for _, r in t[(t["finding"] == UNDER) & t["ratio"].notna()].iterrows():
            found.append((float(r["ratio"]), dim, str(r["group"])))
    return [(d, g) for _, d, g in sorted(found)]


def canonical_labels(values: pd.Series, known: list[str] | None = None) -> pd.Series:
    """Group labels as every table shows them (trimmed; blank -> Not recorded; case matched to `known`)."""
    return _canonical_labels(values, known)
