"""Per-theme summary for the chosen answers, and each theme's trend across rounds."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analysis import privacy
from analysis.core import config
from analysis.core.filters import small_round_note, sorted_rounds
from analysis.core.frames import join_unique
from analysis.core.proportions import two_proportion_test
from analysis.findings.theme_privacy import withheld_themes
from analysis.findings.theme_tables import label_for, memberships, respondent_keys

log = logging.getLogger(__name__)

SORT_KEYS = {
    # sort option -> (column, descending); specials always go last whatever the sort
    "share": ("share_pct", True),
    "change": ("change_pp", True),
    "negativity": ("negative_pct", True),
    "name": ("theme", False),
}
SUMMARY_COLUMNS = [
    "theme_id",
    "theme",
    "answers",
    "share_pct",
    "mean_sentiment",
    "negative_pct",
    "change_pp",
    "latest_round",
    "latest_share_pct",
    "latest_n",
    "previous_round",
    "previous_share_pct",
    "previous_n",
    "change_p",
    "change_significant",
    "round_note",
    "special",
    "hidden",
]
# The figures of a theme the small-group rule hides (analysis.findings.theme_privacy).
_THEME_FIGURES = ["answers", "share_pct", "mean_sentiment", "negative_pct"]
_CHANGE_FIGURES = ["latest_share_pct", "previous_share_pct", "change_pp", "change_p"]


def _theme_order(theme_ids: Iterable[str] | None, seen: Iterable[str]) -> list[str]:
    ordered: list[str] = []
    for t in list(theme_ids or []) + sorted(set(seen)):
        if t not in ordered and t not in config.SPECIAL_THEME_IDS:
            ordered.append(t)
    return ordered + list(config.SPECIAL_THEME_IDS)


def _previous_round(latest: str, history: pd.DataFrame) -> str | None:
    rounds = sorted_rounds(history["round"]) if "round" in history else []
    if latest not in rounds:
        return None
    i = rounds.index(latest)
    return rounds[i - 1] if i > 0 else None


def theme_summary(
    responses: pd.DataFrame,
    assignments: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    theme_ids: Iterable[str] | None = None,
    history: pd.DataFrame | None = None,
    sort_by: str = "share",
) -> pd.DataFrame:
    """One row per theme for the chosen answers (see SUMMARY_COLUMNS); specials always present.

    Args:
        responses: the chosen (filtered) canonical answers.
        assignments: ThemeResult.assignments covering at least `responses` (and `history`).
        labels: theme id -> label.
        theme_ids: themes to show even at zero (e.g. the codebook's active themes).
        history: answers to find the previous round in (same filters, all rounds); defaults to
            `responses`. Change = share in the latest chosen round minus share in the round before.
        sort_by: one of SORT_KEYS.
    """
    if sort_by not in SORT_KEYS:
        raise ValueError(f"Sort by one of {', '.join(SORT_KEYS)}, not {sort_by!r}.")
    history = responses if history is None else history
    m = memberships(responses, assignments)
    n_total = len(responses)
    order = _theme_order(theme_ids, m["theme_id"].unique())
    grouped = m.groupby("theme_id")
    answers = grouped["response_id"].nunique().reindex(order, fill_value=0)
    mean_sent = grouped["sentiment"].mean().reindex(order)
    negative = (
        m.assign(neg=m["sentiment"] <= config.NEGATIVE_SENTIMENT_CUTOFF)
        .groupby("theme_id")["neg"]
        .sum()
        .reindex(order, fill_value=0)
    )
    table = pd.DataFrame({"theme_id": order})
    table["theme"] = [label_for(t, labels) for t in order]
    table["answers"] = answers.to_numpy().astype(int)
    table["share_pct"] = (100 * answers / n_total).round(1).to_numpy() if n_total else 0.0
    table["mean_sentiment"] = mean_sent.round(2).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        table["negative_pct"] = np.where(
            answers.to_numpy() > 0,
            np.round(100 * negative.to_numpy() / answers.to_numpy(), 1),
            np.nan,
        )
    table = _add_change(table, responses, history, assignments)
    table["special"] = table["theme_id"].isin(config.SPECIAL_THEME_IDS)
    table = _hide_small_themes(table, responses, assignments)
    return sort_summary(table[SUMMARY_COLUMNS], sort_by)


def _hide_small_themes(
    table: pd.DataFrame, responses: pd.DataFrame, assignments: pd.DataFrame
) -> pd.DataFrame:
    """Blank every figure of a theme raised by too few people (or by all but a few), and `hidden`."""
    withheld = withheld_themes(responses, assignments, table["theme_id"].astype(str))
    hidden = table["theme_id"].astype(str).isin(list(withheld)).to_numpy()
    table["hidden"] = hidden
    if hidden.any():
        table["answers"] = table["answers"].astype(float)  # NaN where hidden; NaN > 0 is False
        table.loc[hidden, _THEME_FIGURES + _CHANGE_FIGURES] = np.nan
        table.loc[hidden, "change_significant"] = False
    return table


def _add_change(
    table: pd.DataFrame, responses: pd.DataFrame, history: pd.DataFrame, assignments: pd.DataFrame
) -> pd.DataFrame:
    table = table.copy()
    for col in ("latest_round", "previous_round"):
        table[col] = pd.Series([pd.NA] * len(table), dtype="string")
    for col in ("latest_share_pct", "previous_share_pct", "change_pp", "change_p"):
        table[col] = np.nan
    table["latest_n"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["previous_n"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["change_significant"] = False
    table["round_note"] = pd.Series([pd.NA] * len(table), dtype="string")
    rounds = sorted_rounds(responses["round"]) if "round" in responses and len(responses) else []
    if not rounds:
        return table
    latest = rounds[-1]
    previous = _previous_round(latest, history)
    if previous is None:
        return table
    # Same population both sides: the history's answers (same filters) in each of the two rounds.
    # (history is usually the chosen answers themselves when every round is chosen: no concat then)
    hist = (
        history
        if history is responses
        else pd.concat([history, responses]).drop_duplicates("response_id")
    )
    # Only who answered, in which round, is needed below: copying the answers' text and every other
    # column for each round's subset took most of this function's time at 200,000 answers.
    hist = hist[[c for c in ("response_id", "respondent_id", "round") if c in hist]]
    cur = hist[hist["round"] == latest]
    prev = hist[hist["round"] == previous]
    mc = memberships(cur, assignments).groupby("theme_id")["response_id"].nunique()
    mp = memberships(prev, assignments).groupby("theme_id")["response_id"].nunique()
    n_cur, n_prev = len(cur), len(prev)
    threshold = privacy.effective_threshold(None)
    small = min(respondent_keys(cur).nunique(), respondent_keys(prev).nunique()) < threshold
    table["latest_round"] = latest
    table["previous_round"] = previous
    notes = [small_round_note(hist, r) for r in (previous, latest)]
    note = " ".join(n for n in notes if n)
    if note:
        table["round_note"] = note
    if small:
        # A round with fewer respondents than the threshold: no shares and no counts, only the
        # round names (its number of answers would describe that small group).
        log.info("change not shown: a round has fewer than %d respondents", threshold)
        return table
    table["latest_n"] = n_cur
    table["previous_n"] = n_prev
    for i, theme_id in enumerate(table["theme_id"]):
        k_cur, k_prev = int(mc.get(theme_id, 0)), int(mp.get(theme_id, 0))
        p, _ = two_proportion_test(k_cur, n_cur, k_prev, n_prev)
        table.loc[i, "latest_share_pct"] = round(100 * k_cur / n_cur, 1)
        table.loc[i, "previous_share_pct"] = round(100 * k_prev / n_prev, 1)
        table.loc[i, "change_pp"] = round(100 * (k_cur / n_cur - k_prev / n_prev), 1)
        table.loc[i, "change_p"] = p
    _blank_small_changes(table, (cur, prev), assignments)
    # Many themes are tested at once: control the false discovery rate like the group matrix.
    from analysis.core.proportions import bh_adjust

    q = bh_adjust(table["change_p"].to_numpy())
    table["change_significant"] = np.nan_to_num(q, nan=1.0) < config.COMPARE_ALPHA
    return table


def _blank_small_changes(
    table: pd.DataFrame, rounds: tuple[pd.DataFrame, ...], assignments: pd.DataFrame
) -> None:
    """In place: no change for a theme few people raised in either round (or all but a few), as
    its shares would give those people's number."""
    ids = table["theme_id"].astype(str)
    for part in rounds:
        small_here = ids.isin(list(withheld_themes(part, assignments, ids)))
        table.loc[small_here.to_numpy(), _CHANGE_FIGURES] = np.nan


def sort_summary(table: pd.DataFrame, sort_by: str = "share") -> pd.DataFrame:
    """Sort a theme summary by share, change or negativity; specials stay at the end, in order."""
    if sort_by not in SORT_KEYS:
        raise ValueError(f"Sort by one of {', '.join(SORT_KEYS)}, not {sort_by!r}.")
    column, descending = SORT_KEYS[sort_by]
    specials = table[table["theme_id"].isin(config.SPECIAL_THEME_IDS)]
    specials = (
        specials.set_index("theme_id")
        .reindex([t for t in config.SPECIAL_THEME_IDS if t in set(specials["theme_id"])])
        .reset_index()
    )
    rest = table[~table["theme_id"].isin(config.SPECIAL_THEME_IDS)]
    rest = rest.sort_values(
        [column, "answers", "theme"],
        ascending=[not descending, False, True],
        na_position="last",
        kind="mergesort",
    )
    return pd.concat([rest, specials[table.columns]], ignore_index=True)


def _round_people(
    dated: pd.DataFrame, rounds: list[str], threshold: int | None
) -> tuple[pd.Series, pd.Series]:
    """Respondents per round, and which rounds have too few of them to show (suppressed)."""
    people = (
        dated.assign(_p=respondent_keys(dated))
        .groupby("round")["_p"]
        .nunique()
        .reindex(rounds, fill_value=0)
    )
    sup = privacy.suppress_counts(
        people.to_frame("respondents"),
        threshold=privacy.effective_threshold(threshold),
        protect_totals=False,  # rounds are shown side by side, never as parts of a shown total
    )
    hidden = sup.suppressed["respondents"].reindex(rounds).fillna(False).astype(bool)
    return people, hidden


def theme_trend(
    responses: pd.DataFrame,
    assignments: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    theme_ids: Iterable[str] | None = None,
    threshold: int | None = None,
) -> pd.DataFrame:
    """Share of answers raising each theme per round, with the n behind every point.

    Columns: round, theme_id, theme, answers, n (answers in the round), respondents, share_pct,
    suppressed. Rounds with fewer respondents than the suppression threshold have no numbers.
    """
    cols = ["round", "theme_id", "theme", "answers", "n", "respondents", "share_pct", "suppressed"]
    if responses.empty or "round" not in responses:
        return pd.DataFrame(columns=cols)
    dated = responses[responses["round"].notna()]
    rounds = sorted_rounds(dated["round"])
    if not rounds:
        return pd.DataFrame(columns=cols)
    m = join_unique(
        memberships(dated, assignments),
        dated[["response_id", "round"]].astype({"response_id": "string"}),
        "response_id",
    )
    wanted = (
        list(theme_ids) if theme_ids is not None else _theme_order(None, m["theme_id"].unique())
    )
    counts = (
        m.groupby(["round", "theme_id"])["response_id"]
        .nunique()
        .unstack(fill_value=0)
        .reindex(index=rounds, columns=wanted, fill_value=0)
    )
    n = dated.groupby("round").size().reindex(rounds, fill_value=0)
    people, hidden = _round_people(dated, rounds, threshold)
    rows = []
    for r in rounds:
        # Within a shown round, a theme few people raised (or all but a few) is a hidden point.
        few = {} if hidden[r] else _withheld_in_round(dated, r, assignments, wanted, threshold)
        for t in wanted:
            k = int(counts.loc[r, t])
            point_hidden = bool(hidden[r]) or t in few
            rows.append(
                {
                    "round": r,
                    "theme_id": t,
                    "theme": label_for(t, labels),
                    "answers": np.nan if point_hidden else k,
                    "n": np.nan if hidden[r] else int(n[r]),
                    "respondents": np.nan if hidden[r] else int(people[r]),
                    "share_pct": np.nan if point_hidden or n[r] == 0 else round(100 * k / n[r], 1),
                    "suppressed": point_hidden,
                }
            )
    return pd.DataFrame(rows, columns=cols)


def _withheld_in_round(
    dated: pd.DataFrame,
    round_name: str,
    assignments: pd.DataFrame,
    theme_ids: list[str],
    threshold: int | None,
) -> dict:
    """The themes whose point in one round the small-group rule hides."""
    part = dated[(dated["round"] == round_name).to_numpy()]
    return withheld_themes(part, assignments, theme_ids, threshold)


SIZE_RATIO_WARNING = 3.0  # rounds this many times apart in size are not like for like


def round_size_note(summary: pd.DataFrame) -> str | None:
    """A warning when the two rounds a change compares differ greatly in size, else None.

    A round of 40 answers against one of 1,180 gives a wide margin on the small side, and the small
    round is likely a different mix of people (one ward, one event), so its shares are not like for like.
    """
    rows = summary.dropna(subset=["latest_n", "previous_n"])
    if rows.empty:
        return None
    row = rows.iloc[0]
    n_latest, n_previous = int(row["latest_n"]), int(row["previous_n"])
    small, large = sorted((n_latest, n_previous))
    if small == 0 or large / small < SIZE_RATIO_WARNING:
        return None
    return (
        f"The rounds compared differ greatly in size (n = {n_latest:,} answers in {row['latest_round']} "
        f"against {n_previous:,} in {row['previous_round']}): the smaller round's shares are less precise "
        "and may come from a different mix of people, so read the change with care."
    )
