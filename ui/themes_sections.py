"""Rendering of the Themes page's sections (each reads cached tables from ui.themes and draws them).

Respondent text and anything derived from data is shown only through st.dataframe, st.text or
plotly figures with escaped labels: never st.markdown, captions, expander or button labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from analysis import privacy, store
from analysis.charts.themes import cooccurrence_heatmap, group_heatmap, theme_bar_chart, trend_chart
from analysis.core.errors import ConflictError
from analysis.core.words import plain_columns
from analysis.findings import spc, theme_levels
from analysis.findings.answers_view import export_frame
from analysis.findings.cooccurrence import answers_with_both
from analysis.findings.group_comparison import (
    SuppressedCellError,
    available_group_columns,
    cell_response_ids,
)
from analysis.findings.theme_summary import round_size_note
from analysis.text.search import QueryError, seeds_from_query
from analysis.themes.codebook import CodebookError
from analysis.themes.codebook_edit import add_theme, adopt_theme
from ui import auth, deeplink
from ui import themes as tu
from ui.context import can_edit, can_view_unredacted
from ui.widgets import XLSX_MIME, chart_alt_text, chart_with_table, download_later, md_safe

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
ANSWER_CONFIG = {
    "response_id": st.column_config.TextColumn("Answer id", width="small"),
    "answer": st.column_config.TextColumn("Answer (redacted; «theme words» marked)", width="large"),
    "why": st.column_config.TextColumn("Why (words that raised the theme)"),
    "sentiment": st.column_config.NumberColumn("Sentiment", format="%.2f"),
    "feeling": st.column_config.TextColumn("Feeling"),
    "complex": st.column_config.CheckboxColumn("Complex"),
}


def _downloads(
    frame: pd.DataFrame, name: str, key: str, full: Callable[[], pd.DataFrame] | None = None
) -> None:
    """CSV and Excel of `frame`, or of `full()` (built at the click) when given."""
    cols = st.columns(2)
    whole = full or (lambda: frame)
    download_later(
        "Download CSV",
        lambda: privacy.safe_csv_bytes(whole()),
        f"{name}.csv",
        "text/csv",
        f"{key}_csv",
        cols[0],
    )
    download_later(
        "Download Excel",
        lambda: privacy.safe_xlsx_bytes(whole()),
        f"{name}.xlsx",
        XLSX_MIME,
        f"{key}_xlsx",
        cols[1],
    )


def show_answers(
    table: pd.DataFrame,
    total: int,
    key: str,
    ctx: PageContext | None = None,
    everything: Callable[[], pd.DataFrame] | None = None,
) -> None:
    """Answers as a table (text never rendered), a full-text reader for one, and downloads.

    The screen caps the table; the downloads hold every selected answer when `everything` (built
    only at the click) is given, else they say how many are left out.
    """
    if table.empty:
        st.info("No answers in this selection.")
        return
    shown = len(table)
    note = ""
    if shown < total:
        note = f"; the first {shown:,} are shown" + (
            ", the downloads hold all of them"
            if everything is not None
            else f" and downloaded ({total - shown:,} left out: narrow the selection to get them)"
        )
    st.caption(f"{total:,} answers{note}")
    st.dataframe(
        table, hide_index=True, column_config=ANSWER_CONFIG, key=f"{key}_table", width="stretch"
    )
    ids = table["response_id"].astype(str).tolist()
    chosen = st.selectbox("Read one answer in full", ids, key=f"{key}_read")
    if chosen is not None:
        row = table.loc[table["response_id"].astype(str) == chosen].iloc[0]
        st.text(str(row["answer"]))
        st.text(
            f"Themes: {row['themes']}  ·  Why: {row['why'] or '-'}  ·  Feeling: {row['feeling']}"
        )
        if ctx is not None and can_view_unredacted():
            _unredacted(ctx, chosen, key)
    full = (
        (lambda: export_frame(everything())) if everything is not None and shown < total else None
    )
    _downloads(export_frame(table), f"answers-{key}", key, full)


def _unredacted(ctx: PageContext, response_id: str, key: str) -> None:
    """Admins only: the stored original of one answer, on request, with the access logged."""
    if st.toggle(
        "Show this answer unredacted (admins only; the access is logged)", key=f"{key}_unredacted"
    ):
        original = ctx.all_responses.loc[
            ctx.all_responses["response_id"].astype(str) == response_id, "text"
        ]
        store.log_access(auth.editor_name(), "view unredacted answer",
                         f"dataset {ctx.dataset_id}, answer {response_id}")  # fmt: skip
        st.text(str(original.iloc[0]) if len(original) else "(answer not found)")


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
    if table["sub_themes"].any():
        display.insert(1, "Sub-themes", table["sub_themes"].to_numpy())
    # The table is the main view here (the chart below repeats it), so it is shown, not folded away.
    st.dataframe(display, hide_index=True, key="th_summary_table")
    st.caption(
        f"n = {len(ctx.responses):,} answers. Change compares the latest chosen round with the one before "
        "(same filters); beyond chance = unlikely to be chance even after allowing for testing every theme."
    )
    caveat = round_size_note(table)
    if caveat:
        st.warning(md_safe(caveat))
    _downloads(display, "themes", "th_summary")
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
    ids = tu.theme_response_ids(ctx, view, theme_id)
    show_answers(tu.answers(ctx, view, ids, theme_id=theme_id, limit=tu.SCREEN_ROWS), len(ids), key="th_answers", ctx=ctx,
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
            f"false-discovery control at {comp.alpha:.0%}. Groups under {comp.threshold} respondents are blank."
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
    try:
        ids = cell_response_ids(ctx.responses, view.result.assignments, column, group, theme_id)
    except SuppressedCellError:
        st.info("This group has too few respondents to show its answers.")
        return
    show_answers(tu.answers(ctx, view, ids, theme_id=theme_id, limit=tu.SCREEN_ROWS), len(ids), key="cmp_answers", ctx=ctx,
                 everything=lambda: tu.answers(ctx, view, ids, theme_id=theme_id, limit=None))  # fmt: skip


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
    show_answers(tu.answers(ctx, view, both, limit=tu.SCREEN_ROWS), len(both), key="co_answers", ctx=ctx,
                 everything=lambda: tu.answers(ctx, view, both, limit=None))  # fmt: skip


def _save_new(view: tu.ThemeView, edited, note: str) -> None:  # noqa: ANN001
    try:
        saved = tu.save_codebook(edited, base_version=view.codebook.version, note=note)
    except (ConflictError, CodebookError) as exc:
        st.error(tu.plain(exc))
        return
    st.session_state["th_flash"] = (
        f"Saved codebook version {saved.version}. Answers are re-classified now."
    )
    st.session_state["_th_clear"] = (
        True  # empty the new-theme fields on the next run, before they render
    )
    st.rerun()


def search_section(ctx: PageContext, view: tu.ThemeView) -> None:
    """Search box → matching answers → use the query's words as a new theme's seeds."""
    if st.session_state.pop("_th_clear", False):
        for key in ("search_theme_label", "search_theme_seeds"):
            st.session_state.pop(key, None)
    query = st.text_input(
        "Search answers",
        key="search_q",
        placeholder='e.g. wait* AND "rang back" NOT staff',
        help='Words, "phrases in quotes", AND / OR / NOT (capitals), brackets; wait* matches any ending.',
    )
    if not query.strip():
        return
    unredacted = can_view_unredacted()
    if unredacted:
        st.caption(
            "As an admin you search the original, unredacted answers; each search is recorded in the "
            "access log with its query. The answers below are still shown redacted."
        )
    try:
        table, result = tu.search_answers(ctx, view, query, unredacted=unredacted)
        seeds = seeds_from_query(query)
    except QueryError as exc:
        st.error(tu.plain(exc))
        return
    if unredacted:
        _log_unredacted_search(ctx, query)
    if result.check.withheld:
        st.info(_search_withheld(result.check))
        return
    total = result.total
    show_answers(table, total, key="search_answers", ctx=ctx)
    if not (can_edit("edit_codebook") and seeds and total):
        return
    st.header("Make a new theme from this search")
    label = st.text_input("Name of the new theme", key="search_theme_label")
    seed_text = st.text_area(
        "Seed phrases (one per line)", value="\n".join(seeds), key="search_theme_seeds"
    )
    if st.button(
        "Use as seeds of a new theme", key="search_make_theme", disabled=not label.strip()
    ):
        try:
            edited = add_theme(view.codebook, label, seed_text)
        except CodebookError as exc:
            st.error(tu.plain(exc))
            return
        _save_new(view, edited, "New theme from a search")


def _search_withheld(check: privacy.SelectionCheck) -> str:
    """Why a search shows nothing, without saying how many answers matched."""
    if check.reason == "small":
        return (
            f"The answers this search finds come from fewer than {check.threshold} people, so they are "
            "not listed or counted, to protect their privacy. Search for something broader."
        )
    return (
        "This search leaves out only a few people's answers: comparing it with everything chosen would "
        "reveal them, so nothing is listed or counted, to protect their privacy. Search for something "
        "narrower or broader."
    )


def _log_unredacted_search(ctx: PageContext, query: str) -> None:
    """Record an admin's search of the unredacted text once per dataset and query in this session."""
    done = st.session_state.setdefault("_searches_logged", [])
    key = f"{ctx.dataset_id}|{query}"
    if key in done:
        return
    store.log_access(auth.editor_name(), "search unredacted answers",
                     f"dataset {ctx.dataset_id}, query {query!r}")  # fmt: skip
    done.append(key)


