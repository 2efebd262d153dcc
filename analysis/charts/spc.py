"""The XmR (process control) chart: the series, its mean and process limits, special causes marked."""

from __future__ import annotations

import base64
import html

import pandas as pd
import plotly.graph_objects as go

from analysis.charts.base import base_layout, empty_figure, safe_label
from analysis.core import config
from analysis.findings.spc import XmR, first_upper
from analysis.findings.spc_icons import Icon

SPECIAL_COLOUR = config.CATEGORICAL_PALETTE[
    1
]  # vermillion (3:1 on white), with a larger marker: not colour alone


# Said under every XmR chart, in the app and the pack.
WHAT_THIS_MEANS = (
    " What this means: points inside the limits with no rule firing are the usual ups and downs; a rule "
    "firing is a change worth asking about."
)


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
        return f"{first_upper(what)}: common-cause variation only (no rule fired)"
    rules = sorted({s.rule for s in chart.signals})
    return f"{first_upper(what)}: special-cause variation ({', '.join(rules)})"


def spc_figure(chart: XmR, what: str, y_title: str, x_title: str = "Month") -> go.Figure:
    """The XmR chart, or a figure saying why there is none."""
    if chart.too_few or chart.mean is None:
        return empty_figure(chart.too_few or "Too few points for a process chart")
    x = [safe_label(v) for v in chart.labels]
    what = safe_label(what)  # may hold a theme's name: plotly would render its tags and links
    special = chart.special
    fig = go.Figure()
    fig.add_scatter(x=x, y=chart.values, mode="lines+markers", name=first_upper(what),
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
    return base_layout(fig, spc_title(chart, what), x_title=x_title, y_title=y_title)


# The Making Data Count colour families, drawn with a letter inside and the words beside: never colour
# alone. Darker shades than the printed guidance so white letters keep 4.5:1 contrast.
ICON_COLOURS = {
    "common": "#5F6B73", "improvement": "#005EB8", "concern": "#A8480A", "neither": "#5B2C83",
    "pass": "#005EB8", "fail": "#A8480A", "hit_and_miss": "#5F6B73",
}  # fmt: skip


def icon_svg(icon: Icon) -> str:
    """One icon as an accessible inline SVG (role img, its words as the label and title)."""
    words = html.escape(icon.words)
    colour = ICON_COLOURS.get(icon.kind, config.NHS_DARK_GREY)
    return (
        f'<svg role="img" aria-label="{words}" width="36" height="36" viewBox="0 0 36 36">'
        f"<title>{words}</title>"
        f'<circle cx="18" cy="18" r="16" fill="{colour}"/>'
        f'<text x="18" y="24" text-anchor="middle" font-family="Arial, sans-serif" font-size="18" '
        f'font-weight="bold" fill="#FFFFFF">{html.escape(icon.letter)}</text></svg>'
    )


def icon_image(icon: Icon) -> str:
    """One icon as an image of its SVG (a data: URL), for pages whose HTML sanitiser drops inline SVG
    (Streamlit's st.html); its alt text is the icon's words."""
    svg = icon_svg(icon).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(icon.words)}" width="36" '
        'height="36">'
    )


def icons_html(
    variation: Icon | None,
    assurance: Icon | None,
    no_assurance: str = "",
    *,
    as_image: bool = False,
) -> str:
    """The chart's variation and assurance icons, each with its words beside it (fixed words only);
    inline SVG (the pack), or `as_image` an image of it (the app)."""
    draw = icon_image if as_image else icon_svg
    items = [
        f'<li style="display:flex;align-items:center;gap:0.5rem;margin:0.2rem 0">{draw(i)}'
        f"<span>{html.escape(i.words)}</span></li>"
        for i in (variation, assurance)
        if i is not None
    ]
    if assurance is None and no_assurance:
        items.append(f'<li style="margin:0.2rem 0">{html.escape(no_assurance)}</li>')
    if not items:
        return ""
    return (
        '<ul class="spc-icons" aria-label="Making Data Count icons" '
        f'style="list-style:none;padding:0;margin:0.25rem 0">{"".join(items)}</ul>'
    )
