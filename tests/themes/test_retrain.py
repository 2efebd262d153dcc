"""Retraining a fitted zero-shot model with judgements (analysis.themes.retrain)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from analysis.themes import codebook as cb
from analysis.themes import judgements
from analysis.themes.corrections import retrain_with_corrections
from analysis.themes.retrain import can_retrain, retrain
from analysis.themes.zero_shot import ZeroShotThemeClassifier

BOOK = cb.Codebook(
    name="t",
    version=1,
    themes=[
        cb.Theme(id="access", label="Access", seeds=["waiting list", "referral"]),
        cb.Theme(id="staff", label="Staff", seeds=["rude", "kind staff"]),
        cb.Theme(id="discharge", label="Discharge", seeds=["discharge plan"]),
    ],
)
# Enough distinct answers (> 200) that thresholds are calibrated on held-out halves.
_OPENINGS = ["waited months on the waiting list", "the referral took ages", "rude receptionist",
             "kind staff on the ward", "sent home with no follow up", "the food was fine",
             "parking was hard", "nobody rang back", "left hospital with nothing arranged",
             "the garden was lovely", "the doctor listened", "no discharge plan at all"]  # fmt: skip
_ENDINGS = ["in spring", "last year", "again", "at night", "on monday", "for my son",
            "after the review", "this time", "as usual", "in the end", "for weeks",
            "with my mum", "on the unit", "at the clinic", "before christmas",
            "in june", "after my assessment", "for the second time"]  # fmt: skip
ANSWERS = [f"{a} {b}" for a, b in itertools.product(_OPENINGS, _ENDINGS)]


@pytest.fixture(scope="module")
def base() -> ZeroShotThemeClassifier:
    return ZeroShotThemeClassifier(use_starter=False).fit(ANSWERS, BOOK)


def _labels(rows: list[tuple[str, str, int]]) -> tuple[list[str], np.ndarray]:
    """(texts, m x K 1/0/-1) for (text, theme, present) rows."""
    frame = pd.DataFrame(
        [(t, t, tid, p) for t, tid, p in rows], columns=judgements.JUDGEMENT_COLUMNS
    )
    _, texts, y = judgements.judgement_matrix(frame, BOOK.theme_ids)
    return texts, y


SENT_HOME = [a for a in ANSWERS if a.startswith(("sent home", "left hospital"))]


def test_a_judged_theme_is_learnt_and_an_unjudged_one_is_kept_exactly(base):
    assert base.fit_state_.fold is not None  # the calibrated path, not the small-corpus one
    texts, y = _labels([(t, "discharge", 1) for t in SENT_HOME[:12]])
    model = retrain(base, y, texts)
    d = BOOK.theme_ids.index("discharge")
    probe = ["sent home with no follow up during the summer"]
    assert model.predict_proba(probe)[0, d] > base.predict_proba(probe)[0, d] + 0.2
    assert "discharge" in model.predict(probe)[0]
    for k, tid in enumerate(BOOK.theme_ids):
        if tid != "discharge":  # nobody judged it: the very same coefficients and threshold
            assert np.array_equal(model.coef_[k], base.coef_[k])
            assert model.thresholds_[k] == base.thresholds_[k]
    assert model.taught_.tolist() == [False, False, True]
    assert not getattr(base, "taught_", np.zeros(3, bool)).any()  # the base is left as it was


def test_heavier_judgements_move_the_model_further(base):
    texts, y = _labels([(t, "staff", 0) for t in ANSWERS if t.startswith("rude")])
    k = BOOK.theme_ids.index("staff")
    light = retrain(base, y, texts, label_weight=0.01)
    heavy = retrain(base, y, texts, label_weight=20.0)
    p = ["rude receptionist at the desk"]
    assert heavy.predict_proba(p)[0, k] < light.predict_proba(p)[0, k]


def test_retrain_continuing_from_the_fit_agrees_with_fitting_the_judged_theme_from_zero(base):
    texts, y = _labels([(t, "discharge", 1) for t in SENT_HOME[:12]])
    warm = retrain(base, y, texts).predict(ANSWERS)
    cold = retrain(base, y, texts, warm_start=False).predict(ANSWERS)
    same = sum(a == b for a, b in zip(warm, cold, strict=True))
    assert same >= 0.95 * len(ANSWERS)


def test_only_a_model_fitted_without_judgements_is_retrained(base):
    texts, y = _labels([("rude receptionist again", "staff", 0)])
    taught = ZeroShotThemeClassifier(use_starter=False).fit(
        ANSWERS, BOOK, labels=y, label_texts=texts
    )
    assert can_retrain(base) and not can_retrain(taught)
    with pytest.raises(ValueError, match="without judgements"):
        retrain(taught, y, texts)
    # fit_with_judgements falls back to fitting from scratch, and returns the base when nothing is judged
    frame = pd.DataFrame(
        [("r", "rude receptionist again", "staff", 0)], columns=judgements.JUDGEMENT_COLUMNS
    )
    assert judgements.fit_with_judgements(ANSWERS, BOOK, None, base=base) is base
    again = judgements.fit_with_judgements(ANSWERS, BOOK, frame, base=taught)
    assert again is not taught and again.taught_.any()


def test_corrections_retrain_the_given_model_and_report_agreement(base):
    responses = pd.DataFrame(
        {"response_id": [str(i) for i in range(len(ANSWERS))], "text": ANSWERS}
    )
    rows = [i for i, a in enumerate(ANSWERS) if a.startswith(("sent home", "left hospital"))]
    corr = pd.DataFrame(
        {"response_id": [str(i) for i in rows], "theme_id": "discharge", "present": 1}
    )
    model, report = retrain_with_corrections(responses, BOOK, corr, base=base)
    assert report["heldout"] and report["n_corrected_answers"] == len(rows)
    assert report["after"]["recall"] > report["before"]["recall"]
    assert model.fit_state_ is base.fit_state_  # retrained from the base's fitted answers
