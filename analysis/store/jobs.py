"""Classification jobs as the store records them: queued, running (with progress and a heartbeat),
done, or failed with a reason.

A job is one (dataset, model key) pair: classifying that dataset's distinct answers with one model.
The row, not the task queue, decides who runs a job: a worker takes it with a compare-and-set
(`claim_job`) that only one process can win, so a task delivered twice, or to two servers, runs once.
A running job whose heartbeat stops (its server was killed) is taken over by the next claim after
`stale_after_s`; the results it stored before it died are kept, so the job resumes where it stopped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from analysis.store.database import METADATA, get_engine, now_utc

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATES = (QUEUED, RUNNING, DONE, FAILED)

classify_jobs = sa.Table(
    "classify_jobs",
    METADATA,
    sa.Column("job_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "dataset_id",
        sa.Integer,
        sa.ForeignKey("datasets.dataset_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("model_key", sa.String(64), nullable=False),
    sa.Column("codebook_version", sa.Integer, nullable=False),
    sa.Column("previous_model_key", sa.String(64)),  # results to reuse where they still hold
    sa.Column("corrections_json", sa.Text, nullable=False),  # the corrections the model learns from
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("total", sa.Integer, nullable=False),  # distinct answer texts to classify
    sa.Column("done_count", sa.Integer, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("agreement_json", sa.Text),  # before/after agreement when corrections were used
    sa.Column("worker", sa.String(200)),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("heartbeat_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("dataset_id", "model_key", name="uq_classify_jobs_dataset_model"),
)


@dataclass(frozen=True)
class Job:
    """One classification job as stored."""

    job_id: int
    dataset_id: int
    model_key: str
    codebook_version: int
    previous_model_key: str | None
    corrections_json: str
    state: str
    total: int
    done_count: int
    error: str | None
    agreement_json: str | None
    worker: str | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    heartbeat_at: datetime | None
    finished_at: datetime | None

    @property
    def progress(self) -> float:
        """Share of the distinct answers classified, 0..1."""
        return 1.0 if self.state == DONE else min(self.done_count / max(self.total, 1), 1.0)

    @property
    def agreement(self) -> dict | None:
        """The before/after agreement report of a corrections retrain, when there was one."""
        return json.loads(self.agreement_json) if self.agreement_json else None


def _job(row: sa.Row | None) -> Job | None:
    return Job(**row._mapping) if row is not None else None


def request_job(
    dataset_id: int,
    model_key: str,
    *,
    codebook_version: int,
    total: int,
    corrections_json: str = "[]",
    previous_model_key: str | None = None,
    engine: Engine | None = None,
) -> tuple[Job, bool]:
    """The job for (dataset, model key), recorded as queued when new; returns (job, created).

    A failed job asked for again goes back to queued (a retry). Two servers asking at once make one
    row: the unique constraint decides, and the loser reads the winner's row.
    """
    engine = engine or get_engine()
    c = classify_jobs.c
    where = (c.dataset_id == dataset_id) & (c.model_key == model_key)
    with engine.begin() as conn:
        retried = conn.execute(
            sa.update(classify_jobs)
            .where(where & (c.state == FAILED))
            .values(state=QUEUED, error=None, finished_at=None)
        ).rowcount
        row = conn.execute(sa.select(classify_jobs).where(where)).first()
    if row is not None:
        return _job(row), bool(retried)
    inserted = True
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.insert(classify_jobs).values(
                    dataset_id=dataset_id,
                    model_key=model_key,
                    codebook_version=codebook_version,
                    previous_model_key=previous_model_key,
                    corrections_json=corrections_json,
                    state=QUEUED,
                    total=total,
                    done_count=0,
                    attempts=0,
                    created_at=now_utc(),
                )
            )
    except IntegrityError:
        inserted = False  # another server recorded it first (and hands it to the queue)
    with engine.connect() as conn:
        job = _job(conn.execute(sa.select(classify_jobs).where(where)).first())
    return job, inserted


def get_job(job_id: int, engine: Engine | None = None) -> Job | None:
    """One job by id, or None."""
    engine = engine or get_engine()
    with engine.connect() as conn:
        return _job(
            conn.execute(sa.select(classify_jobs).where(classify_jobs.c.job_id == job_id)).first()
        )


def find_job(dataset_id: int, model_key: str, engine: Engine | None = None) -> Job | None:
    """The job for (dataset, model key), or None."""
    engine = engine or get_engine()
    c = classify_jobs.c
    with engine.connect() as conn:
        return _job(
            conn.execute(
                sa.select(classify_jobs).where(
                    (c.dataset_id == dataset_id) & (c.model_key == model_key)
                )
            ).first()
        )


def latest_done_job(dataset_id: int, engine: Engine | None = None) -> Job | None:
    """The most recently finished job of a dataset (its results are the base a new one reuses)."""
    engine = engine or get_engine()
    c = classify_jobs.c
    with engine.connect() as conn:
        return _job(
            conn.execute(
                sa.select(classify_jobs)
                .where((c.dataset_id == dataset_id) & (c.state == DONE))
                .order_by(c.finished_at.desc(), c.job_id.desc())
                .limit(1)
            ).first()
        )


def recently_classified(limit: int, engine: Engine | None = None) -> list[int]:
    """Ids of the `limit` datasets whose latest done job finished most recently, newest first."""
    engine = engine or get_engine()
    c = classify_jobs.c
    last = sa.func.max(c.finished_at)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(c.dataset_id)
            .where(c.state == DONE)
            .group_by(c.dataset_id)
            .order_by(last.desc(), c.dataset_id.desc())
            .limit(max(int(limit), 0))
        ).all()
    return [int(r.dataset_id) for r in rows]


def list_jobs(engine: Engine | None = None) -> list[Job]:
    """Every job, oldest first."""
    engine = engine or get_engine()
    with engine.connect() as conn:
        rows = conn.execute(sa.select(classify_jobs).order_by(classify_jobs.c.job_id)).all()
    return [_job(r) for r in rows]


def claim_job(
    job_id: int, worker: str, *, stale_after_s: float, engine: Engine | None = None
) -> Job | None:
    """Take a job to run: queued, or running with a heartbeat older than stale_after_s (its worker
    died). One UPDATE with the condition in its WHERE: of two processes claiming at once exactly one
    changes the row. Returns the claimed job, or None when it is not to be run by this worker."""
    engine = engine or get_engine()
    c = classify_jobs.c
    now = now_utc()
    stale = now - timedelta(seconds=stale_after_s)
    with engine.begin() as conn:
        n = conn.execute(
            sa.update(classify_jobs)
            .where(
                (c.job_id == job_id)
                & (
                    (c.state == QUEUED)
                    | (
                        (c.state == RUNNING)
                        & ((c.heartbeat_at.is_(None)) | (c.heartbeat_at < stale))
                    )
                )
            )
            .values(
                state=RUNNING,
                worker=worker[:200],
                attempts=c.attempts + 1,
                started_at=now,
                heartbeat_at=now,
                error=None,
            )
        ).rowcount
    return get_job(job_id, engine) if n == 1 else None


def heartbeat(
    conn: sa.Connection, job_id: int, worker: str, done_count: int, total: int | None = None
) -> bool:
    """Record progress in the caller's transaction; False when this worker no longer holds the job."""
    c = classify_jobs.c
    values: dict = {"done_count": done_count, "heartbeat_at": now_utc()}
    if total is not None:
        values["total"] = total
    n = conn.execute(
        sa.update(classify_jobs)
        .where((c.job_id == job_id) & (c.worker == worker[:200]) & (c.state == RUNNING))
        .values(**values)
    ).rowcount
    return n == 1


