"""Codebook versions in the store: every save is a new version with who, when and a note.

Versions are never changed or deleted; restoring an earlier version saves it again as the newest.
Two people editing at once: a save names the version it started from (`base_version`), and is
refused with ConflictError when someone else saved in between, so nobody silently overwrites
another person's edits. The first use seeds the store with data/codebook.yaml as version 1.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from analysis import store
from analysis.core import config
from analysis.core.errors import ConflictError
from analysis.core.roles import editor_name
from analysis.themes.codebook import (
    Codebook,
    codebook_from_dict,
    codebook_to_dict,
    default_codebook,
)

log = logging.getLogger(__name__)

codebook_versions = sa.Table(
    "codebook_versions",
    store.METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("lineage", sa.String(100), nullable=False, default=config.CODEBOOK_STORE_NAME),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("codebook_json", sa.Text, nullable=False),
    sa.Column("saved_by", sa.String(200), nullable=False),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("base_version", sa.Integer),
    sa.Column("restored_from", sa.Integer),
    sa.Column("fingerprint", sa.String(32), nullable=False),
    sa.UniqueConstraint("lineage", "version", name="uq_codebook_lineage_version"),
)

VERSION_COLUMNS = [
    "version",
    "saved_by",
    "saved_at",
    "note",
    "themes",
    "active_themes",
    "base_version",
    "restored_from",
]


@dataclass(frozen=True)
class SavedVersion:
    """What a save produced."""

    version: int
    saved_by: str
    saved_at: datetime
    note: str


def _fmt_when(when: datetime | None) -> str:
    if when is None:
        return "an unknown time"
    if when.tzinfo is None:
        return when.strftime("%d %b %Y %H:%M UTC")
    return when.astimezone(store.now_utc().tzinfo).strftime("%d %b %Y %H:%M UTC")


def _latest_row(conn: Connection, lineage: str):  # noqa: ANN202
    return (
        conn.execute(
            sa.select(codebook_versions)
            .where(codebook_versions.c.lineage == lineage)
            .order_by(codebook_versions.c.version.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )


def _insert(
    conn: Connection,
    cb: Codebook,
    *,
    version: int,
    who: str,
    note: str,
    lineage: str,
    base_version: int | None,
    restored_from: int | None = None,
) -> SavedVersion:
    stored = codebook_from_dict(codebook_to_dict(cb))  # validate before anything is written
    stored.version = version
    when = store.now_utc()
    who = editor_name(who)
    conn.execute(
        sa.insert(codebook_versions).values(
            lineage=lineage,
            version=version,
            name=stored.name,
            codebook_json=json.dumps(codebook_to_dict(stored), ensure_ascii=False),
            saved_by=who,
            saved_at=when,
            note=str(note or "")[:2000],
            base_version=base_version,
            restored_from=restored_from,
            fingerprint=stored.fingerprint(),
        )
    )
    return SavedVersion(version=version, saved_by=who, saved_at=when, note=str(note or ""))


def ensure_seeded(
    engine: Engine | None = None, *, lineage: str = config.CODEBOOK_STORE_NAME
) -> int:
    """Seed an empty store with the default codebook as version 1; return the latest version number."""
    engine = engine or store.get_engine()
    with engine.begin() as conn:
        row = _latest_row(conn, lineage)
        if row is not None:
            return int(row["version"])
        try:
            _insert(
                conn,
                default_codebook(),
                version=1,
                who="system",
                note="Default codebook (data/codebook.yaml)",
                lineage=lineage,
                base_version=None,
            )
        except IntegrityError:  # another process seeded it at the same moment
            return latest_version(engine, lineage=lineage)
    log.info("seeded the codebook store with the default codebook")
    return 1


def latest_version(
    engine: Engine | None = None, *, lineage: str = config.CODEBOOK_STORE_NAME
) -> int:
    """The newest version number (seeding the store first when it is empty)."""
    engine = engine or store.get_engine()
    with engine.connect() as conn:
        row = _latest_row(conn, lineage)
    return int(row["version"]) if row is not None else ensure_seeded(engine, lineage=lineage)


def load_version(
    version: int | None = None,
    engine: Engine | None = None,
    *,
    lineage: str = config.CODEBOOK_STORE_NAME,
) -> Codebook:
    """A stored codebook (the latest when `version` is None); KeyError when that version does not exist."""
    engine = engine or store.get_engine()
    ensure_seeded(engine, lineage=lineage)
    query = sa.select(codebook_versions.c.codebook_json, codebook_versions.c.version).where(
        codebook_versions.c.lineage == lineage
    )
    if version is None:
        query = query.order_by(codebook_versions.c.version.desc()).limit(1)
    else:
        query = query.where(codebook_versions.c.version == int(version))
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise KeyError(f"There is no codebook version {version}.")
    cb = codebook_from_dict(json.loads(row[0]))
    cb.version = int(row[1])
    return cb


def latest_codebook(engine: Engine | None = None) -> Codebook:
    """The newest stored codebook (seeding the store with the default when empty)."""
    return load_version(None, engine)


def save_version(
    cb: Codebook,
    *,
    who: str,
    base_version: int,
    note: str = "",
    engine: Engine | None = None,
    lineage: str = config.CODEBOOK_STORE_NAME,
    restored_from: int | None = None,
) -> SavedVersion:
    """Save `cb` as a new version in one transaction, if nobody saved since `base_version`.

    Raises ConflictError (naming who saved the newer version and when) when `base_version` is
    not the latest, and CodebookError when the codebook is invalid.
    """
    engine = engine or store.get_engine()
    ensure_seeded(engine, lineage=lineage)
    try:
        with engine.begin() as conn:
            latest = _latest_row(conn, lineage)
            current = int(latest["version"]) if latest is not None else 0
            if base_version != current:
                raise ConflictError(
                    f"Not saved: version {current} of the codebook was saved by {latest['saved_by']} at "
                    f"{_fmt_when(latest['saved_at'])} after you started editing version {base_version}. "
                    "Reload the codebook, then make your change again."
                )
            saved = _insert(
                conn,
                cb,
                version=current + 1,
                who=who,
                note=note,
                lineage=lineage,
                base_version=base_version,
                restored_from=restored_from,
            )
    except IntegrityError as exc:
        # Two saves raced past the check; the unique (lineage, version) lets only one through.
        latest = list_versions(engine, lineage=lineage).iloc[0]
        raise ConflictError(
            f"Not saved: {latest['saved_by']} saved version {latest['version']} at "
            f"{_fmt_when(latest['saved_at'])} at the same moment. Reload the codebook and try again."
        ) from exc
    log.info("codebook version %d saved by %s", saved.version, saved.saved_by)
    return saved


def restore_version(
    version: int,
    *,
    who: str,
    base_version: int,
    engine: Engine | None = None,
    lineage: str = config.CODEBOOK_STORE_NAME,
) -> SavedVersion:
    """Save an earlier version again as the newest (history is never rewritten)."""
    engine = engine or store.get_engine()
    old = load_version(version, engine, lineage=lineage)
    return save_version(
        old,
        who=who,
        base_version=base_version,
        note=f"Restored version {version}",
        engine=engine,
        lineage=lineage,
        restored_from=int(version),
    )


def list_versions(
    engine: Engine | None = None, *, lineage: str = config.CODEBOOK_STORE_NAME
) -> pd.DataFrame:
    """Every stored version, newest first (see VERSION_COLUMNS)."""
    engine = engine or store.get_engine()
    ensure_seeded(engine, lineage=lineage)
    with engine.connect() as conn:
        rows = (
            conn.execute(
                sa.select(codebook_versions)
                .where(codebook_versions.c.lineage == lineage)
                .order_by(codebook_versions.c.version.desc())
            )
            .mappings()
            .all()
        )
    out = []
    for r in rows:
        themes = json.loads(r["codebook_json"]).get("themes", [])
        out.append(
            {
                "version": int(r["version"]),
                "saved_by": r["saved_by"],
                "saved_at": r["saved_at"],
                "note": r["note"],
                "themes": len(themes),
                "active_themes": sum(1 for t in themes if not t.get("retired")),
                "base_version": r["base_version"],
                "restored_from": r["restored_from"],
            }
        )
    frame = pd.DataFrame(out, columns=VERSION_COLUMNS)
    for col in ("base_version", "restored_from"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    return frame
