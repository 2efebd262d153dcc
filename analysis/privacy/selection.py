"""Whether a selection of answers may be shown at all: the one rule every page, export and the pack use.

A selection is what the sidebar's filters (rounds, respondent types, services, localities) choose
from the whole dataset, and any narrowing a page adds on top of it (a search). Nothing about a
selection is shown (no count, no table, no chart, no answer, no download) unless all of these hold:

1. Size: it holds no one, or at least `threshold` people (10 by default, never below 5).
2. Complement: what it leaves out is not a small group either. For the whole dataset, and for the
   selection with any of its filters dropped (each a view someone can also open), the people in the
   answers left out, and the people left out altogether, are none or at least `threshold`.
   Otherwise the figures of the wider view minus this one would describe that small group
   ("all localities but Tinytown" gives Tinytown by subtraction).
3. No split of a protected group of values: within the rest of the selection, the people per value
   of each filtered column (a missing value counts as its own group) form a one-way table, and that
   table gets the same primary and secondary suppression as any published table
   (analysis.privacy.suppression). A selection that takes some but not all of the hidden values is
   refused, so adding up views one value at a time cannot recover a hidden value's figures.

People are counted as analysis.privacy.people defines them (respondent_id, else one per answer).

Limits, stated honestly: this is query-set control plus one-way secondary suppression. Someone who
combines many allowed selections across two or more columns (a "tracker") could in principle still
narrow down a small cross-classification; the rule makes every single step of that visible as a
refusal, and no single view or its difference with a wider view shows a small group.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core.filters import Filters, filter_masks
from analysis.core.memo import FrameMemo
from analysis.privacy.people import count_people, person_codes
from analysis.privacy.suppression import suppress_counts
from analysis.privacy.threshold import effective_threshold

logger = logging.getLogger(__name__)

SHOWN, EMPTY, SMALL, COMPLEMENT, SPLIT = "shown", "empty", "small", "complement", "split"
_COLUMN_WORDS = {
    "round": "survey rounds",
    "respondent_type": "respondent types",
    "service": "services",
    "locality": "localities",
}
_MEMO = FrameMemo(32)


@dataclass(frozen=True)
class SelectionCheck:
    """The verdict on a selection: may it be shown, and if not, why (in words that reveal no count)."""

    allowed: bool
    reason: str  # SHOWN, EMPTY (nothing chosen: nothing to hide), SMALL, COMPLEMENT or SPLIT
    threshold: int
    column: str | None = None  # for SPLIT: the filter whose values cannot be told apart

    @property
    def withheld(self) -> bool:
        """True when nothing about the selection may be shown."""
        return not self.allowed

    @property
    def message(self) -> str:
        """What a page, an export or the pack says instead of any figure ("" when shown)."""
        if self.allowed:
            return ""
        t = self.threshold
        if self.reason == SMALL:
            return (
                f"This selection holds fewer than {t} people, so nothing is shown to protect their "
                "privacy. Widen the filters."
            )
        if self.reason == SPLIT:
            words = _COLUMN_WORDS.get(self.column or "", "values")
            return (
                f"Some of the {words} hold too few people to be shown apart, and this choice takes "
                "some of them but not the others: adding up views could then reveal a small group, "
                "so nothing is shown to protect their privacy. Choose the "
                f"{words} differently (all of the smallest together, or none of them)."
            )
        return (
            "This selection leaves out only a small group of people: comparing it with a wider view "
            "would reveal that group, so nothing is shown to protect their privacy. Change the "
            "filters (for example, choose everyone, or a smaller part)."
        )


def _small(n: int, threshold: int) -> bool:
    return 0 < n < threshold


def check_subset(
    population: pd.DataFrame,
    chosen: np.ndarray | pd.Series,
    threshold: int | None = None,
) -> SelectionCheck:
    """Rules 1 and 2 for a narrowing of a shown selection (e.g. the answers a search matched).

    `chosen` is a boolean mask over `population`'s rows. The subset may be shown when it holds no
    one or at least `threshold` people, and the rest of `population` holds, in its answers and
    people left out altogether, none or at least `threshold` people.
    """
    t = effective_threshold(threshold)
    mask = np.asarray(chosen, dtype=bool)
    if mask.shape != (len(population),):
        raise ValueError("the mask must have one value per answer")
    n_in = count_people(population, mask)
    if n_in == 0:
        return SelectionCheck(True, EMPTY, t)
    if n_in < t:
        return SelectionCheck(False, SMALL, t)
    if _complement_small(population, np.ones(len(population), dtype=bool), mask, n_in, t):
        return SelectionCheck(False, COMPLEMENT, t)
    return SelectionCheck(True, SHOWN, t)


def _complement_small(
    frame: pd.DataFrame, wider: np.ndarray, chosen: np.ndarray, n_chosen: int, t: int
) -> bool:
    """True when the answers in `wider` but not `chosen`, or the people only there, are 1..t-1."""
    left_out = wider & ~chosen
    if not left_out.any():
        return False
    if _small(count_people(frame, left_out), t):
        return True
    return _small(count_people(frame, wider) - n_chosen, t)


def check_selection(
    all_responses: pd.DataFrame, filters: Filters, threshold: int | None = None
) -> SelectionCheck:
    """Rules 1 to 3 for the sidebar's selection of `all_responses` (memoised per frame and filters)."""
    t = effective_threshold(threshold)
    return _MEMO.get_or_compute(
        (all_responses,), (filters, t), lambda: _check_selection(all_responses, filters, t)
    )


