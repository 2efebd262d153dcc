"""Shared look for every figure: NHS blue first, colour-blind-safe palette, readable type."""

from __future__ import annotations

import plotly.graph_objects as go

from analysis.core import config

FONT_FAMILY = "Arial, Helvetica, sans-serif"
# Text and axis colours are checked by tests/test_palette.py: text >= 4.5:1 and axis lines >= 3:1 on white.
TEXT_COLOUR = "#212B32"  # NHS text colour, 14.7:1 on white
AXIS_COLOUR = config.NHS_DARK_GREY  # axis lines and ticks, 7.6:1 on white
GRID_COLOUR = (
    "#E8EDEE"  # gridlines are decoration (values are in the table), so kept faint on purpose
)
BACKGROUND = "#FFFFFF"


def safe_label(value: object) -> str:
    """Text for a plotly label, tick, legend or title: its pseudo-HTML neutralised.

    Plotly renders a subset of HTML (links, tags) in those places and group names, milestones and
    theme labels can come from uploads, so <, > and & become entities (plotly shows them as characters).
    """
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def colour_for(index: int) -> str:
    """The categorical colour for the index-th series (cycles through the safe palette)."""
    return config.CATEGORICAL_PALETTE[index % len(config.CATEGORICAL_PALETTE)]


def base_layout(
    fig: go.Figure, title: str, *, x_title: str = "", y_title: str = "", height: int = 420
) -> go.Figure:
    """Apply the house layout: a title that states the finding, axis titles, legend on top."""
    fig.update_layout(
        # The title keeps its own room at the top (automargin): a legend that wraps to two rows
        # pushes the plot down instead of drawing over the title.
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 12, "b": 8},
            "automargin": True,
            "font": {"size": 18, "color": TEXT_COLOUR},
        },
        font={"family": FONT_FAMILY, "size": 14, "color": TEXT_COLOUR},
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        height=height,
        margin={"l": 60, "r": 20, "t": 80, "b": 60},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "title": None,
            "font": {"size": 14, "color": TEXT_COLOUR},
        },
        hoverlabel={"font": {"family": FONT_FAMILY, "size": 14}},
        # Plotly's toolbar icons default to 30% grey (1.6:1); controls need 3:1 (WCAG 1.4.11).
        modebar={
            "color": AXIS_COLOUR,
            "activecolor": config.NHS_DARK_BLUE,
            "bgcolor": "rgba(255,255,255,0.9)",
        },
    )
    # Every text colour and size is explicit: Streamlit's chart theme otherwise draws axis titles in
    # #808495 (3.8:1 on white, below 4.5:1) and ticks and legend at 12px.
    axis_text = {"color": TEXT_COLOUR, "size": 14}
    fig.update_xaxes(
        title={"text": x_title, "font": axis_text},
        showgrid=False,
        linecolor=AXIS_COLOUR,
        tickcolor=AXIS_COLOUR,
        tickfont={"color": TEXT_COLOUR, "size": 13},
    )
    fig.update_yaxes(
        title={"text": y_title, "font": axis_text},
        gridcolor=GRID_COLOUR,
        linecolor=AXIS_COLOUR,
        tickcolor=AXIS_COLOUR,
        tickfont={"color": TEXT_COLOUR, "size": 13},
        zeroline=False,
    )
    return fig


def empty_figure(message: str) -> go.Figure:
    """A figure that says in words that there is nothing to show (never an empty axis)."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, message, height=200)


HIDDEN_TEXT = "hidden"


def mark_hidden(fig: go.Figure, categories: list[str], *, horizontal: bool = False) -> go.Figure:
    """Write "hidden" where a suppressed round or group would be, so it never reads as a zero bar.

    `categories` are the (already escaped) axis labels of the hidden ones; they stay on the axis.
    """
    if not categories:
        return fig
    zeros = [0] * len(categories)
    fig.add_scatter(
        x=zeros if horizontal else categories,
        y=categories if horizontal else zeros,
        mode="text",
        text=[HIDDEN_TEXT] * len(categories),
        textposition="middle right" if horizontal else "top center",
        textfont={"color": TEXT_COLOUR, "size": 13},
        name=f"{HIDDEN_TEXT}: too few people to show",
        hoverinfo="skip",
        showlegend=True,
    )
    return fig


def all_hidden_figure(what: str) -> go.Figure:
    """The figure when every group is hidden for being small: said, never a confident title."""
    return empty_figure(f"Every {what} is hidden: each has too few people to show safely")
