"""Retraining with corrections: they outweigh weak labels; agreement before/after on held-out ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.themes.codebook import default_codebook
from analysis.themes.corrections import (
    agreement,
    corrections_to_matrix,
    retrain_with_corrections,
)

# A team decides "parking" answers belong to environment_safety (no seed says so).
PARKING = [f"parking at site {i} was impossible" for i in range(12)] + [
    f"no parking spaces near clinic {i}" for i in range(12)
]
OTHER = [
    "the nurses were kind",
    "waited months for therapy",
    "my medication was changed",
    "the food was cold",
]


def _responses():
    texts = PARKING + OTHER
    return pd.DataFrame({"response_id": [f"r{i}" for i in range(len(texts))], "text": texts})


def test_corrections_outweigh_weak_labels_and_improve_heldout_agreement():
    responses = _responses()
    corr = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(len(PARKING))],
            "theme_id": "environment_safety",
            "present": True,
        }
    )
    clf, report = retrain_with_corrections(responses, default_codebook(), corr)
    assert report["heldout"] and report["n_heldout_answers"] >= 3
    assert report["after"]["f1"] > report["before"]["f1"]
    assert report["after"]["accuracy"] > report["before"]["accuracy"]
    assert report["after"]["accuracy"] >= 0.75
    assert "environment_safety" in clf.predict(["parking was impossible again"])[0]
    assert "environment_safety" not in clf.predict(["the nurses were kind"])[0]


def test_absent_corrections_remove_a_seeded_theme():
    responses = pd.DataFrame({"response_id": ["a", "b"], "text": ["the staff", "the staff"]})
    corr = pd.DataFrame({"response_id": ["a"], "theme_id": ["staff_behaviour"], "present": [False]})
    clf, report = retrain_with_corrections(responses, default_codebook(), corr)
    assert not report["heldout"]  # too few to hold out: measured in-sample and flagged
    assert report["n_corrected_cells"] == 1


def test_corrections_matrix_and_validation():
    ids, texts, y = corrections_to_matrix(
        _responses(),
        pd.DataFrame(
            {
                "response_id": ["r0", "r0", "r1"],
                "theme_id": ["access", "nope", "access"],
                "present": ["yes", True, 0],
            }
        ),
        ["access", "medication"],
    )
    assert ids == ["r0", "r1"]
    assert y.tolist() == [[1, -1], [0, -1]]
    with pytest.raises(ValueError, match="theme_id and present"):
        corrections_to_matrix(_responses(), pd.DataFrame({"x": [1]}), ["access"])


def test_agreement_numbers():
    got = agreement(np.array([[True, False], [False, False]]), np.array([[1, 0], [1, -1]]))
    assert got["n"] == 3 and got["accuracy"] == pytest.approx(2 / 3) and got["recall"] == 0.5
