"""Property tests: generated exports with id columns, category columns, placeholders, title lines above
the header, extra header rows below it and dates in either order map themselves right and count
honestly."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.ingest import read_upload, suggest_for, to_responses
from analysis.ingest.mapping import text_columns
from tests.property_budget import examples

PROPERTY = settings(
    max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
WORDS = ("staff", "kind", "waited", "weeks", "nurse", "listened", "ward", "clean", "appointment",
         "cancelled", "helpful", "my", "son", "the", "was", "very", "and", "never", "rang", "back",
         "care", "team", "crisis", "line", "support")  # fmt: skip
PLACEHOLDERS = ("", "Did not answer", "N/A", "n/a", "-", "No comment", "not applicable", "...")
ROLES = ("Service user", "Carer", "Staff member", "Family member")
BOROUGHS = ("Bolton", "Bury", "Wigan", "Salford", "Oldham")


def _id(style: int, i: int) -> str:
    return (
        str(100123 + 7 * i),
        f"R_{i:04d}kXf9aBcD1eF",
        f"NEAS PTS {500 + 3 * i} - Q1",
        f"3f2b{i:04d}-9c1d-4e5f-a6b7-c8d9e0f1a2b3",
    )[style]


def _date(order: str, day: date) -> str:
    if order == "iso":
        return day.isoformat()
    if order == "dayfirst":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.month}/{day.day}/{day.year}"


@st.composite
def exports(draw):
    n = draw(st.integers(min_value=12, max_value=40))
    id_style = draw(st.integers(min_value=0, max_value=3))
    id_header = draw(st.sampled_from(["Comment ID", "Ref", "Record number", "Response ID", "Code"]))
    role_header = draw(
        st.sampled_from(["Respondent", "I am a...", "Q1", "Which best describes you?"])
    )
    order = draw(st.sampled_from(["dayfirst", "monthfirst", "iso"]))
    offset = draw(st.integers(min_value=0, max_value=3))
    extra = draw(st.integers(min_value=0, max_value=2))  # Qualtrics-style rows below the header
    start = date(2024, 1, 1) + timedelta(days=draw(st.integers(min_value=0, max_value=300)))
    answers, expected = [], 0
    for _ in range(n):
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            answers.append(draw(st.sampled_from(PLACEHOLDERS)))
        else:
            words = draw(st.lists(st.sampled_from(WORDS), min_size=4, max_size=12))
            answers.append(" ".join(words).capitalize())
            expected += 1
    # The 13th of the month settles the order of slashed dates; the rest may be ambiguous.
    days = [start + timedelta(days=draw(st.integers(0, 60))) for _ in range(n - 1)]
    days.append(date(start.year, start.month, 13))
    header = [id_header, "Date", role_header, "Borough", "Comments"]
    rows = [
        [_id(id_style, i), _date(order, days[i]), ROLES[i % 4], BOROUGHS[i % 5], answers[i]]
        for i in range(n)
    ]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for k in range(offset):
        w.writerow([f"Survey export title line {k}"] if k % 2 == 0 else [])
    w.writerow(header)
    if extra:
        w.writerow(["Response ID", "Date submitted", "Which of these best describes you?",
                    "Where do you live?", "Please tell us about your experience"])  # fmt: skip
    if extra == 2:
        w.writerow([f'{{"ImportId":"QID{k}"}}' for k in range(5)])
    w.writerows(rows)
    return buf.getvalue().encode(), expected, n, order, offset, id_header, role_header, extra


@PROPERTY
@given(exports())
def test_generated_exports_map_and_count_honestly(export):
    data, expected, n, order, offset, id_header, role_header, extra = export
    raw = read_upload(data, "export.csv")
    assert len(raw.frame) == n
    assert raw.header_row == offset + 1 and raw.header_rows == 1 + extra
    mapping = suggest_for(raw).mapping
    assert text_columns(mapping) == ["Comments"]  # ids, roles, boroughs and dates never answers
    assert mapping.get("response_id") == id_header
    assert mapping.get("respondent_type") == role_header  # roles are a type, never an id
    assert "respondent_id" not in mapping
    assert mapping.get("locality") == "Borough"
    df, report = to_responses(raw, mapping)
    assert report.answers == expected
    assert report.no_content == n - expected
    assert report.duplicates == 0  # unique ids: never duplicates, whatever the answers
    assert report.date_order == {"Date": order} and not report.dates_unsettled
    assert df["submitted"].notna().all()
    assert set(df.loc[df["no_content"].isna(), "text"]).isdisjoint(PLACEHOLDERS)
