"""The Themes explorer's app side: classification with progress, cached tables, codebook saves.

One classification per (dataset content, codebook, corrections): the whole dataset is classified
once and every filter only selects rows of that result, so moving a sidebar filter never
re-classifies and "change since the previous round" can look outside the chosen rounds. Derived
tables are st.cache_data entries keyed on content hashes (the frames themselves are passed as
underscore arguments, which Streamlit does not hash).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from analysis import privacy
from analysis.core.filters import apply_filters
from analysis.core.memo import FrameMemo
from analysis.findings import answer_search
from analysis.findings.answer_search import SearchResult
from analysis.findings.answers_view import answers_table
from analysis.findings.cooccurrence import cooccurrence
from analysis.findings.group_comparison import compare_groups
from analysis.findings.theme_levels import headline_rows, roll_up, theme_parents
from analysis.findings.theme_summary import theme_summary, theme_trend
from analysis.findings.theme_tables import chosen_ids_raising
from analysis.jobs import current_job, stored_result
from analysis.store import jobs, redacted_texts
from analysis.themes import codebook_store, corrections_store
from analysis.themes.codebook import Codebook
from analysis.themes.pipeline import ThemeResult
from ui import auth
from ui.jobs import classified
from ui.widgets import md_safe

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ui.context import PageContext

log = logging.getLogger(__name__)

RESULT_CACHE_ENTRIES = 4  # classified datasets kept in memory (each is a few MB at most)


@dataclass(frozen=True)
class ThemeView:
    """A classified dataset: the result (never mutate it), its codebook, labels and cache key."""

    result: ThemeResult
    codebook: Codebook
    labels: dict[str, str]
    key: str  # content hash + codebook fingerprint + corrections hash
    n_corrections: int


# --- classification ----------------------------------------------------------------------------
class _ResultCache:
    """A small LRU of ThemeResults shared by sessions (held by st.cache_resource, guarded by a lock)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, ThemeResult] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> ThemeResult | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key: str, value: ThemeResult) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


@st.cache_resource
def _result_cache() -> _ResultCache:
    # A resource on purpose: the LRU is the one mutable holder; the results in it are never mutated.
    return _ResultCache(RESULT_CACHE_ENTRIES)


def current_codebook() -> Codebook:
    """The newest codebook in the store (the default codebook seeds an empty store)."""
    return codebook_store.latest_codebook()


def _corrections_hash(corrections: pd.DataFrame | None) -> str:
    if corrections is None or corrections.empty:
        return "none"
    return hashlib.sha1(corrections.to_csv(index=False).encode("utf-8")).hexdigest()[:16]


def _view_key(ctx: PageContext, cb: Codebook, corrections: pd.DataFrame | None) -> str:
    return "|".join(
        [
            str(ctx.meta.get("content_hash", ctx.data_version)),
            cb.fingerprint(),
            _corrections_hash(corrections),
        ]
    )


def _view(
    result: ThemeResult, cb: Codebook, key: str, corrections: pd.DataFrame | None
) -> ThemeView:
    labels = dict(result.labels) if result.labels else {}
    labels.update(cb.labels())
    return ThemeView(
        result=result,
        codebook=cb,
        labels=labels,
        key=key,
        n_corrections=0 if corrections is None else len(corrections),
    )


def theme_view(
    ctx: PageContext, codebook: Codebook | None = None, *, quiet: bool = False
) -> ThemeView:
    """The chosen dataset's themes with the codebook and corrections, read from the store (while its
    background job runs, the page shows progress and stops here; while a job learns new judgements,
    the last themes with the judgements applied, and the progress). `quiet`: no progress drawn, for a
    second use in one run below a first that drew it."""
    cb = codebook or current_codebook()
    corrections = corrections_store.corrections_for_classifier(ctx.dataset_id)
    key = _view_key(ctx, cb, corrections)
    cache = _result_cache()
    result = cache.get(key)
    if result is None:
        # From the store: a job worked it out once, in a worker (progress shown until it is done).
        result = classified(ctx.dataset_id, ctx.all_responses, cb, corrections, quiet=quiet)
        # Every figure counts a sub-theme's answers in its parent (a judgement may name the child only).
        result = replace(result, assignments=roll_up(result.assignments, theme_parents(cb)))
        if result.model_info.get("interim"):
            # The last themes while a judgement is learnt: never kept as these corrections' result,
            # and keyed apart so no table worked out from them outlives the job.
            key = f"{key}|interim:{result.model_info['fingerprint']}"
        else:
            cache.put(key, result)
            if corrections is not None and result.agreement:
                _record_agreement(ctx.dataset_id, result, len(corrections), cb.version)
    return _view(result, cb, key, corrections)


