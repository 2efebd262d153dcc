"""The fast classification paths give the same results as straightforward reference code."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis.core import config
from analysis.text import sentiment, sentiment_model
from analysis.themes import pipeline
from analysis.themes.codebook import default_codebook

CORPUS = [
    "The staff were kind but I waited months for an appointment.",
    "Nobody ever rang me back after my assessment!!",
    "Couldn't fault the crisis team, they listened to me.",
    "GREAT nurses; the ward was dirty and noisy at night.",
    "My care coordinator never replied to my emails - still waiting.",
    "Although the doctor was rushed, the therapist was very understanding.",
    "Medication was changed without anyone explaining the side effects?!?",
    "n/a",
    "",
    "Kind of helpful, at least they tried. Not bad :) but not good either",
    "I was discharged with no plan and fell through the gaps.",
    "No complaints, nothing to improve. Thank you!",
    '"Excellent" support for my family, carers were involved in every decision.',
    "Could be a lot better... waiting list far too long!!!",
]


def _reference_compound(text: str) -> float:
    """Stock NLTK VADER (tuned lexicon) on the phrase-rewritten text, no fast paths."""
    analyzer = sentiment.get_analyzer(True)
    for pattern, token in sentiment._COMPILED_RULES:
        text = pattern.sub(token, text)
    return float(analyzer.polarity_scores(text)["compound"]) if text.strip() else 0.0


def _reference_theme_sentiment(text: str, evidence: list[str], whole: float) -> float:
    """Mean clause score over clauses holding any evidence phrase, else the whole answer."""
    phrases = [sentiment._stems(e) for e in evidence if e.strip()]
    phrases = [p for p in phrases if p]
    if not phrases:
        return whole
    matched = []
    for clause in sentiment.split_clauses(text):
        stems = sentiment._stems(clause)
        if any(sentiment._contains(stems, p) for p in phrases):
            matched.append(_reference_compound(sentiment._LEADING_CONTRAST.sub("", clause)))
    return float(np.mean(matched)) if matched else whole


@pytest.mark.parametrize("text", [t for t in CORPUS if t.strip()])
def test_fast_vader_matches_stock_vader(text):
    analyzer = sentiment.get_analyzer(True)
    rewritten = sentiment._apply_phrase_rules(text)
    assert sentiment._fast_compound(analyzer, rewritten) == pytest.approx(
        float(analyzer.polarity_scores(rewritten)["compound"]), abs=0
    )
    for clause in sentiment.split_clauses(text):
        c = sentiment._apply_phrase_rules(clause)
        assert sentiment._fast_compound(analyzer, c) == analyzer.polarity_scores(c)["compound"]


def test_phrase_rule_keyword_gate_changes_nothing():
    for text in CORPUS + ["NO ONE called", "Nobody rang back", "Cannot have been improved"]:
        slow = text
        for pattern, token in sentiment._COMPILED_RULES:
            slow = pattern.sub(token, slow)
        assert sentiment._apply_phrase_rules(text) == slow


def test_vader_words_match_nltk_sentitext():
    from nltk.sentiment.vader import SentiText, VaderConstants

    c = VaderConstants()
    for text in CORPUS + ["!!wow!! ,ok, x! 'fine' -bad- ?!?great", "a.b! ok?!?! :) :-("]:
        stock = SentiText(text, c.PUNC_LIST, c.REGEX_REMOVE_PUNCTUATION).words_and_emoticons
        assert sentiment.vader_words(text, frozenset(c.PUNC_LIST)) == stock


def test_pipeline_matches_reference_themes_and_sentiment():
    pipeline.clear_cache()
    frame = pd.DataFrame({"response_id": [str(i) for i in range(len(CORPUS))], "text": CORPUS})
    res = pipeline.classify_responses(frame, default_codebook())
    answers = res.answers.set_index("response_id")
    for rid, text in zip(frame["response_id"], CORPUS):
        # An answer's sentiment is the learned model's (starter file); clauses stay lexicon.
        whole = float(sentiment_model.answer_scores([text])[0])
        assert answers.loc[rid, "sentiment"] == pytest.approx(whole, abs=1e-12)
        clauses = [
            _reference_compound(sentiment._LEADING_CONTRAST.sub("", c))
            for c in sentiment.split_clauses(text)
        ]
        assert answers.loc[rid, "sentiment_label"] == sentiment.label_for(
            whole, clauses if len(clauses) > 1 else None
        )
        rows = res.assignments[res.assignments["response_id"] == rid]
        assert "|".join(rows["theme_id"]) == answers.loc[rid, "themes"]
        for _, row in rows.iterrows():
            if row["theme_id"] in config.SPECIAL_THEME_IDS:
                assert row["sentiment"] == pytest.approx(whole, abs=1e-12)
                continue
            ev = [e for e in str(row["evidence"]).split("|") if e]
            assert row["sentiment"] == pytest.approx(
                _reference_theme_sentiment(text, ev, whole), abs=1e-12
            )
    assert answers.loc["7", "themes"] == config.NO_CONTENT
    assert answers.loc["8", "themes"] == config.NO_CONTENT


def test_parallel_workers_give_the_same_result(monkeypatch):
    texts = [f"{t} ({i})" for i, t in enumerate(CORPUS * 30)]
    frame = pd.DataFrame({"response_id": [str(i) for i in range(len(texts))], "text": texts})
    cb = default_codebook()
    pipeline.clear_cache()
    monkeypatch.setattr(config, "CLASSIFY_PROCESSES", 1)
    serial = pipeline.classify_responses(frame, cb)
    pipeline.clear_cache()
    monkeypatch.setattr(config, "CLASSIFY_PROCESSES", 2)
    monkeypatch.setattr(config, "CLASSIFY_PARALLEL_MIN_ROWS", 10)
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    parallel = pipeline.classify_responses(frame, cb)
    pd.testing.assert_frame_equal(serial.answers, parallel.answers)
    pd.testing.assert_frame_equal(serial.assignments, parallel.assignments)


def test_cache_is_bounded_by_bytes(monkeypatch):
    pipeline.clear_cache()
    monkeypatch.setattr(config, "THEME_CACHE_MAX_BYTES", 5_000)
    frame = pd.DataFrame(
        {
            "response_id": [str(i) for i in range(40)],
            "text": [f"waited months {i}" for i in range(40)],
        }
    )
    res = pipeline.classify_responses(frame, default_codebook())
    assert len(res.answers) == 40
    assert 0 < len(pipeline._results) < 40
    assert pipeline._result_bytes <= 5_000
    assert re.fullmatch(r"[a-z_|]+", res.answers.loc[0, "themes"])
    pipeline.clear_cache()
