"""The Improvement Plan's store tables (milestones with a row version, their history) and the values
the milestone store returns or raises. Used by analysis.plan.milestone_store, which re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from analysis.core.errors import ConflictError
from analysis.core.schema import RowProblem
from analysis.plan.fields import MAX_OWNER_CHARS
from analysis.store import METADATA, StoreError

HISTORY_COLUMNS: tuple[str, ...] = (
    "milestone_id",
    "changed_at",
    "changed_by",
    "field",
    "old_value",
    "new_value",
)
milestones_table = sa.Table(
    "milestones",
    METADATA,
    sa.Column("milestone_id", sa.String(40), primary_key=True),
    sa.Column("area", sa.String(100), nullable=False),
    sa.Column("milestone", sa.Text, nullable=False),
    sa.Column("owner", sa.String(MAX_OWNER_CHARS), nullable=False, default=""),
    sa.Column("due_date", sa.Date, nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("percent_complete", sa.Integer, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False, default=""),
    sa.Column("themes", sa.Text, nullable=False, default=""),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
    # Optimistic concurrency: +1 on every saved change; an edit names the version it started from.
    sa.Column("version", sa.Integer, nullable=False, default=1),
)

history_table = sa.Table(
    "milestone_history",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "milestone_id",
        sa.String(40),
        sa.ForeignKey("milestones.milestone_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("changed_at", sa.DateTime, nullable=False, index=True),
    sa.Column("changed_by", sa.String(200), nullable=False),
    sa.Column("field", sa.String(40), nullable=False),
    sa.Column("old_value", sa.Text, nullable=False, default=""),
    sa.Column("new_value", sa.Text, nullable=False, default=""),
    sa.Column("version", sa.Integer, nullable=True),  # the milestone's version after this change
)


class MilestoneConflict(ConflictError):
    """An edit based on an old version of a milestone that someone else has changed since."""

    def __init__(
        self,
        milestone_id: str,
        title: str,
        changed_by: str,
        changed_at: datetime,
        expected: int,
        current: int,
    ) -> None:
        self.milestone_id, self.changed_by, self.changed_at = milestone_id, changed_by, changed_at
        self.expected_version, self.current_version = expected, current
        super().__init__(
            f'Not saved: "{title}" ({milestone_id}) was changed by {changed_by} at '
            f"{changed_at:%d %b %Y %H:%M} UTC after you opened it. Your edit would overwrite theirs; "
            "reload to see their change, then make yours again."
        )


class MilestoneNotFound(StoreError):
    """The milestone does not exist (deleted, or a wrong id)."""


@dataclass
class SaveResult:
    """What a batch of edits did: saved milestone ids, refused ones (with reasons)."""

    saved: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    """What an import did: counts and row-numbered problems (rows with problems are not imported)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
