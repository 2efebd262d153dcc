"""Helpers shared by the command-line commands: errors, input loading, progress."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analysis.core.errors import FeedbackError


class CliError(FeedbackError):
    """A problem the user can fix; printed as one line on stderr with exit code 2."""


def require_file(path: str) -> Path:
    """Return `path` as a Path, or raise CliError when it is missing or not a file."""
    p = Path(path)
    if not p.exists():
        raise CliError(f"no such file: {path}")
    if not p.is_file():
        raise CliError(f"not a file: {path}")
    return p


def load_responses_arg(
    path_text: str, *, with_no_content: bool = False
) -> tuple[pd.DataFrame, Path]:
    """The canonical answers of an --input file via ingest; CliError when none can be read.

    Blank and placeholder answers are left out unless `with_no_content` (for counting who took part).
    """
    from analysis import ingest
    from analysis.core.schema import ValidationError, answers_only

    path = require_file(path_text)
    try:
        responses, report = ingest.load_responses(path)
    except ValidationError as exc:
        raise CliError(f"{path.name}: {exc}") from None
    if not report.usable:
        reason = "; ".join(report.problems[:1]) or "empty"
        raise CliError(f"{path.name}: no answers could be read ({reason})")
    return (responses if with_no_content else answers_only(responses)), path


class ProgressBar:
    """A plain text progress bar on stderr (only when stderr is a terminal or forced)."""

    def __init__(self, total: int, label: str = "", force: bool = False, width: int = 30) -> None:
        self.total = max(int(total), 1)
        self.label = label
        self.width = width
        self.enabled = force or sys.stderr.isatty()
        self._last = -1

    def update(self, done: int) -> None:
        """Show `done` of `total`."""
        if not self.enabled:
            return
        pct = int(100 * min(done, self.total) / self.total)
        if pct == self._last:
            return
        self._last = pct
        filled = int(self.width * pct / 100)
        bar = "#" * filled + "-" * (self.width - filled)
        sys.stderr.write(f"\r{self.label} [{bar}] {pct:3d}% ({done:,}/{self.total:,})")
        sys.stderr.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.enabled and self._last >= 0:
            sys.stderr.write("\n")
            sys.stderr.flush()
