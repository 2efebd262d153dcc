"""People's corrections of an answer's sentiment: final for the answer corrected, and training for
the rest.

A sentiment correction is kept beside the theme corrections (analysis.themes.corrections_store,
same table, same who and when, the latest for an answer wins) under a theme id no codebook theme can
have: "sentiment:positive", "sentiment:neutral", "sentiment:negative" or "sentiment:mixed". Theme
paths ignore such rows (no codebook has those theme ids); this module picks them out.

Training: the shipped ridge model (analysis.text.sentiment_model) is the prior, and the corrected
answers, each counting `weight` times, pull it towards people's word: the change to its coefficients
is a ridge regression of what people said minus what the model said, on the corrected answers'
features. So answers that share words and phrases with corrected ones move with them, and nothing
else changes. Without a shipped model (the lexicon scores answers) corrections are final for the
answers corrected but teach nothing.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.linear_model import Ridge

from analysis.core import config
from analysis.text.normalise import normalise
from analysis.text.sentiment_model import SentimentModel

PREFIX = "sentiment:"
# What a person's label means on the model's -1..1 scale (criticality 2 of 4 either way for a clear
# positive or negative; neutral and mixed are both "neither on balance").
TARGETS = {"positive": 0.5, "neutral": 0.0, "negative": -0.5, "mixed": 0.0}
PRIOR_ALPHA = 3.0  # the ridge penalty the shipped model was trained with


def theme_id_for(label: str) -> str:
    """The reserved theme id a sentiment correction is kept under; ValueError for an unknown label."""
    if label not in TARGETS:
        raise ValueError(f"a sentiment is one of {', '.join(TARGETS)}, not {str(label)[:20]!r}")
    return PREFIX + label


def split_corrections(
    corrections: pd.DataFrame | None,
) -> tuple[pd.DataFrame | None, dict[str, str]]:
    """(theme corrections or None when none are left, {response_id: sentiment label}).

    The latest sentiment correction of an answer wins (rows are oldest first, as stored); a row
    saying a sentiment is absent (present false) is ignored.
    """
    if corrections is None or corrections.empty or "theme_id" not in corrections.columns:
        return corrections, {}
    tid = corrections["theme_id"].astype(str)
    is_sent = tid.str.startswith(PREFIX)
    if not is_sent.any():
        return corrections, {}
    labels: dict[str, str] = {}
    rows = corrections[is_sent]
    for rid, t, present in zip(rows["response_id"].astype(str), tid[is_sent], rows["present"]):
        label = t[len(PREFIX) :]
        if label in TARGETS and _yes(present):
            labels[rid] = label
    themes = corrections[~is_sent].reset_index(drop=True)
    return (themes if not themes.empty else None), labels


def _yes(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y")
    return bool(value)


def taught_model(
    base: SentimentModel,
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    weight: float = config.CORRECTION_WEIGHT,
) -> SentimentModel:
    """`base` moved towards people's labels of `texts` (each counting `weight` times); base unchanged."""
    if not texts:
        return base
    norm = [normalise(t) for t in texts]
    X = sp.hstack([base.word.transform(norm), base.char.transform(norm)]).tocsr()
    said = np.array([TARGETS[label] for label in labels])
    now = np.asarray(X @ base.coef + base.intercept).ravel()
    # The change d minimises weight * sum (x.d - (said - now))^2 + alpha * |d|^2: corrections pull,
    # the shipped model holds where they say nothing.
    ridge = Ridge(alpha=PRIOR_ALPHA, fit_intercept=False, solver="sparse_cg", random_state=0)
    ridge.fit(X, said - now, sample_weight=np.full(len(norm), float(weight)))
    coef = (base.coef + ridge.coef_.astype(np.float32)).astype(np.float32)
    return replace(base, coef=coef)


def fingerprint(model: SentimentModel | None) -> str:
    """A short hash of a sentiment model's coefficients ("" for the lexicon)."""
    if model is None:
        return ""
    h = hashlib.sha1(np.ascontiguousarray(model.coef).tobytes())
    h.update(repr(model.intercept).encode())
    return h.hexdigest()[:12]


def label_score(label: str) -> float:
    """The score an answer takes when a person gave its sentiment label."""
    return TARGETS[label]


def with_taught_sentiment(
    model: object, rids: Sequence[str], texts: Sequence[str], fixes: dict[str, str]
) -> object:
    """The theme model to classify with, carrying (as `sentiment_model_`) the shipped sentiment
    model taught by people's sentiment corrections `fixes` ({response_id: label}) of these answers.

    A shallow copy when there is something to teach (a cached model is never changed); `model`
    itself when there are no corrections or no shipped sentiment model.
    """
    from analysis.text.sentiment_model import load_sentiment_model

    base = load_sentiment_model() if fixes else None
    if base is None:
        return model
    by_id = dict(zip(map(str, rids), texts))
    pairs = [(by_id[r], label) for r, label in fixes.items() if r in by_id]
    if not pairs:
        return model
    taught = copy.copy(model)
    taught.sentiment_model_ = taught_model(base, [t for t, _ in pairs], [lab for _, lab in pairs])
    if hasattr(taught, "fingerprint_"):
        del taught.fingerprint_  # another sentiment: another cache key
    return taught
