"""Ingest of delimited exports: encodings, delimiters, malformed rows, hostile text, ids, duplicates."""

from __future__ import annotations

import io
import zlib

import pandas as pd
import pytest

from analysis.core import config
from analysis.core.schema import RESPONSE_COLUMNS, ValidationError
from analysis.ingest.exports import (
    RawTable,
    load_responses,
    read_path,
    read_upload,
    suggest_mapping,
    to_responses,
)

WIDE = (
    "Response ID,Date,Are you a...,Borough,Team,What could we do better?,What went well?,Age group,Sex\n"
    "101,01/02/2024,Service User,Bolton,CMHT,Shorter waits please,The nurse listened to me,18-24,Female\n"
    "102,2024-05-03,Carer/family,Wigan,Crisis team,None,,25-34,Prefer not to say\n"
)


def load(text: str, filename: str = "export.csv", encoding: str = "utf-8", mapping=None):
    return load_responses(text.encode(encoding), filename, mapping)


# --- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16")],
)
def test_encodings_round_trip_accents_and_smart_quotes(encoding, expected):
    text = "ID,Comment\n1,Café staff were ‘lovely’ – £5 parking\n2,Naïve rôle\n"
    df, report = load(text, encoding=encoding)
    assert report.encoding == expected
    assert list(df["text"]) == ["Café staff were ‘lovely’ – £5 parking", "Naïve rôle"]
    assert list(df["response_id"]) == ["1", "2"]  # the BOM never leaks into the first header


def test_excel_unicode_text_is_utf16_tab_separated():
    text = "ID\tWhat could we do better?\tBorough\r\n1\tMore staff, fewer forms; faster\tBury\r\n"
    raw = read_upload(text.encode("utf-16"), "export.txt")
    assert raw.delimiter == "\t"
    assert raw.encoding == "utf-16"
    assert raw.frame.iloc[0].tolist() == ["1", "More staff, fewer forms; faster", "Bury"]


def test_utf16_without_bom_is_recognised():
    text = "ID\tComment\n1\tHello there\n"
    raw = read_upload(text.encode("utf-16-le"), "export.txt")
    assert raw.encoding == "utf-16-le"
    assert raw.frame["Comment"].tolist() == ["Hello there"]


def test_mostly_utf8_file_with_one_windows_line_keeps_both():
    data = "ID,Comment\n1,Café was ok\n".encode() + "2,Caf\u00e9 closed\n".encode("cp1252")
    df, report = load_responses(data, "x.csv")
    assert list(df["text"]) == ["Café was ok", "Café closed"]
    assert any("Windows-1252" in p for p in report.problems)


def test_cp1252_preferred_over_exotic_guesses():
    text = "ID,Comment\n" + "".join(
        f"{i},Le café était très bien merci beaucoup\n" for i in range(20)
    )
    raw = read_upload(text.encode("cp1252"), "x.csv")
    assert raw.encoding == "cp1252"
    assert raw.frame["Comment"].iloc[0] == "Le café était très bien merci beaucoup"


# --- delimiters --------------------------------------------------------------------------------


@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_delimiter_detected_even_when_text_contains_the_others(delim):
    rows = [
        ["ID", "Comment", "Borough"],
        ["1", "Slow, rude; and late", "Bury"],
        ["2", "Fine", "Wigan"],
    ]
    buf = io.StringIO()
    import csv

    csv.writer(buf, delimiter=delim, lineterminator="\n").writerows(rows)
    raw = read_upload(buf.getvalue().encode(), "x.csv")
    assert raw.delimiter == delim
    assert raw.frame["Comment"].tolist() == ["Slow, rude; and late", "Fine"]


def test_single_column_file_is_not_split_on_commas():
    raw = read_upload(b"Comment\nGood, thanks\nSlow; rude\n", "x.csv")
    assert raw.delimiter is None
    assert raw.frame["Comment"].tolist() == ["Good, thanks", "Slow; rude"]
    assert not raw.row_problems


# --- respondent words and hostile text -----------------------------------------------------------


def test_placeholders_are_kept_as_no_content_and_none_or_nothing_are_answers():
    words = ["None", "Nothing", "No", "NA", "N/A", "null", "nan", "#N/A", "-", "Did not answer",
             "No comment.", "n/a", "...", "Nothing was done about it", "👍"]  # fmt: skip
    text = "ID,Comment\n" + "".join(f"{i},{w}\n" for i, w in enumerate(words))
    df, report = load(text)
    assert list(df["text"]) == words  # kept as written: nothing is lost
    answers = df.loc[df["no_content"].isna(), "text"].tolist()
    assert answers == ["None", "Nothing", "No", "Nothing was done about it", "👍"]
    assert report.answers == 5 and report.no_content == 10
    assert report.to_dict()["no_content"] == 10


