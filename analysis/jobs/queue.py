"""The task queue: huey (a kept, small task-queue library) with its SQL storage on the store's own
database, SQLite on one machine and PostgreSQL for a team, and the worker loop that runs its tasks.

Why huey: one library covers both stores (its SQL storage speaks SQLite and PostgreSQL through
peewee, taking tasks with FOR UPDATE SKIP LOCKED on PostgreSQL and BEGIN IMMEDIATE on SQLite), it
needs no broker service, and a worker is a plain process. Its tables are made by the store's
migrations (analysis/store/queue_tables.py), and its messages are JSON here, not pickles, so the
store never holds anything that could run code when read.

A task only names a job (`classify(job_id)`); the job's row decides whether it runs
(analysis.store.jobs.claim_job), so a task delivered twice, or taken by two servers, runs once. The
worker loop runs tasks in its main thread, where the job may fork one classifying process per core
(never inside Streamlit's script threads). It also hands stalled jobs (a server killed mid-job)
back to the queue, so they resume.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import peewee
import sqlalchemy as sa
from huey import Huey
from huey.contrib.sql_huey import BytesBlobField, SqlStorage
from huey.registry import Message
from huey.serializer import Serializer
from sqlalchemy.engine import make_url

from analysis.core import config, settings
from analysis.store import jobs
from analysis.store.database import get_engine, now_utc

log = logging.getLogger(__name__)
QUEUE_NAME = "feedback-classify"
SEEN_KEY = "worker-seen"  # the time a worker last polled, so pages can tell that one runs
SEEN_EVERY_S = 5.0
WORKER_GONE_S = 60.0  # no poll for this long: no worker is running


class JsonSerializer(Serializer):
    """Task messages as JSON (the store holds no pickles). Times (eta, expiry) are not used here."""

    def _serialize(self, data: object) -> bytes:
        if isinstance(data, Message):
            data = {"message": list(data)}
        return json.dumps(data).encode("utf-8")

    def _deserialize(self, data: bytes) -> object:
        value = json.loads(bytes(data).decode("utf-8"))
        if isinstance(value, dict) and "message" in value:
            return Message(*value["message"])
        return value


class StoreStorage(SqlStorage):
    """huey's SQL storage on the tables the migrations made (huey_task, huey_schedule, ...)."""

    def create_models(self):  # noqa: ANN201 - peewee model classes
        """huey's models, with this project's table names."""

        class Base(peewee.Model):
            class Meta:
                database = self.database

        class KV(Base):
            queue = peewee.CharField()
            key = peewee.CharField()
            value = BytesBlobField()

            class Meta:
                table_name = "huey_kv"
                primary_key = peewee.CompositeKey("queue", "key")

        class Schedule(Base):
            queue = peewee.CharField()
            data = BytesBlobField()
            timestamp = peewee.TimestampField(resolution=1000)

            class Meta:
                table_name = "huey_schedule"

        class Task(Base):
            queue = peewee.CharField()
            data = BytesBlobField()
            priority = peewee.FloatField(default=0.0)

            class Meta:
                table_name = "huey_task"

        class Counter(Base):
            queue = peewee.CharField()
            key = peewee.CharField()
            value = peewee.IntegerField()

            class Meta:
                table_name = "huey_counter"
                primary_key = peewee.CompositeKey("queue", "key")

        return KV, Schedule, Task, Counter


def _peewee_database(url: str) -> peewee.Database:
    """The peewee database for the store's SQLAlchemy URL (SQLite file or PostgreSQL via psycopg 3)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        timeout = float(settings.value("FEEDBACK_SQLITE_TIMEOUT_S"))
        return peewee.SqliteDatabase(
            u.database, timeout=timeout, pragmas={"journal_mode": "wal"}, check_same_thread=False
        )
    from playhouse.postgres_ext import Psycopg3Database

    return Psycopg3Database(
        u.database, user=u.username, password=u.password, host=u.host, port=u.port or 5432
    )


class Queue:
    """The task queue of one store: enqueue a job, run tasks, tell whether a worker is running."""

    def __init__(self, url: str) -> None:
        from analysis.jobs.run import STALE_AFTER_S, run_job

        self.url = url
        self.stale_after_s = STALE_AFTER_S  # the worker loop sets its own
        self.huey = Huey(
            QUEUE_NAME,
            results=False,
            serializer=JsonSerializer(),
            storage_class=StoreStorage,
            database=_peewee_database(url),
            create_tables=False,
        )

        @self.huey.task(name="classify")
        def classify(job_id: int) -> str:
            return run_job(int(job_id), engine=get_engine(url), stale_after_s=self.stale_after_s)

        self._classify = classify

    def enqueue(self, job_id: int) -> None:
        """Hand a job to the workers."""
        self._classify(int(job_id))

    def size(self) -> int:
        """Tasks waiting."""
        return int(self.huey.pending_count())

    def run_next(self) -> bool:
        """Run the next task here (this thread); False when there was none."""
        task = self.huey.dequeue()
        if task is None:
            return False
        self.huey.execute(task)
        return True

    def mark_seen(self) -> None:
        """Record that a worker is polling now."""
        self.huey.put(SEEN_KEY, time.time())

    def worker_running(self) -> bool:
        """Whether a worker polled this queue within WORKER_GONE_S."""
        seen = self.huey.get(SEEN_KEY, peek=True)
        return seen is not None and time.time() - float(seen) < WORKER_GONE_S

    def requeue_stalled(self, stale_after_s: float) -> int:
        """Hand back to the queue jobs whose worker stopped (killed) or that waited unqueued."""
        engine = get_engine(self.url)
        old = now_utc() - timedelta(seconds=stale_after_s)
        c = jobs.classify_jobs.c
        with engine.connect() as conn:
            ids = (
                conn.execute(
                    sa.select(c.job_id).where(
                        ((c.state == jobs.RUNNING) & (c.heartbeat_at < old))
                        | ((c.state == jobs.QUEUED) & (c.created_at < old))
                    )
                )
                .scalars()
                .all()
            )
        for job_id in ids:
            self.enqueue(job_id)
        return len(ids)


_queues: dict[str, Queue] = {}
_lock = threading.Lock()


def queue_for(url: str | None = None) -> Queue:
    """The (cached) queue of the store at `url` (the configured store by default)."""
    url = url or config.database_url()
    get_engine(url)  # the migrations make the queue's tables
    with _lock:
        if url not in _queues:
            _queues[url] = Queue(url)
        return _queues[url]


def work(
    url: str | None = None,
    *,
    poll_s: float = 1.0,
    stale_after_s: float | None = None,
    stop: Callable[[], bool] | None = None,
) -> None:
    """The worker loop: run tasks as they come, mark this worker seen, hand stalled jobs back."""
    from analysis.jobs.run import STALE_AFTER_S

    stale_after_s = STALE_AFTER_S if stale_after_s is None else stale_after_s
    q = queue_for(url)
    q.stale_after_s = stale_after_s
    stopping = {"now": False}

    def _stop(_sig: int, _frame: object) -> None:
        stopping["now"] = True

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    seen = swept = 0.0
    log.info("worker started on %s", make_url(q.url).render_as_string(hide_password=True))
    while not stopping["now"] and not (stop and stop()):
        now = time.monotonic()
        if now - seen > SEEN_EVERY_S:
            q.mark_seen()
            seen = now
        if now - swept > stale_after_s / 2:
            q.requeue_stalled(stale_after_s)
            swept = now
        if not q.run_next():
            time.sleep(poll_s)
