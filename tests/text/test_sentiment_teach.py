"""People's sentiment corrections: kept with who, final for the answer corrected, training for the rest."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import store
from analysis.text import sentiment_teach
from analysis.text.sentiment_model import load_sentiment_model, train_sentiment
from analysis.themes import codebook as cb
from analysis.themes.corrections_store import (
    CorrectionError,
    corrections_for_classifier,
    list_corrections,
    save_corrections,
    save_sentiment_correction,
)
from analysis.themes.pipeline import classify_responses

# A small corpus with people's criticality scores (-4..4); every phrase repeats, as min_df needs.
_SCORED = [
    ("the staff were kind and helpful", 3),
    ("kind nurses who listened to me", 3),
    ("helpful and caring staff", 3),
    ("waited months and nobody rang back", -3),
    ("nobody listened to me at all", -3),
    ("the ward was dirty and noisy", -3),
    ("the food was fine", 0),
    ("the room was ok", 0),
] * 3
BASE = train_sentiment([t for t, _ in _SCORED], [s for _, s in _SCORED])


def test_split_keeps_theme_corrections_and_the_latest_sentiment_of_each_answer():
    rows = pd.DataFrame(
        {"response_id": ["1", "1", "2", "1", "3"],
         "theme_id": ["access", "sentiment:positive", "sentiment:mixed", "sentiment:negative",
                      "sentiment:neutral"],
         "present": [True, True, True, True, False]}
    )  # fmt: skip
    themes, labels = sentiment_teach.split_corrections(rows)
    assert themes["theme_id"].tolist() == ["access"]
    assert labels == {"1": "negative", "2": "mixed"}  # latest wins; a "not" row says nothing
    only = rows[rows["theme_id"].str.startswith("sentiment:")]
    assert sentiment_teach.split_corrections(only)[0] is None
    with pytest.raises(ValueError, match="one of"):
        sentiment_teach.theme_id_for("great")


def test_a_correction_teaches_answers_that_share_its_words_and_weighs_by_its_weight():
    # People say "the food was fine" reads as negative here (it was said about cold food).
    light = sentiment_teach.taught_model(BASE, ["the food was fine"], ["negative"], weight=0.1)
    heavy = sentiment_teach.taught_model(BASE, ["the food was fine"], ["negative"], weight=5.0)
    similar, other = "the food was fine again", "the staff were kind and helpful"
    before = BASE.score([similar, other])
    after_light, after_heavy = light.score([similar]), heavy.score([similar, other])
    assert after_heavy[0] < after_light[0] < before[0]
    assert after_heavy[0] < -0.1  # now reads as negative
    assert abs(after_heavy[1] - before[1]) < 0.5 * abs(after_heavy[0] - before[0])
    assert (BASE.score([similar]) == before[:1]).all()  # the shipped model itself is unchanged
    assert sentiment_teach.fingerprint(heavy) != sentiment_teach.fingerprint(BASE)


BOOK = cb.Codebook(
    name="t",
    version=1,
    themes=[cb.Theme(id="food", label="Food", seeds=["food"])],
)


@pytest.mark.skipif(
    load_sentiment_model() is None, reason="the shipped starter file has no sentiment model"
)
def test_classify_gives_the_corrected_answer_its_sentiment_and_teaches_the_rest():
    texts = ["the food was fine", "the food was fine on tuesday", "lovely garden", "rude staff"]
    responses = pd.DataFrame({"response_id": ["a", "b", "c", "d"], "text": texts})
    before = classify_responses(responses, BOOK).answers.set_index("response_id")
    fixes = pd.DataFrame(
        {"response_id": ["a"], "theme_id": ["sentiment:negative"], "present": [True]}
    )
    after = classify_responses(responses, BOOK, corrections=fixes).answers.set_index("response_id")
    assert after.loc["a", "sentiment_label"] == "negative"  # a person's word is final
    assert after.loc["a", "sentiment"] == sentiment_teach.label_score("negative")
    assert after.loc["b", "sentiment"] < before.loc["b", "sentiment"]  # learnt, not only overridden
    assert after.loc["a", "themes"] == before.loc["a", "themes"]  # no theme was judged


@pytest.fixture
def engine(fresh_store: str):
    return store.get_engine(fresh_store)


def test_sentiment_corrections_are_saved_with_who_and_checked(engine) -> None:
    save_corrections(1, [{"response_id": "r1", "theme_id": "access", "present": True}], who="Asha",
                     engine=engine)  # fmt: skip
    save_sentiment_correction(1, "r1", "positive", who="Asha", engine=engine)
    save_sentiment_correction(1, "r1", "negative", who="Ben", engine=engine)
    saved = list_corrections(1, engine=engine)
    assert set(saved["who"]) == {"Asha", "Ben"}
    _, labels = sentiment_teach.split_corrections(corrections_for_classifier(1, engine))
    assert labels == {"r1": "negative"}  # Ben's, the latest
    with pytest.raises(CorrectionError, match="one of"):
        save_sentiment_correction(1, "r1", "great", who="Ben", engine=engine)
