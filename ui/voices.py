"""The Voices page's app side: cached loaders and the sections the page renders.

Every number comes from analysis.voices (participation, voices_workbook) already suppressed; when the
filters select too few people, the sections show one notice and nothing else (no table, no chart).
The engagement log's section lives in ui.voices_engagement and is re-exported here.
Data values are never rendered as Markdown: sentences go through st.text, tables through
st.dataframe, and captions hold only numbers and fixed words.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from analysis import privacy
from analysis.charts import voices as charts
from analysis.core import config
from analysis.core.filters import Filters
from analysis.core.schema import ValidationError
from analysis.core.words import plain_columns
from analysis.voices import (
    benchmark_match,
    group_voices,
    participation,
)
from analysis.voices.benchmark_match import BenchmarkMatch
from analysis.voices.participation import PeopleTable, dimension_label
from analysis.voices.voices_workbook import (
    benchmark_groups,
    representation_tables,
    voices_workbook,
)
from ui import cache, deeplink
from ui.voices_engagement import engagement_log, render_engagement
from ui.widgets import XLSX_MIME, chart_with_table, download_later, md_safe

if TYPE_CHECKING:
    from ui.context import PageContext

log = logging.getLogger(__name__)

# The page and the pack reach every Voices section through this module.
__all__ = [
    "benchmark",
    "crossed",
    "download",
    "download_all",
    "engagement_log",
    "enough_people",
    "render_benchmark_upload",
    "render_engagement",
    "render_group_voices",
    "render_intersections",
    "render_population",
    "render_rounds",
    "render_who",
    "representation_all",
    "representation_tables",
    "rounds",
    "voices_workbook",
    "who",
]

BENCHMARK_KEY = "voices_benchmark_upload"  # (filename, bytes) of an uploaded benchmark, if any


# --- loaders ---------------------------------------------------------------------------------


def _filtered(dataset_id: int, content_hash: str, filters: Filters) -> pd.DataFrame:
    # Who took part counts everyone, with or without an answer to the free-text question.
    return cache.filtered_participants(dataset_id, content_hash, filters)


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def _benchmark(name: str, data: bytes | None) -> pd.DataFrame:
    del name  # cache key only
    return (
        participation.load_benchmark(data, "benchmark.csv")
        if data
        else participation.load_benchmark()
    )


def benchmark(ctx: PageContext) -> tuple[pd.DataFrame | None, str, str | None]:
    """(benchmark table or None, the sentence saying which is used, error).

    A benchmark the user uploaded is used as chosen; the demo (Greater Manchester) benchmark only
    when it covers the dataset's area, so a file from elsewhere gets none and the page says why.
    """
    upload = st.session_state.get(BENCHMARK_KEY)
    try:
        if upload:
            return _benchmark(upload[0], upload[1]), f"Population: uploaded file {upload[0]}.", None
        demo = _benchmark("demo", None)
    except ValidationError as exc:
        return None, "", str(exc)
    match = _demo_match(ctx.dataset_id, str(ctx.meta["content_hash"]), demo)
    return match.applied_to(demo), match.sentence, None


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _demo_match(dataset_id: int, content_hash: str, _demo: pd.DataFrame) -> BenchmarkMatch:
    """Whether the demo benchmark covers the whole dataset's area (not only the filtered answers)."""
    responses = cache.responses_for(dataset_id, content_hash)
    return benchmark_match.match_benchmark(
        responses, _demo, "the demo benchmark for Greater Manchester (illustrative)"
    )


@st.cache_data(max_entries=32, ttl=3600, show_spinner="Counting who took part…")
def _who(
    dataset_id: int, content_hash: str, filters: Filters, column: str, known: tuple[str, ...] | None
) -> PeopleTable:
    return participation.who_took_part(
        _filtered(dataset_id, content_hash, filters),
        column,
        known_groups=list(known) if known else None,
    )


def who(ctx: PageContext, column: str) -> PeopleTable:
    """People by one column for the filtered answers (suppressed as the population comparison is)."""
    bench = benchmark(ctx)[0]
    return _who(
        ctx.dataset_id, str(ctx.meta["content_hash"]), ctx.filters, column,
        benchmark_groups(column, bench),
    )  # fmt: skip


