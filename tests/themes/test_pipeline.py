"""classify_responses: the contract tables, cache, progress and corrections."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core import config
from analysis.themes import pipeline
from analysis.themes.codebook import default_codebook
from analysis.themes.pipeline import ANSWER_COLUMNS, ASSIGNMENT_COLUMNS, classify_responses

RESPONSES = pd.DataFrame(
    {
        "response_id": ["r1", "r2", "r3", "r4", "r5", "r6"],
        "text": [
            "Kind staff but I waited months for an appointment",
            "n/a",
            "the football results were a surprise",
            "Discharge was rushed, my GP wasn't told",
            None,
            "Kind staff but I waited months for an appointment",
        ],
    }
)


@pytest.fixture(autouse=True)
def _clear():
    pipeline.clear_cache()
    yield
    pipeline.clear_cache()


def test_contract_columns_and_specials():
    res = classify_responses(RESPONSES, default_codebook())
    assert list(res.answers.columns) == list(ANSWER_COLUMNS)
    assert list(res.assignments.columns) == list(ASSIGNMENT_COLUMNS)
    a = res.answers.set_index("response_id")
    assert a.loc["r2", "themes"] == config.NO_CONTENT
    assert a.loc["r5", "themes"] == config.NO_CONTENT
    assert a.loc["r3", "themes"] == config.UNASSIGNED
    assert a.loc["r2", "n_themes"] == 0
    assert "access" in a.loc["r1", "themes"].split("|")
    assert a.loc["r1", "themes"] == a.loc["r6", "themes"]
    assert res.agreement is None
    # Specials are rows in the long table so counts never hide them.
    specials = res.assignments[res.assignments.theme_id.isin(config.SPECIAL_THEME_IDS)]
    assert set(specials.response_id) == {"r2", "r3", "r5"}
    assert res.assignments.score.between(0, 1).all()
    assert res.assignments.sentiment.between(-1, 1).all()


def test_theme_sentiment_comes_from_its_own_clause():
    res = classify_responses(RESPONSES, default_codebook())
    rows = res.assignments[res.assignments.response_id == "r1"].set_index("theme_id")
    assert rows.loc["access", "sentiment"] < 0  # "I waited months"
    assert rows.loc["staff_behaviour", "sentiment"] > 0  # "Kind staff"
    assert "waited months" in rows.loc["access", "evidence"]
    answer = res.answers.set_index("response_id").loc["r1"]
    assert answer["sentiment_label"] == "mixed" and bool(answer["complex"])


def test_progress_reaches_one_and_cache_reused(monkeypatch):
    seen: list[float] = []
    classify_responses(RESPONSES, default_codebook(), progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    calls: list[int] = []
    real = pipeline._classify_new

    def spy(model, texts, *a, **k):
        calls.append(len(texts))
        return real(model, texts, *a, **k)

    monkeypatch.setattr(pipeline, "_classify_new", spy)
    more = pd.concat(
        [RESPONSES, pd.DataFrame({"response_id": ["r7"], "text": ["Nobody rang back"]})]
    )
    res = classify_responses(more, default_codebook())
    assert calls == [1]  # only the appended answer was classified
    assert "access" in res.answers.set_index("response_id").loc["r7", "themes"]


def test_missing_columns_raise():
    with pytest.raises(ValueError, match="text"):
        classify_responses(pd.DataFrame({"response_id": ["a"]}), default_codebook())


def test_corrections_override_and_report_agreement():
    corrections = pd.DataFrame(
        {
            "response_id": ["r3", "r1"],
            "theme_id": ["environment_safety", "staff_behaviour"],
            "present": [True, False],
        }
    )
    res = classify_responses(RESPONSES, default_codebook(), corrections=corrections)
    a = res.answers.set_index("response_id")
    assert "environment_safety" in a.loc["r3", "themes"].split("|")
    assert "staff_behaviour" not in a.loc["r1", "themes"].split("|")
    assert res.agreement is not None and "before" in res.agreement and "after" in res.agreement
