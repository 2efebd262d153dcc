"""Figures for the Overview page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.charts.base import (
    all_hidden_figure,
    base_layout,
    colour_for,
    empty_figure,
    mark_hidden,
    safe_label,
)


def answers_by_round_title(table: pd.DataFrame) -> str:
    """A title stating the finding of a rounds x type table (busiest round and largest group)."""
    totals = table.sum(axis=1, min_count=1).dropna()
    if totals.empty:
        return "No answers for these filters"
    if table.isna().any(axis=None):
        # A hidden cell could be the largest: name no busiest round or largest group.
        return f"Answers per round by respondent type ({int(totals.sum()):,} shown; some groups hidden)"
    busiest = totals.idxmax()
    by_type = table.sum(axis=0, min_count=1).dropna()
    lead = by_type.idxmax() if not by_type.empty else None
    # Rounds and types come from uploads: escaped so they stay text in plotly's title markup.
    title = f"{safe_label(busiest)} had the most answers ({int(totals.max()):,})"
    if lead is not None and len(by_type) > 1:
        share = 100 * by_type.max() / by_type.sum()
        title += f"; {safe_label(lead)}s gave {share:.0f}% of all answers"
    return title


def answers_by_round_chart(table: pd.DataFrame) -> go.Figure:
    """Stacked bars of answers per round by respondent type (suppressed cells are left out)."""
    if table.empty:
        return empty_figure("No answers for these filters")
    if table.isna().all(axis=None):
        return all_hidden_figure("round and respondent type")
    fig = go.Figure()
    for i, col in enumerate(table.columns):
        fig.add_bar(
            name=safe_label(col),
            x=[safe_label(r) for r in table.index],
            y=table[col].tolist(),
            marker_color=colour_for(i),
            hovertemplate="%{x}<br>%{fullData.name}: %{y:,}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    hidden = [safe_label(r) for r in table.index[table.isna().all(axis=1)]]
    mark_hidden(fig, hidden)
    return base_layout(
        fig, answers_by_round_title(table), x_title="Survey round", y_title="Answers"
    )