def test_the_users_placeholder_list_replaces_the_default():
    text = "ID,Comment\n1,Nothing\n2,N/A\n3,Kind staff\n4,\n5,-\n"
    mine = ["nothing", "did not answer"]  # "Nothing" counts as no content; "N/A" is now an answer
    df, report = load_responses(text.encode(), "x.csv", None, mine)
    assert df.loc[df["no_content"].isna(), "text"].tolist() == ["N/A", "Kind staff"]
    # Blanks and punctuation alone say nothing whatever the list holds.
    assert df["no_content"].tolist() == ["placeholder", pd.NA, pd.NA, "blank", "placeholder"]
    assert report.answers == 2


def test_hostile_text_kept_as_plain_text():
    hostile = [
        "=cmd|' /C calc'!A0",
        "+SUM(A1:A9)",
        '@HYPERLINK("http://evil")',
        "<script>alert('x')</script>",
        "![tracker](http://evil.example/p.png)",
    ]
    buf = io.StringIO()
    import csv

    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["ID", "Comment"])
    for i, h in enumerate(hostile):
        w.writerow([i, h])
    df, report = load_responses(buf.getvalue().encode(), "x.csv")
    assert list(df["text"]) == hostile
    assert report.rejected_rows == 0


def test_bidi_controls_stripped_from_cells_and_headers_and_reported():
    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    text = (
        "ID,Borough,Comm\u202eent\n"
        f"1,Bol\u202eton,abc\u202edlrow\u2066x and {controls}more\n"
        "2,Wigan,plain answer\n"
    )
    raw = read_upload(text.encode(), "x.csv")
    assert list(raw.frame.columns) == ["ID", "Borough", "Comment"]
    df, report = to_responses(raw, {"text": "Comment", "locality": "Borough"})
    assert list(df["text"]) == ["abcdlrowx and more", "plain answer"]
    assert list(df["locality"]) == ["Bolton", "Wigan"]
    assert not any(c in "".join(df["text"]) for c in controls)
    # Three cells changed: the header, the locality and the answer.
    assert any("bidi" in p and "3 cell" in p for p in report.problems)


def test_no_bidi_report_when_there_are_none():
    _, report = load("ID,Comment\n1,fine \u05e9\u05dc\u05d5\u05dd\n")  # Hebrew letters are text
    assert not any("bidi" in p for p in report.problems)


def test_nul_bytes_removed_and_reported():
    df, report = load_responses(b"ID,Comment\n1,bad\x00word\n2,fine\n", "x.csv")
    assert list(df["text"]) == ["badword", "fine"]
    assert any("NUL" in p for p in report.problems)


def test_very_long_answers_truncated_and_reported():
    exact = "a" * config.MAX_TEXT_CHARS
    longer = "b" * (config.MAX_TEXT_CHARS + 500)
    df, report = load(f"ID,Comment\n1,{exact}\n2,{longer}\n3,short\n")
    assert df["text"].str.len().tolist() == [config.MAX_TEXT_CHARS, config.MAX_TEXT_CHARS, 5]
    assert any("cut" in p and "rows 3" in p for p in report.problems)


# --- malformed rows ------------------------------------------------------------------------------


def test_row_with_too_many_fields_is_rejected_with_its_row_number_and_neighbours_kept():
    text = "ID,Comment,Borough\n1,Good,Bury\n2,Slow, rude,Wigan\n3,Kind,Bolton\n"
    df, report = load(text)
    assert list(df["response_id"]) == ["1", "3"]
    assert report.rejected_rows == 1
    [problem] = [p for p in report.row_problems if p.rejected]
    assert problem.row == 3 and "4 fields, expected 3" in problem.reason


def test_short_rows_padded_and_reported():
    df, report = load("ID,Comment,Borough\n1,Good\n2,Kind,Bolton\n")
    assert list(df["text"]) == ["Good", "Kind"]
    assert pd.isna(df["locality"].iloc[0])
    assert report.rejected_rows == 0
    assert any(p.row == 2 and "missing" in p.reason for p in report.row_problems)


def test_trailing_empty_cells_are_not_a_problem():
    df, report = load("ID,Comment\n1,Good,,\n2,Kind,\n")
    assert list(df["text"]) == ["Good", "Kind"]
    assert not report.row_problems


def test_unmatched_quote_costs_only_its_own_line():
    text = 'ID,Comment,Borough\n1,Good,Bury\n2,"Broken quote,Wigan\n3,Kind,Bolton\n4,"Multi\nline",Salford\n'
    df, report = load(text)
    assert list(df["response_id"]) == ["1", "3", "4"]
    assert df["text"].tolist()[-1] == "Multi\nline"
    rejected = [p for p in report.row_problems if p.rejected]
    assert [p.row for p in rejected] == [3]
    assert "quote" in rejected[0].reason


