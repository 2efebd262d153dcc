"""Real-shaped survey exports (../shared/survey-exports/, read in place): each meets its cases.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.ingest import read_path
from analysis.ingest.mapping import explain_mapping, text_columns

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
    suggestion = explain_mapping(list(raw.frame.columns), raw.frame.head(200))
    texts = text_columns(suggestion.mapping)
    assert texts == case["text"]
    assert not set(texts) & set(case["never_text"])
    assert not suggestion.unsure
