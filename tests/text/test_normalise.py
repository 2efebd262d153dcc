"""Normalising, tokenising, stemming and contentless answers."""

from __future__ import annotations

import pytest

from analysis.text.normalise import (
    STOP_WORDS,
    content_stems,
    is_contentless,
    normalise,
    stem,
    token_spans,
    tokenise,
)


def test_normalise_lowercases_nfkc_and_strips_control_characters():
    assert normalise("  Ｗaited\x00 \t MONTHS\u200b ").startswith("waited")
    assert normalise("I\u2019ve  waited") == "i've waited"
    assert normalise(None) == ""
    assert normalise(float("nan")) == ""
    assert "\x07" not in normalise("bell\x07here")


def test_tokenise_splits_contractions_into_not():
    assert tokenise("i couldn't get through") == ["i", "could", "not", "get", "through"]
    assert tokenise("can't won't") == ["can", "not", "will", "not"]
    assert tokenise("went to a&e") == ["went", "to", "a&e"]


def test_token_spans_point_into_the_text():
    text = "nobody rang back"
    for tok, s, e in token_spans(text):
        assert text[s:e] == tok


def test_stop_words_keep_negations_and_key_words():
    for w in ("no", "not", "nobody", "never", "without", "back", "through"):
        assert w not in STOP_WORDS
    assert "the" in STOP_WORDS
    assert stem("waiting") == stem("waited") == "wait"
    assert content_stems("Nobody rang me back") == ["nobodi", "rang", "back"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "n/a",
        "N/A",
        "na",
        "None",
        "nothing",
        "Nothing.",
        "no comment",
        "No comments, thank you!",
        "nil",
        "-",
        "...",
        "not applicable",
        "No",
        "xxx",
        "?",
        "nothing really",
        "Not a thing",
    ],
)
def test_contentless(text):
    assert is_contentless(text)


@pytest.mark.parametrize(
    "text",
    [
        "nothing was done",
        "No one rang back",
        "all good",
        "None of the staff listened",
        "nurses",
        "no help",
    ],
)
def test_not_contentless(text):
    assert not is_contentless(text)
