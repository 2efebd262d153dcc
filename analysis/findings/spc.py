"""Statistical process control the way NHS boards read it ("Making Data Count"): XmR charts.

An XmR (individuals and moving range) chart puts a series against its mean and its process limits,
mean ± 2.66 × the mean moving range (the mean of |x[i] - x[i-1]|). Points are special-cause
variation when one of these rules fires (run lengths are parameters):

- a point outside the process limits;
- a shift: SHIFT_RUN or more points in a row on the same side of the mean (a point on the mean
  breaks the run);
- a trend: TREND_RUN or more points in a row each higher (or each lower) than the one before
  (an equal value breaks the run);
- near a limit: two out of three points in a row in the outer third between the mean and the same
  limit (beyond mean ± 2/3 of the distance to the limit).

Limits from fewer than MIN_POINTS points are unreliable, so such a series gets no chart: `xmr`
returns the reason in words and callers fall back to a round-to-round test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

MIN_POINTS = 12  # a dozen points: monthly for a year, or weekly for a quarter
LIMIT_FACTOR = 2.66  # 3 / d2 with d2 = 1.128 for moving ranges of two points
SHIFT_RUN = 7
TREND_RUN = 6

OUTSIDE, SHIFT, TREND, NEAR = "outside the limits", "shift", "trend", "close to a limit"


@dataclass(frozen=True)
class Signal:
    """One rule that fired, on which points (0-based), said in words."""

    rule: str
    points: tuple[int, ...]
    sentence: str


@dataclass
class XmR:
    """An XmR chart's numbers and the special-cause signals, or the reason there is no chart."""

    labels: list[str]
    values: list[float]
    mean: float | None = None
    mean_moving_range: float | None = None
    upper: float | None = None
    lower: float | None = None
    signals: list[Signal] = field(default_factory=list)
    too_few: str | None = None

    @property
    def special(self) -> set[int]:
        """The points any rule flags."""
        return {i for s in self.signals for i in s.points}

    def summary(self, what: str) -> str:
        """The chart's finding in one sentence (`what` names the series, e.g. "answers per month")."""
        if self.too_few:
            return self.too_few
        if not self.signals:
            return (
                f"{first_upper(what)}: every point within the process limits ({self.lower:,.1f} to "
                f"{self.upper:,.1f}, mean {self.mean:,.1f}): common-cause variation only, no rule fired."
            )
        return f"{first_upper(what)}: special-cause variation. " + " ".join(
            s.sentence for s in self.signals
        )


def first_upper(words: str) -> str:
    """`words` with its first letter a capital and the rest as given (a theme's name keeps its case)."""
    return words[:1].upper() + words[1:]


def too_few_sentence(n: int, what: str) -> str:
    """Why a series this short gets a round-to-round test instead of process limits."""
    return (
        f"{first_upper(what)} has {n} point{'s' if n != 1 else ''}; process limits need at least "
        f"{MIN_POINTS} (a year of months) to tell routine ups and downs from a real change, so the "
        "change between the last two rounds is tested instead."
    )


def xmr(
    values: Sequence[float],
    labels: Sequence[str],
    *,
    what: str = "the series",
    shift_run: int = SHIFT_RUN,
    trend_run: int = TREND_RUN,
) -> XmR:
    """The XmR chart of `values` (in time order, one per label) with every rule applied."""
    x = np.asarray(values, dtype=float)
    out = XmR(labels=[str(v) for v in labels], values=x.tolist())
    if len(x) < MIN_POINTS or np.isnan(x).any():
        out.too_few = too_few_sentence(int(np.isfinite(x).sum()), what)
        return out
    out.mean = float(x.mean())
    out.mean_moving_range = float(np.abs(np.diff(x)).mean())
    out.upper = out.mean + LIMIT_FACTOR * out.mean_moving_range
    out.lower = out.mean - LIMIT_FACTOR * out.mean_moving_range
    out.signals = [
        *_outside(x, out),
        *_shifts(x, out, shift_run),
        *_trends(x, out, trend_run),
        *_near(x, out),
    ]
    return out


def _names(out: XmR, points: Sequence[int]) -> str:
    names = [out.labels[i] for i in points]
    return names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"


def _outside(x: np.ndarray, out: XmR) -> list[Signal]:
    found = []
    for i in np.flatnonzero((x > out.upper) | (x < out.lower)):
        side = "above the upper" if x[i] > out.upper else "below the lower"
        found.append(
            Signal(OUTSIDE, (int(i),), f"{out.labels[i]} ({x[i]:,.1f}) is {side} process limit.")
        )
    return found


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of every run of True in `flags`, end inclusive."""
    runs, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def _shifts(x: np.ndarray, out: XmR, length: int) -> list[Signal]:
    found = []
    for side, flags in (("above", x > out.mean), ("below", x < out.mean)):
        for start, end in _runs(flags):
            if end - start + 1 >= length:
                points = tuple(range(start, end + 1))
                found.append(Signal(SHIFT, points, f"A shift: {len(points)} points in a row {side} the "
                                                   f"mean ({_names(out, points)})."))  # fmt: skip
    return found


def _trends(x: np.ndarray, out: XmR, length: int) -> list[Signal]:
    found = []
    step = np.diff(x)
    for word, flags in (("rising", step > 0), ("falling", step < 0)):
        for start, end in _runs(flags):  # steps start..end join points start..end+1
            points = tuple(range(start, end + 2))
            if len(points) >= length:
                found.append(Signal(TREND, points, f"A trend: {len(points)} points in a row each "
                                                   f"{word} ({_names(out, points)})."))  # fmt: skip
    return found


def _near(x: np.ndarray, out: XmR) -> list[Signal]:
    found: list[Signal] = []
    band = 2 / 3 * (out.upper - out.mean)
    for side, flags in (("upper", x > out.mean + band), ("lower", x < out.mean - band)):
        taken: set[int] = set()
        for i in range(len(x) - 2):
            window = [j for j in range(i, i + 3) if flags[j]]
            if len(window) >= 2 and not taken.intersection(window):
                taken.update(window)
                found.append(Signal(NEAR, tuple(window), f"Two of three points close to the {side} "
                                                         f"limit ({_names(out, window)})."))  # fmt: skip
    return found


def monthly_volume(responses, threshold: int) -> XmR:  # noqa: ANN001 - a canonical answers frame
    """Answers per calendar month (from `submitted`) as an XmR chart, or the reason there is none.

    A month in which fewer than `threshold` people answered is a small group: then no month is shown.
    """
    import pandas as pd

    from analysis.findings.theme_tables import respondent_keys

    what = "answers per month"
    when = pd.to_datetime(responses.get("submitted"), errors="coerce") if len(responses) else None
    if when is None or when.notna().sum() == 0:
        return XmR(
            [], [], too_few="These answers have no dates, so they cannot be counted by month."
        )
    month = when.dt.to_period("M")
    span = pd.period_range(month.min(), month.max(), freq="M")
    counts = month.value_counts().reindex(span, fill_value=0)
    people = respondent_keys(responses).groupby(month).nunique().reindex(span, fill_value=0)
    if len(span) >= MIN_POINTS and (people < threshold).any():
        return XmR([], [], too_few=f"Some months have fewer than {threshold} people answering, so "
                                   "answers per month are not shown (numbers that small could identify "
                                   "someone).")  # fmt: skip
    return xmr(counts.astype(float).tolist(), [str(p) for p in span], what=what)
