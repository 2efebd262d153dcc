"""Rendering of the Themes page's sections (each reads cached tables from ui.themes and draws them).

Respondent text and anything derived from data is shown only through st.dataframe, st.text or
plotly figures with escaped labels: never st.markdown, captions, expander or button labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from analysis.charts.themes import cooccurrence_heatmap, group_heatmap, theme_bar_chart, trend_chart
from analysis.core.filters import small_rounds_note
from analysis.core.words import plain_columns
from analysis.findings import spc, spc_series, theme_levels, theme_privacy
from analysis.findings.cooccurrence import answers_with_both
from analysis.findings.group_comparison import (
    GroupComparison,
    SuppressedCellError,
    available_group_columns,
    cell_response_ids,
)
from analysis.findings.theme_privacy import hidden_themes_note
from analysis.findings.theme_summary import round_size_note
from ui import deeplink
from ui import themes as tu
from ui.spc_view import render_xmr
from ui.themes_answers import download_buttons, show_answers

# The search and emerging-theme sections live in ui.themes_search; re-exported for the page.
from ui.themes_search import emerging_section, search_section  # noqa: F401
from ui.widgets import chart_alt_text, chart_with_table, md_safe

if TYPE_CHECKING:
    from ui.context import PageContext

SORT_LABELS = {
    "share": "Share of answers",
    "change": "Change since previous round",
    "negativity": "Most negative",
    "name": "Name",
}
GROUP_LABELS = {
    "respondent_type": "Respondent type",
    "service": "Service",
    "locality": "Locality",
    "round": "Survey round",
    "question": "Question",
    "age_band": "Age band",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "disability": "Disability",
    "sexual_orientation": "Sexual orientation",
    "religion": "Religion",
}
SUMMARY_DISPLAY = {
    "theme": "Theme",
    "answers": "Answers",
    "share_pct": "% of answers",
    "mean_sentiment": "Mean sentiment",
    "negative_pct": "% negative",
    "change_pp": "Change (points)",
    "latest_round": "Latest round",
    "latest_n": "Answers in latest round",
    "previous_round": "Previous round",
    "previous_n": "Answers in previous round",
    "change_significant": "Change beyond chance",
    "round_note": "Note on the rounds compared",
}


def theme_table(ctx: PageContext, view: tu.ThemeView) -> None:
    """Theme bars and table with a sort control; choose a theme to read its answers."""
    deeplink.bind_value("sort", "th_sort", list(SORT_LABELS))
    sort_by = st.radio(
        "Sort themes by",
        list(SORT_LABELS),
        format_func=SORT_LABELS.get,
        horizontal=True,
        key="th_sort",
    )
    full = tu.summary(ctx, view, sort_by)
    table = _level(full, view)
    display = table[list(SUMMARY_DISPLAY)].rename(columns=SUMMARY_DISPLAY)
    display["Answers"] = display["Answers"].astype("Int64")
    if table["sub_themes"].any():
        display.insert(1, "Sub-themes", table["sub_themes"].to_numpy())
    hidden = int(table["hidden"].sum())
    if hidden:
        display.insert(1, "Hidden: too few people", table["hidden"].to_numpy())
    # The table is the main view here (the chart below repeats it), so it is shown, not folded away.
    st.dataframe(display, hide_index=True, key="th_summary_table")
    st.caption(
        f"n = {len(ctx.responses):,} answers. Change compares the latest chosen round with the one before "
        "(same filters); beyond chance = unlikely to be chance even after allowing for testing every theme."
    )
    if hidden:
        st.caption(hidden_themes_note(hidden))
    caveat = round_size_note(table)
    if caveat:
        st.warning(md_safe(caveat))
    download_buttons(display, "themes", "th_summary")
    fig = theme_bar_chart(table)
    st.plotly_chart(
        fig,
        key="chart_theme_bars",
        config={"displaylogo": False},
        alt=f"Chart: {chart_alt_text(fig)}",
    )
    st.header("Answers behind a theme")
    labels = dict(zip(full["theme_id"], full["theme"], strict=True))
    deeplink.bind_value("theme", "th_theme", list(labels))
    theme_id = st.selectbox(
        "Theme", list(labels), format_func=lambda t: labels.get(t, t), key="th_theme"
    )
    _answers_of(ctx, view, tu.theme_response_ids(ctx, view, theme_id), "th_answers", theme_id)


def _answers_of(
    ctx: PageContext, view: tu.ThemeView, ids: list[str], key: str, theme_id: str | None = None
) -> None:
    """The answers `ids` (a narrowing of the selection) and their downloads, or why they are hidden."""
    check = theme_privacy.check_answers(ctx.responses, ids)
    if check.withheld:
        st.info(theme_privacy.theme_message(check))
        return
    show_answers(tu.answers(ctx, view, ids, theme_id=theme_id, limit=tu.SCREEN_ROWS), len(ids), key=key, ctx=ctx,
                 everything=lambda: tu.answers(ctx, view, ids, theme_id=theme_id, limit=None))  # fmt: skip


def _level(full: pd.DataFrame, view: tu.ThemeView) -> pd.DataFrame:
    """The rows of the level chosen: main themes (sub-themes rolled up), all, or one theme's sub-themes."""
    parents = theme_levels.theme_parents(view.codebook)
    options = theme_levels.level_options(full, parents)
    if len(options) <= 2:  # no theme has sub-themes: one level
        return theme_levels.level_rows(full, parents, theme_levels.ALL_LEVELS)
    names = {theme_levels.TOP_LEVEL: "Main themes (each counts its sub-themes' answers)",
             theme_levels.ALL_LEVELS: "Every theme and sub-theme"}  # fmt: skip
    deeplink.bind_value("level", "th_level", options)
    level = st.selectbox(
        "Show",
        options,
        format_func=lambda o: names.get(o, f"Sub-themes of {view.labels.get(o, o)}"),
        key="th_level",
    )
    return theme_levels.level_rows(full, parents, level)


