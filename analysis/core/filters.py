"""The shared filters (round range, respondent type, service, locality) as a pure value object."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.core.schema import round_sort_key


@dataclass(frozen=True)
class Filters:
    """What the sidebar selected. Empty tuples mean "all"; rounds are an inclusive range."""

    round_from: str | None = None
    round_to: str | None = None
    respondent_types: tuple[str, ...] = field(default_factory=tuple)
    services: tuple[str, ...] = field(default_factory=tuple)
    localities: tuple[str, ...] = field(default_factory=tuple)

    def is_default(self) -> bool:
        """True when nothing is filtered."""
        return not (
            self.round_from
            or self.round_to
            or self.respondent_types
            or self.services
            or self.localities
        )

    def describe(self) -> str:
        """The filters in words, for captions, the meeting pack and the CLI."""
        parts = []
        if self.round_from or self.round_to:
            parts.append(f"rounds {self.round_from or 'first'} to {self.round_to or 'latest'}")
        for label, values in (
            ("respondent type", self.respondent_types),
            ("service", self.services),
            ("locality", self.localities),
        ):
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        return "; ".join(parts) if parts else "no filters (everyone)"


def sorted_rounds(values: pd.Series | list) -> list[str]:
    """Distinct round labels in time order."""
    distinct = pd.Series(values).dropna().unique()  # a few labels, however many answers
    return sorted({str(v) for v in distinct}, key=round_sort_key)


def distinct_values(values: pd.Series) -> list[str]:
    """Distinct non-missing values as sorted strings (the options of a filter)."""
    return sorted({str(v) for v in values.dropna().unique()})


FILTER_COLUMNS: tuple[str, ...] = ("round", "respondent_type", "service", "locality")


def filter_masks(df: pd.DataFrame, filters: Filters) -> dict[str, np.ndarray]:
    """One boolean mask per column the filters restrict (none for a column left at "all").

    The selection is the AND of the masks; privacy rules (analysis.privacy.selection) also look at
    each mask alone, to see what dropping one filter would add.
    """
    masks: dict[str, np.ndarray] = {}
    if filters.round_from or filters.round_to:
        # Decide on the few distinct labels, then select rows with one vectorised isin.
        lo = round_sort_key(filters.round_from) if filters.round_from else None
        hi = round_sort_key(filters.round_to) if filters.round_to else None
        allowed = [
            r
            for r in sorted_rounds(df["round"])
            if (lo is None or round_sort_key(r) >= lo) and (hi is None or round_sort_key(r) <= hi)
        ]
        masks["round"] = df["round"].isin(allowed).fillna(False).to_numpy(dtype=bool)
    for col, values in (
        ("respondent_type", filters.respondent_types),
        ("service", filters.services),
        ("locality", filters.localities),
    ):
        if values:
            masks[col] = df[col].isin(values).fillna(False).to_numpy(dtype=bool)
    return masks


def apply_filters(df: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows of a canonical responses table that the filters select (a new frame)."""
    mask = np.ones(len(df), dtype=bool)
    for part in filter_masks(df, filters).values():
        mask &= part
    if mask.all():
        # Nothing left out (the usual first view): a copy without the row-by-row take, which cost
        # 0.7-1 s at 200,000 answers on a first page open (Arrow columns are copied by reference).
        return df.copy()
    return df.loc[mask].copy()


def period_label(df: pd.DataFrame) -> str:
    """ "2024 Q1 to 2025 Q2" for the rounds present in a table ("no rounds" when empty)."""
    rounds = sorted_rounds(df["round"]) if "round" in df else []
    if not rounds:
        return "no dated rounds"
    return rounds[0] if len(rounds) == 1 else f"{rounds[0]} to {rounds[-1]}"


SMALL_ROUND_FACTOR = 0.25  # a round under a quarter of its neighbours' answers is "far smaller"


def small_rounds_note(history: pd.DataFrame) -> str | None:
    """For a trend over every round: a warning naming each round far smaller than the rounds beside
    it (see small_round_note), else None. No count is given."""
    rounds = sorted_rounds(history["round"]) if "round" in history and len(history) else []
    small = [r for r in rounds if small_round_note(history, r)]
    if not small:
        return None
    one = len(small) == 1
    return (
        f"{', '.join(small)} {'holds' if one else 'hold'} far fewer answers than the rounds beside "
        f"{'it' if one else 'them'}: a rise or fall at {'that round' if one else 'those rounds'} may "
        "say more about the round (dates read wrongly, a partial upload) than about what people said."
    )


def small_round_note(history: pd.DataFrame, round_label: str | None) -> str | None:
    """A warning when `round_label` holds far fewer answers than the rounds beside it, else None.

    A round of 40 answers between rounds of 1,200 is usually an artefact (misread dates, a pilot, a
    partial upload): a change measured against it says more about the round than about the themes.
    No count is given, so the note never describes a small group.
    """
    if round_label is None or "round" not in history or history.empty:
        return None
    rounds = sorted_rounds(history["round"])
    if round_label not in rounds or len(rounds) < 2:
        return None
    counts = history["round"].value_counts()
    i = rounds.index(round_label)
    neighbours = [counts.get(r, 0) for r in rounds[max(0, i - 1) : i] + rounds[i + 1 : i + 2]]
    if not neighbours:
        return None
    typical = sorted(neighbours)[len(neighbours) // 2]
    if counts.get(round_label, 0) >= SMALL_ROUND_FACTOR * typical:
        return None
    return (
        f"{round_label} holds far fewer answers than the rounds beside it: a change measured "
        "against it may say more about that round (dates read wrongly, a partial upload) than "
        "about what people said."
    )
