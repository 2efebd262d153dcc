"""The store's schema version: Alembic migrations applied at start-up or by `python -m analysis store upgrade`.

Every process upgrades the store once, before its first use (`database.get_engine`). The upgrade is
one transaction under a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), so two app
servers starting together upgrade once and the other waits, and a failed upgrade leaves the store as
it was. A store made before migrations (no alembic_version table) is taken in by the baseline, which
creates only the tables it lacks. A store stamped with a revision this code does not know was written
by a newer version: it is refused, untouched, with a message saying so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from analysis.core.errors import StoreError
from analysis.store.database import store_failure

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any fixed number: every server takes the same PostgreSQL advisory lock while it upgrades.
_PG_LOCK_KEY = 4_711_180_001


class NewerStoreError(StoreError):
    """The store was upgraded by a newer version of the dashboard than this one."""


@dataclass(frozen=True)
class SchemaStatus:
    """Where a store's schema stands: its revision, the newest this code knows, what is pending."""

    current: tuple[str, ...]
    head: str
    pending: tuple[str, ...]
    unknown: tuple[str, ...]

    @property
    def up_to_date(self) -> bool:
        """True when nothing is pending and nothing is unknown."""
        return not self.pending and not self.unknown


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the store's migrations (no alembic.ini: everything is here)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("file_template", "%%(rev)s")  # the id says what it does: 0002_<what>.py
    cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    """The migration scripts (analysis/store/migrations/versions)."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision; StoreError when the chain has forked (two revisions on one parent)."""
    heads = script_directory().get_heads()
    if len(heads) != 1:
        raise StoreError(
            f"The store's migrations have {len(heads)} newest revisions ({', '.join(sorted(heads))}); "
            "point one's down_revision at the other so there is one chain."
        )
    return heads[0]


def _status_on(conn: Connection) -> SchemaStatus:
    script = script_directory()
    head = head_revision()
    current = tuple(MigrationContext.configure(conn).get_current_heads())
    known = {s.revision for s in script.walk_revisions()}
    unknown = tuple(r for r in current if r not in known)
    if unknown:
        return SchemaStatus(current, head, (), unknown)
    lower = current[0] if current else "base"
    pending = tuple(
        reversed([s.revision for s in script.iterate_revisions(head, lower) if s.revision != lower])
    )
    return SchemaStatus(current, head, pending, ())


def schema_status(engine: Engine) -> SchemaStatus:
    """The store's schema revision against this code's migrations (read only)."""
    try:
        with engine.connect() as conn:
            return _status_on(conn)
    except (OperationalError, DatabaseError) as exc:
        raise store_failure(exc, engine) from exc


def _refuse_newer(status: SchemaStatus, engine: Engine) -> None:
    if status.unknown:
        where = engine.url.render_as_string(hide_password=True)
        raise NewerStoreError(
            "The store was upgraded by a newer version of this dashboard: its schema is at "
            f"revision {', '.join(status.unknown)}, and this version knows revisions up to "
            f"{status.head}. Nothing was changed. Run the newer version, or set DATABASE_URL or "
            "FEEDBACK_DB_PATH to another store.",
            where=where,
        )


def upgrade_store(engine: Engine) -> tuple[str, ...]:
    """Apply every pending migration in one locked transaction; return the revisions applied."""
    status = schema_status(engine)
    _refuse_newer(status, engine)
    if status.up_to_date:
        return ()
    try:
        return _upgrade_locked(engine)
    except (OperationalError, DatabaseError) as exc:
        raise store_failure(exc, engine) from exc


def _upgrade_locked(engine: Engine) -> tuple[str, ...]:
    """Take the lock, look again (another server may have upgraded meanwhile), then upgrade."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # A migration that rebuilds a table (SQLite's way to alter one) must not cascade-delete
            # the rows that reference it; foreign keys are checked once, at the end, instead.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            if sqlite:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
            status = _status_on(conn)
            _refuse_newer(status, engine)
            if status.pending:
                command.upgrade(alembic_config(conn), "head")
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise StoreError("The upgrade would break links between rows; nothing changed.")
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
    if status.pending:
        log.info("store upgraded: %s", " -> ".join(status.pending))
    return status.pending


def new_revision(message: str, rev_id: str) -> Path:
    """Write a new, empty migration after the newest one; return its file."""
    head_revision()  # refuse to add to a forked chain
    script = command.revision(alembic_config(), message=message, rev_id=rev_id)
    if script is None or isinstance(script, list):  # pragma: no cover - one head, one script
        raise StoreError("No revision was written.")
    return Path(script.path)
