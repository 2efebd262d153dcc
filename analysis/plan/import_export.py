"""Import and export of Improvement Plan milestones (CSV / XLSX).

Import reads through the foundation's reader (analysis.ingest.exports.read_upload), validates every row and
keeps the good ones: a problem names its spreadsheet row. Export is formula-safe (analysis.privacy).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from analysis import store
from analysis.core.schema import MILESTONE_COLUMNS, RowProblem, ValidationError
from analysis.plan.fields import EDITABLE_FIELDS, ID_PATTERN, clean_fields
from analysis.plan.milestone_store import (
    HISTORY_COLUMNS,
    ImportResult,
    _insert,
    _now,
    _update,
    _who,
    load_history,
    load_milestones,
    milestones_table,
)

log = logging.getLogger(__name__)

# Header spellings seen in plan spreadsheets -> canonical column.
_ALIASES = {
    "id": "milestone_id",
    "milestone_id": "milestone_id",
    "ref": "milestone_id",
    "reference": "milestone_id",
    "area": "area",
    "plan_area": "area",
    "milestone": "milestone",
    "action": "milestone",
    "title": "milestone",
    "description": "milestone",
    "owner": "owner",
    "lead": "owner",
    "responsible": "owner",
    "due": "due_date",
    "due_date": "due_date",
    "deadline": "due_date",
    "target_date": "due_date",
    "status": "status",
    "rag": "status",
    "rag_status": "status",
    "percent_complete": "percent_complete",
    "percent": "percent_complete",
    "complete": "percent_complete",
    "progress": "percent_complete",
    "evidence": "evidence",
    "themes": "themes",
    "theme": "themes",
    "theme_ids": "themes",
    "version": "version",
}
REQUIRED_IMPORT_COLUMNS = ("area", "milestone", "status")


@dataclass
class _Table:
    """What this module needs from a read file: text cells and each row's source row number."""

    frame: pd.DataFrame
    row_numbers: list[int]
    problems: list[str]


def _read_table(data: bytes, filename: str) -> _Table:
    """The ONE place that reads an uploaded file: through the foundation's ingest reader."""
    from analysis.ingest.exports import (
        read_upload,  # ingest is heavy; import on use
    )

    raw = read_upload(data, filename)
    return _Table(raw.frame, list(raw.row_numbers), list(raw.problems))


def _header_key(name: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower().replace("%", "percent")).strip("_")
    return _ALIASES.get(key, key)


def map_columns(columns: list[str]) -> dict[str, str]:
    """Source column -> canonical column for the columns this import understands (first wins)."""
    out, seen = {}, set()
    for col in columns:
        key = _header_key(col)
        if key in _ALIASES.values() and key not in seen:
            out[col] = key
            seen.add(key)
    return out


def parse_milestone_rows(
    frame: pd.DataFrame, row_numbers: list[int] | None = None
) -> tuple[list[dict], list[RowProblem]]:
    """Validate rows of a milestones table; return (clean rows, row-numbered problems).

    Raises ValidationError when a required column (area, milestone, status) is missing.
    """
    mapping = map_columns(list(frame.columns))
    missing = [c for c in REQUIRED_IMPORT_COLUMNS if c not in mapping.values()]
    if missing:
        raise ValidationError(
            "The file has no "
            + ", ".join(f'"{c}"' for c in missing)
            + " column; a milestones file needs "
            "area, milestone and status (and may have milestone_id, owner, due_date, percent_complete, "
            "evidence, themes)."
        )
    df = frame[list(mapping)].rename(columns=mapping)
    numbers = (
        row_numbers if row_numbers and len(row_numbers) == len(df) else list(range(2, len(df) + 2))
    )
    good, problems, seen_ids = [], [], set()
    for n, rec in zip(numbers, df.to_dict("records")):
        values = {k: v for k, v in rec.items() if k in EDITABLE_FIELDS}
        if all(str(v).strip() == "" for v in rec.values()):
            continue  # a blank line in a spreadsheet is not a problem
        if "percent_complete" not in values or str(values["percent_complete"]).strip() == "":
            values["percent_complete"] = 0
        clean, reasons = clean_fields(values)
        mid = str(rec.get("milestone_id", "") or "").strip()
        if mid and not ID_PATTERN.fullmatch(mid):
            reasons.append(f'milestone id "{mid[:40]}" is not valid (letters, digits, - _ .)')
        elif mid and mid in seen_ids:
            reasons.append(f"milestone id {mid} appears twice in the file")
        version = str(rec.get("version", "") or "").strip()
        if version and not version.isdigit():
            reasons.append(f'version "{version[:10]}" is not a whole number')
        if reasons:
            problems.append(RowProblem(row=int(n), reason="; ".join(reasons), rejected=True))
            continue
        seen_ids.add(mid)
        clean["milestone_id"] = mid
        clean["_version"] = int(version) if version else None
        clean["_row"] = int(n)
        good.append(clean)
    return good, problems