def _check_selection(all_responses: pd.DataFrame, filters: Filters, t: int) -> SelectionCheck:
    n = len(all_responses)
    masks = filter_masks(all_responses, filters)
    everyone = np.ones(n, dtype=bool)
    chosen = everyone.copy()
    for part in masks.values():
        chosen &= part
    n_chosen = count_people(all_responses, chosen)
    if n_chosen == 0:
        return SelectionCheck(True, EMPTY, t)
    if n_chosen < t:
        return SelectionCheck(False, SMALL, t)
    columns = list(masks)
    for k in range(1, len(columns) + 1):
        for dropped in itertools.combinations(columns, k):
            wider = everyone.copy()
            for col in columns:
                if col not in dropped:
                    wider &= masks[col]
            if _complement_small(all_responses, wider, chosen, n_chosen, t):
                logger.info("selection withheld: dropping %s leaves out a small group", dropped)
                return SelectionCheck(False, COMPLEMENT, t)
    for col in columns:
        rest = everyone.copy()
        for other in columns:
            if other != col:
                rest &= masks[other]
        if _splits_hidden_values(all_responses, col, rest, masks[col], t):
            logger.info("selection withheld: it splits the hidden values of %s", col)
            return SelectionCheck(False, SPLIT, t, column=col)
    return SelectionCheck(True, SHOWN, t)


def _splits_hidden_values(
    frame: pd.DataFrame, column: str, rest: np.ndarray, chosen: np.ndarray, t: int
) -> bool:
    """Rule 3 for one filtered column: does the choice take some, not all, of its hidden values?"""
    values = frame[column].astype("string").fillna("\x00not recorded")
    value_codes, distinct = pd.factorize(values)
    if len(distinct) < 2:
        return False
    persons = person_codes(frame)
    width = np.int64(persons.max() + 1 if persons.size else 1)
    pairs = np.unique(value_codes[rest].astype(np.int64) * width + persons[rest])
    per_value = np.bincount(pairs // width, minlength=len(distinct))
    table = pd.Series(per_value, index=pd.RangeIndex(len(distinct)), name="people")
    hidden = suppress_counts(table, threshold=t).suppressed["people"].to_numpy(dtype=bool)
    if not hidden.any():
        return False
    # A hidden value has people in the rest of the selection, so the filter takes it exactly when
    # some of the chosen answers carry it.
    taken = np.zeros(len(distinct), dtype=bool)
    taken[np.unique(value_codes[chosen & rest])] = True
    return bool((hidden & taken).any()) and not bool((hidden <= taken).all())