def test_quoted_multiline_answers_keep_source_line_numbers():
    raw = read_upload(b'ID,Comment\n1,"a\nb\nc"\n2,d\n', "x.csv")
    assert raw.row_numbers == [2, 5]


# --- empty rows, empty text, duplicates, ids -------------------------------------------------------


def test_empty_rows_skipped_and_empty_answers_kept():
    text = "ID,Comment,Borough\n1,Good,Bury\n,,\n2,,Wigan\n"
    df, report = load(text)
    assert list(df["response_id"]) == ["1", "2"]
    assert list(df["text"]) == ["Good", ""]
    assert any("empty row" in p and "rows 3" in p for p in report.problems)
    assert df["no_content"].tolist() == [pd.NA, "blank"] and report.no_content == 1
    assert report.answers == 1
    assert any("say nothing" in p and "rows 4" in p for p in report.problems)


def test_missing_ids_generated_from_row_numbers_and_repeats_made_unique():
    df, report = load("ID,Comment\n,First\n7,Second\n7,Third\n,Fourth\n")
    assert list(df["response_id"]) == ["r2", "7", "7-2", "r5"]
    assert any("made unique" in p for p in report.problems)
    assert df["response_id"].is_unique


def test_generated_ids_when_no_id_column():
    df, _ = load("Comment\nA\nB\n")
    assert list(df["response_id"]) == ["r2", "r3"]


def test_duplicated_rows_counted_and_kept():
    df, report = load("ID,Comment,Borough\n1,Same,Bury\n2,Same,Bury\n3,Other,Bury\n")
    assert len(df) == 3
    assert report.duplicates == 1
    assert any(p.row == 3 and "repeats row 2" in p.reason for p in report.row_problems)


# --- wide exports and canonical values ------------------------------------------------------------


def test_wide_export_becomes_one_row_per_answer():
    df, report = load(WIDE)
    assert list(df.columns) == list(RESPONSE_COLUMNS)
    assert list(df["response_id"]) == ["101-q1", "101-q2", "102-q1"]
    assert list(df["respondent_id"]) == ["101", "101", "102"]
    assert list(df["question"]) == [
        "What could we do better?",
        "What went well?",
        "What could we do better?",
    ]
    assert list(df["text"]) == ["Shorter waits please", "The nurse listened to me", "None"]
    assert list(df["respondent_type"]) == ["service user", "service user", "carer"]
    assert list(df["round"]) == ["2024 Q1", "2024 Q1", "2024 Q2"]
    assert df["submitted"].iloc[0] == pd.Timestamp("2024-02-01")
    assert list(df["gender"]) == ["Female", "Female", config.PREFER_NOT_TO_SAY]
    assert report.mapping["text"] == ["What could we do better?", "What went well?"]


def test_unparseable_dates_reported_with_row_and_row_kept():
    df, report = load("ID,Date,Comment\n1,31/02/2024,A\n2,yesterday,B\n3,14-Mar-2024,C\n4,,D\n")
    assert len(df) == 4
    assert df["submitted"].isna().tolist() == [True, True, False, True]
    assert df["submitted"].iloc[2] == pd.Timestamp("2024-03-14")
    bad = [p.row for p in report.row_problems if "date" in p.reason]
    assert bad == [2, 3]  # the blank date on row 5 is missing, not a problem


def test_round_column_used_and_normalised_else_derived():
    df, _ = load("ID,Date,Round,Comment\n1,2024-01-05,Q2 2024,A\n2,2024-08-01,,B\n")
    assert list(df["round"]) == ["2024 Q2", "2024 Q3"]


def test_unknown_respondent_types_become_other_and_are_reported():
    df, report = load("ID,Role,Comment\n1,Staff member,A\n2,Visitor,B\n3,,C\n")
    assert df["respondent_type"].tolist()[:2] == ["staff", "other"]
    assert pd.isna(df["respondent_type"].iloc[2])
    assert any('"Visitor"' in p for p in report.problems)


def test_ratings_parsed_and_bad_ones_reported():
    df, report = load("ID,FFT rating,Comment\n1,Very good,A\n2,4,B\n3,meh,C\n")
    assert df["rating"].tolist()[:2] == [5.0, 4.0]
    assert pd.isna(df["rating"].iloc[2])
    assert any("rating" in p for p in report.problems)


