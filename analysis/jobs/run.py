"""Running a classification job (in a worker) and reading its stored results back (in a page).

request_classification() records the job and hands it to the queue; run_job() claims it, fits the
model, classifies the answers not yet stored in chunks (each chunk stored with the job's progress in
one transaction, so a killed worker loses at most one chunk) and marks it done or failed with a reason;
stored_result() rebuilds the ThemeResult the pipeline would give, from the store alone.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy.engine import Engine

from analysis.core import config
from analysis.jobs.classify import (
    CHUNK_TEXTS,
    JobLost,
    answer_texts,
    classifier,
    corrections_frame,
    corrections_json,
    model_key,
)
from analysis.store import jobs, results, snapshots
from analysis.store.database import get_engine
from analysis.store.datasets import get_dataset_meta, load_dataset, snapshot_dataset
from analysis.store.redacted_texts import redacted_key, snapshot_redacted
from analysis.text import sentiment_teach
from analysis.themes import codebook_store
from analysis.themes.codebook import Codebook
from analysis.themes.pipeline import (
    ThemeResult,
    _Cached,
    _correction_overrides,
    _frames,
    model_for_answers,
)

log = logging.getLogger(__name__)
STALE_AFTER_S = 120.0  # a running job whose heartbeat is older than this is taken over


def worker_name() -> str:
    """host:pid of this process, as recorded on the jobs it runs."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Request:
    """What a page asks for: the job for a dataset with the current codebook and corrections."""

    job: jobs.Job
    created: bool
    codebook: Codebook
    corrections: pd.DataFrame | None


def request_classification(
    dataset_id: int,
    *,
    codebook: Codebook | None = None,
    corrections: pd.DataFrame | None = None,
    engine: Engine | None = None,
    enqueue: Callable[[int], None] | None = None,
) -> Request:
    """The job that classifies a dataset with this codebook and corrections, recorded when new and
    handed to `enqueue` (the task queue) when it is new or retried. Never classifies itself."""
    engine = engine or get_engine()
    meta, cb, corr, key = _job_key(dataset_id, codebook, corrections, engine)
    existing = jobs.find_job(dataset_id, key, engine)
    if existing is not None and existing.state != jobs.FAILED:
        return Request(existing, False, cb, corrections)
    previous = jobs.latest_done_job(dataset_id, engine)
    job, created = jobs.request_job(
        dataset_id,
        key,
        codebook_version=int(cb.version or 0),
        total=int(meta["n_answers"]),
        corrections_json=corr,
        previous_model_key=previous.model_key if previous is not None else None,
        engine=engine,
    )
    if created and enqueue is not None:
        enqueue(job.job_id)
    return Request(job, created, cb, corrections)


def current_job(
    dataset_id: int,
    *,
    codebook: Codebook | None = None,
    corrections: pd.DataFrame | None = None,
    engine: Engine | None = None,
) -> jobs.Job | None:
    """The job request_classification would give for these, as stored (None when none was ever
    requested); never records or queues one. KeyError when there is no such dataset."""
    engine = engine or get_engine()
    _, _, _, key = _job_key(dataset_id, codebook, corrections, engine)
    return jobs.find_job(dataset_id, key, engine)


def _job_key(
    dataset_id: int, codebook: Codebook | None, corrections: pd.DataFrame | None, engine: Engine
) -> tuple[dict, Codebook, str, str]:
    meta = get_dataset_meta(dataset_id, engine)
    if meta is None:
        raise KeyError(f"There is no dataset {dataset_id}.")
    cb = codebook or codebook_store.latest_codebook(engine)
    corr = corrections_json(corrections)
    return meta, cb, corr, model_key(meta["content_hash"], cb, corr)


