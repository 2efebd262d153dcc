"""'You said, we did': did the themes a milestone answers change after it was completed?

For each theme linked to a milestone, compares the share of answers raising it (and their mean
sentiment) in the survey rounds wholly before the completion date with the rounds wholly after it.
The round during which the milestone was completed is left out: its answers straddle the change.
Counts below the suppression threshold are not shown (small groups could identify people), and the
note says plainly when a change is within noise or the numbers are too small to tell.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analysis.core import config
from analysis.core.frames import join_unique
from analysis.core.proportions import two_proportion_test
from analysis.core.schema import round_label

log = logging.getLogger(__name__)

MIN_ANSWERS_PER_PERIOD = config.PLAN_MIN_ANSWERS_PER_PERIOD
SIGNIFICANCE = config.PLAN_SIGNIFICANCE

COLUMNS = [
    "theme_id",
    "label",
    "answers_before",
    "raised_before",
    "share_before",
    "sentiment_before",
    "answers_after",
    "raised_after",
    "share_after",
    "sentiment_after",
    "change_points",
    "p_value",
    "test",
    "verdict",
    "note",
]


@dataclass
class BeforeAfter:
    """The comparison for one milestone: a table per theme and which rounds fell where."""

    completed_on: pd.Timestamp | None
    table: pd.DataFrame
    rounds_before: list[str] = field(default_factory=list)
    rounds_after: list[str] = field(default_factory=list)
    rounds_excluded: list[str] = field(default_factory=list)
    note: str = ""


def _quarter_span(label: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    parts = str(label).split()
    if len(parts) == 2 and parts[0].isdigit() and parts[1][:1] in "Qq" and parts[1][1:] in "1234":
        start = pd.Timestamp(year=int(parts[0]), month=3 * (int(parts[1][1:]) - 1) + 1, day=1)
        return start, start + pd.offsets.QuarterEnd(0)
    return None


def round_spans(responses: pd.DataFrame) -> pd.DataFrame:
    """Each round's first and last day: the quarter for "2024 Q2" labels, else its answers' dates."""
    df = responses[["round", "submitted"]].copy()
    df["submitted"] = pd.to_datetime(df["submitted"], errors="coerce")
    missing = df["round"].isna() & df["submitted"].notna()
    df.loc[missing, "round"] = df.loc[missing, "submitted"].map(round_label)
    rows = []
    for rnd, g in df.dropna(subset=["round"]).groupby("round"):
        span = _quarter_span(rnd)
        if span is None:
            span = (g["submitted"].min(), g["submitted"].max())
        rows.append((str(rnd), span[0], span[1]))
    return pd.DataFrame(rows, columns=["round", "start", "end"])


def classify_rounds(spans: pd.DataFrame, completed_on: date) -> dict[str, str]:
    """Round -> "before" (ended before the completion day), "after" (began on/after it) or "excluded"."""
    when = pd.Timestamp(completed_on).normalize()
    out = {}
    for r in spans.itertuples(index=False):
        if pd.notna(r.end) and r.end.normalize() < when:
            out[r.round] = "before"
        elif pd.notna(r.start) and r.start.normalize() >= when:
            out[r.round] = "after"
        else:
            out[r.round] = "excluded"
    return out


def _note(
    theme: str, n_b: int, n_a: int, s_b: float, s_a: float, p: float, min_n: int
) -> tuple[str, str]:
    if n_b == 0 or n_a == 0:
        side = "before" if n_b == 0 else "after"
        return "no data", f"No answers in the rounds {side} completion yet: nothing to compare."
    if min(n_b, n_a) < min_n:
        return "too few answers", (
            f"Too few answers to tell a change from chance ({n_b} before, {n_a} after; "
            f"at least {min_n} each needed)."
        )
    if math.isnan(p) or p >= SIGNIFICANCE:
        return "within noise", (
            f"{theme}: {s_b:.0%} before, {s_a:.0%} after. A change this size is within what chance "
            f"alone could produce (p = {p:.2f}): no evidence of a real change yet."
        )
    direction = "fewer" if s_a < s_b else "more"
    return f"{direction} answers raise it", (
        f"{theme}: {s_b:.0%} before, {s_a:.0%} after ({direction} answers raise it; p = {p:.3f}). "
        "This shows a change over time, not proof that the milestone caused it."
    )


def before_after(
    theme_ids: Sequence[str],
    completed_on: date | None,
    answers: pd.DataFrame,
    assignments: pd.DataFrame,
    responses: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    min_answers: int = MIN_ANSWERS_PER_PERIOD,
    threshold: int = config.SUPPRESSION_THRESHOLD,
) -> BeforeAfter:
    """Compare the share and sentiment of answers raising each theme before vs after `completed_on`.

    Args:
        theme_ids: the codebook themes the milestone answers.
        completed_on: when the milestone was (last) completed; None gives an empty comparison.
        answers: ThemeResult.answers (response_id, themes, ...); answers that are exactly
            "no_content" are not counted in the denominator (there was nothing to raise).
        assignments: ThemeResult.assignments (response_id, theme_id, sentiment).
        responses: the answers' response_id, round and submitted date.
        min_answers: fewer answers than this in either period gives a "too few answers" note.
        threshold: counts of answers raising a theme below this (and above 0) are not shown.
    """
    labels = labels or {}
    theme_ids = [t for t in dict.fromkeys(theme_ids) if t]
    if completed_on is None or pd.isna(completed_on):
        return BeforeAfter(
            None, pd.DataFrame(columns=COLUMNS), note="The milestone is not complete."
        )
    completed = pd.Timestamp(completed_on)
    spans = round_spans(responses)
    where = classify_rounds(spans, completed)
    base = _answers_by_period(answers, responses, where)
    n = base["period"].value_counts()
    n_b, n_a = int(n.get("before", 0)), int(n.get("after", 0))
    asg = join_unique(assignments[assignments["theme_id"].isin(theme_ids)], base, "response_id")
    rows = [
        _theme_row(
            theme,
            labels.get(theme, theme),
            asg[asg["theme_id"] == theme],
            (n_b, n_a),
            min_answers,
            threshold,
        )
        for theme in theme_ids
    ]
    table = pd.DataFrame(rows, columns=COLUMNS)
    order = sorted(spans["round"], key=lambda r: spans.set_index("round").loc[r, "start"])
    overall = ""
    if len(theme_ids) > 1:
        overall = (
            f"{len(theme_ids)} themes are tested at once, so one result under p = {SIGNIFICANCE} could "
            "still be chance."
        )
    return BeforeAfter(
        completed_on=completed,
        table=table,
        rounds_before=[r for r in order if where.get(r) == "before"],
        rounds_after=[r for r in order if where.get(r) == "after"],
        rounds_excluded=[r for r in order if where.get(r) == "excluded"],
        note=overall,
    )


def _answers_by_period(
    answers: pd.DataFrame, responses: pd.DataFrame, where: dict[str, str]
) -> pd.DataFrame:
    """Answers with content, each with its period ("before", "after" or "excluded") by its round."""
    resp = responses[["response_id", "round", "submitted"]].copy()
    no_round = resp["round"].isna() & pd.to_datetime(resp["submitted"], errors="coerce").notna()
    resp.loc[no_round, "round"] = pd.to_datetime(resp.loc[no_round, "submitted"]).map(round_label)
    resp["period"] = resp["round"].map(where)
    themes = answers["themes"].astype("string").fillna("")
    content = answers.loc[(themes != config.NO_CONTENT).to_numpy(dtype=bool), ["response_id"]]
    return join_unique(content, resp[["response_id", "period"]], "response_id")


def _theme_row(
    theme: str,
    label: str,
    raised: pd.DataFrame,
    sizes: tuple[int, int],
    min_answers: int,
    threshold: int,
) -> dict:
    """One theme's before/after row: counts, shares, sentiment, the test and its note (small hidden)."""
    n_b, n_a = sizes
    k_b = int(raised.loc[raised["period"] == "before", "response_id"].nunique())
    k_a = int(raised.loc[raised["period"] == "after", "response_id"].nunique())
    s_b = k_b / n_b if n_b else float("nan")
    s_a = k_a / n_a if n_a else float("nan")
    p, test = two_proportion_test(k_b, n_b, k_a, n_a)
    verdict, note = _note(label, n_b, n_a, s_b, s_a, p, min_answers)
    sent_b = raised.loc[raised["period"] == "before", "sentiment"].mean()
    sent_a = raised.loc[raised["period"] == "after", "sentiment"].mean()
    hidden = [(0 < k < threshold) for k in (k_b, k_a)]
    if any(hidden):
        # A count under the threshold (and its share, which reveals it) is not shown.
        note = (
            f"Fewer than {threshold} answers raised {label} in one period, so the counts are "
            "not shown. " + note
        )
    nan = float("nan")
    return {
        "theme_id": theme,
        "label": label,
        "answers_before": n_b,
        "raised_before": nan if hidden[0] else k_b,
        "share_before": nan if hidden[0] else s_b,
        "sentiment_before": nan if hidden[0] else sent_b,
        "answers_after": n_a,
        "raised_after": nan if hidden[1] else k_a,
        "share_after": nan if hidden[1] else s_a,
        "sentiment_after": nan if hidden[1] else sent_a,
        "change_points": (nan if any(hidden) or not (n_b and n_a) else round(100 * (s_a - s_b), 1)),
        "p_value": p,
        "test": test,
        "verdict": verdict,
        "note": note,
    }
