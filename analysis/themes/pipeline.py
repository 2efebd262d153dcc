"""Classify answers into themes with sentiment: the one call pages and the CLI use.

Results are cached per (model, normalised text): re-running on an appended dataset only classifies
the new answers, and a zero-shot model fitted for a codebook is reused while the answers are mostly
the same ones it was fitted on (a filtered view, or the same data with new rows).
"""

from __future__ import annotations

import gc
import hashlib
import logging
import multiprocessing as mp
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.core import config
from analysis.text import sentiment, sentiment_model, sentiment_teach
from analysis.text.normalise import normalise
from analysis.themes.codebook import Codebook
from analysis.themes.result_tables import ANSWER_COLUMNS as ANSWER_COLUMNS
from analysis.themes.result_tables import ASSIGNMENT_COLUMNS as ASSIGNMENT_COLUMNS
from analysis.themes.result_tables import _Cached as _Cached
from analysis.themes.result_tables import _correction_overrides as _correction_overrides
from analysis.themes.result_tables import _frames as _frames

if TYPE_CHECKING:
    from analysis.themes.classifier_base import ThemeClassifierBase

logger = logging.getLogger(__name__)


@dataclass
class ThemeResult:
    """Themes for a set of answers (see the contract in the team notes)."""

    answers: pd.DataFrame
    assignments: pd.DataFrame
    agreement: dict | None = None
    theme_ids: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    model_info: dict = field(default_factory=dict)


_lock = threading.Lock()
# Values are plain tuples (fields of _Cached), not _Cached objects: a plain tuple holding only strings
# and floats is untracked by Python's cyclic garbage collector, and this cache holds one entry per
# distinct answer (200,000+); as objects they made every full collection (Streamlit runs one after
# each script run) take ~0.4 s at 200,000 answers.
_results: OrderedDict[tuple[str, str], tuple] = OrderedDict()
_result_bytes = 0  # estimated memory held by _results
_models: dict[str, tuple[object, frozenset[str]]] = {}


def _entry_bytes(e: _Cached) -> int:
    """Rough bytes one cache entry holds: key, entry object, tuples, and its evidence strings."""
    return 540 + 120 * len(e.themes) + sum(len(v) for v in e.evidence)  # ~ tracemalloc


def text_key(text: object) -> str:
    """sha1 of the normalised text: the cache key of one answer."""
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


def model_fingerprint(model: object) -> str:
    """A hash of what a fitted model decides with (coefficients, thresholds, theme ids, the
    starter themes it raises and the themes people taught it)."""
    fp = getattr(model, "fingerprint_", None)
    if fp:
        return fp
    h = hashlib.sha1()
    # Which starter themes it raises: two models with the same coefficients, one with the starter
    # and one without, decide differently.
    for name in ("theme_ids_", "label_names_", "starter_pairs_"):
        h.update(repr(getattr(model, name, "")).encode())
    for name in ("coef_", "intercept_", "thresholds_", "taught_"):
        arr = getattr(model, name, None)
        if arr is not None:
            h.update(np.ascontiguousarray(arr).tobytes())
    # A sentiment model taught by people's corrections scores answers differently.
    h.update(sentiment_teach.fingerprint(getattr(model, "sentiment_model_", None)).encode())
    fp = h.hexdigest()[:16]
    try:
        model.fingerprint_ = fp
    except AttributeError:  # pragma: no cover
        pass
    return fp


def clear_cache() -> None:
    """Forget cached results and models (tests; memory pressure)."""
    global _result_bytes
    with _lock:
        _results.clear()
        _result_bytes = 0
        _models.clear()


def zero_shot_model(texts: Sequence[str], codebook: Codebook, *, keys: Sequence[str] | None = None):  # noqa: ANN201
    """The zero-shot model for this codebook and these answers (fitted, or reused when the answers
    are mostly those it was fitted on). keys: text_key of each text, when already computed."""
    from analysis.themes.zero_shot import ZeroShotThemeClassifier

    keys = frozenset(keys if keys is not None else (text_key(t) for t in texts))
    cb_fp = codebook.fingerprint()
    with _lock:
        hit = _models.get(cb_fp)
    if hit is not None:
        model, fitted_on = hit
        overlap = len(keys & fitted_on)
        if keys and (overlap >= 0.5 * len(keys) or overlap >= 0.8 * len(fitted_on)):
            return model
    model = ZeroShotThemeClassifier().fit(list(texts), codebook)
    with _lock:
        _models[cb_fp] = (model, keys)
        while len(_models) > 8:
            _models.pop(next(iter(_models)))
    return model


