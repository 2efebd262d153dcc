"""Cached loaders of answers and selections, keyed on ids and content hashes.

Every cache tier of the product (this module, the other ui loaders, the memos in analysis/) is described
once, in docs/architecture.md ("Caching"); tests/test_architecture_doc.py keeps that table complete.

The answer frames are shared resources (st.cache_resource), not st.cache_data entries: cache_data
pickles a value when it stores it and unpickles a fresh copy on every read, which at 200,000 answers
cost about 0.25 s per read and 1 s per store, on every rerun. A shared frame must never be changed in
place: pages and analysis functions copy before they add columns (tests/test_cache_frames_unchanged.py
runs every page and checks the cached frames are byte-for-byte what the store returned).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from analysis import store
from analysis.core.filters import Filters, apply_filters, distinct_values, sorted_rounds
from analysis.findings import overview
from analysis.privacy import SelectionCheck, check_selection, format_suppressed
from analysis.store import demo

if TYPE_CHECKING:
    from ui.context import PageContext


@st.cache_resource(show_spinner="Preparing the demo data…")
def demo_dataset_id() -> int:
    """Make sure the demo dataset is in the store (once per process); return its id."""
    return demo.ensure_demo_dataset()


def dataset_list() -> pd.DataFrame:
    """Datasets in the store, newest first (not cached: it must reflect saves and deletes at once)."""
    return store.list_datasets()


@st.cache_resource(max_entries=4, show_spinner="Loading answers…")
def responses_for(dataset_id: int, content_hash: str) -> pd.DataFrame:
    """All answers of one dataset (blank and placeholder answers left out: they are never answers);
    `content_hash` keys the cache so a replaced dataset reloads."""
    del content_hash  # part of the cache key only
    return store.load_dataset(dataset_id)


@st.cache_resource(max_entries=2, show_spinner="Loading who took part…")
def participants_for(dataset_id: int, content_hash: str) -> pd.DataFrame:
    """Every row of one dataset, with the blank and placeholder answers kept to count who took part."""
    del content_hash  # part of the cache key only
    return store.load_dataset(dataset_id, with_no_content=True)


@st.cache_resource(max_entries=4, show_spinner=False)
def filtered_participants(dataset_id: int, content_hash: str, filters: Filters) -> pd.DataFrame:
    """Everyone the filters select, answer or not (Voices counts people); withheld like the answers."""
    everyone = participants_for(dataset_id, content_hash)
    if selection_check(dataset_id, content_hash, filters).withheld or (
        check_selection(everyone, filters).withheld
    ):
        return everyone.iloc[0:0].copy()
    return apply_filters(everyone, filters)


@st.cache_data(max_entries=4, show_spinner=False)
def filter_options(dataset_id: int, content_hash: str) -> dict[str, list[str]]:
    """The sidebar's choices for one dataset (rounds in time order), worked out once per content."""
    df = responses_for(dataset_id, content_hash)
    return {
        "round": sorted_rounds(df["round"]),
        "respondent_type": distinct_values(df["respondent_type"]),
        "service": distinct_values(df["service"]),
        "locality": distinct_values(df["locality"]),
    }


@st.cache_data(max_entries=32, show_spinner=False)
def selection_check(dataset_id: int, content_hash: str, filters: Filters) -> SelectionCheck:
    """May the filters' selection be shown at all (analysis.privacy.check_selection), cached per selection."""
    return check_selection(responses_for(dataset_id, content_hash), filters)


@st.cache_resource(max_entries=8, show_spinner=False)  # each entry can be a large frame: keep few
def filtered_responses(dataset_id: int, content_hash: str, filters: Filters) -> pd.DataFrame:
    """The answers the filters select (cached: every page of a session asks for the same selection).

    A selection the privacy rule withholds gives no rows at all, so no page, download or pack can show
    what it was never given; pages say why from `selection_check`.
    """
    everything = responses_for(dataset_id, content_hash)
    if selection_check(dataset_id, content_hash, filters).withheld:
        return everything.iloc[0:0].copy()
    return apply_filters(everything, filters)


@st.cache_data(max_entries=8, show_spinner=False)
def overview_tables(dataset_id: int, content_hash: str, filters: Filters) -> dict:
    """The Overview's figures and tables for one selection (already suppressed)."""
    df = filtered_responses(dataset_id, content_hash, filters)
    values, display = overview.answers_by_round_suppressed(df)
    return {
        "figures": overview.headline_figures(df),
        "round_values": values,
        "round_display": display.astype(str),  # "[suppressed]" beside numbers: one type per column
        # Hidden small counts show the suppressed mark; text throughout (one type per column).
        "quality": format_suppressed(overview.data_quality(df)).astype(str),
    }


def theme_result(ctx: PageContext):  # noqa: ANN201 - PageContext -> ThemeResult
    """Themes for every answer of the chosen dataset, classified once per (content, codebook, corrections).

    Filters only select rows of it (callers join on response_id), so a filter change never re-classifies.
    """
    from ui.themes import theme_view  # the classifier's cache and progress display live there

    return theme_view(ctx).result
