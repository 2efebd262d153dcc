"""Search the chosen answers on their redacted text, and only show matches that protect small groups.

Everyone but admins searches the redacted text (analysis.privacy.redaction): an NHS number, phone
number, email, postcode or name typed into the search box finds nothing, because it is no longer in
the text searched (it became "[NHS NUMBER]", "[PHONE]", ...). Admins may search the stored original;
the caller logs each such search with its query (the Themes page does, with store.log_access).

The matches are a narrowing of the shown selection, so the privacy rule applies to them as to any
selection (analysis.privacy.check_subset): when the matching answers come from fewer people than
the threshold, or leave out fewer than that, the result lists nothing and counts nothing.

The redacted (and normalised) texts of a dataset are worked out once and memoised on the frame's
identity (the app's answer frames are shared, never changed in place), so each query costs only
the matching itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from analysis import privacy
from analysis.core.memo import FrameMemo
from analysis.text.search import matched_terms, prepare_texts, search_prepared

log = logging.getLogger(__name__)

_TEXTS = FrameMemo(4)  # (dataset frame, redacted?) -> its searchable texts; a few datasets at most


@dataclass(frozen=True)
class SearchResult:
    """The answers a query matched (none when withheld), why each matched, and the privacy verdict."""

    response_ids: list[str]
    why: list[str]
    check: privacy.SelectionCheck
    unredacted: bool = False

    @property
    def total(self) -> int:
        """How many answers matched (0 when the result is withheld)."""
        return len(self.response_ids)


def searchable_texts(responses: pd.DataFrame, *, redacted: bool = True) -> pd.Series:
    """Every answer's text ready to search: redacted unless `redacted` is False (memoised per frame)."""

    def compute() -> pd.Series:
        texts = responses["text"].astype("string")
        if redacted:
            texts = privacy.redact_series(texts).astype("string")
        return prepare_texts(texts)

    return _TEXTS.get_or_compute((responses,), ("texts", redacted), compute)


def _texts_for(dataset: pd.DataFrame | None, chosen: pd.DataFrame, redacted: bool) -> pd.Series:
    """The searchable texts of the chosen answers, from the whole dataset's memo when they are its rows."""
    if dataset is not None and dataset.index.is_unique and chosen.index.isin(dataset.index).all():
        return searchable_texts(dataset, redacted=redacted).reindex(chosen.index)
    return searchable_texts(chosen, redacted=redacted)


def search_answers(
    chosen: pd.DataFrame,
    query: str,
    *,
    dataset: pd.DataFrame | None = None,
    unredacted: bool = False,
    threshold: int | None = None,
) -> SearchResult:
    """The chosen answers matching `query` (QueryError when it is malformed), withheld when too few.

    Args:
        chosen: the answers the sidebar's selection shows (already allowed by check_selection).
        query: the search query (analysis.text.search syntax).
        dataset: the whole dataset `chosen` was filtered from, so its searchable texts are worked
            out once for every selection and query.
        unredacted: search the stored original (admins only; the caller logs the query).
        threshold: the suppression threshold (default: the configured one).
    """
    texts = _texts_for(dataset, chosen, redacted=not unredacted)
    hit = search_prepared(texts, query).to_numpy(dtype=bool)
    check = privacy.check_subset(chosen, hit, threshold)
    if check.withheld:
        log.info("search result withheld (%s)", check.reason)
        return SearchResult([], [], check, unredacted)
    ids = chosen["response_id"].astype(str).to_numpy()[hit].tolist()
    why = matched_terms(texts[hit], query, prepared=True).tolist()
    return SearchResult(ids, why, check, unredacted)
