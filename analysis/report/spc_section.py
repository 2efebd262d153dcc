"""The pack's change over time the way boards read it: XmR (process control) charts of answers per month,
the mean rating and the most raised theme's share, each with its Making Data Count icons and the rule
that fired in words; or why a round-to-round test is used instead."""

from __future__ import annotations

import pandas as pd

from analysis.charts.spc import WHAT_THIS_MEANS, icons_html, spc_figure
from analysis.findings import spc, spc_icons, spc_series
from analysis.report import html_parts as h
from analysis.report.common import Pack


def _chart(pack: Pack, chart: spc.XmR, what: str, y_title: str, better: spc_icons.Better) -> str:
    """One XmR chart with its icons, or the reason there is none."""
    if chart.too_few:
        return h.paragraph(f"{what.capitalize()}: {chart.too_few}")
    icons = icons_html(
        spc_icons.variation(chart, better),
        None,  # the pack has no targets to judge assurance against
        spc_icons.no_assurance_sentence(None, better),
    )
    x_title = spc_series.period_word(pack.responses, pack.threshold)
    figure = pack.figure(
        spc_figure(chart, what, y_title, x_title), chart.summary(what) + WHAT_THIS_MEANS
    )
    # Printed, the icons stay on the page of the chart they describe.
    return f'<div class="spc-chart" style="break-inside:avoid;page-break-inside:avoid">{figure}{icons}</div>'


def over_time(pack: Pack, summary: pd.DataFrame) -> str:
    """Answers per month, the mean rating and the top theme's share as XmR charts (or why not)."""
    volume = spc.monthly_volume(pack.responses, pack.threshold)
    if volume.too_few:
        rounds = pack.responses["round"].nunique() if "round" in pack.responses else 0
        parts = [
            h.paragraph(volume.too_few + " " + spc.too_few_sentence(rounds, "theme share by round"))
        ]
    else:
        parts = [_chart(pack, volume, "answers per month", "Answers", None)]
    parts.append(_chart(pack, spc_series.rating_xmr(pack.responses, pack.threshold), "mean rating",
                        "Mean rating", "higher"))  # fmt: skip
    real = summary[~summary["special"] & (summary["answers"] > 0)]
    if pack.result is not None and not real.empty:
        top = real.iloc[0]
        chart = spc_series.theme_share_xmr(
            pack.responses, pack.result.assignments, str(top["theme_id"]), str(top["theme"]),
            pack.threshold,
        )  # fmt: skip
        parts.append(
            _chart(pack, chart, f"% of answers raising {top['theme']}", "% of answers", None)
        )
    return "".join(parts)