def prepared_theme_view(ctx: PageContext) -> ThemeView | None:
    """The themes theme_view(ctx) would give, put in the shared cache without a page (a restarted
    server's start-up work): None, and nothing cached, unless the dataset's job for the current
    codebook and corrections is done and its agreement already recorded (a page does the rest)."""
    cb = current_codebook()
    corrections = corrections_store.corrections_for_classifier(ctx.dataset_id)
    key = _view_key(ctx, cb, corrections)
    cache = _result_cache()
    result = cache.get(key)
    if result is None:
        job = current_job(ctx.dataset_id, codebook=cb, corrections=corrections)
        if job is None or job.state != jobs.DONE:
            return None
        result = stored_result(ctx.all_responses, job, cb)
        if (
            corrections is not None
            and result.agreement
            and not _agreement_recorded(ctx.dataset_id, result, len(corrections), cb.version)
        ):
            return None  # the first page records who saw this re-classification first
        result = replace(result, assignments=roll_up(result.assignments, theme_parents(cb)))
        cache.put(key, result)
    return _view(result, cb, key, corrections)


def _agreement_recorded(dataset_id: int, result: ThemeResult, n: int, version: int) -> bool:
    """True when the newest agreement entry is this re-classification's (seen before a restart)."""
    history = corrections_store.list_agreement(dataset_id)
    if not len(history):
        return False
    last = history.iloc[-1]
    _, after = corrections_store.agreement_figures(result.agreement)
    return (
        int(last["n_corrections"]) == n
        and last["codebook_version"] == version
        and last["after"] == after
    )


def _record_agreement(dataset_id: int, result: ThemeResult, n: int, version: int) -> None:
    # The same re-classification seen again (e.g. after a restart) is not a new entry.
    if _agreement_recorded(dataset_id, result, n, version):
        return
    corrections_store.record_agreement(
        dataset_id,
        result.agreement,
        n_corrections=n,
        who=auth.editor_name(),
        codebook_version=version,
    )


# --- keys ---------------------------------------------------------------------------------------
def selection_key(ctx: PageContext) -> str:
    """A hash of what the sidebar chose (dataset content + filters)."""
    raw = f"{ctx.meta.get('content_hash', ctx.data_version)}|{ctx.filters!r}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def history_responses(ctx: PageContext) -> pd.DataFrame:
    """Answers with the same filters but every round (to find the previous round's figures)."""
    if ctx.filters.round_from is None and ctx.filters.round_to is None:
        return ctx.responses  # every round is already chosen: the same rows, no second filtering
    return apply_filters(ctx.all_responses, replace(ctx.filters, round_from=None, round_to=None))


# --- cached tables ------------------------------------------------------------------------------
@st.cache_data(max_entries=16, show_spinner=False)
def _summary(
    view_key: str, sel_key: str, sort_by: str, _ctx: PageContext, _view: ThemeView
) -> pd.DataFrame:
    return theme_summary(
        _ctx.responses,
        _view.result.assignments,
        labels=_view.labels,
        theme_ids=_view.codebook.theme_ids,
        history=history_responses(_ctx),
        sort_by=sort_by,
    )


def summary(ctx: PageContext, view: ThemeView, sort_by: str = "share") -> pd.DataFrame:
    """The theme table for the chosen answers (cached)."""
    return _summary(view.key, selection_key(ctx), sort_by, ctx, view)


@st.cache_data(max_entries=16, show_spinner=False)
def _trend(view_key: str, sel_key: str, _ctx: PageContext, _view: ThemeView) -> pd.DataFrame:
    return theme_trend(_ctx.responses, _view.result.assignments, labels=_view.labels)


def trend(ctx: PageContext, view: ThemeView) -> pd.DataFrame:
    """Every theme's share per round with n (cached)."""
    return _trend(view.key, selection_key(ctx), ctx, view)


@st.cache_data(max_entries=16, show_spinner="Comparing groups…")
def _compare(view_key: str, sel_key: str, column: str, _ctx: PageContext, _view: ThemeView):  # noqa: ANN202
    return compare_groups(_ctx.responses, _view.result.assignments, column, labels=_view.labels)


def comparison(ctx: PageContext, view: ThemeView, column: str):  # noqa: ANN201
    """The theme x group comparison for a column (cached)."""
    return _compare(view.key, selection_key(ctx), column, ctx, view)


@st.cache_data(max_entries=16, show_spinner=False)
def _cooc(view_key: str, sel_key: str, _ctx: PageContext, _view: ThemeView):  # noqa: ANN202
    return cooccurrence(_ctx.responses, _view.result.assignments, labels=_view.labels)


def cooccurrences(ctx: PageContext, view: ThemeView):  # noqa: ANN201
    """Theme co-occurrence for the chosen answers (cached)."""
    return _cooc(view.key, selection_key(ctx), ctx, view)


SCREEN_ROWS = 500  # answers listed on screen; downloads hold them all


