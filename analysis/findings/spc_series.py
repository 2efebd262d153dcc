"""The series boards read as XmR charts (analysis.findings.spc): a theme's share of answers and the mean
rating, per month (or per week when the dates span under a year but a dozen weeks or more).

A period in which fewer people answered than the small-group threshold could identify someone, so then
no period is shown and the reason is given instead; a series with fewer than spc.MIN_POINTS periods gets
the reason a round-to-round test is used instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.findings.spc import MIN_POINTS, XmR, xmr
from analysis.findings.theme_privacy import theme_masks, withheld_in_parts
from analysis.findings.theme_tables import respondent_keys


@dataclass(frozen=True)
class Periods:
    """Each answer's period label (NA when undated), the periods in order, and their name."""

    of_answer: pd.Series
    span: list[str]
    word: str  # "month" or "week"


def time_periods(responses: pd.DataFrame, threshold: int = 1) -> Periods | str:
    """Months when the dates span MIN_POINTS months or more, else weeks when they span MIN_POINTS weeks
    each with at least `threshold` people (a short survey answered week by week); otherwise the reason
    in words (no dates, or too short a span)."""
    when = pd.to_datetime(responses.get("submitted"), errors="coerce") if len(responses) else None
    if when is None or when.notna().sum() == 0:
        return "These answers have no dates, so they cannot be put in months or weeks."
    month = when.dt.to_period("M")
    months = pd.period_range(month.min(), month.max(), freq="M")
    if len(months) >= MIN_POINTS:
        return Periods(_labels(month), [str(p) for p in months], "month")
    week = when.dt.to_period("W-SUN")
    weeks = Periods(_labels(week),
                    [str(p) for p in pd.period_range(week.min(), week.max(), freq="W-SUN")], "week")  # fmt: skip
    # Weeks with gaps (answers collected in rounds) are not a weekly series: the rounds are compared.
    if len(weeks.span) >= MIN_POINTS and _small_period(responses, weeks, threshold) is None:
        return weeks
    return (
        f"These answers span {len(months)} month{'s' if len(months) != 1 else ''}; process limits need "
        f"at least {MIN_POINTS} months (or {MIN_POINTS} weeks each with enough people) to tell routine "
        "ups and downs from a real change, so the change between survey rounds is tested instead."
    )


def _labels(periods: pd.Series) -> pd.Series:
    """Each period as its string (NA where undated), naming each distinct period once: converting
    200,000 periods one by one took 0.2 s of a first Overview."""
    codes, distinct = pd.factorize(periods)
    names = pd.array([*(str(p) for p in distinct), pd.NA], dtype="string")
    return pd.Series(names[codes], index=periods.index, dtype="string")


def _small_period(responses: pd.DataFrame, periods: Periods, threshold: int) -> str | None:
    """The reason no period is shown when any period has fewer people than the threshold."""
    people = respondent_keys(responses).groupby(periods.of_answer).nunique()
    people = people.reindex(periods.span, fill_value=0)
    if (people < threshold).any():
        return (
            f"Some {periods.word}s have fewer than {threshold} people answering, so this is not shown "
            "by " + periods.word + " (numbers that small could identify someone)."
        )
    return None


def theme_share_xmr(
    responses: pd.DataFrame, assignments: pd.DataFrame, theme_id: str, theme: str, threshold: int
) -> XmR:
    """The % of each period's answers that raise `theme_id`, as an XmR chart (or the reason not)."""
    what = f"share of answers raising {theme}"
    periods = time_periods(responses, threshold)
    if isinstance(periods, str):
        return XmR([], [], too_few=periods)
    if reason := _small_period(responses, periods, threshold):
        return XmR([], [], too_few=reason)
    raises = theme_masks(responses, assignments, [theme_id])[theme_id]
    # A period where few people raised the theme (or all but a few) would give their number.
    span = list(periods.span)
    part = pd.Categorical(periods.of_answer, categories=span).codes
    if withheld_in_parts(responses, raises, part, len(span), threshold).any():
        return XmR([], [], too_few=(
            f"In some {periods.word}s fewer than {threshold} people raised {theme} (or all but fewer "
            f"than that), so its share per {periods.word} is not shown, to protect their privacy."
        ))  # fmt: skip
    frame = pd.DataFrame({"period": periods.of_answer.to_numpy(), "raises": raises})
    share = frame.groupby("period")["raises"].mean().reindex(periods.span) * 100
    # A period with no answers at all has no share (not 0%): xmr says there are too few points.
    return xmr(share.round(2).tolist(), periods.span, what=what)


def rating_xmr(responses: pd.DataFrame, threshold: int) -> XmR:
    """The mean rating of each period's answers, as an XmR chart (or the reason not)."""
    has = len(responses) and "rating" in responses
    ratings = pd.to_numeric(responses["rating"], errors="coerce") if has else None
    if ratings is None or ratings.notna().sum() == 0:
        return XmR(
            [], [], too_few="These answers have no ratings, so ratings over time cannot be shown."
        )
    # Dates and who answered are all the periods need; not a copy of every column of every answer.
    rated = responses.loc[
        ratings.notna(),
        [c for c in ("response_id", "respondent_id", "submitted") if c in responses],
    ]
    periods = time_periods(rated, threshold)
    if isinstance(periods, str):
        return XmR([], [], too_few=periods)
    if reason := _small_period(rated, periods, threshold):
        return XmR([], [], too_few=reason)
    mean = ratings[ratings.notna()].groupby(periods.of_answer.to_numpy()).mean()
    return xmr(mean.reindex(periods.span).round(3).tolist(), periods.span, what="mean rating")


def period_word(responses: pd.DataFrame, threshold: int = 1) -> str:
    """The axis title for the answers' periods: "Month" or "Week" (Month when there are none)."""
    periods = time_periods(responses, threshold)
    return "Month" if isinstance(periods, str) else periods.word.capitalize()
