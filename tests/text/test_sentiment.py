"""Tests for analysis.text.sentiment: clause-aware, domain-tuned VADER with the project's lexicon."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from analysis.core import config
from analysis.text import sentiment

MIXED = "kind staff but I waited months"


def test_lexicon_loads_from_project_path():
    import nltk

    analyzer = sentiment.get_analyzer()
    assert str(config.NLTK_DATA_DIR) in nltk.data.path
    assert (config.NLTK_DATA_DIR / "sentiment" / "vader_lexicon.zip").is_file()
    assert analyzer.lexicon["good"] > 0
    assert sentiment.get_analyzer() is analyzer  # one per process


def test_analyzer_creation_is_thread_safe():
    sentiment._analyzers.clear()
    seen = []
    threads = [
        threading.Thread(target=lambda: seen.append(sentiment.get_analyzer())) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(a) for a in seen}) == 1


def test_mixed_answer_has_opposite_clause_scores_and_is_mixed():
    clauses = sentiment.clause_scores(MIXED)
    assert [c for c, _ in clauses] == ["kind staff", "but I waited months"]
    scores = [s for _, s in clauses]
    assert scores[0] > 0 > scores[1]
    assert sentiment.label_for(sentiment.score_text(MIXED), clauses) == "mixed"
    assert sentiment.label_for(0.0, scores) == "mixed"


def test_theme_sentiment_follows_the_evidence_clause():
    assert sentiment.theme_sentiment(MIXED, ["waited months"]) < 0
    assert sentiment.theme_sentiment(MIXED, ["kind staff"]) > 0
    # stem-aware and case-insensitive; "|" joined evidence accepted
    assert sentiment.theme_sentiment("Kind STAFF but I waited months", "wait|months") < 0
    # no evidence match: the whole answer
    assert sentiment.theme_sentiment(MIXED, ["parking"]) == pytest.approx(
        sentiment.score_text(MIXED)
    )


@pytest.mark.parametrize("empty", ["", "   ", None, float("nan"), pd.NA])
def test_empty_is_zero_and_neutral(empty):
    assert sentiment.score_text(empty) == 0.0
    assert sentiment.clause_scores(empty) == []
    assert sentiment.theme_sentiment(empty, ["staff"]) == 0.0
    assert sentiment.label_for(0.0) == "neutral"
    assert sentiment.label_for(0.0, []) == "neutral"


def test_score_texts_shape_range_and_na():
    texts = pd.Series(["Great staff, very helpful", "Awful. Nobody rang back.", None, "", "the"])
    out = sentiment.score_texts(texts)
    assert isinstance(out, np.ndarray) and out.shape == (5,)
    assert out[0] > 0.3 and out[1] < -0.3
    assert list(out[2:]) == [0.0, 0.0, 0.0]
    assert np.all((out >= -1) & (out <= 1))
    assert sentiment.score_texts([]).shape == (0,)


def test_labels_and_thresholds():
    assert sentiment.label_for(0.5) == "positive"
    assert sentiment.label_for(-0.5) == "negative"
    assert sentiment.label_for(0.01) == "neutral"
    assert sentiment.label_for(0.5, [0.6, 0.2]) == "positive"  # agreeing clauses are not mixed


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("The crisis team were brilliant", 1),
        ("I was discharged from the ward", 0),
        ("Sectioned under the mental health act", 0),
        ("Appointments felt rushed", -1),
        ("Nobody rang back", -1),
        ("No one called me after I was discharged", -1),
        ("Nothing to improve", 1),
        ("No complaints at all", 1),
        ("Can't fault them", 1),
        ("Not good", -1),
        ("Still waiting for an appointment", -1),
    ],
)
def test_domain_tweaks(text, sign):
    assert np.sign(round(sentiment.score_text(text), 3)) == sign
    # plain VADER is still available for comparison
    assert sentiment.plain_vader_scores([text]).shape == (1,)


def test_plain_vader_differs_where_domain_matters():
    plain, tuned = (
        sentiment.plain_vader_scores(["The crisis team"])[0],
        sentiment.score_text("The crisis team"),
    )
    assert plain < 0 and tuned == 0


def test_clause_splitting_on_punctuation_and_subordinate_clause():
    clauses = sentiment.split_clauses(
        "Although staff were kind, I waited. Parking - awful; food ok"
    )
    assert clauses == ["Although staff were kind", "I waited.", "Parking", "awful", "food ok"]
    assert sentiment.split_clauses("Good service though.") == ["Good service"]


def test_score_answers_frame():
    out = sentiment.score_answers([MIXED, "Great", None])
    assert list(out.columns) == ["sentiment", "sentiment_label"]
    assert list(out["sentiment_label"]) == ["mixed", "positive", "neutral"]


def test_long_and_hostile_text_does_not_crash():
    long = ("good " * 20_000) + "but terrible " * 5_000
    assert -1 <= sentiment.score_text(long) <= 1
    assert sentiment.clause_scores("=cmd|' /C calc'!A0 \x00 \u202e ðŸ˜€")  # junk still scores
