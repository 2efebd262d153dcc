"""Shared look for every figure: NHS blue first, colour-blind-safe palette, readable type."""

from __future__ import annotations

import plotly.graph_objects as go

from analysis import config

FONT_FAMILY = "Arial, Helvetica, sans-serif"


def colour_for(index: int) -> str:
    """The categorical colour for the index-th series (cycles through the safe palette)."""
    return config.CATEGORICAL_PALETTE[index % len(config.CATEGORICAL_PALETTE)]


def base_layout(fig: go.Figure, title: str, *, x_title: str = "", y_title: str = "", height: int = 420) -> go.Figure:
    """Apply the house layout: a title that states the finding, axis titles, legend on top."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        font={"family": FONT_FAMILY, "size": 14, "color": "#212B32"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin={"l": 60, "r": 20, "t": 80, "b": 60},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": None},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    fig.update_xaxes(title=x_title, showgrid=False, linecolor="#425563")
    fig.update_yaxes(title=y_title, gridcolor="#E8EDEE", linecolor="#425563", zeroline=False)
    return fig


def empty_figure(message: str) -> go.Figure:
    """A figure that says in words that there is nothing to show (never an empty axis)."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, message, height=200)