def test_explicit_mapping_overrides_suggestion_and_is_checked():
    raw = read_upload(b"a,b,c\n1,x is here and long text,Bury\n", "x.csv")
    df, report = to_responses(raw, {"text": "b", "locality": "c", "respondent_id": ""})
    assert df["locality"].tolist() == ["Bury"]
    assert report.mapping == {"text": "b", "locality": "c"}
    with pytest.raises(ValidationError, match="not in the file"):
        to_responses(raw, {"text": "zzz"})
    with pytest.raises(ValidationError, match="not a column"):
        to_responses(raw, {"text": "b", "colour": "a"})
    with pytest.raises(ValidationError, match="free-text"):
        to_responses(raw, {"locality": "c"})


# --- files that cannot be used --------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty_files_refused_clearly(data):
    with pytest.raises(ValidationError, match="empty"):
        read_upload(data, "x.csv")


def test_png_renamed_csv_refused():
    png = b"\x89PNG\r\n\x1a\n" + zlib.compress(b"\x00" * 100)
    with pytest.raises(ValidationError, match="PNG"):
        read_upload(png, "survey.csv")


def test_binary_garbage_refused():
    import random

    rng = random.Random(1)
    data = bytes(rng.randrange(256) for _ in range(5000))
    with pytest.raises(ValidationError):
        read_upload(data, "survey.csv")


def test_header_only_file_reports_no_answers():
    raw = read_upload(b"ID,Comment\n", "x.csv")
    assert raw.frame.empty and list(raw.frame.columns) == ["ID", "Comment"]
    df, report = to_responses(raw, {"text": "Comment"})
    assert df.empty and not report.usable
    assert any("no answers" in p for p in report.problems)


def test_file_without_text_column_refused_by_suggestion():
    with pytest.raises(ValidationError, match="free-text"):
        load("Borough,Count\nBury,3\nWigan,4\n")


def test_size_cap(tmp_path):
    with pytest.raises(ValidationError, match="largest"):
        read_upload(b"ID,Comment\n1,x\n", "x.csv", max_bytes=5)
    p = tmp_path / "big.csv"
    p.write_bytes(b"ID,Comment\n" + b"1,hello\n" * 10)
    with pytest.raises(ValidationError, match="largest"):
        read_path(p, max_bytes=20)
    assert len(read_path(p).frame) == 10


def test_read_path_missing_file_is_a_validation_error(tmp_path):
    with pytest.raises(ValidationError, match="Cannot open"):
        read_path(tmp_path / "nope.csv")


def test_old_xls_refused_with_advice():
    with pytest.raises(ValidationError, match="xls"):
        read_upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "survey.xls")


def test_raw_table_cells_are_strings():
    raw = read_upload(b"ID,Comment,Score\n1,NA,3\n", "x.csv")
    assert isinstance(raw, RawTable)
    assert raw.frame.map(type).eq(str).all().all()
    assert raw.frame.iloc[0].tolist() == ["1", "NA", "3"]


def test_suggest_mapping_exposed_from_ingest():
    assert suggest_mapping(["Ethnicity", "What could we do better?"])["ethnicity"] == "Ethnicity"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<!DOCTYPE html><html><body><table><tr><td>x</td></tr></table></body></html>", "HTML"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "2003 XML",
        ),
    ],
)
def test_markup_saved_as_spreadsheet_refused_with_advice(content, reason):
    with pytest.raises(ValidationError, match=reason):
        read_upload(content, "export.xls")


def test_wordiest_column_offered_when_no_header_says_text():
    raw = read_upload(
        b"Q1,Q2\n3,Kind staff\n4,Long wait\n5,Good food\n2,Rude nurse\n1,Ok ta\n", "x.csv"
    )
    mapping = suggest_mapping(list(raw.frame.columns), raw.frame)
    assert mapping["text"] == "Q2"


def test_closed_are_you_question_is_not_respondent_type():
    mapping = suggest_mapping(["Are you happy with your care?", "Comment"])
    assert "respondent_type" not in mapping


def test_excel_sep_hint_line_and_old_mac_line_endings():
    raw = read_upload(b"sep=;\r\nID;Comment\r\n1;Good, kind\r\n", "x.csv")
    assert raw.delimiter == ";" and list(raw.frame.columns) == ["ID", "Comment"]
    assert raw.frame["Comment"].tolist() == ["Good, kind"]
    raw = read_upload(b"ID,Comment\r1,Good\r2,Bad\r", "x.csv")
    assert raw.frame["Comment"].tolist() == ["Good", "Bad"]
    assert raw.row_numbers == [2, 3]


def test_hand_built_raw_table_with_missing_cells():
    raw = RawTable(pd.DataFrame({"ID": ["1", None], "Comment": ["NA", float("nan")]}))
    df, report = to_responses(raw, {"response_id": "ID", "text": "Comment"})
    assert list(df["text"]) == ["NA"]
    assert any("empty row" in p for p in report.problems)
