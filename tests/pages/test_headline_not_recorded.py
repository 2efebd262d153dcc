"""The headline figures say "Unknown" (not recorded) where an export has no rounds or respondent types."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.core.schema import conform_responses
from analysis.findings.overview import headline_figures, headline_labels
from tests.pages.page_store import own_store

OVERVIEW = str(Path(__file__).resolve().parents[2] / "app_pages" / "overview.py")
TEXTS = ["The staff were kind and listened.", "I waited months for a call back."]


def _frame(with_types: bool) -> pd.DataFrame:
    n = 40
    data = {
        "response_id": [f"r{i}" for i in range(n)],
        "text": [TEXTS[i % 2] for i in range(n)],
    }
    if with_types:
        data["respondent_type"] = ["carer" if i % 2 else "service user" for i in range(n)]
        data["round"] = ["2025 Q1"] * n
    return conform_responses(pd.DataFrame(data))


def test_labels_say_not_recorded_only_where_answers_carry_nothing() -> None:
    bare = {k: (v, n) for k, v, n in headline_labels(headline_figures(_frame(with_types=False)))}
    assert bare["Answers"] == ("40", None) and bare["Respondents"] == ("40", None)
    assert bare["Survey rounds"] == (
        "Unknown", "Not recorded: no answer in this data has a date or survey round."
    )  # fmt: skip
    assert bare["Respondent types"] == (
        "Unknown", "Not recorded: no answer in this data has a respondent type."
    )  # fmt: skip
    full = headline_labels(headline_figures(_frame(with_types=True)), people="People")
    assert [(k, v) for k, v, _ in full] == [
        ("Answers", "40"), ("People", "40"), ("Survey rounds", "1"), ("Respondent types", "2")
    ]  # fmt: skip
    assert all(note is None for *_, note in full)
    # No answers at all (a filter that leaves none): zero is the truth, not "not recorded".
    empty = {
        k: v for k, v, _ in headline_labels(headline_figures(_frame(with_types=False).iloc[:0]))
    }
    assert empty["Respondent types"] == "0" and empty["Survey rounds"] == "0"


@pytest.fixture(scope="module")
def bare_dataset(tmp_path_factory: pytest.TempPathFactory):
    from analysis import store

    with own_store(tmp_path_factory.mktemp("headline-not-recorded")):
        yield store.save_dataset("No types", _frame(with_types=False))


def test_overview_says_not_recorded_for_an_export_without_types(bare_dataset: int) -> None:
    at = AppTest.from_file(OVERVIEW, default_timeout=180)
    at.session_state["f_dataset"] = bare_dataset
    at.run()
    assert not at.exception, at.exception
    shown = {m.label: (m.value, m.help) for m in at.metric}
    assert shown["Respondent types"] == (
        "Unknown", "Not recorded: no answer in this data has a respondent type."
    )  # fmt: skip
    assert shown["Survey rounds"][0] == "Unknown"
    assert shown["Answers"] == ("40", "")
