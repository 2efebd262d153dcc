"""The classification job: themes and sentiment for every distinct answer of a dataset, worked out
once, in the background, and stored (analysis.store.results) so no page and no server does it again.

The job's results equal analysis.themes.pipeline.classify_responses on the same answers, codebook and
corrections (tested): the same model is fitted, and each answer's entry holds the same fields. After a
codebook edit the new job re-decides every answer's themes (cheap: one sparse product) but re-scores
sentiment only where it can differ: the whole-answer score and label depend on the text alone, and
a theme's sentiment on the text and that theme's evidence, so both are taken from the previous
job's results when the text, or the (theme evidence) pair, is the same.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import multiprocessing as mp
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from analysis.core import config
from analysis.store.results import Entry
from analysis.text import sentiment, sentiment_model
from analysis.themes.codebook import Codebook
from analysis.themes.pipeline import text_key

log = logging.getLogger(__name__)
CHUNK_TEXTS = 10_000  # distinct answers per stored chunk: progress and resumption points
POOL_MIN_TEXTS = 4000  # fewer answers than this are classified in the worker itself
# What a stored result depends on besides its inputs: the theme and text code, the settings and this
# module (and the starter model's files, below). Any change gives new model keys (over-invalidating a
# little is safe; reading results another version made is not).
_CODE_GLOBS = (
    "themes/*.py",
    "text/*.py",
    "core/config.py",
    "jobs/classify.py",
)
_code_fp: str | None = None


class JobLost(RuntimeError):
    """This worker no longer holds the job (another took it over after a stall)."""


def code_fingerprint() -> str:
    """A hash of the classifier's source: results stored by another version of it are not reused."""
    global _code_fp
    if _code_fp is None:
        root = Path(__file__).resolve().parent.parent
        h = hashlib.sha1()
        for pattern in _CODE_GLOBS:
            for path in sorted(root.glob(pattern)):
                h.update(path.name.encode("utf-8"))
                h.update(path.read_bytes())
        # The starter model's file decides themes and sentiment as much as the code does.
        for starter in sorted((root.parent / "data").glob("starter_model.*")):
            h.update(starter.read_bytes())
        _code_fp = h.hexdigest()[:16]
    return _code_fp


def corrections_json(corrections: pd.DataFrame | None) -> str:
    """The corrections a model learns from, as canonical JSON (sorted rows)."""
    if corrections is None or corrections.empty:
        return "[]"
    rows = sorted(
        [str(r), str(t), bool(p) if not isinstance(p, str) else p]
        for r, t, p in zip(
            corrections["response_id"], corrections["theme_id"], corrections["present"]
        )
    )
    return json.dumps(rows)


def corrections_frame(text: str) -> pd.DataFrame | None:
    """The corrections stored with a job, as classify_responses(corrections=...) takes them."""
    rows = json.loads(text or "[]")
    if not rows:
        return None
    return pd.DataFrame(rows, columns=["response_id", "theme_id", "present"])


def model_key(content_hash: str, codebook: Codebook, corrections: str) -> str:
    """The key results are stored under: classifier code, dataset answers, codebook, corrections."""
    raw = "|".join(
        [
            code_fingerprint(),
            "zero-shot",
            content_hash,
            codebook.fingerprint(),
            hashlib.sha1(corrections.encode("utf-8")).hexdigest(),
        ]
    )
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:32]


def answer_texts(df: pd.DataFrame) -> tuple[list[str], list[str], list[str]]:
    """(response ids, texts, text keys) of a responses table, as the pipeline reads them."""
    rids = df["response_id"].astype(str).tolist()
    texts = [
        "" if (t is None or (isinstance(t, float) and t != t) or t is pd.NA) else str(t)
        for t in df["text"]
    ]
    keys: dict[str, str] = {}  # answers repeat ("Nothing", "N/A"): each distinct text hashed once
    return rids, texts, [keys.get(t) or keys.setdefault(t, text_key(t)) for t in texts]