def run_job(
    job_id: int,
    *,
    worker: str | None = None,
    engine: Engine | None = None,
    stale_after_s: float = STALE_AFTER_S,
) -> str:
    """Claim and run one job; returns its final state, or "skipped" when another worker holds it or
    it is already done. A failure is recorded on the job with its reason, never raised."""
    engine = engine or get_engine()
    worker = worker or worker_name()
    job = jobs.claim_job(job_id, worker, stale_after_s=stale_after_s, engine=engine)
    if job is None:
        return "skipped"
    try:
        agreement = _classify(job, worker, engine)
    except JobLost:
        log.warning("job %d was taken over by another worker", job_id)
        return "skipped"
    except Exception as exc:
        log.exception("job %d failed", job_id)
        jobs.fail_job(job_id, worker, _reason(exc), engine)
        return jobs.FAILED
    try:
        _snapshot_results(jobs.get_job(job_id, engine), engine)
    except Exception:
        log.exception("job %d: could not store the snapshot of its results", job_id)
    jobs.finish_job(job_id, worker, agreement=agreement, engine=engine)
    log.info("job %d done", job_id)
    _snapshot_redacted(job.dataset_id, engine)
    return jobs.DONE


def _snapshot_redacted(dataset_id: int, engine: Engine) -> None:
    """After the job is done (pages need not wait for it): the answers redacted once for search."""
    try:
        content = _content_hash(dataset_id, engine)
        if not snapshots.has_frame(redacted_key(dataset_id, content), engine):  # once per dataset
            snapshot_redacted(dataset_id, content, load_dataset(dataset_id, engine), engine)
    except Exception:  # a search still works without it: it redacts the answers itself
        log.exception("dataset %d: could not store its redacted answers", dataset_id)


def _reason(exc: Exception) -> str:
    """A reason a person can read, without a traceback."""
    from analysis.core.errors import StoreError

    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, KeyError):
        return str(exc.args[0]) if exc.args else "something it needs no longer exists"
    return f"{type(exc).__name__}: {str(exc)[:300]}"


def _content_hash(dataset_id: int, engine: Engine) -> str:
    meta = get_dataset_meta(dataset_id, engine)
    if meta is None:
        raise KeyError("The dataset was deleted before its themes were worked out.")
    return str(meta["content_hash"])


def _snapshot_results(job: jobs.Job, engine: Engine) -> None:
    """Keep the job's answers and assignments tables as Parquet, for pages to open in one read."""
    content = _content_hash(job.dataset_id, engine)
    df = load_dataset(job.dataset_id, engine)
    cb = codebook_store.load_version(job.codebook_version, engine)
    answers, assignments = _result_frames(df, job, cb, engine)
    for part, frame in (("answers", answers), ("assignments", assignments)):
        key = snapshots.dataset_key(job.dataset_id, content, f"result:{job.model_key}:{part}")
        snapshots.save_frame(key, frame, engine)


def _classify(job: jobs.Job, worker: str, engine: Engine) -> dict | None:
    df = load_dataset(job.dataset_id, engine)
    snapshot_dataset(job.dataset_id, engine, answers=df)
    cb = codebook_store.load_version(job.codebook_version, engine)
    corrections = corrections_frame(job.corrections_json)
    rids, texts, keys = answer_texts(df)
    unique: dict[str, str] = {}
    for k, t in zip(keys, texts):
        unique.setdefault(k, t)
    with engine.connect() as conn:
        have = set(results.stored_keys(conn, job.model_key, unique))
    todo = [k for k in unique if k not in have]
    with engine.begin() as conn:
        if not jobs.heartbeat(conn, job.job_id, worker, len(have), total=len(unique)):
            raise JobLost(job.job_id)
    corrections, sentiment_fixes = sentiment_teach.split_corrections(corrections)
    model, agreement = model_for_answers(rids, texts, keys, cb, corrections)
    model = sentiment_teach.with_taught_sentiment(model, rids, texts, sentiment_fixes)
    previous = {}
    if job.previous_model_key and todo:
        previous = results.load_entries(job.previous_model_key, engine)
    log.info(
        "job %d: %d distinct answers, %d stored, %d to classify, %d reusable",
        job.job_id,
        len(unique),
        len(have),
        len(todo),
        sum(k in previous for k in todo),
    )
    done = len(have)
    with classifier(model) as compute:
        for lo in range(0, len(todo), CHUNK_TEXTS):
            part_keys = todo[lo : lo + CHUNK_TEXTS]
            entries = compute([unique[k] for k in part_keys], [previous.get(k) for k in part_keys])
            done += len(part_keys)
            with engine.begin() as conn:
                # The heartbeat's UPDATE comes first: on SQLite it takes the write lock before the
                # transaction reads, so it never has to upgrade a read (which fails at once when
                # another worker wrote meanwhile).
                if not jobs.heartbeat(conn, job.job_id, worker, done):
                    raise JobLost(
                        job.job_id
                    )  # nothing of this chunk is written: the new holder does it
                results.save_entries(conn, job.model_key, part_keys, entries)
    return agreement


