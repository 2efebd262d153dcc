"""Column-mapping suggestions and value normalisation."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core import config
from analysis.ingest.mapping import explain_mapping, suggest_mapping, text_columns
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


# --- values settle what headers cannot ----------------------------------------------------------


def _frame(**columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_unique_codes_under_a_comment_header_are_an_id_not_answers():
    n = 40
    sample = _frame(**{
        "Comment ID": [f"NEAS PTS {500 + 3 * i} - Q1" for i in range(n)],
        "FFT answer": [f"The staff on ward {i} were kind and listened to me" for i in range(n)],
    })  # fmt: skip
    mapping = suggest_mapping(list(sample.columns), sample)
    assert text_columns(mapping) == ["FFT answer"]
    assert mapping["response_id"] == "Comment ID"


@pytest.mark.parametrize(
    "ids",
    [
        [f"R_{i:03d}kXf9aBcD1eFgH" for i in range(30)],
        [str(100123 + i * 7) for i in range(30)],
        [f"3f2b{i:04d}-9c1d-4e5f-a6b7-c8d9e0f1a2b3" for i in range(30)],
    ],
)
def test_id_columns_are_never_answer_text_whatever_the_header(ids):
    sample = _frame(Comments=ids, Feedback=[f"Long wait for answer number {i} today" for i in ids])
    assert "Comments" not in text_columns(suggest_mapping(list(sample.columns), sample))


def test_roles_in_a_respondent_column_are_respondent_type_not_an_id():
    roles = ["Service user", "Carer", "Staff member"] * 20
    sample = _frame(
        Respondent=roles, Comment=[f"Kind staff who listened, visit {i}" for i in range(60)]
    )
    explained = explain_mapping(list(sample.columns), sample)
    assert explained.mapping["respondent_type"] == "Respondent"
    assert "respondent_id" not in explained.mapping
    assert any("Respondent" in note and "respondent type" in note for note in explained.notes)


def test_a_handful_of_repeated_values_is_never_an_id():
    sample = _frame(**{"Respondent ID": ["A", "B", "C", "D"] * 10, "Comment": ["fine"] * 40})
    assert "respondent_id" not in suggest_mapping(list(sample.columns), sample)


def test_one_word_answers_are_not_mistaken_for_ids():
    words = ["Excellent", "Helpful", "Kind", "Rude", "Slow", "Fast", "Caring", "Friendly", "Good"]
    sample = _frame(ID=[str(i) for i in range(9)], Comment=words)
    assert text_columns(suggest_mapping(list(sample.columns), sample)) == ["Comment"]


def test_unsure_when_no_column_reads_as_answers():
    sample = _frame(**{"Ref": [str(i) for i in range(20)], "Score": ["1", "2"] * 10})
    explained = explain_mapping(list(sample.columns), sample)
    assert explained.unsure and "choose the answer column" in explained.unsure[0]
