"""Figures for the Voices page: who took part, against the population, over rounds, intersections,
and the engagement log. Inputs are the already-suppressed tables from analysis.voices.participation and
analysis.voices.engagement; suppressed cells (NaN) are simply not drawn (blank in the heatmap).
"""

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
from analysis.core import config
from analysis.core.schema import ENGAGEMENT_LEVELS
from analysis.voices.participation import (
    OVER,
    TOO_FEW,
    TOTAL_LABEL,
    UNDER,
    PeopleTable,
    dimension_label,
)


def _withheld_figure(result: PeopleTable) -> go.Figure | None:
    if result.withheld:
        return empty_figure(result.notice or "Too few people to show.")
    return None


def who_took_part_figure(result: PeopleTable, dimension: str) -> go.Figure:
    """Horizontal bars of people per group (suppressed groups left out), largest group named."""
    fig = _withheld_figure(result)
    if fig is not None:
        return fig
    t = result.table[result.table["group"] != TOTAL_LABEL]
    shown = t.dropna(subset=["respondents"])
    hidden = [safe_label(g) for g in t.loc[t["respondents"].isna(), "group"]]
    if shown.empty or shown["respondents"].sum() == 0:
        return all_hidden_figure(f"{dimension_label(dimension)} group")
    top = shown.loc[shown["respondents"].idxmax()]
    title = f"Largest group by {dimension_label(dimension)}: {safe_label(top['group'])} ({top['percent']:.0f}% of respondents)"
    fig = go.Figure(
        go.Bar(
            x=shown["respondents"].tolist(),
            y=shown["group"].map(safe_label).tolist(),
            orientation="h",
            marker_color=config.NHS_BLUE,
            customdata=shown["percent"].tolist(),
            hovertemplate="%{y}: %{x} people (%{customdata}%)<extra></extra>",
        )
    )
    mark_hidden(fig, hidden, horizontal=True)
    fig.update_yaxes(autorange="reversed")
    return base_layout(fig, title, x_title="People", height=max(300, 60 + 32 * len(t)))


def representation_figure(result: PeopleTable, dimension: str) -> go.Figure:
    """Representation ratio per group with its interval; 1 = same share as the population."""
    fig = _withheld_figure(result)
    if fig is not None:
        return fig
    t = result.table.dropna(subset=["ratio"])
    hidden = [safe_label(g) for g in result.table.loc[result.table["finding"] == TOO_FEW, "group"]]
    # Groups with nobody in them still get a ratio (0); when every group that has people is hidden,
    # those zeros alone would make a confident "in line" title out of nothing shown.
    if t.empty or (hidden and (t["respondents"].fillna(0) == 0).all()):
        return all_hidden_figure(f"{dimension_label(dimension)} group")
    n_under = int((t["finding"] == UNDER).sum())
    n_over = int((t["finding"] == OVER).sum())
    label = dimension_label(dimension)
    if n_under:
        worst = t.loc[t["ratio"].idxmin()]
        title = (
            f"{n_under} {label} group(s) under-represented; furthest below: {safe_label(worst['group'])} "
            f"(ratio {worst['ratio']:.2f})"
        )
    elif n_over:
        title = f"No {label} group is clearly under-represented; {n_over} over-represented"
    else:
        title = f"Every {label} group shown is in line with the population (intervals include 1)"
    colours = [
        config.NHS_RED if f == UNDER else (config.NHS_GREEN if f == OVER else config.NHS_DARK_GREY)
        for f in t["finding"]
    ]
    fig = go.Figure(
        go.Scatter(
            x=t["ratio"].tolist(),
            y=t["group"].map(safe_label).tolist(),
            mode="markers",
            marker={"color": colours, "size": 11},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (t["ratio_high"] - t["ratio"]).tolist(),
                "arrayminus": (t["ratio"] - t["ratio_low"]).tolist(),
                "color": config.NHS_DARK_GREY,
            },
            customdata=t[["respondent_pct", "population_pct", "ratio_low", "ratio_high", "finding"]]
            .to_numpy()
            .tolist(),
            hovertemplate=(
                "%{y}: %{customdata[0]}% of respondents, %{customdata[1]}% of population<br>"
                "ratio %{x} (95% CI %{customdata[2]} to %{customdata[3]}): %{customdata[4]}<extra></extra>"
            ),
            name="Representation ratio",
        )
    )
    fig.add_vline(x=1, line_dash="dash", line_color=config.NHS_DARK_BLUE)
    mark_hidden(fig, hidden, horizontal=True)
    fig.update_yaxes(autorange="reversed")
    return base_layout(
        fig,
        title,
        x_title="Share of respondents ÷ share of population (1 = proportionate)",
        height=max(300, 60 + 34 * (len(t) + len(hidden))),
    )


