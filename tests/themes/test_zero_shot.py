"""Zero-shot themes from the default codebook on small literal corpora."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from analysis.core import config
from analysis.themes.codebook import default_codebook
from analysis.themes.seed_match import SeedMatcher, split_seed
from analysis.themes.zero_shot import ZeroShotThemeClassifier

CORPUS = [
    "waited 14 weeks, nobody rang back",
    "Discharge was rushed, my GP wasn't told",
    "n/a",
    "nothing",
    "the football results were a surprise",
    "The nurses were so kind and caring",
    "My son was never involved in his care plan",
    "The side effects of the tablets were awful",
    "Called the crisis line at 3am and nobody answered",
    "The ward was dirty and I did not feel safe",
    "Excellent service, thank you",
    "I had to wait ages before anyone saw me",
]


@pytest.fixture(scope="module")
def clf():
    return ZeroShotThemeClassifier().fit(CORPUS, default_codebook())


def _labels(clf, text):
    return clf.predict([text])[0]


def test_core_examples(clf):
    assert "access" in _labels(clf, "waited 14 weeks, nobody rang back")
    got = _labels(clf, "Discharge was rushed, my GP wasn't told")
    assert "discharge_planning" in got
    assert set(got) <= {
        "discharge_planning",
        "partnership_working",
        "communication",
        "access",
    }
    assert _labels(clf, "n/a") == [config.NO_CONTENT]
    assert _labels(clf, "nothing") == [config.NO_CONTENT]
    assert _labels(clf, "") == [config.NO_CONTENT]
    assert _labels(clf, "the football results were a surprise") == [config.UNASSIGNED]


def test_more_themes(clf):
    assert "staff_behaviour" in _labels(clf, "The nurses were so kind and caring")
    assert "carers_family" in _labels(clf, "My son was never involved in his care plan")
    assert "medication" in _labels(clf, "The side effects of the tablets were awful")
    assert "crisis_care" in _labels(clf, "Called the crisis line at 3am and nobody answered")
    assert "environment_safety" in _labels(clf, "The ward was dirty and I did not feel safe")
    assert "positive_experience" in _labels(clf, "Excellent service, thank you")


def test_sub_theme_brings_parent(clf):
    got = _labels(clf, "I was on the waiting list for two years")
    assert "waiting_times" in got and "access" in got


def test_seeds_match_other_word_forms_of_their_words(clf):
    text = "I had to wait ages before anyone saw me"
    matches = SeedMatcher(default_codebook()).match(text)
    # The seed says "waited ages"; stemming lets "wait ages" raise it without the literal phrase.
    found = {split_seed(m.seed)[0] for m in matches}
    assert "waited ages" in found and "waited ages" not in text
    assert "access" in _labels(clf, text)
    text2 = "the psychiatrist doubled my dose of olanzapine"
    assert "medication" in _labels(clf, text2)


def test_model_alone_generalises_from_corpus():
    corpus = [
        "waited months in the queue",
        "the queue on the waiting list is so long",
        "stuck in a queue on the waiting list for a year",
        "long wait, queue after queue",
        "the food was cold",
        "the nurses were kind",
        "my medication was changed",
    ]
    clf = ZeroShotThemeClassifier().fit(corpus, default_codebook())
    # "queue" is in no seed; it co-occurs with waiting seeds in this corpus, so it now points there.
    p = clf.predict_proba(["another queue"])[0]
    ids = clf.theme_ids_
    assert ids[int(p.argmax())] in ("waiting_times", "access")
    assert p[ids.index("waiting_times")] > p[ids.index("medication")]


def test_negated_positive_seed_does_not_count():
    m = SeedMatcher(default_codebook())
    seeds = {x.seed for x in m.match("staff were not helpful")}
    assert "helpful" not in seeds
    assert "helpful" in {x.seed for x in m.match("staff were helpful")}


def test_explain_returns_words_of_the_text(clf):
    words = clf.explain("waited 14 weeks, nobody rang back", "access")
    assert words and all(w.lower() in "waited 14 weeks, nobody rang back" for w in words)
    with pytest.raises(KeyError):
        clf.explain("x", "not_a_theme")


def test_classify_batch_shapes_and_scores(clf):
    b = clf.classify(CORPUS)
    assert b.assigned.shape == (len(CORPUS), len(clf.theme_ids_))
    assert np.all((b.scores >= 0) & (b.scores <= 1))
    assert not b.assigned[b.no_content].any()
    i = CORPUS.index("waited 14 weeks, nobody rang back")
    assert b.evidence[i][clf.theme_ids_.index("access")]


def test_not_fitted_raises():
    with pytest.raises(NotFittedError):
        ZeroShotThemeClassifier().predict(["x"])


def test_fit_is_deterministic():
    a = ZeroShotThemeClassifier().fit(CORPUS, default_codebook())
    b = ZeroShotThemeClassifier().fit(CORPUS, default_codebook())
    assert np.array_equal(a.coef_, b.coef_)
    assert a.get_params()["random_state"] == config.RANDOM_SEED


def test_model_alone_needs_more_than_one_known_word():
    corpus = [
        "waited months in the queue",
        "the queue on the waiting list is so long",
        "stuck in a queue on the waiting list for a year",
        "long wait, queue after queue",
        "the food was cold",
        "the nurses were kind",
    ]
    clf = ZeroShotThemeClassifier(use_starter=False).fit(corpus, default_codebook())
    k = clf.theme_ids_.index("waiting_times")
    one, two = "queue", "stuck queue"
    p_one, p_two = clf.predict_proba([one])[0][k], clf.predict_proba([two])[0][k]
    assert p_one > 0 and p_two > 0
    # A threshold low enough that the model alone would raise both answers below.
    clf.thresholds_[k] = 0.9 * min(p_one, p_two)
    batch = clf.classify([one, two])
    # "Very caring" read as carers: one known word alone is not enough for the model to raise a theme.
    assert not batch.assigned[0][k]
    assert batch.assigned[1][k]
