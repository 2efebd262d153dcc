"""The Improvement Plan's app side, loaders: cached plan tables, the plan token, the codebook's labels.

Plan tables are cached on a cheap store token (analysis.plan.milestone_store.plan_version), so every save is
seen at once.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from analysis.core import config
from analysis.plan import milestone_store as plan_store
from analysis.plan import plan_datasets, progress

if TYPE_CHECKING:
    from analysis.themes.codebook import Codebook

log = logging.getLogger(__name__)

HORIZON_DAYS = config.PLAN_DUE_SOON_DAYS


@st.cache_resource(show_spinner=False)
def _demo_plan_loaded(db_url: str) -> int:
    """Seed the demo plan once per store and process (a no-op when the store has milestones)."""
    del db_url  # part of the cache key only
    return plan_store.ensure_demo_plan()


@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def _plan(token: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Milestones and history from the store (cached on the plan token)."""
    del token  # cache key: changes with every save
    return plan_store.load_milestones(), plan_store.load_history()


@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def progress_series(token: str, today: date) -> pd.DataFrame:
    """Percent complete over time per area up to `today` (cached on the plan token)."""
    milestones, history = _plan(token)
    return progress.percent_over_time(milestones, history, end=today)


def plan_token() -> str:
    """Seed the demo plan if the store has none; return the plan's current version token."""
    _demo_plan_loaded(config.database_url())
    return plan_store.plan_version()


def dataset_uses_plan(dataset_id: int) -> bool:
    """Whether the dataset is linked to the Improvement Plan (its pack and deck show the plan)."""
    return plan_datasets.uses_plan(dataset_id)


def plan_tables(token: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Milestones and history for `token` (copies: cached objects are never mutated)."""
    milestones, history = _plan(token)
    return milestones.copy(), history.copy()


def current_codebook() -> Codebook:
    """The current codebook (edited one from the store when available, else the default file)."""
    try:
        from analysis.themes import codebook_store

        return codebook_store.latest_codebook()
    except Exception:  # noqa: BLE001 - a page still renders without theme links
        log.warning("codebook store unavailable; using the default codebook", exc_info=True)
        from analysis.themes.codebook import default_codebook

        return default_codebook()


def theme_labels() -> dict[str, str]:
    """Theme labels by id from the current codebook ({} when none can be read)."""
    try:
        return current_codebook().labels()
    except Exception:  # noqa: BLE001
        return {}


def display_table(milestones: pd.DataFrame) -> pd.DataFrame:
    """Milestones with due dates as plain dates, for a table."""
    return progress.with_dates(milestones)