def trend_section(ctx: PageContext, view: tu.ThemeView) -> None:
    """Each chosen theme's share per round, with n behind every point."""
    trend = tu.trend(ctx, view)
    if trend.empty:
        st.info("These answers have no survey rounds to show a trend over.")
        return
    top = tu.summary(ctx, view, "share")
    options = top["theme_id"].tolist()
    labels = dict(zip(top["theme_id"], top["theme"], strict=True))
    default = [t for t in options if t not in ("unassigned", "no_content")][:4]
    tu.keep_valid("trend_themes", options)
    chosen = st.multiselect(
        "Themes to show",
        options,
        default=default,
        format_func=lambda t: labels.get(t, t),
        key="trend_themes",
    )
    part = trend[trend["theme_id"].isin(chosen)]
    table = part.rename(columns={"share_pct": "% of answers", "n": "answers in round"})
    chart_with_table(
        trend_chart(part),
        table[["round", "theme", "answers", "answers in round", "% of answers", "suppressed"]],
        key="theme_trend",
        caption="Hover a point for the number of answers behind it. Rounds with too few respondents are left out. "
        + (
            spc.too_few_sentence(trend["round"].nunique(), "each theme's share by round")
            if trend["round"].nunique() < spc.MIN_POINTS
            else ""
        ),
    )
    if note := small_rounds_note(ctx.responses):
        st.warning(md_safe(note))
    theme_xmr_section(ctx, view, chosen or default, labels)


def theme_xmr_section(
    ctx: PageContext, view: tu.ThemeView, theme_ids: list[str], labels: dict[str, str]
) -> None:
    """One chosen theme's share per month (or week) as a process control chart, or why not."""
    st.subheader("A theme's share over time, as a process control chart")
    if not theme_ids:
        return
    deeplink.bind_value("spc_theme", "spc_theme", theme_ids)
    if st.session_state.get("spc_theme") not in theme_ids:
        st.session_state.pop("spc_theme", None)
    theme_id = st.selectbox(
        "Theme", theme_ids, format_func=lambda t: labels.get(t, t), key="spc_theme"
    )
    name = labels.get(theme_id, theme_id)
    threshold = ctx.selection.threshold
    chart = spc_series.theme_share_xmr(
        ctx.responses, view.result.assignments, theme_id, name, threshold
    )
    render_xmr(chart, f"% of answers raising {name}", "% of answers", key="theme_share_xmr",
               x_title=spc_series.period_word(ctx.responses, threshold))  # fmt: skip


