"""Trained theme model: label formats, multi-label thresholds, exclusive mode, explanations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from analysis.themes.trained import (
    LabelError,
    TrainedThemeClassifier,
    labels_from_frame,
)

WAIT = [
    "waited months for a referral",
    "the waiting list is two years",
    "still waiting for therapy",
    "long wait to be seen",
    "months on a waiting list",
]
STAFF = [
    "the nurses were rude",
    "staff were kind and caring",
    "my doctor was dismissive",
    "lovely staff on the ward",
    "reception staff were unhelpful",
]
BOTH = [
    "rude staff and a long wait",
    "waited hours and staff were dismissive",
    "kind nurses but the wait was long",
]


def _data(times: int = 4):
    texts, y = [], []
    for _ in range(times):
        texts += WAIT + STAFF + BOTH
        y += [[1, 0]] * len(WAIT) + [[0, 1]] * len(STAFF) + [[1, 1]] * len(BOTH)
    return texts, np.array(y)


def test_labels_from_binary_columns_blank_is_zero():
    f = pd.DataFrame({"wait": ["1", "", "0", "yes"], "staff": ["", "1", "true", ""]})
    y, names = labels_from_frame(f, ["wait", "staff"])
    assert names == ["wait", "staff"]
    assert y.tolist() == [[1, 0], [0, 1], [0, 1], [1, 0]]


def test_labels_from_pipe_joined_names():
    f = pd.DataFrame({"themes": ["access|staff", "staff", "", " access "]})
    y, names = labels_from_frame(f, ["themes"])
    assert names == ["access", "staff"]
    assert y.tolist() == [[1, 1], [0, 1], [0, 0], [1, 0]]


def test_label_errors():
    f = pd.DataFrame({"a": ["1", "maybe"], "b": ["0", "1"]})
    with pytest.raises(LabelError, match="not 0/1"):
        labels_from_frame(f, ["a", "b"])
    with pytest.raises(LabelError, match="no label column"):
        labels_from_frame(f, ["zzz"])
    with pytest.raises(LabelError, match="empty"):
        labels_from_frame(pd.DataFrame({"t": ["", ""]}), ["t"])


def test_multilabel_fit_predict_and_explain():
    texts, y = _data()
    clf = TrainedThemeClassifier(use_char=False).fit(texts, y, ["waiting", "staff"])
    assert not clf.exclusive_
    got = clf.predict(
        [
            "I waited months on the list",
            "the staff were rude",
            "rude staff and a long wait",
        ]
    )
    assert "waiting" in got[0] and "staff" in got[1]
    assert set(got[2]) == {"waiting", "staff"}
    assert clf.predict(["n/a"]) == [["no_content"]]
    assert clf.predict(["zebra quantum"]) == [["unassigned"]]
    words = clf.explain("the staff were rude", "staff")
    assert words and all(w in "the staff were rude" for w in words)
    assert clf.thresholds_.shape == (2,)


def test_exclusive_mode_when_single_labels():
    texts = (WAIT + STAFF) * 3
    y = np.array(([[1, 0]] * 5 + [[0, 1]] * 5) * 3)
    clf = TrainedThemeClassifier().fit(texts, y, ["waiting", "staff"])
    assert clf.exclusive_
    assert clf.predict_matrix(["staff were kind"]).sum() == 1


def test_errors():
    with pytest.raises(NotFittedError):
        TrainedThemeClassifier().predict(["x"])
    with pytest.raises(ValueError, match="at least 10"):
        TrainedThemeClassifier().fit(["a"] * 3, np.ones((3, 1)), ["x"])
    with pytest.raises(ValueError, match="matrix"):
        TrainedThemeClassifier().fit(["a"] * 12, np.ones((12, 2)), ["x"])
