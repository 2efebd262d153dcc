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
the matching itself; the background worker keeps each dataset's answers redacted
(analysis.store.redacted_texts), so even the first search need not redact them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
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


@dataclass(frozen=True)
class SearchableTexts:
    """A dataset's texts ready to search, each distinct text once (answers repeat: "Nothing", "N/A")."""

    codes: np.ndarray  # per answer, the position of its text in `distinct` (-1: no text)
    distinct: pd.Series  # the distinct texts, redacted (unless asked not to) and normalised
    index: pd.Index  # the answers' index, to find a selection's rows

    def rows(self, chosen: pd.DataFrame) -> np.ndarray | None:
        """Positions in `distinct` for the chosen answers, or None when they are not rows of this dataset."""
        if not self.index.is_unique:
            return None
        where = self.index.get_indexer(chosen.index)
        return None if (where < 0).any() else self.codes[where]


def searchable_texts(
    responses: pd.DataFrame, *, redacted: bool = True, known: pd.DataFrame | None = None
) -> SearchableTexts:
    """Every answer's text ready to search: redacted unless `redacted` is False (memoised per frame).

    `known`: (text, redacted) pairs worked out before under the same rules (the worker's snapshot,
    analysis.store.redacted_texts); only texts missing from it are redacted here.
    """

    def compute() -> SearchableTexts:
        codes, distinct = pd.factorize(responses["text"].astype("string"))
        texts = pd.Series(np.asarray(distinct, dtype=object), dtype="string")
        if redacted:
            texts = _redact(texts, known)
        return SearchableTexts(codes.astype(np.int64), prepare_texts(texts), responses.index)

    return _TEXTS.get_or_compute((responses,), ("texts", redacted), compute)


def _redact(texts: pd.Series, known: pd.DataFrame | None) -> pd.Series:
    """`texts` redacted: from `known` where it holds the text, by the rules for the rest."""
    if known is None or known.empty:
        return privacy.redact_series(texts).astype("string")
    lookup = pd.Series(
        known["redacted"].astype("string").to_numpy(), index=known["text"].astype("string")
    )
    lookup = lookup[~lookup.index.duplicated()]
    out = texts.map(lookup).astype("string")
    missing = (out.isna() & texts.notna()).to_numpy()
    if missing.any():
        out[missing] = privacy.redact_series(texts[missing]).astype("string")
    return out


def _codes_for(
    dataset: pd.DataFrame | None,
    chosen: pd.DataFrame,
    redacted: bool,
    known: pd.DataFrame | None = None,
) -> tuple[SearchableTexts, np.ndarray]:
    """(searchable texts, the chosen answers' codes in them), from the whole dataset's memo when the
    chosen answers are its rows."""
    if dataset is not None:
        texts = searchable_texts(dataset, redacted=redacted, known=known)
        codes = texts.rows(chosen)
        if codes is not None:
            return texts, codes
    texts = searchable_texts(chosen, redacted=redacted)
    return texts, texts.codes


def search_answers(
    chosen: pd.DataFrame,
    query: str,
    *,
    dataset: pd.DataFrame | None = None,
    unredacted: bool = False,
    threshold: int | None = None,
    known: pd.DataFrame | None = None,
) -> SearchResult:
    """The chosen answers matching `query` (QueryError when it is malformed), withheld when too few.

    Args:
        chosen: the answers the sidebar's selection shows (already allowed by check_selection).
        query: the search query (analysis.text.search syntax).
        dataset: the whole dataset `chosen` was filtered from, so its searchable texts are worked
            out once for every selection and query.
        unredacted: search the stored original (admins only; the caller logs the query).
        threshold: the suppression threshold (default: the configured one).
        known: the dataset's answers redacted before under the same rules (text, redacted), so
            they are not redacted again (see searchable_texts).
    """
    texts, codes = _codes_for(dataset, chosen, redacted=not unredacted, known=known)
    distinct_hit = search_prepared(texts.distinct, query).to_numpy(dtype=bool)
    no_text_hit = bool(search_prepared(pd.Series([""], dtype=object), query).iloc[0])
    safe = np.where(codes >= 0, codes, 0)
    hit = np.where(codes >= 0, distinct_hit[safe] if len(distinct_hit) else False, no_text_hit)
    check = privacy.check_subset(chosen, hit, threshold)
    if check.withheld:
        log.info("search result withheld (%s)", check.reason)
        return SearchResult([], [], check, unredacted)
    matched = np.asarray(texts.distinct.to_numpy(dtype=object), dtype=object)
    shown = pd.Series([matched[c] if c >= 0 else "" for c in codes[hit]], dtype=object)
    ids = chosen["response_id"].astype(str).to_numpy()[hit].tolist()
    why = matched_terms(shown, query, prepared=True).tolist()
    return SearchResult(ids, why, check, unredacted)