def emerging_section(ctx: PageContext, view: tu.ThemeView) -> None:
    """Clusters of unassigned answers with phrases and redacted examples; adopt one into the codebook."""
    # Discovery takes seconds to tens of seconds: run it when asked, then keep it cached.
    if not st.session_state.get("em_on"):
        st.caption("Group the answers no theme covers into candidate new themes.")
        if st.button("Look for emerging themes", key="em_run"):
            st.session_state["em_on"] = True
            st.rerun()
        return
    found = tu.emerging_themes(ctx, view)
    if not found:
        st.info("No emerging themes: too few unassigned answers share words.")
        return
    st.caption(f"{len(found)} groups of answers that no theme covers, largest first.")
    for i, dt in enumerate(found[:8]):
        with st.container(border=True):
            # Discovery hands out redacted words only (analysis.themes.discovery_names).
            st.text(f"Emerging theme {i + 1}: {dt.name} ({dt.size:,} answers)")
            if dt.repeats is not None:
                st.text(f"Repeats the codebook theme “{dt.repeats.label}” "
                        f"(shares: {', '.join(dt.repeats.shared)}).")  # fmt: skip
            examples = pd.Series(dt.examples, dtype=object)
            st.dataframe(
                pd.DataFrame({"distinctive phrases": [", ".join(dt.top_phrases)],
                              "proposed seeds": [", ".join(dt.proposed_seeds)]}),
                hide_index=True, key=f"em_ph_{i}",
            )  # fmt: skip
            st.dataframe(
                pd.DataFrame({"example answers (redacted)": examples}),
                hide_index=True,
                key=f"em_ex_{i}",
            )
            if can_edit("edit_codebook") and st.button(
                "Adopt into the codebook", key=f"em_adopt_{i}"
            ):
                try:
                    edited = adopt_theme(view.codebook, dt.to_theme())
                except (CodebookError, ValueError) as exc:
                    st.error(tu.plain(exc))
                    continue
                _save_new(view, edited, f"Adopted emerging theme ({dt.size} answers)")
