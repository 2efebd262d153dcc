"""Where the header is: title blocks above it, Qualtrics' extra rows and option rows below it."""

from __future__ import annotations

import csv
import io

from analysis.ingest import read_upload, suggest_for, to_responses
from analysis.ingest.mapping import text_columns
from tests.ingest.test_xlsx_reader import workbook_bytes

ROLES = ["Service user", "Carer", "Staff member"]


def _csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode()


def _qualtrics(n: int = 30) -> bytes:
    rows = [
        ["StartDate", "EndDate", "Progress", "ResponseId", "Q1", "Q2_TEXT", "Q3"],
        ["Start Date", "End Date", "Progress", "Response ID", "Which of these best describes you?",
         "Please tell us about your experience", "What is your ethnic group?"],
        ['{"ImportId":"startDate"}', '{"ImportId":"endDate"}', '{"ImportId":"progress"}',
         '{"ImportId":"_recordId"}', '{"ImportId":"QID1"}', '{"ImportId":"QID2_TEXT"}',
         '{"ImportId":"QID3"}'],
    ]  # fmt: skip
    for i in range(n):
        rows.append([
            f"2024-03-{i % 28 + 1:02d} 10:00:00", f"2024-03-{i % 28 + 1:02d} 10:05:00", "100",
            f"R_{i:03d}xK9fQ2bZ", ROLES[i % 3], f"The staff were kind on visit {i}" if i % 4 else "",
            ["White British", "Mixed", "Asian"][i % 3],
        ])  # fmt: skip
    return _csv(rows)


def test_qualtrics_extra_header_rows_are_not_answers_and_their_wording_maps_columns():
    raw = read_upload(_qualtrics(), "qualtrics.csv")
    assert len(raw.frame) == 30
    assert raw.header_row == 1 and raw.header_rows == 3
    assert raw.descriptions["Q1"] == "Which of these best describes you?"
    mapping = suggest_for(raw).mapping
    assert text_columns(mapping) == ["Q2_TEXT"]
    assert mapping["respondent_type"] == "Q1"
    assert mapping["ethnicity"] == "Q3"
    assert mapping["response_id"] == "ResponseId"
    df, report = to_responses(raw, mapping)
    assert not df["text"].str.contains("ImportId|describes you", regex=True).any()
    assert report.to_dict()["header_row"] == 1
    assert any("rows 2-3" in p for p in report.problems)


def test_csv_title_block_and_header_on_row_3():
    rows = [["Patient survey export"], ["Exported 02/10/2025"], ["ID", "Borough", "Comment"]]
    rows += [[str(100 + i), "Bury", f"Helpful answer number {i} here"] for i in range(12)]
    raw = read_upload(_csv(rows), "export.csv")
    assert raw.header_row == 3
    assert list(raw.frame.columns) == ["ID", "Borough", "Comment"]
    assert len(raw.frame) == 12
    _, report = to_responses(raw)
    assert report.header_row == 3
    assert any("title line(s) above the header on line 3" in p for p in report.problems)


def test_xlsx_title_block_reports_the_header_row():
    rows = [["Co-production Week survey"], ["Exported 02/10/2025"], [None]]
    rows += [["Response ID", "Borough", "Please describe your experience"]]
    rows += [[100 + i, "Salford", f"Good help and advice, visit {i}"] for i in range(10)]
    raw = read_upload(workbook_bytes({"Responses": rows}), "s.xlsx")
    assert raw.header_row == 4 and len(raw.frame) == 10
    _, report = to_responses(raw)
    assert report.header_row == 4 and report.answers == 10


def test_question_row_over_option_row_gives_one_named_column_per_option():
    rows = [
        ["Response ID", "Date", "Which services have you used?", None, None, "Comments"],
        [None, None, "Inpatient", "Community", "Crisis", None],
    ]
    for i in range(12):
        rows.append([
            1000 + i, f"{i % 28 + 1:02d}/03/2024", "Inpatient" if i % 2 else None,
            "Community" if i % 3 else None, None, f"Waited too long for visit {i}",
        ])  # fmt: skip
    raw = read_upload(workbook_bytes({"Sheet1": rows}), "smart.xlsx")
    assert len(raw.frame) == 12
    assert "Which services have you used?: Community" in raw.frame.columns
    assert text_columns(suggest_for(raw).mapping) == ["Comments"]


def test_a_first_answer_row_that_fits_its_columns_is_kept():
    rows = [["ID", "Date", "I am a", "Comment"]]
    rows += [
        [str(i), f"{i % 28 + 1:02d}/03/2024", ROLES[i % 3], f"Kind staff {i}"] for i in range(12)
    ]
    raw = read_upload(_csv(rows), "x.csv")
    assert raw.header_rows == 1 and len(raw.frame) == 12
