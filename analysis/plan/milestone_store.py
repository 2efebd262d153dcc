"""The Improvement Plan in the store: milestones (with a row version) and their change history.

Every change is written with its history entries (who, when, field, old, new) in one transaction.
Edits use optimistic concurrency: the caller says which version it edited (`expected_version`); if
someone saved a newer version meanwhile the edit is refused with ConflictError naming who changed it
and when, never silently overwritten. Timestamps are stored as naive UTC.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from analysis import store
from analysis.core import config
from analysis.core.errors import ConflictError
from analysis.core.schema import MILESTONE_COLUMNS, ValidationError
from analysis.plan import demo_dates, plan_datasets
from analysis.plan.fields import (  # noqa: F401 - re-exported: the plan's API in one place
    EDITABLE_FIELDS,
    MAX_EVIDENCE_CHARS,
    MAX_OWNER_CHARS,
    MAX_TITLE_CHARS,
    MilestoneEdit,
    clean_fields,
    diff_edits,
    parse_due_date,
    value_text,
)
from analysis.plan.milestone_schema import (  # noqa: F401 - re-exported: the plan's API in one place
    HISTORY_COLUMNS,
    ImportResult,
    MilestoneConflict,
    MilestoneNotFound,
    SaveResult,
    history_table,
    milestones_table,
)

log = logging.getLogger(__name__)


def _now() -> datetime:
    return store.now_utc().replace(tzinfo=None)


def _engine(engine: Engine | None) -> Engine:
    return engine or store.get_engine()


# --- reading ---------------------------------------------------------------------------------


def load_milestones(engine: Engine | None = None) -> pd.DataFrame:
    """All milestones: MILESTONE_COLUMNS + created, version; due_date/updated/created as datetimes."""
    engine = _engine(engine)
    cols = list(MILESTONE_COLUMNS) + ["created", "version"]

    def _q() -> pd.DataFrame:
        with engine.connect() as conn:
            rows = (
                conn.execute(
                    sa.select(*[milestones_table.c[c] for c in cols]).order_by(
                        milestones_table.c.milestone_id
                    )
                )
                .mappings()
                .all()
            )
        return pd.DataFrame(rows, columns=cols)

    df = store.run_in_store(_q)
    for c in ("due_date", "updated", "created"):
        df[c] = pd.to_datetime(df[c], errors="coerce")
    df["percent_complete"] = df["percent_complete"].astype(int)
    df["version"] = df["version"].astype(int)
    return df


def load_history(milestone_id: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """The change history (oldest first): HISTORY_COLUMNS + version; one milestone's when given."""
    engine = _engine(engine)
    cols = list(HISTORY_COLUMNS) + ["version"]

    def _q() -> pd.DataFrame:
        q = sa.select(*[history_table.c[c] for c in cols]).order_by(
            history_table.c.changed_at, history_table.c.id
        )
        if milestone_id is not None:
            q = q.where(history_table.c.milestone_id == milestone_id)
        with engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
        return pd.DataFrame(rows, columns=cols)

    df = store.run_in_store(_q)
    df["changed_at"] = pd.to_datetime(df["changed_at"], errors="coerce")
    return df


def plan_version(engine: Engine | None = None) -> str:
    """A cheap token that changes whenever the plan changes (a cache key for the app)."""
    engine = _engine(engine)
    with engine.connect() as conn:
        n, total = conn.execute(
            sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(milestones_table.c.version), 0))
        ).one()
        last = conn.execute(
            sa.select(sa.func.coalesce(sa.func.max(history_table.c.id), 0))
        ).scalar()
    return f"{n}:{total}:{last}"


# --- writing ---------------------------------------------------------------------------------


def _next_id(conn: Connection) -> str:
    ids = conn.execute(sa.select(milestones_table.c.milestone_id)).scalars().all()
    nums = [int(m.group(1)) for i in ids if (m := re.fullmatch(r"M(\d+)", i))]
    return f"M{(max(nums) if nums else 0) + 1:03d}"


def _who(by: str) -> str:
    who = " ".join(str(by or "").split())[:200]
    if not who:
        raise ValidationError("Say who is making the change.")
    return who