@st.cache_data(max_entries=16, ttl=3600, show_spinner="Comparing with the population…")
def representation_all(
    dataset_id: int, content_hash: str, filters: Filters, bench: pd.DataFrame
) -> dict[str, PeopleTable]:
    """The representation table for every benchmark dimension (suppressed)."""
    return representation_tables(
        _filtered(dataset_id, content_hash, filters), bench, filters.localities
    )


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def rounds(dataset_id: int, content_hash: str, filters: Filters, column: str) -> PeopleTable:
    """People per round by one column (suppressed)."""
    return participation.over_rounds(_filtered(dataset_id, content_hash, filters), column)


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def crossed(
    dataset_id: int, content_hash: str, filters: Filters, row: str, col: str
) -> PeopleTable:
    """People by two columns (suppressed)."""
    return participation.intersections(_filtered(dataset_id, content_hash, filters), row, col)


def _theme_result(ctx: PageContext):  # noqa: ANN202
    try:
        return cache.theme_result(ctx)
    except Exception:  # noqa: BLE001 - the rest of the page still renders without themes
        log.warning("theme results unavailable for the Voices page", exc_info=True)
        return None


def _labels() -> dict[str, str]:
    try:
        from analysis.themes import codebook_store

        return codebook_store.latest_codebook().labels()
    except Exception:  # noqa: BLE001
        return {}


# --- shared bits -----------------------------------------------------------------------------


def enough_people(ctx: PageContext) -> PeopleTable:
    """The whole-filter check: a withheld result (with the reason in words) when the privacy rule
    withholds the selection or it holds too few people."""
    if ctx.withheld:
        threshold = ctx.selection.threshold
        return PeopleTable("withheld", None, [], threshold, notice=ctx.selection.message)
    return who(ctx, "respondent_type")


def download(table: pd.DataFrame, name: str, key: str) -> None:
    """A CSV download of a shown (suppressed, display) table, formula-safe (built when clicked)."""
    download_later(
        "Download CSV",
        lambda: privacy.safe_csv_bytes(table),
        f"{name}.csv",
        "text/csv",
        f"dl_{key}",
    )


def _caption(result: PeopleTable, ctx: PageContext) -> str:
    n = (
        f"n = {result.n_people:,} people who took part (with or without a written answer)"
        if result.n_people is not None
        else "people"
    )
    return (
        f"{n}, {len(ctx.responses):,} written answers. Groups under {result.threshold} people are hidden "
        f"({config.SUPPRESSED_MARK}), with others where needed so they cannot be worked out."
    )


def _dimension_picker(label: str, options: list[str], key: str, default: str | None = None) -> str:
    deeplink.bind_value(key, key, options)  # the choice is part of the page's link
    if key in st.session_state and st.session_state[key] in options:
        return st.selectbox(label, options, format_func=dimension_label, key=key)
    index = options.index(default) if default in options else 0
    return st.selectbox(label, options, index=index, format_func=dimension_label, key=key)


# --- sections --------------------------------------------------------------------------------


def render_who(ctx: PageContext) -> None:
    """People by a chosen column, chart and table."""
    column = _dimension_picker("Break down by", list(participation.PERSON_COLUMNS), "voices_who_by")
    result = who(ctx, column)
    if result.withheld:
        st.warning(md_safe(result.notice))
        return
    shown = result.display(as_text=True)
    chart_with_table(
        charts.who_took_part_figure(result, column),
        shown,
        key="voices_who",
        caption=_caption(result, ctx),
    )
    download(shown, f"who_took_part_{column}", "who")


def render_population(ctx: PageContext, all_tables: dict[str, PeopleTable], source: str) -> None:
    """Shares against the population with ratios and intervals, and the missing-voices sentence."""
    st.text(participation.missing_voices(all_tables))
    column = _dimension_picker("Compare by", list(all_tables), "voices_pop_by", default="ethnicity")
    result = all_tables[column]
    if result.withheld:
        st.warning(md_safe(result.notice))
        return
    shown = result.display(as_text=True)
    chart_with_table(
        charts.representation_figure(result, column),
        shown,
        key="voices_population",
        caption=_caption(result, ctx)
        + " Representation = share of respondents ÷ share of population (1 = in line). What this "
        "means: a group is called under- or over-represented only when even its lowest or highest likely "
        "value (a 95% range) stays below or above 1.",
        table_label="The numbers (shares, ratios, intervals)",
    )
    st.text(source)
    download(shown, f"representation_{column}", "population")


