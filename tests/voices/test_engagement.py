"""The engagement log: validation by row number, summaries, the store."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core.schema import ENGAGEMENT_COLUMNS, ValidationError
from analysis.store import get_engine
from analysis.voices import engagement as E
from analysis.voices import engagement_store as ES
from tests.property_budget import examples

TODAY = date(2025, 12, 31)


def _row(**kw: object) -> dict:
    base = {
        "date": "2025-03-01",
        "activity_type": "event",
        "title": "Co-production Week",
        "level": "inform",
        "participants": "100",
        "lived_experience": "70",
        "locality": "Bolton",
        "make_up": "service users 70, carers 30",
    }
    base.update(kw)
    return base


def test_good_rows_are_kept_and_bad_rows_reported_by_row_number() -> None:
    frame = pd.DataFrame(
        [
            _row(),  # row 2
            _row(date="31/02/2025"),  # row 3: no such date
            _row(level="shouting"),  # row 4
            _row(participants="-3"),  # row 5
            _row(participants="10", lived_experience="12"),  # row 6
            _row(
                activity_type="Interview panel for staff recruitment", level="Co-production"
            ),  # row 7
            _row(participants="2.5"),  # row 8
        ]
    )
    result = E.validate_engagement(frame, today=TODAY)
    assert len(result.entries) == 2
    rows = {p.row: p.reason for p in result.problems}
    assert set(rows) == {3, 4, 5, 6, 8}
    assert "not a date" in rows[3]
    assert "level" in rows[4] and "co-produce" in rows[4]
    assert "whole number" in rows[5]
    assert "more than participants" in rows[6]
    assert result.rejected == 5
    kept = result.entries.iloc[1]
    assert kept["activity_type"] == "interview panel" and kept["level"] == "co-produce"
    assert result.messages()[0].startswith("Row 3: ")


def test_source_row_numbers_are_used_when_given() -> None:
    frame = pd.DataFrame([_row(), _row(level="")])
    result = E.validate_engagement(frame, [5, 9], today=TODAY)
    assert [p.row for p in result.problems] == [9]


def test_missing_required_columns_is_one_clear_error() -> None:
    with pytest.raises(ValidationError, match="missing: level, participants"):
        E.validate_engagement(pd.DataFrame({"date": ["2025-01-01"], "activity_type": ["event"]}))


def test_headers_are_matched_loosely() -> None:
    frame = pd.DataFrame({"Date": ["01/04/2025"], "Type": ["Forum"], "Level of involvement": ["Involve"],
                          "Participants": ["12"]})  # fmt: skip
    result = E.validate_engagement(frame, today=TODAY)
    assert result.problems == []
    row = result.entries.iloc[0]
    assert row["date"] == pd.Timestamp("2025-04-01")  # day first, as written in the UK
    assert pd.isna(row["lived_experience"])


def test_hostile_text_is_kept_as_plain_text_and_long_text_cut_with_a_note() -> None:
    hostile = '<script>alert(1)</script> =HYPERLINK("http://x") ![x](http://evil/img.png)'
    frame = pd.DataFrame([_row(title=hostile, make_up="x" * 600)])
    result = E.validate_engagement(frame, today=TODAY)
    row = result.entries.iloc[0]
    assert row["title"] == hostile
    assert len(row["make_up"]) == E.TEXT_LIMITS["make_up"]
    assert [p.rejected for p in result.problems] == [False]
    assert "cut to 500" in result.problems[0].reason


def test_dates_far_in_the_future_or_past_are_refused() -> None:
    frame = pd.DataFrame([_row(date="2099-01-01"), _row(date="1900-01-01")])
    result = E.validate_engagement(frame, today=TODAY)
    assert result.entries.empty
    assert all("out of range" in p.reason for p in result.problems)


def test_duplicate_ids_and_blank_lines() -> None:
    frame = pd.DataFrame([_row(activity_id="A1"), _row(activity_id="A1"), {c: "" for c in _row()}])
    result = E.validate_engagement(frame, today=TODAY)
    assert len(result.entries) == 1
    assert [p.row for p in result.problems] == [3]


def test_too_many_rows_is_refused() -> None:
    frame = pd.DataFrame([_row()] * (E.MAX_ENGAGEMENT_ROWS + 1))
    with pytest.raises(ValidationError, match="at most"):
        E.validate_engagement(frame)


@settings(max_examples=examples(60), deadline=None)
@given(
    st.lists(
        st.dictionaries(st.sampled_from(list(ENGAGEMENT_COLUMNS)), st.text(max_size=30)), max_size=8
    )
)
def test_any_input_gives_rows_or_problems_never_a_crash(rows: list[dict]) -> None:
    frame = pd.DataFrame(rows, columns=list(ENGAGEMENT_COLUMNS)).fillna("")
    result = E.validate_engagement(frame, today=TODAY)
    non_blank = sum(1 for r in frame.to_dict("records") if any(str(v).strip() for v in r.values()))
    assert len(result.entries) + result.rejected <= non_blank
    assert (result.entries["lived_experience"].fillna(0) <= result.entries["participants"]).all()


def test_summaries_on_literal_log() -> None:
    frame = pd.DataFrame(
        [
            _row(date="2025-01-10", level="consult", participants="100", lived_experience="70"),
            _row(date="2025-02-10", level="co-produce", participants="10", lived_experience="10"),
            _row(date="2025-04-10", level="consult", participants="20", lived_experience=""),
        ]
    )
    entries = E.validate_engagement(frame, today=TODAY).entries
    over = E.activity_over_time(entries)
    assert over.to_dict("records") == [
        {"quarter": "2025 Q1", "level": "consult", "activities": 1, "participants": 100},
        {"quarter": "2025 Q1", "level": "co-produce", "activities": 1, "participants": 10},
        {"quarter": "2025 Q2", "level": "consult", "activities": 1, "participants": 20},
    ]
    share = E.lived_experience_share(entries)
    assert share.to_dict("records") == [
        {
            "quarter": "2025 Q1",
            "activities": 2,
            "participants": 110,
            "lived_experience": 80,
            "share_pct": 72.7,
        }
    ]
    assert "73% of them had lived experience" in E.engagement_summary(entries)
    with pytest.raises(ValueError):
        E.activity_over_time(entries, by="colour")


def test_store_add_import_and_demo(fresh_store: str) -> None:
    engine = get_engine(fresh_store)
    assert ES.ensure_demo_engagement(engine) == 40
    assert ES.ensure_demo_engagement(engine) == 0  # only when empty
    new_id = ES.add_entry(_row(title="Carers' café"), engine=engine)
    assert new_id == "ENG-0041"
    log = ES.list_entries(engine)
    assert len(log) == 41
    assert log.loc[log["activity_id"] == new_id, "title"].iloc[0] == "Carers' café"
    with pytest.raises(ValidationError, match="more than participants"):
        ES.add_entry(_row(participants="5", lived_experience="6"), engine=engine)
    csv = "date,activity_type,level,participants\n2025-05-01,forum,involve,14\nnot a date,forum,involve,3\n"
    result = ES.import_log(csv.encode(), "log.csv", engine=engine)
    assert result.added == 1
    assert [p.row for p in result.problems] == [3]
    assert len(ES.list_entries(engine)) == 42


def test_import_xlsx_with_hostile_text(fresh_store: str) -> None:
    from analysis.privacy import safe_xlsx_bytes

    engine = get_engine(fresh_store)
    frame = pd.DataFrame([_row(title="=cmd|' /C calc'!A0"), _row(level="nonsense")])
    result = ES.import_log(safe_xlsx_bytes(frame), "log.xlsx", engine=engine)
    assert result.added == 1
    assert [p.row for p in result.problems] == [3]
    stored = ES.list_entries(engine)
    assert (
        stored["title"].iloc[0].endswith("=cmd|' /C calc'!A0")
    )  # kept as text (export neutralises it)
