"""The XmR (process control) chart: the series, its mean and process limits, special causes marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.charts.base import base_layout, empty_figure, safe_label
from analysis.core import config
from analysis.findings.spc import XmR

SPECIAL_COLOUR = config.CATEGORICAL_PALETTE[
    1
]  # vermillion (3:1 on white), with a larger marker: not colour alone


def spc_table(chart: XmR) -> pd.DataFrame:
    """The chart's numbers as a table (the same numbers, for reading and screen readers)."""
    special = chart.special
    return pd.DataFrame({
        "Period": chart.labels, "Value": chart.values,
        "Mean": round(chart.mean or 0, 1), "Lower limit": round(chart.lower or 0, 1),
        "Upper limit": round(chart.upper or 0, 1),
        "Special cause": ["yes" if i in special else "" for i in range(len(chart.labels))],
    })  # fmt: skip


def spc_title(chart: XmR, what: str) -> str:
    """The finding: which rules fired, or common-cause variation only."""
    if not chart.signals:
        return f"{what.capitalize()}: common-cause variation only (no rule fired)"
    rules = sorted({s.rule for s in chart.signals})
    return f"{what.capitalize()}: special-cause variation ({', '.join(rules)})"


def spc_figure(chart: XmR, what: str, y_title: str) -> go.Figure:
    """The XmR chart, or a figure saying why there is none."""
    if chart.too_few or chart.mean is None:
        return empty_figure(chart.too_few or "Too few points for a process chart")
    x = [safe_label(v) for v in chart.labels]
    special = chart.special
    fig = go.Figure()
    fig.add_scatter(x=x, y=chart.values, mode="lines+markers", name=what.capitalize(),
                    line={"color": config.NHS_DARK_GREY, "width": 2},
                    marker={"color": [SPECIAL_COLOUR if i in special else config.NHS_BLUE
                                      for i in range(len(x))],
                            "size": [13 if i in special else 8 for i in range(len(x))]})  # fmt: skip
    for value, name, dash in ((chart.mean, "Mean", "solid"), (chart.upper, "Process limits", "dash"),
                              (chart.lower, None, "dash")):  # fmt: skip
        fig.add_scatter(x=x, y=[value] * len(x), mode="lines", name=name or "Process limits",
                        showlegend=name is not None, hoverinfo="skip",
                        line={"color": config.NHS_DARK_BLUE, "dash": dash, "width": 1.5})  # fmt: skip
    if special:
        fig.add_scatter(x=[x[i] for i in sorted(special)], y=[chart.values[i] for i in sorted(special)],
                        mode="markers", name="Special cause", hoverinfo="skip",
                        marker={"color": SPECIAL_COLOUR, "size": 13})  # fmt: skip
    return base_layout(fig, spc_title(chart, what), x_title="Month", y_title=y_title)