def _classify_new(
    model: ThemeClassifierBase,
    texts: list[str],
    keys: list[str],
    fp: str,
    progress: Callable[[float], None] | None,
    start: float,
    span: float,
) -> dict[str, _Cached]:
    """Classify answers not yet cached, in chunks; store results in the cache and return them."""
    global _fork_model
    new: dict[str, _Cached] = {}
    n = len(texts)
    chunk = config.CLASSIFY_CHUNK_ROWS
    pool = _process_pool(model, n)
    try:
        for lo in range(0, n, chunk):
            part = texts[lo : lo + chunk]
            entries = _entries_parallel(pool, part) if pool is not None else None
            if entries is None:
                entries = _entries_for(model, part)
            _store(entries, keys[lo : lo + chunk], fp)
            new.update(zip(keys[lo : lo + chunk], entries))
            if progress is not None:
                progress(min(1.0, start + span * min(lo + chunk, n) / max(n, 1)))
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
            gc.unfreeze()
            _fork_model = None
    return new


def _store(entries: list[_Cached], keys: list[str], fp: str) -> None:
    """Put new entries in the cache, evicting the oldest beyond the count and byte bounds."""
    global _result_bytes
    with _lock:
        for key, entry in zip(keys, entries):
            _results[(fp, key)] = tuple(entry)
        _result_bytes += sum(_entry_bytes(e) for e in entries)
        # Bounded by count and by (estimated) bytes, so a million distinct answers stay in budget.
        while _results and (
            len(_results) > config.THEME_CACHE_MAX_ENTRIES
            or _result_bytes > config.THEME_CACHE_MAX_BYTES
        ):
            _, old = _results.popitem(last=False)
            _result_bytes -= _entry_bytes(_Cached._make(old))


# The model the forked workers classify with (inherited at fork, never pickled).
_fork_model: object | None = None


def _worker_entries(part: list[str]) -> list[_Cached]:
    """Worker side of _entries_parallel."""
    return _entries_for(_fork_model, part)


def _process_pool(model, n: int):  # noqa: ANN001, ANN202
    """A pool of forked workers for a big batch on a multi-core machine, else None.

    Only from the main thread (the CLI and bench; never inside Streamlit's script threads, where
    forking a threaded process is unsafe) and only where "fork" exists (workers inherit the model).
    """
    global _fork_model
    workers = min(config.CLASSIFY_PROCESSES, os.cpu_count() or 1)
    if (
        workers < 2
        or n < config.CLASSIFY_PARALLEL_MIN_ROWS
        or threading.current_thread() is not threading.main_thread()
        or "fork" not in mp.get_all_start_methods()
    ):
        return None
    _fork_model = model
    # Freeze the parent's objects so the workers' garbage collector does not touch (and so copy)
    # every page of the parent's heap: memory stays shared.
    gc.freeze()
    try:
        return mp.get_context("fork").Pool(workers)
    except OSError:  # pragma: no cover - no processes allowed
        logger.warning("classify: could not start workers; running in one process")
        gc.unfreeze()
        return None