def answers(
    ctx: PageContext,
    view: ThemeView,
    response_ids: Iterable[object] | None = None,
    *,
    theme_id: str | None = None,
    limit: int | None = 500,
) -> pd.DataFrame:
    """The answers behind a selection: redacted, evidence marked, sentiment and complex flag (a copy)."""
    ids = None if response_ids is None else tuple(str(r) for r in response_ids)
    frames = (ctx.responses, view.result.answers, view.result.assignments)
    table = _ANSWERS.get_or_compute(
        frames,
        (ids, theme_id, limit, tuple(sorted(view.labels.items()))),
        lambda: answers_table(*frames, ids, theme_id=theme_id, labels=view.labels, limit=limit),
    )
    return table.copy()


# Answer tables by identity of the chosen answers and the classification (shared, never changed in
# place): redacting and marking 500 answers is the slowest part of a Themes or Codebook redraw.
_ANSWERS = FrameMemo(32)


def theme_response_ids(ctx: PageContext, view: ThemeView, theme_id: str) -> list[str]:
    """Ids of the chosen answers raising a theme, in dataset order."""
    return chosen_ids_raising(ctx.responses, view.result.assignments, [theme_id])


@st.cache_data(max_entries=16, show_spinner="Searching…")
def _search(sel_key: str, query: str, unredacted: bool, _ctx: PageContext) -> SearchResult:
    known = None if unredacted else _redacted(_ctx.dataset_id, str(_ctx.meta.get("content_hash")))
    return answer_search.search_answers(
        _ctx.responses, query, dataset=_ctx.all_responses, unredacted=unredacted, known=known
    )


@st.cache_resource(max_entries=4, show_spinner=False)
def _redacted(dataset_id: int, content_hash: str) -> pd.DataFrame | None:
    """The dataset's answers as the worker redacted them for search (None until it has)."""
    return redacted_texts.load_redacted(dataset_id, content_hash)


def search_answers(
    ctx: PageContext, view: ThemeView, query: str, *, unredacted: bool = False
) -> tuple[pd.DataFrame, SearchResult]:
    """(answers matching a query with the matched words as "why", the search result); QueryError if malformed.

    Searches the redacted text unless `unredacted` (admins; the caller logs it). A result the privacy
    rule withholds has no answers (the table is empty and `result.check` says why).
    """
    result = _search(selection_key(ctx), query, unredacted, ctx)
    if result.check.withheld:
        return answers(ctx, view, [], limit=0), result
    table = answers(ctx, view, result.response_ids)
    lookup = dict(zip(result.response_ids, result.why, strict=True))
    # Redacted: a matched word could itself be personal data (a searched-for name).
    table["why"] = privacy.redact_series(
        table["response_id"].map(lambda r: lookup.get(r, "").replace("|", ", "))
    ).fillna("")
    return table, result


@st.cache_data(max_entries=8, show_spinner="Looking for emerging themes…")
def _discover(view_key: str, sel_key: str, min_size: int, _ctx: PageContext, _view: ThemeView):  # noqa: ANN202
    from analysis.themes.discovery import discover_themes, uncovered_texts

    return discover_themes(
        uncovered_texts(_view.result.answers, _ctx.responses),
        min_cluster_size=min_size,
        themes=_view.codebook.active_themes,
    )


def emerging_themes(ctx: PageContext, view: ThemeView, min_size: int | None = None) -> list:
    """Clusters of unassigned answers (discovery); each never smaller than the suppression threshold."""
    size = max(int(min_size or 0), privacy.effective_threshold(None))
    return _discover(view.key, selection_key(ctx), size, ctx, view)


def headline_themes(ctx: PageContext, n: int = 5) -> pd.DataFrame:
    """The top main themes for the current filters (for the Overview page), sub-themes rolled up
    into their parent: theme, answers, share, change, sentiment, number of sub-themes."""
    view = theme_view(ctx)
    table = headline_rows(summary(ctx, view, "share"), theme_parents(view.codebook), n)
    return table[
        ["theme_id", "theme", "answers", "share_pct", "change_pp", "mean_sentiment", "negative_pct",
         "sub_themes", "round_note"]
    ].reset_index(drop=True)  # fmt: skip


# --- saving ------------------------------------------------------------------------------------
def save_codebook(edited: Codebook, *, base_version: int, note: str) -> codebook_store.SavedVersion:
    """Save an edited codebook as a new version (ConflictError when someone saved first)."""
    saved = codebook_store.save_version(
        edited, who=auth.editor_name(), base_version=base_version, note=note
    )
    log.info("codebook version %d saved from the app", saved.version)
    return saved


def keep_valid(key: str, options: list) -> None:
    """Drop values a multiselect's state holds that are no longer options (e.g. after a codebook edit)."""
    value = st.session_state.get(key)
    if isinstance(value, list):
        kept = [v for v in value if v in options]
        if kept != value:
            st.session_state[key] = kept


plain = md_safe  # the name the Themes sections use
