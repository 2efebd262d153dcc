"""`python -m analysis check FILE [--json] [--text-column C] [--map FIELD=COLUMN] [--date-order O]`: validate a survey export and print what would load."""

from __future__ import annotations

import argparse
import json
import unicodedata

from analysis.cli.common import CliError, add_mapping_options, ingest_arg
from analysis.core.schema import ValidationReport


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `check` command."""
    parser = subparsers.add_parser(
        "check",
        help="validate a CSV/XLSX survey export and print the validation report",
        description="Read a survey export, suggest the column mapping and report what would load. "
        "Exit 0 when at least one answer would load, 2 when the file cannot be used.",
    )
    parser.add_argument("file", help="CSV, TSV or XLSX export")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    add_mapping_options(parser)
    parser.set_defaults(func=run)


def safe_line(value: object) -> str:
    """Text safe to print on a terminal: control and format characters (escapes, bidi) shown escaped."""
    out = []
    for ch in str(value):
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch != " ":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def format_report(report: ValidationReport, filename: str) -> str:
    """The human-readable report."""
    how = []
    if report.sheet:
        how.append(f'sheet "{report.sheet}"')
    if report.encoding:
        how.append(f"encoding {report.encoding}")
    if report.delimiter:
        how.append(f"delimiter {report.delimiter!r}")
    lines = [f"File: {filename}" + (f" ({', '.join(how)})" if how else "")]
    lines.append(f"Header on row: {report.header_row}")
    lines.append(f"Answers that would load: {report.answers:,}")
    lines.append(
        f"No content (blank or placeholder, kept to count who took part): {report.no_content:,}"
    )
    lines.append(f"Rejected rows: {report.rejected_rows:,}")
    lines.append(f"Repeated response ids or identical rows (kept): {report.duplicates:,}")
    for column, order in report.date_order.items():
        unsettled = (
            " (not settled by the values: give --date-order)"
            if column in report.dates_unsettled
            else ""
        )
        lines.append(f'Dates in "{column}": {order}{unsettled}')
    lines.append("Column mapping:")
    for key, src in report.mapping.items():
        shown = ", ".join(f'"{s}"' for s in src) if isinstance(src, list) else f'"{src}"'
        lines.append(f"  {key:<20} <- {shown}")
    if report.mapping_notes:
        lines.append("Mapping notes:")
        lines.extend(f"  - {n}" for n in report.mapping_notes)
    if report.problems:
        lines.append("Problems:")
        lines.extend(f"  - {p}" for p in report.problems)
    else:
        lines.append("Problems: none")
    return "\n".join(safe_line(line) for line in lines)


def run(args: argparse.Namespace) -> int:
    """Validate the file; 0 when usable, CliError (exit 2) when not."""
    try:
        _, report, path = ingest_arg(args.file, args)
    except CliError as exc:
        reason = " ".join(str(exc).split())
        if args.json:
            failed = ValidationReport(problems=[reason])
            print(json.dumps(failed.to_dict()))
        raise CliError(safe_line(reason)) from exc
    if args.json:
        print(json.dumps(report.to_dict(), default=str))
    else:
        print(format_report(report, path.name))
    if not report.usable:
        reason = report.problems[-1] if report.problems else "no answers would load"
        raise CliError(safe_line(f"no answers would load: {reason}"))
    return 0
