"""Figures for the Themes page: theme bars, trends, group x theme heatmap, co-occurrence heatmap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts.base import base_layout, colour_for, empty_figure, safe_label
from analysis.core import config
from analysis.findings.cooccurrence import CoOccurrence
from analysis.findings.group_comparison import GroupComparison
from analysis.privacy import effective_threshold

# Diverging for sentiment: orange (negative) - light grey (neutral) - NHS blue (positive).
SENTIMENT_SCALE = [[0.0, "#B35806"], [0.5, "#E8EDEE"], [1.0, config.NHS_BLUE]]


def theme_bar_title(summary: pd.DataFrame) -> str:
    """The finding of a theme summary: the most raised theme and the most negative one."""
    real = summary[~summary["theme_id"].isin(config.SPECIAL_THEME_IDS) & (summary["answers"] > 0)]
    if real.empty:
        if _hidden_rows(summary).any():
            return "Every theme raised here was raised by too few people to show"
        return "No theme was raised in these answers"
    top = real.sort_values("share_pct", ascending=False).iloc[0]
    title = f"{top['theme']} is the most raised theme ({top['share_pct']:.0f}% of answers)"
    # "Most negative" from a handful of answers would be a confident claim on nothing: only themes
    # raised in at least the suppression threshold's number of answers are compared.
    judged = real[real["answers"] >= effective_threshold(None)]
    neg = judged.dropna(subset=["negative_pct"]).sort_values("negative_pct", ascending=False)
    if len(real) > 1 and not neg.empty and neg.iloc[0]["theme_id"] != top["theme_id"]:
        worst = neg.iloc[0]
        title += (f"; {worst['theme']} is the most negative ({worst['negative_pct']:.0f}% of its "
                  f"{int(worst['answers']):,} answers)")  # fmt: skip
    return title


def _hidden_rows(summary: pd.DataFrame) -> pd.Series:
    """Rows whose figures the small-group rule hides (a summary without the column: none)."""
    if "hidden" not in summary:
        return pd.Series(False, index=summary.index)
    return summary["hidden"].fillna(False).astype(bool)


def theme_bar_chart(summary: pd.DataFrame) -> go.Figure:
    """Horizontal bars of each theme's share of answers, coloured by its mean sentiment."""
    if summary.empty:
        return empty_figure("No answers for these filters")
    s = summary.iloc[::-1]  # plotly draws the first row at the bottom
    sentiment = pd.to_numeric(s["mean_sentiment"], errors="coerce").fillna(0.0)
    fig = go.Figure(
        go.Bar(
            x=s["share_pct"].tolist(),
            y=[safe_label(v) for v in s["theme"]],
            orientation="h",
            name="Share of answers",
            marker={
                "color": sentiment.tolist(),
                "colorscale": SENTIMENT_SCALE,
                "cmin": -1,
                "cmax": 1,
                "colorbar": {"title": {"text": "Mean<br>sentiment"}, "thickness": 12},
                "line": {"color": config.NHS_DARK_GREY, "width": 0.5},
            },
            customdata=np.column_stack(
                [
                    s["answers"].to_numpy(),
                    sentiment.round(2).to_numpy(),
                    s["negative_pct"].fillna(0).to_numpy(),
                ]
            ).tolist(),
            hovertemplate=(
                "%{y}<br>%{x:.1f}% of answers (%{customdata[0]:,} answers)"
                "<br>mean sentiment %{customdata[1]:.2f}; %{customdata[2]:.0f}% negative<extra></extra>"
            ),
        )
    )
    for label in s.loc[_hidden_rows(s), "theme"]:
        # A hidden theme is marked as hidden, never drawn as a zero bar.
        fig.add_annotation(x=0, y=safe_label(label), text="hidden: too few people", xanchor="left",
                           showarrow=False, font={"color": config.NHS_DARK_GREY, "size": 12})  # fmt: skip
    height = max(300, 28 * len(s) + 140)
    return base_layout(
        fig,
        safe_label(theme_bar_title(summary)),
        x_title="% of answers raising the theme",
        height=height,
    )


def trend_title(trend: pd.DataFrame) -> str:
    """The finding of a trend table: the theme whose share rose (or fell) most between first and last round."""
    t = trend.dropna(subset=["share_pct"])
    rounds = list(dict.fromkeys(t["round"]))
    if len(rounds) < 2:
        return "One round only: no trend to show yet"
    first, last = rounds[0], rounds[-1]
    wide = t.pivot_table(index="theme", columns="round", values="share_pct")
    if first not in wide or last not in wide:
        return "Theme shares by round"
    change = (wide[last] - wide[first]).dropna()
    if change.empty:
        return "Theme shares by round"
    theme = change.abs().idxmax()
    d = change[theme]
    if abs(d) < 0.05:
        return f"Theme shares were steady from {first} to {last}"
    verb = "rose" if d > 0 else "fell"
    return f"{theme} {verb} most: from {wide.loc[theme, first]:.0f}% in {first} to {wide.loc[theme, last]:.0f}% in {last}"


