"""Row-level checks on a read export before answers are built: rows the reader rejected or repaired,
empty rows and duplicate rows, each reported with its source row number. Used by analysis.ingest.exports.
"""

from __future__ import annotations

from analysis.core.schema import RowProblem, ValidationReport
from analysis.ingest.answer_rows import rows_list


def report_read_problems(
    problems: list[str], row_problems: list[RowProblem], report: ValidationReport
) -> None:
    """Carry what reading the file found into `report`, with counts of rejected and repaired rows."""
    report.problems.extend(problems)
    report.row_problems.extend(row_problems)
    rejected = [p.row for p in row_problems if p.rejected]
    repaired = [p.row for p in row_problems if not p.rejected]
    if rejected:
        report.problems.append(
            f"{len(rejected)} malformed row(s) could not be read: rows {rows_list(rejected)}."
        )
    if repaired:
        report.problems.append(
            f"{len(repaired)} row(s) had missing cells, left empty: rows {rows_list(repaired)}."
        )
    report.rejected_rows = len(rejected)


def non_empty_rows(
    values: list[list[str]], numbers: list[int], report: ValidationReport
) -> list[int]:
    """Positions of the rows with any content; report the empty rows skipped."""
    keep: list[int] = []
    empty_rows: list[int] = []
    for i, row in enumerate(values):
        if any(c.strip() for c in row):
            keep.append(i)
        else:
            empty_rows.append(numbers[i])
            report.row_problems.append(RowProblem(numbers[i], "empty row skipped", False))
    if empty_rows:
        report.problems.append(
            f"{len(empty_rows)} empty row(s) skipped: rows {rows_list(empty_rows)}."
        )
    return keep


def report_duplicates(
    values: list[list[str]],
    keep: list[int],
    numbers: list[int],
    columns: list[str],
    mapping: dict,
    report: ValidationReport,
) -> None:
    """Duplicates are rows whose response id repeats, or, with no id column, rows alike in every column.

    Different people often give the same short answer on the same day ("Very good"): rows with
    different ids are never duplicates, whatever else they share.
    """
    id_col = mapping.get("response_id")
    at = columns.index(id_col) if id_col in columns else None
    first: dict[str, int] = {}
    dups: list[int] = []
    for i in keep:
        if at is not None:
            key = values[i][at].strip()
            if not key:
                continue  # no id on this row: nothing to repeat
        else:
            key = "\x1f".join(map(str.strip, values[i]))
        if key in first:
            dups.append(numbers[i])
            what = "response id" if at is not None else "row, in every column,"
            report.row_problems.append(
                RowProblem(numbers[i], f"repeats the {what} of row {first[key]} (kept)", False)
            )
        else:
            first[key] = numbers[i]
    report.duplicates = len(dups)
    if dups:
        what = (
            "repeat an earlier row's response id"
            if at is not None
            else "repeat an earlier row in every column"
        )
        report.problems.append(f"{len(dups)} row(s) {what} (kept): rows {rows_list(dups)}.")
