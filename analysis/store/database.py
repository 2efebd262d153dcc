"""The store's connection: SQLAlchemy Core on SQLite by default, PostgreSQL through DATABASE_URL.

Every write is one transaction, so a save that fails halfway (or a process killed mid-save) leaves
nothing half-written. Domain modules (milestone_store, engagement_store, codebook_store, ...) describe
their tables on `METADATA` for their queries; the tables themselves are made and changed only by the
migrations in analysis/store/migrations (`ensure_tables` applies them once per process).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from analysis.core import config, settings
from analysis.core.errors import StoreError

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file
DAMAGED = (
    "The store file is damaged and cannot be read. Nothing has been changed: it is kept as it is for "
    "recovery. Move it aside (or point FEEDBACK_DB_PATH at a new file) and restart the app to start a "
    "new store, or restore the file from a backup."
)
METADATA = sa.MetaData()
access_log = sa.Table(
    "access_log",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("user", sa.String(200), nullable=False),
    sa.Column("action", sa.String(200), nullable=False),
    sa.Column("detail", sa.Text),
)


_engines: dict[str, Engine] = {}
_created: set[str] = set()  # store URLs this process has upgraded
_lock = threading.Lock()


def now_utc() -> datetime:
    """The current time, timezone-aware UTC (one clock for every stored timestamp)."""
    return datetime.now(UTC)


def get_engine(url: str | None = None) -> Engine:
    """Return the (cached) engine for `url` or the configured store, upgrading its schema once."""
    engine = engine_for(url)
    ensure_tables(engine)
    return engine


def engine_for(url: str | None = None) -> Engine:
    """The (cached) engine for `url` or the configured store, without touching its schema."""
    url = url or config.database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite:///"):
                path = Path(url.removeprefix("sqlite:///"))
                _prepare_sqlite_file(path)
                engine = sa.create_engine(
                    url,
                    connect_args={
                        "timeout": float(settings.value("FEEDBACK_SQLITE_TIMEOUT_S")),
                        "check_same_thread": False,
                    },
                )

                @sa.event.listens_for(engine, "connect")
                def _sqlite_pragmas(dbapi_conn: Any, _record: object) -> None:
                    cur = dbapi_conn.cursor()
                    cur.execute("PRAGMA foreign_keys=ON")
                    cur.execute("PRAGMA journal_mode=WAL")
                    cur.close()
            else:
                engine = sa.create_engine(url, pool_pre_ping=True)
            _engines[url] = engine
    return engine


def _prepare_sqlite_file(path: Path) -> None:
    """Refuse a damaged store file; create a missing one whole, so an empty file is never ours.

    SQLite opens a zero-byte file as an empty database and would fill it with new tables and the demo
    data, hiding that the real store was lost (a full disk, a bad copy). So an existing file must start
    with SQLite's header, and a new store is made under a temporary name and linked into place (which
    fails if someone else made one meanwhile): the only empty file at `path` is a damaged one.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"Cannot create the folder for the store: {exc.strerror}. "
            "Set FEEDBACK_DB_PATH to a writable location.",
            where=str(path.parent),
        ) from exc
    if path.exists():
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER:
            log.error(
                "store file %s is damaged (%d bytes, no SQLite header)", path, path.stat().st_size
            )
            raise StoreError(DAMAGED, where=str(path))
        return
    fresh = path.with_name(f".{path.name}.{uuid.uuid4().hex}.new")
    try:
        con = sqlite3.connect(fresh)
        try:
            con.execute("PRAGMA journal_mode=WAL")  # writes the header: the file is a database now
        finally:
            con.close()
        try:
            os.link(fresh, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        except OSError:
            # A file system without hard links: a rename, which could replace a store another process
            # created in the same instant (both empty), so it is only the fallback.
            if not path.exists():
                os.replace(fresh, path)
    except OSError as exc:
        raise StoreError(
            f"Cannot create the store file: {exc.strerror}. Set FEEDBACK_DB_PATH to a writable location.",
            where=str(path),
        ) from exc
    finally:
        fresh.unlink(missing_ok=True)


def ensure_tables(engine: Engine) -> None:
    """Bring the store's schema to the newest migration, once per process (idempotent).

    Raises StoreError with a plain message when the store cannot be used or was written by a newer
    version of the dashboard.
    """
    key = str(engine.url)
    if key in _created:
        return
    from analysis.store.migrate import upgrade_store  # migrate builds on this module

    upgrade_store(engine)
    _created.add(key)


def explain_failure(exc: Exception, engine: Engine) -> str:
    """A plain-language message for a database failure: what happened and what to do.

    It names no file, host or database error text (every role may see it); store_failure() keeps
    where it happened for admins and the log.
    """
    msg = str(getattr(exc, "orig", exc)).lower()
    if "locked" in msg:
        return "The store is locked by another program. Wait a moment and try again."
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        return DAMAGED
    if "unable to open" in msg or "readonly" in msg or "read-only" in msg:
        return "The store cannot be opened for writing. An administrator can check its path and permissions."
    return "The store could not be used. An administrator can find the details in the server's log."


def store_failure(exc: Exception, engine: Engine) -> StoreError:
    """A StoreError for a database failure: the plain message, and where (with the cause) for admins."""
    where = engine.url.render_as_string(hide_password=True)
    log.error("store %s failed: %s", where, getattr(exc, "orig", exc))
    message = explain_failure(exc, engine)
    if message.startswith("The store could not be used"):
        where = f"{where}: {str(getattr(exc, 'orig', exc))[:200]}"
    return StoreError(message, where=where)


def run_in_store(fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    """Call fn, turning database failures into StoreError with a plain-language message."""
    try:
        return fn(*args, **kwargs)
    except StoreError:
        raise
    except (OperationalError, DatabaseError) as exc:
        raise store_failure(exc, get_engine()) from exc


def log_access(user: str, action: str, detail: str = "", engine: Engine | None = None) -> None:
    """Record a sensitive action (e.g. an admin viewing unredacted text)."""
    engine = engine or get_engine()
    with engine.begin() as conn:
        conn.execute(
            sa.insert(access_log).values(
                at=now_utc(), user=user[:200], action=action[:200], detail=detail
            )
        )
