"""Helpers shared by the command-line commands: errors, input loading, progress."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.core.errors import FeedbackError

if TYPE_CHECKING:
    from analysis.core.schema import ValidationReport


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


def out_path(out: str, input_path: str | None = None) -> Path:
    """`--out` as a Path, or CliError when it is a folder, its folder is missing, or it is the input."""
    p = Path(out)
    if p.is_dir():
        raise CliError(f"--out is a folder, not a file: {out}")
    if not p.parent.exists():
        raise CliError(f"the folder for --out does not exist: {p.parent}")
    if input_path is not None and p.exists() and p.resolve() == Path(input_path).resolve():
        raise CliError("--out must not be the input file")
    return p


def load_responses_arg(
    path_text: str, args: argparse.Namespace | None = None, *, with_no_content: bool = False
) -> tuple[pd.DataFrame, Path]:
    """The canonical answers of an --input file via ingest; CliError when none can be read.

    `args` may carry --text-column, --map and --date-order (add_mapping_options). Blank and
    placeholder answers are left out unless `with_no_content` (for counting who took part).
    """
    from analysis.core.schema import answers_only

    responses, report, path = ingest_arg(path_text, args or argparse.Namespace())
    if not report.usable:
        reason = "; ".join(report.problems[:1]) or "empty"
        raise CliError(f"{path.name}: no answers could be read ({reason})")
    return (responses if with_no_content else answers_only(responses)), path


def add_one_text_column(parser: argparse.ArgumentParser, why: str) -> None:
    """A required --text-column that a command reads one of (see one_text_column)."""
    parser.add_argument(
        "--text-column", required=True, action="append", dest="text_columns", metavar="C",
        help=f"the column holding the free-text answers ({why})",
    )  # fmt: skip


def one_text_column(args: argparse.Namespace, command: str) -> str:
    """The one --text-column given; CliError for more, rather than reading only the last."""
    columns = list(getattr(args, "text_columns", None) or [])
    if len(columns) != 1:
        raise CliError(
            f"{command} reads one --text-column at a time; run it once per answer column"
        )
    return columns[0]


def add_mapping_options(parser: argparse.ArgumentParser, *, with_text: bool = True) -> None:
    """--text-column (repeatable), --map FIELD=COLUMN (repeatable) and --date-order for an export."""
    if with_text:
        parser.add_argument(
            "--text-column", action="append", default=[], metavar="C", dest="text_columns",
            help="a column holding free-text answers (repeatable: one answer per filled cell); "
            "default: the suggested answer column(s)",
        )  # fmt: skip
    parser.add_argument(
        "--map", action="append", default=[], metavar="FIELD=COLUMN", dest="maps",
        help="map a column to a field, e.g. submitted=\"Completion time\" or respondent_type=Q1 "
        "(repeatable; fields: response_id, respondent_id, submitted, round, respondent_type, service, "
        "locality, question, rating and the demographics); FIELD= (empty) leaves a field unmapped",
    )  # fmt: skip
    parser.add_argument(
        "--date-order", choices=("dayfirst", "monthfirst", "iso"),
        help="how to read dates like 03/04/2024 when the values do not settle it",
    )  # fmt: skip


def plain_text_column(args: argparse.Namespace) -> str | None:
    """The one --text-column to read as it is, or None when the export must go through ingest
    (several answer columns, none named, a --map or a --date-order)."""
    columns = list(getattr(args, "text_columns", None) or [])
    if len(columns) != 1 or getattr(args, "maps", None) or getattr(args, "date_order", None):
        return None
    return columns[0]


def mapping_from_args(suggested: dict, args: argparse.Namespace) -> dict:
    """The suggested mapping with --text-column and --map applied (CliError for a bad --map)."""
    from analysis.ingest.header_rules import MAPPABLE

    mapping = dict(suggested)
    texts = list(getattr(args, "text_columns", None) or [])
    if texts:
        mapping["text"] = texts[0] if len(texts) == 1 else texts
    for item in getattr(args, "maps", None) or []:
        field, sep, column = item.partition("=")
        field = field.strip()
        if not sep or field not in MAPPABLE:
            raise CliError(
                f"--map {item!r}: write FIELD=COLUMN with FIELD one of {', '.join(MAPPABLE)}"
            )
        if column.strip():
            mapping[field] = column.strip()
        else:
            mapping.pop(field, None)
    return mapping


def ingest_arg(
    path_text: str, args: argparse.Namespace
) -> tuple[pd.DataFrame, ValidationReport, Path]:
    """Every row of an export (answers and no-content rows) and its report, with the options applied.

    CliError for a file that cannot be read or a mapping that names no answer column.
    """
    from analysis import ingest
    from analysis.core.schema import ValidationError

    path = require_file(path_text)
    try:
        raw = ingest.read_path(path)
        suggestion = ingest.suggest_for(raw)
        mapping = mapping_from_args(suggestion.mapping, args)
        responses, report = ingest.to_responses(
            raw, mapping, date_order=getattr(args, "date_order", None)
        )
    except ValidationError as exc:
        raise CliError(f"{path.name}: {' '.join(str(exc).split())}") from None
    report.mapping_notes = list(suggestion.notes)
    if (
        mapping == suggestion.mapping
    ):  # the user's own choices settle what the suggestion was unsure of
        report.mapping_notes += suggestion.unsure
    return responses, report, path


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