def _result_frames(
    df: pd.DataFrame, job: jobs.Job, codebook: Codebook, engine: Engine | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The answers and assignments tables of a job, built from its stored per-text results."""
    entries = results.load_entries(job.model_key, engine)
    rids, _, keys = answer_texts(df)
    corrections, sentiment_fixes = sentiment_teach.split_corrections(
        corrections_frame(job.corrections_json)
    )
    theme_ids = list(codebook.theme_ids)
    overrides = (
        _correction_overrides(rids, corrections, theme_ids) if corrections is not None else {}
    )
    return _frames(rids, [_Cached._make(entries[k]) for k in keys], overrides, sentiment_fixes)


def stored_result(
    df: pd.DataFrame, job: jobs.Job, codebook: Codebook, engine: Engine | None = None
) -> ThemeResult:
    """The ThemeResult of a done job for these answers (the dataset's own), from the store alone:
    its Parquet snapshot when there is one, else rebuilt from the stored per-text results."""
    if job.state != jobs.DONE:
        raise ValueError("the job is not done")
    engine = engine or get_engine()
    content = _content_hash(job.dataset_id, engine)
    frames = [
        snapshots.load_frame(
            snapshots.dataset_key(job.dataset_id, content, f"result:{job.model_key}:{part}"),
            engine,
        )
        for part in ("answers", "assignments")
    ]
    if any(f is None for f in frames) or len(frames[0]) != len(df):
        frames = _result_frames(df, job, codebook, engine)
    return _theme_result(frames, codebook, job.agreement, {"fingerprint": job.model_key})


def _theme_result(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    codebook: Codebook,
    agreement: dict | None,
    info: dict,
) -> ThemeResult:
    answers, assignments = frames
    theme_ids = list(codebook.theme_ids)
    labels = codebook.labels()
    return ThemeResult(
        answers=answers,
        assignments=assignments,
        agreement=agreement,
        theme_ids=theme_ids,
        labels={t: labels.get(t, t) for t in [*theme_ids, *config.SPECIAL_THEME_IDS]},
        model_info={"kind": "ZeroShotThemeClassifier", **info},
    )


def interim_base(job: jobs.Job, engine: Engine | None = None) -> jobs.Job | None:
    """While `job` is not done, the done job whose themes can stand in for it: the dataset's newest,
    with the same codebook version, made for the dataset's answers as they are now. None if none is.

    A judgement or a sentiment correction makes a new job (the model learns from it); until that job
    is done, the answers keep the themes last worked out and the judged answers show their judgements
    (interim_result), so a person checking themes goes on judging instead of waiting.
    """
    engine = engine or get_engine()
    base = jobs.latest_done_job(job.dataset_id, engine)
    if base is None or base.model_key == job.model_key:
        return None
    if base.codebook_version != job.codebook_version:
        return None  # another codebook's themes: the page waits for this one's
    content = _content_hash(job.dataset_id, engine)
    made_for = snapshots.dataset_key(job.dataset_id, content, f"result:{base.model_key}:answers")
    if not snapshots.has_frame(made_for, engine):
        return None  # results of other answers (the dataset was replaced since)
    return base


def interim_result(
    df: pd.DataFrame,
    job: jobs.Job,
    base: jobs.Job,
    codebook: Codebook,
    engine: Engine | None = None,
) -> ThemeResult:
    """The themes of `base` (see interim_base) with `job`'s corrections applied: each judged answer
    has exactly the themes and sentiment people gave it, every other answer its last themes."""
    as_if = replace(base, corrections_json=job.corrections_json)
    frames = _result_frames(df, as_if, codebook, engine or get_engine())
    return _theme_result(
        frames,
        codebook,
        None,
        {"fingerprint": f"{base.model_key}+{job.model_key}", "interim": True},
    )
