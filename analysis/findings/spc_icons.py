"""The "Making Data Count" variation and assurance icons of an XmR chart, as words.

Variation describes the latest point: common cause when no rule flags it; otherwise special cause, high
or low, which is an improvement or a concern when the direction that is better is known, and "neither"
when it is not (answer volumes, a theme's share: more answers about a theme is not good or bad in itself).
Assurance says whether a target will be met: consistently when the target lies outside the process
limits on the failing side, never when it lies outside them on the passing side, and hit and miss when it
lies between them. No target means no assurance icon, and the words say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from analysis.findings.spc import XmR

Better = Literal["higher", "lower"] | None


@dataclass(frozen=True)
class Icon:
    """One icon: its kind (what colour family it is drawn in), the letter drawn and the words."""

    kind: str  # common, improvement, concern, neither, pass, fail, hit_and_miss
    letter: str
    words: str


def variation(chart: XmR, better: Better) -> Icon | None:
    """The variation icon for the latest point, or None when the chart has no limits."""
    if chart.mean is None or not chart.values:
        return None
    last = len(chart.values) - 1
    if last not in chart.special:
        return Icon("common", "~", "Common cause variation: no rule flags the latest point")
    high = chart.values[last] > chart.mean
    side = "high" if high else "low"
    if better is None:
        return Icon("neither", side[0].upper(), f"Special cause variation, {side}: the latest point is "
                                                 "unusual (neither better nor worse in itself)")  # fmt: skip
    good = high == (better == "higher")
    kind = "improvement" if good else "concern"
    return Icon(
        kind, side[0].upper(), f"Special cause variation, {side}: {kind} in the latest point"
    )


def assurance(chart: XmR, target: float | None, better: Better) -> Icon | None:
    """The assurance icon against `target`, or None when there is no target, direction or limits."""
    if target is None or better is None or chart.mean is None:
        return None
    lower, upper = chart.lower, chart.upper
    passes_always = lower > target if better == "higher" else upper < target
    fails_always = upper < target if better == "higher" else lower > target
    if passes_always:
        return Icon("pass", "P", f"Assurance: will consistently meet the target of {target:g}")
    if fails_always:
        return Icon("fail", "F", f"Assurance: will consistently miss the target of {target:g} "
                                 "unless the process changes")  # fmt: skip
    return Icon("hit_and_miss", "?", f"Assurance: will hit and miss the target of {target:g} "
                                     "by chance (it lies within the process limits)")  # fmt: skip


def no_assurance_sentence(target: float | None, better: Better) -> str:
    """Why there is no assurance icon."""
    if better is None:
        return "No assurance icon: there is no better direction for this measure, so no target."
    return "No assurance icon: no target has been set for this measure." if target is None else ""
