"""Column-mapping suggestions and value normalisation."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core import config
from analysis.ingest.mapping import suggest_mapping, text_columns
from analysis.ingest.values import (
    normalise_demographic,
    normalise_place,
    normalise_respondent_type,
    normalise_round,
    parse_date,
    parse_dates,
    parse_rating,
)


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("Ethnicity", "ethnicity"),
        ("Ethnic group", "ethnicity"),
        ("Borough", "locality"),
        ("Area", "locality"),
        ("Team", "service"),
        ("Service", "service"),
        ("Date", "submitted"),
        ("Submitted", "submitted"),
        ("Timestamp", "submitted"),
        ("ID", "response_id"),
        ("Response ID", "response_id"),
        ("Respondent ID", "respondent_id"),
        ("Age", "age_band"),
        ("Age group", "age_band"),
        ("Sex", "gender"),
        ("Gender", "gender"),
        ("Are you a...", "respondent_type"),
        ("Respondent type", "respondent_type"),
        ("Role", "respondent_type"),
        ("FFT rating", "rating"),
        ("Disability", "disability"),
        ("Sexual orientation", "sexual_orientation"),
        ("Religion or belief", "religion"),
        ("Round", "round"),
        ("Question", "question"),
        ("response_id", "response_id"),
        ("sexual_orientation", "sexual_orientation"),
    ],
)
def test_headers_map_to_canonical_columns(header, canonical):
    assert suggest_mapping([header, "What could we do better?"])[canonical] == header


@pytest.mark.parametrize(
    "header",
    ["What could we do better?", "Comments", "Any other feedback", "text", "Please tell us why"],
)
def test_free_text_headers_map_to_text(header):
    assert suggest_mapping(["ID", header])["text"] == header


def test_question_mentioning_service_is_text_not_service():
    mapping = suggest_mapping(["Team", "What could we do better for our service users?"])
    assert mapping["service"] == "Team"
    assert mapping["text"] == "What could we do better for our service users?"


def test_samples_decide_between_rating_and_text():
    sample = pd.DataFrame(
        {
            "Overall, how was your experience?": [
                "Very good",
                "Good",
                "Poor",
                "Very good",
                "Good",
                "Good",
            ],
            "Why did you give that answer?": [
                "Staff were kind and listened",
                "Waited too long for a call back",
                "Nobody told me about my medication",
                "Great team, thank you all",
                "Could be better organised",
                "Parking is a nightmare at the hospital",
            ],
            "Notes": ["x"] * 6,
        }
    )
    mapping = suggest_mapping(list(sample.columns), sample)
    assert mapping["rating"] == "Overall, how was your experience?"
    assert mapping["text"] == "Why did you give that answer?"


def test_long_answers_are_text_whatever_the_header():
    sample = pd.DataFrame(
        {
            "Q7": [
                "I waited six weeks for an appointment and nobody called",
                "The ward was clean and calm today",
                "My care coordinator changed three times this year",
                "Good",
                "Nothing to add really, thanks",
            ]
        }
    )
    assert suggest_mapping(["Q7"], sample)["text"] == "Q7"


def test_several_text_columns_become_a_list():
    mapping = suggest_mapping(["ID", "What went well?", "What could be better?"])
    assert text_columns(mapping) == ["What went well?", "What could be better?"]
    assert text_columns({}) == []
    assert text_columns({"text": "a"}) == ["a"]


def test_each_canonical_column_mapped_once():
    mapping = suggest_mapping(["Date", "Submitted", "Comment"])
    assert mapping["submitted"] == "Date"
    assert "Submitted" not in mapping.values()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-31", "2024-03-31"),
        ("2024-03-31T10:15:00", "2024-03-31 10:15"),
        ("2024-03-31 10:15:00+01:00", "2024-03-31 09:15"),
        ("31/03/2024", "2024-03-31"),
        ("05/03/2024", "2024-03-05"),
        ("5/3/24", "2024-03-05"),
        ("05-03-2024 14:30", "2024-03-05 14:30"),
        ("14-Mar-2024", "2024-03-14"),
        ("14 March 2024", "2024-03-14"),
        ("March 14, 2024", "2024-03-14"),
        ("2024/03/14", "2024-03-14"),
        ("45366", "2024-03-15"),
        ("45366.5", "2024-03-15 12:00"),
    ],
)
def test_date_shapes(value, expected):
    assert parse_date(value) == pd.Timestamp(expected)


@pytest.mark.parametrize(
    "value", ["", "yesterday", "31/02/2024", "12345", "2024-13-01", "Mar", "99/99/9999"]
)
def test_unreadable_dates_are_none(value):
    assert parse_date(value) is None


def test_us_style_column_detected_when_days_exceed_twelve():
    parsed, bad = parse_dates(pd.Series(["03/05/2024", "03/25/2024", ""]))
    assert parsed.tolist()[:2] == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-25")]
    assert pd.isna(parsed.iloc[2]) and bad == []


def test_uk_first_by_default():
    parsed, _ = parse_dates(pd.Series(["03/05/2024", "25/03/2024"]))
    assert parsed.tolist() == [pd.Timestamp("2024-05-03"), pd.Timestamp("2024-03-25")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Service User", "service user"),
        ("patient", "service user"),
        ("I use mental health services", "service user"),
        ("Carer/family", "carer"),
        ("Carer of a service user", "carer"),
        ("Family member", "carer"),
        ("Staff member", "staff"),
        ("Nurse", "staff"),
        ("staff", "staff"),
        ("Visitor", "other"),
        ("Other", "other"),
        ("", None),
        ("   ", None),
    ],
)
def test_respondent_types(value, expected):
    assert normalise_respondent_type(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" White British ", "White British"),
        ("Prefer not to say", config.PREFER_NOT_TO_SAY),
        ("prefer not to say.", config.PREFER_NOT_TO_SAY),
        ("I’d rather not say", config.PREFER_NOT_TO_SAY),
        ("Prefer not to answer", config.PREFER_NOT_TO_SAY),
        ("", None),
        ("Unknown", "Unknown"),
        ("None", "None"),
    ],
)
def test_demographics(value, expected):
    assert normalise_demographic(value) == expected


def test_rounds_ratings_places():
    assert normalise_round("Q2 2024") == "2024 Q2"
    assert normalise_round("2024-q3") == "2024 Q3"
    assert normalise_round("Spring wave") == "Spring wave"
    assert normalise_round(" ") is None
    assert parse_rating("4") == 4.0
    assert parse_rating("4/5") == 4.0
    assert parse_rating("Very poor") == 1.0
    assert parse_rating("Don't know") is None
    assert normalise_place(" bolton ") == "Bolton"
    assert normalise_place("Leeds") == "Leeds"
    assert normalise_place("") is None