def _insert(conn: Connection, values: dict, by: str, at: datetime) -> str:
    mid = values.get("milestone_id") or _next_id(conn)
    row = {
        "milestone_id": mid,
        "area": values["area"],
        "milestone": values["milestone"],
        "owner": values.get("owner", ""),
        "due_date": values.get("due_date"),
        "status": values.get("status", "not started"),
        "percent_complete": values.get("percent_complete", 0),
        "evidence": values.get("evidence", ""),
        "themes": values.get("themes", ""),
        "created": at,
        "updated": at,
        "updated_by": by,
        "version": 1,
    }
    conn.execute(sa.insert(milestones_table).values(**row))
    conn.execute(
        sa.insert(history_table).values(
            milestone_id=mid,
            changed_at=at,
            changed_by=by,
            field="created",
            old_value="",
            new_value=row["milestone"],
            version=1,
        )
    )
    return mid


def add_milestone(
    values: Mapping[str, object],
    *,
    by: str,
    at: datetime | None = None,
    engine: Engine | None = None,
) -> str:
    """Add a milestone (area and milestone required); return its new id. ValidationError lists problems."""
    who = _who(by)
    data = {k: v for k, v in values.items() if k != "milestone_id"}
    clean, problems = clean_fields(data)
    for required in ("area", "milestone"):
        if required not in clean and not any(required in p for p in problems):
            problems.append(f"the {required} is required")
    if problems:
        raise ValidationError("Milestone not added: " + "; ".join(problems) + ".")
    at = at or _now()
    engine = _engine(engine)
    with engine.begin() as conn:
        mid = _insert(conn, clean, who, at)
    log.info("milestone %s added by %s", mid, who)
    return mid


def _current_row(
    conn: Connection, milestone_id: str, *, must_exist: bool = False
) -> Mapping | None:
    """The milestone's stored row; None when it does not exist (an error if `must_exist`)."""
    rows = conn.execute(
        sa.select(milestones_table).where(milestones_table.c.milestone_id == milestone_id)
    ).mappings()
    return rows.one() if must_exist else rows.first()


def _conflict(milestone_id: str, latest: Mapping, expected_version: int) -> MilestoneConflict:
    """The conflict for an edit made from `expected_version` when `latest` is what is stored."""
    return MilestoneConflict(
        milestone_id,
        latest["milestone"],
        latest["updated_by"],
        latest["updated"],
        int(expected_version),
        int(latest["version"]),
    )


def _record_history(
    conn: Connection,
    milestone_id: str,
    current: Mapping,
    changed: dict,
    by: str,
    at: datetime,
    version: int,
) -> None:
    """Write one history entry per changed field (old value from `current`)."""
    conn.execute(
        sa.insert(history_table),
        [
            {
                "milestone_id": milestone_id,
                "changed_at": at,
                "changed_by": by,
                "field": k,
                "old_value": value_text(current[k]),
                "new_value": value_text(v),
                "version": version,
            }
            for k, v in changed.items()
        ],
    )


def _update(
    conn: Connection, milestone_id: str, clean: dict, expected_version: int, by: str, at: datetime
) -> int:
    """Apply clean changes inside an open transaction; return the new version (ConflictError if stale)."""
    current = _current_row(conn, milestone_id)
    if current is None:
        raise MilestoneNotFound(f"Milestone {milestone_id} no longer exists; reload the plan.")
    if int(current["version"]) != int(expected_version):
        raise _conflict(milestone_id, current, expected_version)
    changed = {k: v for k, v in clean.items() if value_text(current[k]) != value_text(v)}
    if not changed:
        return int(current["version"])
    new_version = int(current["version"]) + 1
    # The version in the WHERE clause makes the check and the write one atomic step, so two
    # sessions saving at the same moment cannot both pass the check above.
    result = conn.execute(
        sa.update(milestones_table)
        .where(milestones_table.c.milestone_id == milestone_id)
        .where(milestones_table.c.version == int(expected_version))
        .values(**changed, updated=at, updated_by=by, version=new_version)
    )
    if result.rowcount != 1:
        latest = _current_row(conn, milestone_id, must_exist=True)
        raise _conflict(milestone_id, latest, expected_version)
    _record_history(conn, milestone_id, current, changed, by, at, new_version)
    return new_version


