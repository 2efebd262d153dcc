"""The small-group rule applied to themes: which themes' figures and answers may be shown.

The answers raising a theme are a narrowing of the selection the sidebar allowed, like the answers a
search matched: the theme's count, its share, its sentiment and the answers themselves describe the
people who raised it. They are shown only when analysis.privacy.check_subset allows that narrowing:
none or at least `threshold` people raised the theme, and none or at least `threshold` people did
not. Otherwise the theme stays listed (its name is the codebook's, not anyone's answer) and every
figure and answer of it is hidden, saying why.

The same rule holds for a theme within one round (a trend point, a change between rounds) and for a
theme within one group (a comparison cell and the answers behind it).

Limits, stated honestly: themes overlap (an answer may raise several), so shown counts do not add up
to the selection's total and a hidden count cannot be rebuilt by subtraction from one table; someone
combining the co-occurrence table with every theme count could in principle narrow it down, which is
why co-occurrence hides the pairs and themes this rule hides.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis import privacy
from analysis.core.frames import isin_many, positions_in
from analysis.findings.theme_tables import memberships
from analysis.privacy.selection import SMALL, SelectionCheck


def theme_masks(
    responses: pd.DataFrame, assignments: pd.DataFrame, theme_ids: Iterable[str]
) -> dict[str, np.ndarray]:
    """For each theme, a boolean mask over `responses`' rows: which answers raise it."""
    m = memberships(responses, assignments)
    ids = responses["response_id"].astype("string")
    # Themes as integer codes, and every membership's row looked up once: comparing text per theme
    # took about two seconds for 20 themes of 200,000 answers.
    codes, names = pd.factorize(m["theme_id"])
    code_of = {str(name): k for k, name in enumerate(names)}
    if not ids.is_unique:
        return {
            t: isin_many(ids, m["response_id"][codes == code_of.get(str(t), -2)]) for t in theme_ids
        }
    rows = positions_in(m["response_id"], ids)
    found = rows >= 0
    out = {}
    for t in theme_ids:
        mask = np.zeros(len(responses), dtype=bool)
        mask[rows[found & (codes == code_of.get(str(t), -2))]] = True
        out[t] = mask
    return out


def withheld_themes(
    responses: pd.DataFrame,
    assignments: pd.DataFrame,
    theme_ids: Iterable[str],
    threshold: int | None = None,
) -> dict[str, SelectionCheck]:
    """The themes whose figures and answers must be hidden in `responses`, each with the verdict."""
    masks = theme_masks(responses, assignments, list(theme_ids))
    checks = {t: privacy.check_subset(responses, mask, threshold) for t, mask in masks.items()}
    return {t: c for t, c in checks.items() if c.withheld}


def check_answers(
    responses: pd.DataFrame, response_ids: Iterable[object], threshold: int | None = None
) -> SelectionCheck:
    """May the answers `response_ids` (a narrowing of `responses`, e.g. a theme's) be shown?"""
    ids = pd.Series([str(r) for r in response_ids], dtype="string")
    mask = isin_many(responses["response_id"].astype("string"), ids)
    return privacy.check_subset(responses, mask, threshold)


def theme_message(check: SelectionCheck) -> str:
    """What a page or the pack says instead of a theme's answers (no count in it)."""
    if check.allowed:
        return ""
    t = check.threshold
    if check.reason == SMALL:
        return (
            f"Fewer than {t} people in this selection raised this, so its answers and figures are "
            "hidden to protect their privacy. Widen the filters to read them."
        )
    return (
        f"All but fewer than {t} people in this selection raised this, so its answers and figures "
        "are hidden: the few who did not could be worked out. Change the filters to read them."
    )


def hidden_themes_note(hidden: int, threshold: int | None = None) -> str:
    """The caption under a theme table with `hidden` themes shown without figures."""
    t = privacy.effective_threshold(threshold)
    what, it, its = (
        ("1 theme is", "it", "its") if hidden == 1 else (f"{hidden:,} themes are", "each", "their")
    )
    return (
        f"{what} listed without figures (None in the table): fewer than {t} people in this selection "
        f"raised {it} (or all but fewer than that did), so {its} counts, shares and answers are hidden "
        "to protect privacy. A change shows None where the same holds in either round."
    )


def hidden_cells(
    responses: pd.DataFrame,
    assignments: pd.DataFrame,
    theme_ids: list[str],
    group_codes: np.ndarray,
    open_groups: np.ndarray,
    threshold: int | None = None,
) -> np.ndarray:
    """Theme x group: True where the small-group rule hides a cell of a group that is itself shown.

    `group_codes` gives each answer's group (0..groups-1); `open_groups` is True for the groups shown.
    A cell is hidden when 1 to threshold-1 people of the group raised the theme, or did not, or the
    same holds for everyone outside the group (the cell's "everyone else" figures). Then, in a theme
    row whose only hidden cell is that one (no group hidden for its size), the shown cell with the
    fewest people raising it (at least one: hiding an empty cell protects nothing) is hidden too, so
    the hidden one cannot be had by subtracting the others from the theme's total. People in several
    groups (answers in several rounds) are counted in each, so "did not raise it" is approximate for
    them.
    """
    t = privacy.effective_threshold(threshold)
    n_groups = len(open_groups)
    persons = privacy.person_codes(responses).astype(np.int64)
    width = np.int64(persons.max() + 1 if persons.size else 1)
    codes = np.asarray(group_codes, dtype=np.int64)
    people = np.bincount(np.unique(codes * width + persons) // width, minlength=n_groups)
    everyone = privacy.count_people(responses)
    masks = theme_masks(responses, assignments, theme_ids)
    hidden = np.zeros((len(theme_ids), n_groups), dtype=bool)
    small = lambda x: (x > 0) & (x < t)  # noqa: E731
    for i, theme in enumerate(theme_ids):
        mask = masks[theme]
        raised = np.bincount(
            np.unique(codes[mask] * width + persons[mask]) // width, minlength=n_groups
        )
        rest_raised = privacy.count_people(responses, mask) - raised
        rest_people = everyone - people
        row = small(raised) | small(people - raised) | small(rest_raised)
        row |= small(rest_people - rest_raised)
        row &= open_groups
        if row.sum() == 1 and open_groups.all() and n_groups > 1:
            candidates = np.where(open_groups & ~row & (raised > 0), raised, np.iinfo(np.int64).max)
            if (candidates < np.iinfo(np.int64).max).any():
                row[int(np.argmin(candidates))] = True
        hidden[i] = row
    return hidden


def withheld_in_parts(
    responses: pd.DataFrame, mask: np.ndarray, part_codes: np.ndarray, n_parts: int,
    threshold: int | None = None,
) -> np.ndarray:  # fmt: skip
    """For each part (a month, a week: `part_codes` gives each answer's, -1 for none), is the narrowing
    `mask` withheld there? The rule of check_subset within each part, counted for all parts at once:
    1 to threshold-1 people in the masked answers, in the answers left out, or only in those."""
    t = privacy.effective_threshold(threshold)
    persons = privacy.person_codes(responses).astype(np.int64)
    width = np.int64(persons.max() + 1 if persons.size else 1)
    codes = np.asarray(part_codes, dtype=np.int64)
    known = codes >= 0

    def people(where: np.ndarray) -> np.ndarray:
        keys = np.unique(codes[where] * width + persons[where])
        return np.bincount(keys // width, minlength=n_parts)

    inside = people(known & mask)
    left_out = people(known & ~mask)
    everyone = people(known)
    small = lambda x: (x > 0) & (x < t)  # noqa: E731
    return small(inside) | (inside > 0) & (small(left_out) | small(everyone - inside))