# --- entries -------------------------------------------------------------------------------------
def entries_for(model, part: Sequence[str], previous: Sequence[Entry | None]) -> list[Entry]:  # noqa: ANN001
    """Each answer's entry (as the pipeline's cache holds it), reusing sentiment from `previous`
    (the same text's entry under an earlier model, or None) wherever it cannot differ."""
    taught = getattr(model, "sentiment_model_", None)
    if taught is not None:  # people's sentiment corrections: an earlier score may differ now
        previous = [None] * len(part)
    batch = model.classify(list(part))
    labels = batch.labels()
    fresh = [j for j, p in enumerate(previous) if p is None]
    scored = dict(zip(fresh, _scores([part[j] for j in fresh], taught).tolist()))
    pos = {t: k for k, t in enumerate(batch.theme_ids)}
    special = config.SPECIAL_THEME_IDS
    out: list[Entry] = []
    for j, text in enumerate(part):
        ids, prev = labels[j], previous[j]
        whole = float(prev[4]) if prev is not None else float(scored[j])
        if ids[0] in special:
            label = (
                prev[5]
                if prev is not None
                else sentiment.answer_sentiment(text, [], whole=whole)[1]
            )
            out.append((tuple(ids), (1.0,), ("",), (whole,), whole, label))
            continue
        ks = [pos[t] for t in ids]
        evid = [batch.evidence[j].get(k, []) for k in ks]
        joined = tuple("|".join(ev) for ev in evid)
        known = dict(zip(prev[2], prev[3])) if prev is not None else {}
        todo = [i for i, ev in enumerate(joined) if ev not in known]
        if prev is None or todo:
            _, label, th = sentiment.answer_sentiment(text, [evid[i] for i in todo], whole=whole)
            known.update(zip((joined[i] for i in todo), th))
            label = prev[5] if prev is not None else label
        else:
            label = prev[5]
        row = batch.scores[j]
        out.append(
            (
                tuple(ids),
                tuple(float(row[k]) for k in ks),
                joined,
                tuple(known[ev] for ev in joined),
                whole,
                label,
            )
        )
    return out


_fork_model: object | None = None  # the model forked workers classify with (inherited, not pickled)


def _scores(texts: list[str], taught: object | None):  # noqa: ANN202
    """Answer sentiment: by the model people's corrections taught when there is one."""
    if taught is None:
        return sentiment_model.answer_scores(texts)
    return sentiment_model.answer_scores(texts, model=taught)


def _worker(args: tuple[list[str], list[Entry | None]]) -> list[Entry]:
    return entries_for(_fork_model, *args)


@contextmanager
def classifier(model) -> Iterator[Callable[[list[str], list[Entry | None]], list[Entry]]]:  # noqa: ANN001
    """entries_for as a function, spread over one forked process per core when this is a worker's
    main thread (one pool for the whole job: the model is inherited once, never pickled)."""
    global _fork_model
    workers = os.cpu_count() or 1  # a worker process has the machine's cores to itself
    if (
        workers < 2
        or threading.current_thread() is not threading.main_thread()
        or "fork" not in mp.get_all_start_methods()
    ):
        yield lambda part, previous: entries_for(model, part, previous)
        return
    _fork_model = model
    gc.freeze()  # the workers' collector then leaves the parent's pages shared
    pool = mp.get_context("fork").Pool(workers)

    def compute(part: list[str], previous: list[Entry | None]) -> list[Entry]:
        if len(part) < POOL_MIN_TEXTS:
            return entries_for(model, part, previous)
        size = -(-len(part) // (workers * 2))
        pieces = [(part[i : i + size], previous[i : i + size]) for i in range(0, len(part), size)]
        return [e for res in pool.map(_worker, pieces) for e in res]

    try:
        yield compute
        # close + join: the workers finish and exit on their own. terminate() can kill one while it
        # holds the task queue's lock, and the next worker then waits on that lock for ever.
        pool.close()
        pool.join()
    except BaseException:
        pool.terminate()
        raise
    finally:
        gc.unfreeze()
        _fork_model = None