def compare_section(ctx: PageContext, view: tu.ThemeView) -> None:
    """Theme x group matrix with the test and suppression; choose a cell to read its answers."""
    columns = available_group_columns(ctx.responses)
    if not columns:
        st.info("These answers have no group column with two or more values to compare.")
        return
    deeplink.bind_value("by", "cmp_col", columns)
    column = st.selectbox(
        "Compare groups by", columns, format_func=lambda c: GROUP_LABELS.get(c, c), key="cmp_col"
    )
    comp = tu.comparison(ctx, view, column)
    cells = comp.cells
    table = cells[
        [
            "theme",
            "group",
            "respondents",
            "answers",
            "share_pct",
            "rest_share_pct",
            "diff_pp",
            "test",
            "q_value",
            "direction",
            "suppressed",
        ]
    ]
    chart_with_table(
        group_heatmap(comp),
        table,
        key="group_heatmap",
        caption=(
            f"Cells show the % of a group's answers raising the theme; * = differs from everyone else after "
            f"false-discovery control at {comp.alpha:.0%}. Groups under {comp.threshold} respondents are blank, "
            f"and so is a cell where fewer than {comp.threshold} people raised the theme or did not (with one "
            "more in its row, so it cannot be worked out from the others)."
        ),
    )
    st.dataframe(
        plain_columns(
            comp.findings()[["theme", "group", "share_pct", "rest_share_pct", "diff_pp", "q_value"]]
        ),
        hide_index=True,
        key="cmp_findings",
    )
    themes = list(dict.fromkeys(cells["theme_id"]))
    groups = list(dict.fromkeys(cells["group"]))
    c1, c2 = st.columns(2)
    theme_id = c1.selectbox(
        "Theme", themes, format_func=lambda t: view.labels.get(t, t), key="cmp_theme"
    )
    group = c2.selectbox("Group", groups, key="cmp_group")
    if _cell_hidden(comp, theme_id, group):
        st.info(f"This cell's answers are hidden to protect privacy: fewer than {comp.threshold} people in it raised the theme (or did not), or it is hidden so such a cell cannot be worked out from the others.")  # fmt: skip
        return
    try:
        ids = cell_response_ids(ctx.responses, view.result.assignments, column, group, theme_id)
    except SuppressedCellError:
        st.info("This group has too few respondents to show its answers.")
        return
    _answers_of(ctx, view, ids, "cmp_answers", theme_id)


def _cell_hidden(comp: GroupComparison, theme_id: str, group: str) -> bool:
    """True when the comparison hides this cell of a group it shows (too few raised it, or did not)."""
    cells = comp.cells
    cell = cells[(cells["theme_id"] == theme_id) & (cells["group"] == group)]
    return (
        not cell.empty and bool(cell["suppressed"].iloc[0]) and group not in comp.suppressed_groups
    )


def together_section(ctx: PageContext, view: tu.ThemeView) -> None:
    """Co-occurrence heatmap and the answers raising two chosen themes."""
    co = tu.cooccurrences(ctx, view)
    pairs = co.pairs()
    chart_with_table(
        cooccurrence_heatmap(co),
        pairs[["label_a", "label_b", "both", "count_a", "count_b", "lift", "jaccard"]],
        key="cooc",
        caption=f"n = {co.n_answers:,} answers. What this means: above 1, the two themes are raised together "
        "more often than chance would give (2 = twice as often).",
    )
    ids = list(co.counts.index)
    if len(ids) < 2:
        return
    c1, c2 = st.columns(2)
    a = c1.selectbox("First theme", ids, format_func=lambda t: view.labels.get(t, t), key="co_a")
    b = c2.selectbox(
        "Second theme", ids, index=1, format_func=lambda t: view.labels.get(t, t), key="co_b"
    )
    both = answers_with_both(ctx.responses, view.result.assignments, a, b)
    _answers_of(ctx, view, both, "co_answers")
