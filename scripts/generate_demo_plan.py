"""Write the demo Improvement Plan: data/demo_milestones.csv and data/demo_milestone_history.csv.

Seeded and deterministic: fixed dates only (the plan's history runs 2024-01 to 2025-09), never the
clock, so re-running it gives byte-identical files. Owners and editors are roles, never people.
Over 400 lines because most of it is the plan's milestones written out as data.

    python scripts/generate_demo_plan.py [--out-dir data]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.core import config
from analysis.core.schema import MILESTONE_COLUMNS

HISTORY_COLUMNS = ("milestone_id", "changed_at", "changed_by", "field", "old_value", "new_value")
HISTORY_START = date(2024, 1, 8)
HISTORY_END = date(2025, 9, 26)
PMO = "Improvement Plan office"


@dataclass
class Spec:
    """One demo milestone: where it should end up on HISTORY_END."""

    area: str
    title: str
    owner: str
    due: date | None
    status: str
    percent: int
    themes: str
    reopened: bool = False
    previous_owner: str | None = None


PS, CS, PE, CU, LG = config.PLAN_AREAS
SPECS: list[Spec] = [
    # Patient Safety
    Spec(
        PS,
        "72-hour follow-up after discharge for every patient",
        "Director of Nursing",
        date(2025, 3, 31),
        "complete",
        100,
        "discharge_planning|crisis_care",
    ),
    Spec(
        PS,
        "Ligature risk reduction works completed on all inpatient wards",
        "Head of Estates",
        date(2024, 12, 31),
        "complete",
        100,
        "environment_safety",
    ),
    Spec(
        PS,
        "Safety plans co-produced with every patient on a community caseload",
        "Associate Director of Nursing",
        date(2025, 6, 30),
        "off track",
        55,
        "communication|crisis_care",
    ),
    Spec(
        PS,
        "Medication reconciliation within 24 hours of admission",
        "Chief Pharmacist",
        date(2025, 12, 31),
        "on track",
        70,
        "medication",
    ),
    Spec(
        PS,
        "Crisis line answered within 60 seconds, day and night",
        "Crisis Services Manager",
        date(2026, 3, 31),
        "at risk",
        40,
        "crisis_care|access",
    ),
    Spec(
        PS,
        "Learning from incidents shared with patients and families",
        "Head of Patient Safety",
        date(2024, 9, 30),
        "on track",
        85,
        "communication|carers_family",
        reopened=True,
    ),
    # Clinical Strategy and Professional Standards
    Spec(
        CS,
        "Reduce waits for first CMHT appointment to 6 weeks",
        "Director of Operations",
        date(2025, 8, 31),
        "at risk",
        65,
        "access|limited_interventions",
    ),
    Spec(
        CS,
        "Co-produced discharge plan template",
        "Lived Experience Lead",
        date(2024, 11, 30),
        "complete",
        100,
        "discharge_planning|partnership_working",
    ),
    Spec(
        CS,
        "Psychological therapies offered on every inpatient ward",
        "Head of Psychological Services",
        date(2026, 6, 30),
        "on track",
        35,
        "limited_interventions",
    ),
    Spec(
        CS,
        "Joint medication reviews with primary care for long-term prescriptions",
        "Clinical Director, Community",
        date(2026, 1, 31),
        "on track",
        45,
        "medication|partnership_working",
    ),
    Spec(
        CS,
        "Clinical audit of care plan quality twice a year",
        "Head of Clinical Audit",
        None,
        "on track",
        50,
        "communication",
    ),
    Spec(
        CS,
        "Shared care record available to GP and social care partners",
        "Chief Clinical Information Officer",
        date(2027, 3, 31),
        "not started",
        0,
        "partnership_working",
    ),
    # People
    Spec(
        PE,
        "Carer awareness training for all ward staff",
        "Associate Director of People",
        date(2025, 3, 31),
        "complete",
        100,
        "carers_family|staff_behaviour",
    ),
    Spec(
        PE,
        "Trauma-informed care training for 90% of clinical staff",
        "Head of Learning and Development",
        date(2025, 12, 31),
        "on track",
        60,
        "staff_behaviour",
    ),
    Spec(
        PE,
        "Peer support workers in every community team",
        "Lived Experience Lead",
        date(2025, 6, 30),
        "off track",
        40,
        "limited_interventions|access",
        previous_owner="Head of Community Nursing",
    ),
    Spec(
        PE,
        "Reduce agency staffing on wards to below 10% of shifts",
        "Director of Workforce",
        date(2026, 3, 31),
        "at risk",
        30,
        "staff_behaviour|environment_safety",
    ),
    Spec(
        PE,
        "Reasonable adjustments passport for staff with lived experience",
        "Head of Equality, Diversity and Inclusion",
        date(2026, 12, 31),
        "not started",
        0,
        "staff_behaviour",
    ),
    Spec(
        PE,
        "Exit interviews offered to every leaver",
        "HR Business Partner lead",
        date(2024, 6, 30),
        "complete",
        100,
        "staff_behaviour",
    ),
    # Culture
    Spec(
        CU,
        "Freedom to Speak Up guardians in every team",
        "Freedom to Speak Up Guardian lead",
        date(2025, 6, 30),
        "at risk",
        90,
        "staff_behaviour|communication",
        reopened=True,
    ),
    Spec(
        CU,
        "Respect and dignity charter co-written with service users",
        "Head of Patient Experience",
        date(2024, 10, 31),
        "complete",
        100,
        "staff_behaviour|communication",
    ),
    Spec(
        CU,
        "Patients and carers on every service improvement group",
        "Lived Experience Lead",
        date(2026, 1, 31),
        "on track",
        80,
        "carers_family|partnership_working",
    ),
    Spec(
        CU,
        "Monthly 'you said, we did' bulletin for wards and teams",
        "Communications Manager",
        date(2024, 12, 31),
        "complete",
        100,
        "positive_experience|communication",
    ),
    Spec(
        CU,
        "Anti-racism action plan for inpatient services",
        "Director of Equality",
        date(2026, 6, 30),
        "on track",
        25,
        "staff_behaviour|environment_safety",
    ),
    Spec(
        CU,
        "Weekly ward community meetings with minutes shared",
        "Ward Manager lead",
        date(2025, 4, 30),
        "at risk",
        70,
        "communication|environment_safety",
    ),
    # Leadership and Governance
    Spec(
        LG,
        "Board reviews lived-experience themes quarterly",
        "Company Secretary",
        date(2024, 9, 30),
        "complete",
        100,
        "communication|positive_experience",
    ),
    Spec(
        LG,
        "Lived-experience representative on the Quality Committee",
        "Chief Nurse",
        date(2024, 6, 30),
        "complete",
        100,
        "partnership_working",
    ),
    Spec(
        LG,
        "Improvement Plan progress published on the trust website",
        "Head of Quality Governance",
        date(2025, 3, 31),
        "complete",
        100,
        "communication",
    ),
    Spec(
        LG,
        "Complaints answered within 25 working days",
        "Head of Complaints",
        date(2025, 12, 31),
        "off track",
        35,
        "communication|access",
        previous_owner="Head of Patient Experience",
    ),
    Spec(
        LG,
        "Joint discharge partnership agreement with the local authority",
        "Director of Strategy",
        date(2026, 3, 31),
        "on track",
        50,
        "partnership_working|discharge_planning",
    ),
    Spec(
        LG,
        "Equality impact assessment for every service change",
        "Head of Quality Governance",
        date(2027, 1, 31),
        "not started",
        0,
        "access",
    ),
]

EVIDENCE = {
    "not started": "Scoping agreed; work not yet begun.",
    "on track": "Progress report to the Improvement Plan group; actions on schedule.",
    "at risk": "Progress slower than planned; recovery actions agreed with the owner.",
    "off track": "Behind plan; escalated to the executive lead with a recovery plan.",
    "complete": "Completion evidence reviewed and signed off by the Improvement Plan group.",
}


def _stamp(d: date, rng: random.Random) -> str:
    """A working-hours timestamp on day d (minutes so ordering within a day is stable)."""
    t = datetime(d.year, d.month, d.day, rng.randint(9, 16), rng.choice((0, 15, 30, 45)))
    return t.strftime("%Y-%m-%d %H:%M")


def _update_days(start: date, end: date, rng: random.Random) -> list[date]:
    """Progress-review dates every 3-8 weeks from start to end (inclusive of neither)."""
    days, d = [], start
    while True:
        d = d + timedelta(days=rng.randint(21, 56))
        if d >= end:
            return days
        days.append(d)


def _simulate(mid: str, spec: Spec, rng: random.Random) -> tuple[dict, list[dict]]:
    """Walk one milestone from creation to HISTORY_END; return its final row and its history.

    Kept whole: the order of its random draws fixes the committed demo plan byte for byte.
    """
    start = HISTORY_START + timedelta(days=rng.randint(0, 120))
    if spec.status == "not started":
        start = date(2025, 2, 3) + timedelta(days=rng.randint(0, 150))
    owner = spec.previous_owner or spec.owner
    history: list[dict] = []

    def record(stamp: str, field: str, old: str, new: str, who: str) -> None:
        history.append(
            {
                "milestone_id": mid,
                "changed_at": stamp,
                "changed_by": who,
                "field": field,
                "old_value": old,
                "new_value": new,
            }
        )

    record(_stamp(start, rng), "created", "", spec.title, PMO)
    status, percent = "not started", 0
    if spec.status == "not started":
        return _final(mid, spec, status, percent, start, PMO, rng), history

    # Completion happens near the due date (a little late sometimes), never after the history ends.
    if spec.status == "complete" or spec.reopened:
        due = spec.due or HISTORY_END
        finish = min(due + timedelta(days=rng.randint(-45, 20)), HISTORY_END - timedelta(days=90))
    else:
        finish = HISTORY_END
    days = _update_days(start, finish, rng) + [finish]
    target = 100 if (spec.status == "complete" or spec.reopened) else spec.percent
    steps = sorted(rng.randint(1, 19) for _ in range(len(days) - 1))
    # Monotone path to the target, in steps of 5, reaching it on the last review date.
    levels = [min(target, 5 * round(target * s / 20 / 5)) for s in steps] + [target]
    owner_change_at = len(days) // 2 if spec.previous_owner else None
    troubled = spec.status in ("at risk", "off track") and not spec.reopened
    last_who = PMO
    for i, (d, level) in enumerate(zip(days, levels)):
        who = owner if rng.random() < 0.75 else PMO
        stamp = _stamp(d, rng)  # one save per review: its fields share a timestamp
        if owner_change_at is not None and i == owner_change_at:
            record(stamp, "owner", owner, spec.owner, PMO)
            owner = spec.owner
        if level != percent:
            record(stamp, "percent_complete", str(percent), str(level), who)
            percent = level
        if percent == 100:
            new_status = "complete"
        elif troubled and i >= len(days) - 2:
            new_status = (
                "at risk" if (i == len(days) - 2 or spec.status == "at risk") else spec.status
            )
        elif percent > 0:
            new_status = "on track"
        else:
            new_status = status
        if new_status != status:
            record(stamp, "status", status, new_status, who)
            status = new_status
        last_who = who
    last_day = days[-1]
    if spec.reopened:
        # Re-opened after completion: an audit found the change had not stuck everywhere.
        d = last_day + timedelta(days=rng.randint(40, 80))
        stamp = _stamp(d, rng)
        record(stamp, "status", "complete", spec.status, PMO)
        record(stamp, "percent_complete", "100", str(spec.percent), PMO)
        status, percent, last_day, last_who = spec.status, spec.percent, d, PMO
    return _final(mid, spec, status, percent, last_day, last_who, rng), history


def _final(
    mid: str, spec: Spec, status: str, percent: int, last: date, who: str, rng: random.Random
) -> dict:
    evidence = EVIDENCE[status]
    if spec.reopened:
        evidence = (
            "Re-opened after completion: re-audit found gaps in two services; follow-up agreed."
        )
    return {
        "milestone_id": mid,
        "area": spec.area,
        "milestone": spec.title,
        "owner": spec.owner,
        "due_date": spec.due.isoformat() if spec.due else "",
        "status": status,
        "percent_complete": percent,
        "evidence": evidence,
        "themes": spec.themes,
        "updated": _stamp(last, rng),
        "updated_by": who,
    }


def build(seed: int = config.RANDOM_SEED) -> tuple[list[dict], list[dict]]:
    """The demo milestones and their history, deterministically from `seed`."""
    rng = random.Random(seed)
    milestones, history = [], []
    for i, spec in enumerate(SPECS, start=1):
        row, hist = _simulate(f"M{i:03d}", spec, rng)
        # The row's `updated` must match its last history entry exactly.
        if hist:
            row["updated"] = max(h["changed_at"] for h in hist)
            row["updated_by"] = max(hist, key=lambda h: h["changed_at"])["changed_by"]
        milestones.append(row)
        history.extend(hist)
    # Stable sort: entries of one save keep their order (owner, percent, status).
    history.sort(key=lambda h: (h["changed_at"], h["milestone_id"]))
    return milestones, history


def _write(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    """Write both CSV files; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", default=str(config.DATA_DIR))
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    milestones, history = build()
    _write(out / config.DEMO_MILESTONES.name, MILESTONE_COLUMNS, milestones)
    _write(out / config.DEMO_MILESTONE_HISTORY.name, HISTORY_COLUMNS, history)
    print(f"wrote {len(milestones)} milestones and {len(history)} history entries to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
