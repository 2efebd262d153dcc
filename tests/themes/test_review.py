"""The review picker: doubtful answers across themes, no repeats, no no-content; judged-sample quality."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.themes import review
from tests.property_budget import examples


class _Model:
    """A stand-in classifier with fixed probabilities per text (predict_proba and thresholds_)."""

    def __init__(self, table: dict[str, list[float]], thresholds: list[float]) -> None:
        self.table = table
        self.thresholds_ = np.asarray(thresholds)
        self.theme_ids_ = [f"t{k}" for k in range(len(thresholds))]

    def predict_proba(self, texts):
        return np.asarray([self.table.get(t, [0.01] * len(self.thresholds_)) for t in texts])


def test_themes_take_turns_so_a_rare_theme_gets_judged():
    # Theme 0 has many doubtful answers; theme 1 (rare) has one, less doubtful than all of them.
    table = {f"common {i}": [0.5 + 0.001 * i, 0.01] for i in range(20)}
    table["rare one"] = [0.01, 0.3]
    model = _Model(table, [0.5, 0.5])
    picked = review.pick_for_review(model, list(table), 3)
    texts = [list(table)[i] for i in picked]
    assert "rare one" in texts[:2]
    assert texts[0] == "common 0"  # the most doubtful answer of all comes first


def test_duplicates_contentless_and_judged_answers_are_never_picked():
    texts = ["waited months", "Waited months!", "n/a", "", "rude nurse", "kind staff"]
    model = _Model({t: [0.5, 0.5] for t in texts}, [0.5, 0.5])
    picked = review.pick_for_review(model, texts, 10, exclude=[4])
    assert sorted(picked) == [0, 5]
    assert review.pick_for_review(model, texts, 0) == []
    assert review.pick_for_review(model, [], 5) == []


def test_an_answer_in_doubt_on_several_themes_comes_before_one_in_doubt_on_one():
    texts = ["one theme", "two themes"]
    model = _Model({"one theme": [0.5, 0.01], "two themes": [0.5, 0.45]}, [0.5, 0.5])
    assert review.pick_for_review(model, texts, 1) == [1]


def test_wilson_interval_and_how_many_more():
    low, high = review.wilson(8, 10)
    assert 0.44 < low < 0.5 and 0.94 < high < 0.97  # the textbook 95% Wilson interval of 8/10
    est = review.estimate(8, 10, target=0.1)
    assert est.value == pytest.approx(0.8) and est.more_for_half_width == 62 - 10
    assert review.estimate(0, 0).value is None and review.estimate(0, 0).more_for_half_width > 0
    assert review.estimate(400, 500).more_for_half_width == 0


def test_judged_quality_counts_only_judged_cells():
    assigned = np.array([[1, 0], [1, 1], [0, 1], [0, 0]], dtype=bool)
    judged = np.array([[1, -1], [0, 1], [1, -1], [-1, 0]])
    q = review.judged_quality(assigned, judged, ["a", "b"])
    assert q["a"]["precision"].n == 2 and q["a"]["precision"].value == pytest.approx(0.5)
    assert q["a"]["recall"].n == 2 and q["a"]["recall"].value == pytest.approx(0.5)
    assert q["b"]["precision"].n == 1 and q["b"]["precision"].value == 1.0
    assert q["b"]["recall"].value == 1.0


@settings(max_examples=examples(200), deadline=None)
@given(
    probs=st.lists(st.lists(st.floats(0, 1), min_size=3, max_size=3), min_size=0, max_size=30),
    count=st.integers(0, 40),
    exclude=st.sets(st.integers(0, 29), max_size=10),
)
def test_picks_are_distinct_usable_and_never_excluded(probs, count, exclude):
    texts = [f"answer number {chr(97 + i % 26)} {i}" for i in range(len(probs))]
    model = _Model(dict(zip(texts, probs, strict=True)), [0.5, 0.3, 0.7])
    picked = review.pick_for_review(model, texts, count, exclude=sorted(exclude))
    assert len(picked) == len(set(picked)) <= count
    assert not set(picked) & exclude
    assert len(picked) == min(count, len([i for i in range(len(texts)) if i not in exclude]))


def test_a_zero_shot_models_doubt_follows_what_decides_its_themes():
    from analysis.themes import codebook as cb
    from analysis.themes.zero_shot import ZeroShotThemeClassifier

    book = cb.Codebook(
        name="t",
        version=1,
        themes=[cb.Theme(id="staff_behaviour", label="Staff", seeds=["rude"]),
                cb.Theme(id="parking", label="Parking", seeds=["car park"])],
    )  # fmt: skip
    texts = ["rude receptionist", "the car park was full", "kind nurses", "lovely garden"] * 3
    model = ZeroShotThemeClassifier().fit(texts, book)
    if model.starter_ is None:
        pytest.skip("no shipped starter model")
    s = book.theme_ids.index("staff_behaviour")
    before = review.doubt_margins(model, ["kind nurses", "rude receptionist"])
    model.thresholds_ = model.thresholds_.copy()
    model.thresholds_[s] = 0.99  # the model alone does not raise a starter theme before judgements
    after = review.doubt_margins(model, ["kind nurses", "rude receptionist"])
    assert after[:, s] == pytest.approx(before[:, s])  # so its threshold is no part of the doubt
    review.DECISION_MARGINS = False
    try:
        plain = review.doubt_margins(model, ["kind nurses", "rude receptionist"])
    finally:
        review.DECISION_MARGINS = True
    assert not np.allclose(plain[:, s], after[:, s])  # the probability alone would say otherwise


def test_the_model_alone_is_no_doubt_on_an_answer_it_knows_one_word_of():
    from analysis.themes import codebook as cb
    from analysis.themes.zero_shot import ZeroShotThemeClassifier

    book = cb.Codebook(
        name="t",
        version=1,
        themes=[cb.Theme(id="parking", label="Parking", seeds=["car park"])],
    )
    texts = ["the car park was full", "car park too small", "kind nurses", "lovely garden"] * 3
    model = ZeroShotThemeClassifier().fit(texts, book)
    model.thresholds_ = np.zeros_like(model.thresholds_)  # the model alone would raise everything
    # "park" is one known word: classify never lets the model alone raise a theme on it, so no
    # judgement of it could flip a decision the model alone makes (no gate can open: the cap).
    one_word, two_words = review.doubt_margins(model, ["park", "full garden"])[:, 0]
    assert one_word == 50.0
    assert two_words < 50.0
    assert not model.classify(["park"]).assigned[0, 0]
