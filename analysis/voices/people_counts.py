"""Counting people: one row per person, group labels, display order and suppression adapters.

Unit: people. A person is a distinct respondent_id; an answer without one counts as one person
(analysis.findings.theme_tables.respondent_keys). Each person is counted once per table, under their most
frequent recorded value of the column (ties: first seen), so every table adds up to its total and
secondary suppression can protect it. "Prefer not to say" and missing (config.NOT_RECORDED) are kept
as their own categories and always listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import privacy
from analysis.core import config
from analysis.core.filters import sorted_rounds
from analysis.core.memo import FrameMemo
from analysis.findings.theme_tables import respondent_keys
from analysis.voices.participation_words import no_data_notice

# --- participation constants live here rather than config: only this area uses them.
PERSON_COLUMNS: tuple[str, ...] = (
    "respondent_type",
    "service",
    "locality",
    *config.DEMOGRAPHIC_COLUMNS,
)
# Display order of the demographic groups the demo and the benchmark use; others follow, sorted.
DEFAULT_GROUP_ORDER: dict[str, tuple[str, ...]] = {
    **config.DEMOGRAPHIC_GROUPS,
    "locality": config.GM_BOROUGHS,
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


def canonical_labels(values: pd.Series, known: list[str] | None = None) -> pd.Series:
    """Group labels as every table shows them (trimmed; blank -> Not recorded; case matched to `known`)."""
    return _canonical_labels(values, known)