def import_milestones(
    data: bytes, filename: str, *, by: str, engine: Engine | None = None
) -> ImportResult:
    """Import a CSV/XLSX of milestones: new ids are added, known ids updated (history kept).

    Rows with problems are skipped and reported by row number; the good rows are saved in one
    transaction. A row carrying a `version` older than the store's is refused as a conflict.
    Raises ValidationError when the file cannot be read or lacks required columns.
    """
    who = _who(by)
    table = _read_table(data, filename)
    rows, problems = parse_milestone_rows(table.frame, table.row_numbers)
    result = ImportResult(problems=problems, file_problems=table.problems)
    engine = engine or store.get_engine()
    at = _now()
    with engine.begin() as conn:
        current = {
            r["milestone_id"]: r for r in conn.execute(sa.select(milestones_table)).mappings().all()
        }
        for row in rows:
            n, version, mid = row.pop("_row"), row.pop("_version"), row["milestone_id"]
            if mid and mid in current:
                cur = current[mid]
                if version is not None and version != int(cur["version"]):
                    result.problems.append(
                        RowProblem(
                            row=n,
                            rejected=True,
                            reason=f"{mid} was changed by {cur['updated_by']} at {cur['updated']:%d %b %Y %H:%M} "
                            f"UTC after this file was exported (version {version}, now {cur['version']}); "
                            "not overwritten",
                        )
                    )
                    continue
                changes = {k: v for k, v in row.items() if k in EDITABLE_FIELDS}
                new_version = _update(conn, mid, changes, int(cur["version"]), who, at)
                if new_version == int(cur["version"]):
                    result.unchanged += 1
                else:
                    result.updated += 1
            else:
                _insert(conn, {**row, "milestone_id": mid or None}, who, at)
                result.added += 1
    result.problems.sort(key=lambda p: p.row)
    log.info(
        "imported milestones from %s: %d added, %d updated, %d problems",
        filename,
        result.added,
        result.updated,
        len(result.problems),
    )
    return result


def export_tables(engine: Engine | None = None) -> dict[str, pd.DataFrame]:
    """The plan as plain tables for export: {"Milestones": ..., "Change history": ...} (dates as text)."""
    ms = load_milestones(engine)
    out = ms[list(MILESTONE_COLUMNS) + ["version"]].copy()
    out["due_date"] = out["due_date"].dt.strftime("%Y-%m-%d").fillna("")
    out["updated"] = out["updated"].dt.strftime("%Y-%m-%d %H:%M")
    hist = load_history(engine=engine)[list(HISTORY_COLUMNS)].copy()
    hist["changed_at"] = hist["changed_at"].dt.strftime("%Y-%m-%d %H:%M")
    return {"Milestones": out, "Change history": hist}  # "History" is reserved in Excel


def export_csv(engine: Engine | None = None) -> bytes:
    """The milestones as formula-safe CSV (UTF-8 with BOM so Excel reads it)."""
    from analysis.privacy import safe_csv_bytes

    return safe_csv_bytes(export_tables(engine)["Milestones"])


def export_xlsx(engine: Engine | None = None) -> bytes:
    """The milestones and their history as a formula-safe XLSX workbook (two sheets)."""
    from analysis.privacy import safe_xlsx_bytes

    return safe_xlsx_bytes(export_tables(engine))
