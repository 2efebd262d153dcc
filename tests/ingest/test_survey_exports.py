"""Real-shaped survey exports (../shared/survey-exports/, read in place): each meets its cases.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.ingest import read_path, suggest_for, to_responses
from analysis.ingest.mapping import text_columns

EXPORTS = Path(__file__).resolve().parents[2].parent / "shared" / "survey-exports"
CASES = (
    json.loads((EXPORTS / "cases.json").read_text()) if (EXPORTS / "cases.json").exists() else []
)

pytestmark = pytest.mark.skipif(
    not CASES, reason="../shared/survey-exports/ is not on this machine"
)


@pytest.fixture(scope="module")
def raws() -> dict:
    return {case["file"]: read_path(EXPORTS / case["file"]) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_suggested_answer_columns_are_the_cases_and_never_ids(case, raws):
    raw = raws[case["file"]]
    suggestion = suggest_for(raw)
    texts = text_columns(suggestion.mapping)
    assert texts == case["text"]
    assert not set(texts) & set(case["never_text"])
    assert not suggestion.unsure


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_no_header_or_title_text_is_read_as_an_answer(case, raws):
    raw = raws[case["file"]]
    df, report = to_responses(raw, suggest_for(raw).mapping)
    header_text = set(raw.frame.columns) | set(raw.descriptions.values())
    texts = set(df["text"].dropna())
    assert not texts & header_text
    assert not any("ImportId" in t for t in texts)
    assert report.header_row == raw.header_row >= 1


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_answer_counts_leave_out_blanks_and_placeholders(case, raws):
    raw = raws[case["file"]]
    df, report = to_responses(raw, suggest_for(raw).mapping)
    assert case["answers_min"] <= report.answers <= case["answers_max"]
    answers = df.loc[df["no_content"].isna(), "text"]
    assert len(answers) == report.answers
    assert not answers.str.strip().isin(["", "-", "N/A", "n/a", "Did not answer"]).any()
    # Everyone who took part is still there: one row per source row at least.
    assert df["response_id"].str.replace(r"-q\d+$", "", regex=True).nunique() == len(raw.frame)
