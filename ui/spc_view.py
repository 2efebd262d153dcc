"""Process control (XmR) charts on a page: the chart with its numbers, the rule that fired in words and
the Making Data Count icons, or the reason there is no chart."""

from __future__ import annotations

import streamlit as st

from analysis.charts.spc import WHAT_THIS_MEANS, icons_html, spc_figure, spc_table
from analysis.findings import spc_icons
from analysis.findings.spc import XmR
from ui.widgets import chart_with_table, md_safe


def render_xmr(
    chart: XmR,
    what: str,
    y_title: str,
    *,
    key: str,
    x_title: str = "Month",
    better: spc_icons.Better = None,
    target: float | None = None,
) -> None:
    """Show `chart` with its icons (assurance only against a target), or why there is none."""
    if chart.too_few:
        st.info(md_safe(chart.too_few))
        return
    chart_with_table(
        spc_figure(chart, what, y_title, x_title),
        spc_table(chart),
        key=key,
        caption=md_safe(
            chart.summary(what) + WHAT_THIS_MEANS
        ),  # the summary names periods and themes
    )
    # Fixed words and a number only (never an answer's or a theme's text), so safe to draw as HTML.
    st.html(
        icons_html(
            spc_icons.variation(chart, better),
            spc_icons.assurance(chart, target, better),
            spc_icons.no_assurance_sentence(target, better),
            as_image=True,  # st.html's sanitiser drops inline SVG; an image of it is kept
        )
    )
