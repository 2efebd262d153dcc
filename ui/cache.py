"""Cached loaders (the only place analysis results are cached), keyed on ids and content hashes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import demo, store


@st.cache_resource(show_spinner="Preparing the demo data…")
def demo_dataset_id() -> int:
    """Make sure the demo dataset is in the store (once per process); return its id."""
    return demo.ensure_demo_dataset()


def dataset_list() -> pd.DataFrame:
    """Datasets in the store, newest first (not cached: it must reflect saves and deletes at once)."""
    return store.list_datasets()


@st.cache_data(max_entries=4, show_spinner="Loading answers…")
def responses_for(dataset_id: int, content_hash: str) -> pd.DataFrame:
    """All answers of one dataset; `content_hash` keys the cache so a replaced dataset reloads."""
    del content_hash  # part of the cache key only
    return store.load_dataset(dataset_id)


def theme_result(ctx):  # noqa: ANN001, ANN201 - PageContext -> ThemeResult
    """Themes for every answer of the chosen dataset, classified once per (content, codebook, corrections).

    Filters only select rows of it (callers join on response_id), so a filter change never re-classifies.
    """
    from ui.themes import theme_view  # the classifier's cache and progress display live there

    return theme_view(ctx).result