def render_benchmark_upload() -> None:
    """Let the user replace the benchmark with their own (same long format)."""
    with st.expander("Use your own population benchmark"):
        st.caption("CSV or XLSX with columns locality, dimension, group, population (long format).")
        up = st.file_uploader("Benchmark file", type=["csv", "xlsx"], key="voices_bench_file")
        if up is not None:
            try:
                participation.load_benchmark(up.getvalue(), up.name)
            except ValidationError as exc:
                st.error(md_safe(exc))
            else:
                st.session_state[BENCHMARK_KEY] = (up.name, up.getvalue())
                st.success("Benchmark loaded; the comparison above uses it.")
        if st.session_state.get(BENCHMARK_KEY) and st.button(
            "Go back to the demo benchmark", key="voices_bench_reset"
        ):
            st.session_state.pop(BENCHMARK_KEY, None)
            st.rerun()


def render_rounds(ctx: PageContext) -> None:
    """People per round by a chosen column."""
    options = [c for c in participation.PERSON_COLUMNS if c != "locality"] + ["locality"]
    column = _dimension_picker("Show rounds by", options, "voices_rounds_by")
    result = rounds(ctx.dataset_id, str(ctx.meta["content_hash"]), ctx.filters, column)
    if result.withheld:
        st.warning(md_safe(result.notice))
        return
    shown = result.display(as_text=True)
    chart_with_table(charts.over_rounds_figure(result, column), shown, key="voices_rounds",
                     caption=_caption(result, ctx) + " A person who answered in two rounds counts in each.")  # fmt: skip
    download(shown, f"rounds_{column}", "rounds")


def render_intersections(ctx: PageContext) -> None:
    """Two columns crossed, with small cells blank."""
    dims = [c for c in participation.PERSON_COLUMNS if c != "service"]
    left, right = st.columns(2)
    with left:
        row = _dimension_picker("Rows", dims, "voices_cross_rows", default="age_band")
    with right:
        col = _dimension_picker(
            "Columns", [d for d in dims if d != row], "voices_cross_cols", default="gender"
        )
    result = crossed(ctx.dataset_id, str(ctx.meta["content_hash"]), ctx.filters, row, col)
    if result.withheld:
        st.warning(md_safe(result.notice))
        return
    shown = result.display(as_text=True)
    chart_with_table(charts.intersections_figure(result, row, col), shown, key="voices_cross",
                     caption=_caption(result, ctx) + " Blank cells are hidden.")  # fmt: skip
    download(shown, f"intersections_{row}_{col}", "cross")


def render_group_voices(ctx: PageContext, all_tables: dict[str, PeopleTable]) -> None:
    """What an under-represented group raises, against everyone else, and their redacted answers."""
    pairs = participation.under_represented_groups(all_tables)
    if not pairs:
        st.info(md_safe(participation.missing_voices(all_tables)))
        return
    names = {f"{d}|{g}": f"{g} ({dimension_label(d)})" for d, g in pairs}
    choice = st.selectbox("Group", list(names), format_func=names.get, key="voices_group")
    dim, group = choice.split("|", 1)
    result = _theme_result(ctx)
    if result is None:
        st.info("Theme results are not available for this dataset yet.")
        answers = None
    else:
        labels = _labels()
        themes = group_voices.group_themes(
            ctx.responses, result.assignments, dim, group, labels=labels
        )
        if themes.withheld:
            st.warning(md_safe(themes.notice))
        else:
            shown = themes.display(as_text=True)
            st.dataframe(plain_columns(shown), hide_index=True, key="voices_group_themes")
            st.caption(
                "Share of the group's answers raising each theme against everyone else's; the test is "
                "the Themes page's (two-proportion z or Fisher's exact, Benjamini-Hochberg across themes)."
            )
            download(shown, "group_themes", "group_themes")
        answers = result.answers
    said = group_voices.group_answers(ctx.responses, answers, dim, group, labels=_labels())
    if said.withheld:
        st.warning(md_safe(said.notice))
        return
    st.header("Their answers (personal details removed)")
    st.dataframe(said.table, hide_index=True, key="voices_group_answers")
    download(said.table, "group_answers", "group_answers")


def download_all(ctx: PageContext, bench: pd.DataFrame | None) -> None:
    """One workbook with every Voices table (suppressed, formula-safe), built when clicked."""
    responses, localities = ctx.responses, ctx.filters.localities
    known = {column: benchmark_groups(column, bench) for column in participation.PERSON_COLUMNS}

    def make() -> bytes:
        tables = representation_tables(responses, bench, localities) if bench is not None else {}
        return voices_workbook(responses, tables, known)

    download_later(
        "Download every table (XLSX)", make, "voices_tables.xlsx", XLSX_MIME, "dl_voices_all"
    )