def over_rounds_figure(result: PeopleTable, dimension: str) -> go.Figure:
    """Lines of people per round for each group (suppressed points left as gaps)."""
    fig = _withheld_figure(result)
    if fig is not None:
        return fig
    t = result.table
    groups = [c for c in result.count_columns if c != TOTAL_LABEL]
    totals = t[TOTAL_LABEL].dropna()
    if len(totals) >= 2:
        first, last = t[TOTAL_LABEL].iloc[0], t[TOTAL_LABEL].iloc[-1]
        trend = "rose" if last > first else ("fell" if last < first else "held steady")
        title = f"Respondents per round {trend} from {safe_label(t['round'].iloc[0])} to {safe_label(t['round'].iloc[-1])}"
    else:
        title = f"Respondents per round by {dimension_label(dimension)}"
    fig = go.Figure()
    for i, g in enumerate(groups):
        fig.add_trace(
            go.Scatter(
                x=t["round"].map(safe_label).tolist(), y=[None if pd.isna(v) else v for v in t[g]], mode="lines+markers", name=safe_label(g),
                line={"color": colour_for(i)}, connectgaps=False,
            )
        )  # fmt: skip
    return base_layout(fig, title, x_title="Round", y_title="People")


def intersections_figure(result: PeopleTable, row_column: str, col_column: str) -> go.Figure:
    """Heatmap of people by two columns; suppressed cells are blank (no value sent)."""
    fig = _withheld_figure(result)
    if fig is not None:
        return fig
    t = result.table.set_index(row_column)
    z = [[None if pd.isna(v) else float(v) for v in row] for row in t.to_numpy()]
    shown = t.stack().dropna()
    if shown.empty:
        return empty_figure("Every cell is too small to show")
    r, c = shown.idxmax()
    title = (
        f"Largest group: {safe_label(r)} and {safe_label(c)}; blank cells have too few people to show"
        if t.isna().any(axis=None)
        else f"Largest group: {safe_label(r)} and {safe_label(c)}"
    )
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[safe_label(x) for x in t.columns],
            y=[safe_label(y) for y in t.index],
            colorscale=[[0, "#E8EDEE"], [1, config.NHS_BLUE]],
            hoverongaps=False,
            hovertemplate="%{y} × %{x}: %{z} people<extra></extra>",
            colorbar={"title": "People"},
        )
    )
    fig.update_yaxes(autorange="reversed")
    return base_layout(
        fig, title, x_title=dimension_label(col_column), y_title=dimension_label(row_column),
        height=max(360, 80 + 32 * len(t)),
    )  # fmt: skip


def engagement_over_time_figure(table: pd.DataFrame, by: str = "level") -> go.Figure:
    """Stacked bars of activities per quarter by level (or type)."""
    if table.empty:
        return empty_figure("No engagement activity recorded yet")
    quarters = sorted(table["quarter"].unique())
    groups = list(ENGAGEMENT_LEVELS) if by == "level" else list(dict.fromkeys(table[by]))
    groups = [g for g in groups if g in set(table[by])]
    co = table.loc[table[by] == "co-produce", "activities"].sum() if by == "level" else 0
    total = table["activities"].sum()
    title = (
        f"{co} of {total} activities were co-produced"
        if by == "level"
        else f"{total} activities, by type, per quarter"
    )
    fig = go.Figure()
    for i, g in enumerate(groups):
        part = table[table[by] == g].set_index("quarter").reindex(quarters)
        fig.add_trace(
            go.Bar(x=quarters, y=part["activities"].tolist(), name=safe_label(g), marker_color=colour_for(i),
                   customdata=part["participants"].tolist(),
                   hovertemplate="%{x} %{fullData.name}: %{y} activities, %{customdata} participants<extra></extra>")
        )  # fmt: skip
    fig.update_layout(barmode="stack")
    return base_layout(fig, title, x_title="Quarter", y_title="Activities")


def lived_experience_figure(table: pd.DataFrame) -> go.Figure:
    """Participants per quarter, split into those with lived experience and others."""
    if table.empty:
        return empty_figure("No lived-experience figures recorded yet")
    total_p, total_le = table["participants"].sum(), table["lived_experience"].sum()
    share = 100 * total_le / total_p if total_p else 0
    title = f"{share:.0f}% of participants had lived experience ({total_le:,} of {total_p:,})"
    fig = go.Figure()
    fig.add_trace(go.Bar(x=table["quarter"].tolist(), y=table["lived_experience"].tolist(),
                         name="With lived experience", marker_color=config.NHS_BLUE,
                         customdata=table["share_pct"].tolist(),
                         hovertemplate="%{x}: %{y} with lived experience (%{customdata}%)<extra></extra>"))  # fmt: skip
    fig.add_trace(go.Bar(x=table["quarter"].tolist(), y=(table["participants"] - table["lived_experience"]).tolist(),
                         name="Other participants", marker_color=config.CATEGORICAL_PALETTE[1]))  # fmt: skip
    fig.update_layout(barmode="stack")
    return base_layout(fig, title, x_title="Quarter", y_title="Participants")