def update_milestone(
    milestone_id: str,
    changes: Mapping[str, object],
    *,
    expected_version: int,
    by: str,
    at: datetime | None = None,
    engine: Engine | None = None,
) -> int:
    """Change fields of one milestone if nobody saved a newer version; return the new version.

    Raises ConflictError (someone else's newer edit), MilestoneNotFound, or ValidationError (bad values).
    Unchanged values are ignored; the changed ones are written to the history in the same transaction.
    """
    who = _who(by)
    clean, problems = clean_fields(changes)
    if problems:
        raise ValidationError(f"{milestone_id} not saved: " + "; ".join(problems) + ".")
    engine = _engine(engine)
    with engine.begin() as conn:
        version = _update(conn, milestone_id, clean, expected_version, who, at or _now())
    return version


def apply_edits(
    edits: Sequence[MilestoneEdit],
    *,
    by: str,
    at: datetime | None = None,
    engine: Engine | None = None,
) -> SaveResult:
    """Save several milestones' edits; each is all-or-nothing, and refusals are reported, not raised.

    One refused milestone (a conflict or a bad value) does not lose the others' changes.
    """
    who = _who(by)
    engine = _engine(engine)
    at = at or _now()
    result = SaveResult()
    for edit in edits:
        clean, problems = clean_fields(edit.changes)
        if problems:
            result.problems.append(f"{edit.milestone_id} not saved: " + "; ".join(problems) + ".")
            continue
        try:
            with engine.begin() as conn:
                _update(conn, edit.milestone_id, clean, edit.expected_version, who, at)
        except (ConflictError, MilestoneNotFound) as exc:
            result.conflicts.append(str(exc))
            continue
        result.saved.append(edit.milestone_id)
    return result


# --- demo data -------------------------------------------------------------------------------


def ensure_demo_plan(
    engine: Engine | None = None,
    *,
    milestones_path: Path = config.DEMO_MILESTONES,
    history_path: Path = config.DEMO_MILESTONE_HISTORY,
    today: date | None = None,
) -> int:
    """Load the demo plan into the store when it has no milestones; return how many were added.

    Open milestones' dates are moved on to `today` (default: the real today), so the demo's plan
    reads as current whenever it is loaded (analysis.plan.demo_dates).
    """
    engine = _engine(engine)
    with engine.connect() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(milestones_table)).scalar():
            return 0
    ms = pd.read_csv(milestones_path, dtype=str, keep_default_na=False)
    hist = pd.read_csv(history_path, dtype=str, keep_default_na=False)
    ms, hist = demo_dates.move_to_today(ms, hist, today or date.today())
    rows = []
    created = hist[hist["field"] == "created"].groupby("milestone_id")["changed_at"].min()
    for r in ms.to_dict("records"):
        clean, problems = clean_fields({k: r[k] for k in EDITABLE_FIELDS})
        if problems:  # the demo file is ours: a problem here is a bug, say so loudly
            raise ValidationError(f"demo milestone {r['milestone_id']}: {'; '.join(problems)}")
        updated = pd.Timestamp(r["updated"]).to_pydatetime()
        rows.append(
            {
                **clean,
                "milestone_id": r["milestone_id"],
                "updated": updated,
                "updated_by": r["updated_by"],
                "version": 1,
                "created": pd.Timestamp(
                    created.get(r["milestone_id"], r["updated"])
                ).to_pydatetime(),
            }
        )
    hist_rows = [
        {
            **{k: h[k] for k in HISTORY_COLUMNS},
            "changed_at": pd.Timestamp(h["changed_at"]).to_pydatetime(),
        }
        for h in hist.to_dict("records")
    ]
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(milestones_table), rows)
            conn.execute(sa.insert(history_table), hist_rows)
    except IntegrityError:
        log.info("demo plan already loaded by another session")  # two sessions raced; theirs won
        return 0
    log.info("loaded the demo plan: %d milestones, %d history entries", len(rows), len(hist_rows))
    demo = store.dataset_id_by_name(config.DEMO_DATASET_NAME, engine=engine)
    if demo is not None:  # the demo plan belongs to the demo dataset, and to no upload
        plan_datasets.set_uses_plan(demo, True, by="demo", engine=engine)
    return len(rows)