def trend_chart(trend: pd.DataFrame, theme_ids: list[str] | None = None) -> go.Figure:
    """Lines of each theme's share per round; hover gives the answers and n behind every point."""
    if trend.empty:
        return empty_figure("No dated answers for these filters")
    t = trend if theme_ids is None else trend[trend["theme_id"].isin(theme_ids)]
    fig = go.Figure()
    for i, (_tid, g) in enumerate(t.groupby("theme_id", sort=False)):
        fig.add_scatter(
            x=[safe_label(r) for r in g["round"]],
            y=g["share_pct"].tolist(),
            mode="lines+markers",
            name=safe_label(g["theme"].iloc[0]),
            line={"color": colour_for(i), "width": 2},
            customdata=np.column_stack([g["answers"].fillna(-1), g["n"].fillna(-1)])
            .astype(int)
            .tolist(),
            hovertemplate=(
                "%{x}: %{y:.1f}%<br>%{customdata[0]:,} of %{customdata[1]:,} answers<extra>"
                + safe_label(g["theme"].iloc[0])
                + "</extra>"
            ),
            connectgaps=False,
        )
    fig.update_yaxes(rangemode="tozero")
    return base_layout(
        fig, safe_label(trend_title(t)), x_title="Survey round", y_title="% of answers in the round"
    )


def group_heatmap_title(comparison: GroupComparison) -> str:
    """The finding of a group comparison: the biggest significant difference, or that there is none."""
    findings = comparison.findings()
    col = comparison.group_column.replace("_", " ")
    if findings.empty:
        return f"No {col} group differs from everyone else beyond chance"
    top = findings.iloc[0]
    more = "more" if top["diff_pp"] > 0 else "less"
    n = len(findings)
    extra = f" ({n} significant differences)" if n > 1 else ""
    return (
        f"{top['group']} raise {top['theme']} {more} than everyone else "
        f"({top['share_pct']:.0f}% vs {top['rest_share_pct']:.0f}%){extra}"
    )


def group_heatmap(comparison: GroupComparison) -> go.Figure:
    """Themes x groups coloured by the difference from everyone else; significant cells marked, suppressed blank."""
    cells = comparison.cells
    if cells.empty:
        return empty_figure("No answers to compare")
    diff = comparison.matrix("diff_pp")
    share = comparison.matrix("share_pct")
    sig = comparison.matrix("significant").fillna(False).astype(bool)
    sup = comparison.matrix("suppressed").fillna(False).astype(bool)
    text = []
    for theme in diff.index:
        row = []
        for group in diff.columns:
            if sup.loc[theme, group]:
                row.append("")
            elif pd.isna(share.loc[theme, group]):
                row.append("")
            else:
                mark = " *" if sig.loc[theme, group] else ""
                row.append(f"{share.loc[theme, group]:.0f}%{mark}")
        text.append(row)
    z = diff.where(~sup).to_numpy(dtype=float)
    bound = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
    fig = go.Figure(
        go.Heatmap(
            z=z.tolist(),
            x=[safe_label(c) for c in diff.columns],
            y=[safe_label(i) for i in diff.index],
            text=text,
            texttemplate="%{text}",
            colorscale=[list(p) for p in config.DIVERGING_SCALE],
            zmid=0,
            zmin=-max(bound, 1.0),
            zmax=max(bound, 1.0),
            hoverongaps=False,
            colorbar={"title": {"text": "Points vs<br>everyone else"}, "thickness": 12},
            hovertemplate="%{y} / %{x}<br>%{text}<br>%{z:+.1f} points vs everyone else<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    height = max(320, 30 * len(diff.index) + 160)
    return base_layout(fig, safe_label(group_heatmap_title(comparison)), height=height)


def cooccurrence_title(co: CoOccurrence) -> str:
    """The finding of a co-occurrence table: the pair raised together most often."""
    pairs = co.pairs()
    if pairs.empty:
        if (
            co.hidden is not None
            and (co.hidden.to_numpy() & ~np.eye(len(co.hidden), dtype=bool)).any()
        ):
            return "No pair of themes can be shown: too few people raised those seen together"
        return "No two themes were raised in the same answer"
    top = pairs.iloc[0]
    return (
        f"{top['label_a']} and {top['label_b']} are raised together most often "
        f"({int(top['both']):,} answers; {top['lift']:.1f}x what chance would give)"
    )


def cooccurrence_heatmap(co: CoOccurrence, value: str = "counts") -> go.Figure:
    """Theme x theme heatmap of answers raising both (or lift / jaccard); the diagonal is left blank."""
    if co.counts.empty:
        return empty_figure("No themes to compare")
    table = getattr(co, value).astype(float)
    z = table.to_numpy(copy=True)
    np.fill_diagonal(z, np.nan)
    labels = [safe_label(co.labels.get(t, t)) for t in table.index]
    counts = co.counts.to_numpy()
    fig = go.Figure(
        go.Heatmap(
            z=z.tolist(),
            x=labels,
            y=labels,
            colorscale=[[0, "#F7F7F7"], [1, config.NHS_BLUE]],
            hoverongaps=False,
            customdata=counts.tolist(),
            hovertemplate="%{y} + %{x}<br>%{customdata:,} answers raise both<br>"
            + value
            + " %{z}<extra></extra>",
            colorbar={"title": {"text": value.capitalize()}, "thickness": 12},
        )
    )
    fig.update_yaxes(autorange="reversed")
    return base_layout(
        fig, safe_label(cooccurrence_title(co)), height=max(360, 28 * len(labels) + 180)
    )
