"""The task queue (huey on the store's database): tasks are JSON, a worker process runs them, two
workers given the same job twice run it once, and a job whose worker died is taken over and finished.
SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from analysis import store
from analysis.jobs import request_classification
from analysis.jobs.queue import queue_for
from analysis.store import jobs, queue_tables

ROOT = Path(__file__).resolve().parents[2]


def _dataset(engine, name: str = "Survey", n: int = 300) -> int:
    df = pd.read_csv(ROOT / "data" / "demo_responses.csv", dtype=str).head(n)
    return store.save_dataset(name, df, engine=engine)


def _worker(url: str, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "FEEDBACK_SQLITE_TIMEOUT_S": "30"}
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "worker", "--url", url, "--poll", "0.2", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_done(engine, job_ids: list[int], timeout: float = 120) -> list[jobs.Job]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = [jobs.get_job(j, engine) for j in job_ids]
        if all(j.state in (jobs.DONE, jobs.FAILED) for j in got):
            return got
        time.sleep(0.3)
    raise AssertionError(f"jobs not finished: {[jobs.get_job(j, engine) for j in job_ids]}")


def _stop(*procs: subprocess.Popen) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=30)


def test_two_workers_run_each_job_once_even_when_it_is_queued_twice(any_store):
    engine = store.get_engine(any_store)
    q = queue_for(any_store)
    reqs = [
        request_classification(_dataset(engine, f"S{i}"), engine=engine, enqueue=q.enqueue)
        for i in range(2)
    ]
    q.enqueue(reqs[0].job.job_id)  # delivered twice (a retry, a second server's sweep)
    with engine.connect() as conn:
        data = conn.execute(sa.select(queue_tables.huey_task.c.data)).scalars().all()
    assert len(data) == 3 and all(bytes(d).startswith(b"{") for d in data)  # JSON, never a pickle
    workers = [_worker(any_store), _worker(any_store)]
    try:
        done = _wait_done(engine, [r.job.job_id for r in reqs])
        assert q.worker_running()
        # The duplicate delivery is taken too, once a worker is free (after its job's last step,
        # the answers redacted for search), and skipped: the queue drains, no job runs twice.
        end = time.monotonic() + 60
        while q.size() and time.monotonic() < end:
            time.sleep(0.2)
    finally:
        _stop(*workers)
    assert [j.state for j in done] == [jobs.DONE, jobs.DONE], [j.error for j in done]
    assert q.size() == 0
    assert [jobs.get_job(r.job.job_id, engine).attempts for r in reqs] == [1, 1]


def test_a_job_whose_worker_died_is_taken_over_and_finished(any_store):
    engine = store.get_engine(any_store)
    req = request_classification(_dataset(engine), engine=engine)  # recorded, never enqueued
    with engine.begin() as conn:  # as a worker killed mid-job leaves it
        conn.execute(
            sa.update(jobs.classify_jobs).values(
                state=jobs.RUNNING,
                worker="gone:1",
                attempts=1,
                heartbeat_at=store.now_utc() - timedelta(seconds=30),
            )
        )
    worker = _worker(any_store, "--stale-after", "5")
    try:
        (job,) = _wait_done(engine, [req.job.job_id])
    finally:
        _stop(worker)
    assert job.state == jobs.DONE and job.attempts == 2 and job.worker != "gone:1"