def finish_job(
    job_id: int, worker: str, *, agreement: dict | None = None, engine: Engine | None = None
) -> bool:
    """Mark a job done (only by the worker holding it)."""
    engine = engine or get_engine()
    c = classify_jobs.c
    with engine.begin() as conn:
        n = conn.execute(
            sa.update(classify_jobs)
            .where((c.job_id == job_id) & (c.worker == worker[:200]) & (c.state == RUNNING))
            .values(
                state=DONE,
                done_count=c.total,
                finished_at=now_utc(),
                agreement_json=json.dumps(agreement, default=str) if agreement else None,
            )
        ).rowcount
    return n == 1


def fail_job(job_id: int, worker: str, reason: str, engine: Engine | None = None) -> None:
    """Mark a job failed with a reason a person can read."""
    engine = engine or get_engine()
    c = classify_jobs.c
    with engine.begin() as conn:
        conn.execute(
            sa.update(classify_jobs)
            .where((c.job_id == job_id) & (c.worker == worker[:200]) & (c.state == RUNNING))
            .values(state=FAILED, error=reason[:2000], finished_at=now_utc())
        )


def stale_jobs(stale_after_s: float, engine: Engine | None = None) -> list[Job]:
    """Running jobs whose worker stopped beating (killed), and queued ones: to hand to the queue."""
    engine = engine or get_engine()
    c = classify_jobs.c
    stale = now_utc() - timedelta(seconds=stale_after_s)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(classify_jobs).where(
                (c.state == RUNNING) & ((c.heartbeat_at.is_(None)) | (c.heartbeat_at < stale))
            )
        ).all()
    return [_job(r) for r in rows]