def _entries_parallel(pool, part: list[str]) -> list[_Cached] | None:  # noqa: ANN001
    """_entries_for split over the pool's workers (order kept); None if the workers failed."""
    pieces = max(1, min(8, len(part) // 2000))
    size = -(-len(part) // pieces)
    try:
        out: list[_Cached] = []
        for res in pool.map(
            _worker_entries, [part[i : i + size] for i in range(0, len(part), size)]
        ):
            out.extend(res)
        return out
    except Exception:  # fall back to one process rather than fail the run
        logger.exception("classify: worker failed; running in one process")
        return None


def _entries_for(model, part: list[str]) -> list[_Cached]:  # noqa: ANN001
    """Themes, scores, evidence and sentiment for distinct answers (one cache entry each)."""
    batch = model.classify(part)
    labels = batch.labels()
    taught = getattr(model, "sentiment_model_", None)  # people's sentiment corrections taught it
    scores = (
        sentiment_model.answer_scores(part)
        if taught is None
        else sentiment_model.answer_scores(part, model=taught)
    )
    pos = {t: k for k, t in enumerate(batch.theme_ids)}
    special = config.SPECIAL_THEME_IDS
    entries: list[_Cached] = []
    for j, text in enumerate(part):
        ids = labels[j]
        whole = float(scores[j])
        if ids[0] in special:
            _, label, _ = sentiment.answer_sentiment(text, [], whole=whole)
            entries.append(_Cached(tuple(ids), (1.0,), ("",), (whole,), whole, label))
            continue
        ks = [pos[t] for t in ids]
        ev_j = batch.evidence[j]
        evid = [ev_j.get(k, []) for k in ks]
        # Each distinct clause is scored once (cached) and every theme reuses those scores.
        _, label, th_sent = sentiment.answer_sentiment(text, evid, whole=whole)
        row = batch.scores[j]
        entries.append(
            _Cached(
                tuple(ids),
                tuple(float(row[k]) for k in ks),
                tuple("|".join(ev) for ev in evid),
                tuple(th_sent),
                whole,
                label,
            )
        )
    return entries


def classify_responses(
    responses: pd.DataFrame,
    codebook: Codebook,
    *,
    corrections: pd.DataFrame | None = None,
    progress: Callable[[float], None] | None = None,
    model: object | None = None,
) -> ThemeResult:
    """Themes, per-theme sentiment and evidence for every answer (columns response_id, text).

    model: a fitted ZeroShotThemeClassifier or TrainedThemeClassifier; default zero-shot from the
    codebook. corrections (response_id, theme_id, present): the model is retrained with them, the
    corrected answers take the corrected themes, and `agreement` reports before/after quality;
    sentiment corrections among them (analysis.text.sentiment_teach) teach the sentiment model and
    give the corrected answers their sentiment.
    """
    rids, texts = _answer_texts(responses)
    if progress is not None:
        progress(0.0)
    keys = [text_key(t) for t in texts]
    corrections, sentiment_fixes = sentiment_teach.split_corrections(corrections)
    has_corrections = corrections is not None and not corrections.empty
    agreement_report = None
    if model is None:
        model, agreement_report = model_for_answers(rids, texts, keys, codebook, corrections)
    model = sentiment_teach.with_taught_sentiment(model, rids, texts, sentiment_fixes)
    if progress is not None:
        progress(0.1)
    fp = model_fingerprint(model)
    entries = _entries_by_key(model, texts, keys, fp, progress)

    theme_ids = list(getattr(model, "theme_ids_", None) or getattr(model, "label_names_", []))
    overrides = _correction_overrides(rids, corrections, theme_ids) if has_corrections else {}
    answers, assignments = _frames(rids, entries, overrides, sentiment_fixes)
    if progress is not None:
        progress(1.0)
    labels = codebook.labels()
    return ThemeResult(
        answers=answers,
        assignments=assignments,
        agreement=agreement_report,
        theme_ids=theme_ids,
        labels={t: labels.get(t, t) for t in [*theme_ids, *config.SPECIAL_THEME_IDS]},
        model_info={"kind": type(model).__name__, "fingerprint": fp},
    )


def _answer_texts(responses: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(response ids, answer texts) of a responses frame; a missing text becomes ""."""
    for col in ("response_id", "text"):
        if col not in responses.columns:
            raise ValueError(f"responses need a '{col}' column")
    rids = responses["response_id"].astype(str).tolist()
    texts = [
        "" if (t is None or (isinstance(t, float) and t != t) or t is pd.NA) else str(t)
        for t in responses["text"]
    ]
    return rids, texts


def model_for_answers(
    rids: list[str],
    texts: list[str],
    keys: list[str],
    codebook: Codebook,
    corrections: pd.DataFrame | None,
) -> tuple[ThemeClassifierBase, dict | None]:
    """The zero-shot model for these answers, retrained with people's corrections when there are
    any; and the before/after agreement report of that retraining (else None)."""
    if corrections is None or corrections.empty:
        return zero_shot_model(texts, codebook, keys=keys), None
    from analysis.themes.corrections import retrain_with_corrections

    base = zero_shot_model(texts, codebook, keys=keys)
    frame = pd.DataFrame({"response_id": rids, "text": texts})
    return retrain_with_corrections(frame, codebook, corrections, base=base)


def _entries_by_key(
    model: ThemeClassifierBase,
    texts: list[str],
    keys: list[str],
    fp: str,
    progress: Callable[[float], None] | None,
) -> list[_Cached]:
    """Each answer's entry, in order: cached ones reused, each new distinct answer classified once."""
    unique: dict[str, str] = {}
    for k, t in zip(keys, texts):
        unique.setdefault(k, t)
    with _lock:
        # Take the hits now: a big batch may push them (or its own rows) out of the bounded cache.
        found = {k: _Cached._make(_results[(fp, k)]) for k in unique if (fp, k) in _results}
    todo = [k for k in unique if k not in found]
    logger.info("classify: %d answers, %d distinct, %d new", len(texts), len(unique), len(todo))
    found.update(_classify_new(model, [unique[k] for k in todo], todo, fp, progress, 0.1, 0.85))
    return [found[k] for k in keys]
