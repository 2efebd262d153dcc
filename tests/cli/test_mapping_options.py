"""--text-column, --map and --date-order on check, classify, participation and report; check --json."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from analysis.__main__ import main

EXPORTS = Path(__file__).resolve().parents[2].parent / "shared" / "survey-exports"


def _write(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "export.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture()
def two_questions(tmp_path: Path) -> Path:
    rows = [["Ref", "Sent", "Who", "Went well", "Do better", "Notes"]]
    for i in range(14):
        rows.append([
            str(500 + i), f"0{i % 9 + 1}/0{i % 3 + 1}/2024", ["Carer", "Staff member"][i % 2],
            f"The nurse listened to me on visit {i}", "N/A" if i % 4 == 0 else f"Shorter waits {i}",
            "ok",
        ])  # fmt: skip
    return _write(tmp_path, rows)


def test_check_json_reports_answers_no_content_header_dates_and_mapping(two_questions, capsys):
    code = main(
        ["check", str(two_questions), "--json", "--text-column", "Went well",
         "--text-column", "Do better", "--map", "submitted=Sent", "--map", "response_id=Ref",
         "--date-order", "monthfirst"]
    )  # fmt: skip
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mapping"]["text"] == ["Went well", "Do better"]
    assert out["mapping"]["submitted"] == "Sent" and out["mapping"]["response_id"] == "Ref"
    assert out["answers"] == 14 + 10 and out["no_content"] == 4
    assert out["header_row"] == 1
    assert out["date_order"] == {"Sent": "monthfirst"} and out["dates_unsettled"] == []


def test_without_a_date_order_an_unsettled_column_is_reported(two_questions, capsys):
    assert main(["check", str(two_questions), "--json", "--map", "submitted=Sent"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dates_unsettled"] == ["Sent"] and out["date_order"] == {"Sent": "dayfirst"}


def test_a_bad_map_is_one_line_and_exit_2(two_questions, capsys):
    assert main(["check", str(two_questions), "--map", "colour=Who"]) == 2
    err = capsys.readouterr().err
    assert "FIELD=COLUMN" in err and len(err.strip().splitlines()) == 1
    assert main(["check", str(two_questions), "--text-column", "Nope"]) == 2
    assert "Nope" in capsys.readouterr().err


def test_classify_two_answer_columns_writes_one_row_per_answer(two_questions, tmp_path, capsys):
    out = tmp_path / "out.csv"
    code = main(
        ["classify", "--input", str(two_questions), "--text-column", "Went well",
         "--text-column", "Do better", "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    with open(out, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 24  # the four "N/A" are not answers and are not themed
    assert {r["question"] for r in rows} == {"Went well", "Do better"}
    assert "themes" in rows[0] and "N/A" not in {r["text"] for r in rows}


def test_participation_and_report_take_the_mapping(two_questions, tmp_path, capsys):
    code = main(
        ["participation", "--input", str(two_questions), "--by", "respondent_type",
         "--map", "respondent_type=Who", "--json"]
    )  # fmt: skip
    assert code == 0
    rows = {r["group"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert set(rows) >= {"carer", "staff"}
    pack = tmp_path / "pack.html"
    code = main(
        ["report", "--input", str(two_questions), "--out", str(pack), "--no-plan",
         "--no-benchmark", "--text-column", "Do better", "--date-order", "dayfirst"]
    )  # fmt: skip
    assert code == 0 and pack.exists()


@pytest.mark.skipif(not EXPORTS.exists(), reason="../shared/survey-exports/ is not on this machine")
def test_check_json_on_the_fft_export(capsys):
    assert main(["check", str(EXPORTS / "fft_export.csv"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mapping"]["text"] == "FFT answer" and out["mapping"]["response_id"] == "Comment ID"
    assert 520 <= out["answers"] <= 536 and out["no_content"] > 0
    assert out["date_order"] == {"Date": "dayfirst"}
    assert any("Comment ID" in n and "ids" in n for n in out["mapping_notes"])
