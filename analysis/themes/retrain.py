"""Retraining a fitted zero-shot model with people's judgements, in seconds at 100,000 answers.

A zero-shot fit spends most of its time on work judgements do not change: matching the seeds on
every answer, stemming and vectorising them, and asking the starter model about them. A model fitted
without judgements keeps that work (FitState), and `retrain` reuses it: the judged answers are
vectorised with the same vocabulary, and only the themes people judged are refitted and
recalibrated, each continuing from the fitted model (and its two calibration halves) for a few
passes rather than starting from zero: the judgements move a model that already fits the rest. A
theme nobody judged keeps the model's coefficients and threshold exactly, as refitting it would give
the same (its data and seed are unchanged).

What differs from fitting from scratch with the judgements: the vocabulary is the answers' own, so a
word that appears only in judged text from elsewhere (not among the answers) teaches nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from analysis.core import config
from analysis.themes.classifier_base import as_texts
from analysis.themes.features import stem_documents, transform

if TYPE_CHECKING:
    from analysis.themes.zero_shot import ZeroShotThemeClassifier

# Fitted attributes the retrained model shares with the model it starts from (read-only objects).
_SHARED = (
    "codebook_",
    "theme_ids_",
    "parents_",
    "matcher_",
    "starter_",
    "starter_pairs_",
    "vectorizer_",
    "n_fit_texts_",
    "seed_match_rate_",
    "fit_state_",
)


@dataclass
class FitState:
    """What a zero-shot fit without judgements learnt from.

    corpus: the (sampled, distinct) answers fitted on; Xc their feature rows; y_seeded their seed
    matches (n x K 0/1); Xs / y_seed the codebook's own documents; fold the calibration split (0/1
    per corpus answer, or None when too few to hold any out) and folds the (coef, intercept) fitted
    on each fold's training half to calibrate thresholds; starter_raised: which corpus answers
    the starter raises (n x K bool), computed the first time a retrain needs it.
    """

    corpus: list[str]
    Xc: sp.csr_matrix
    y_seeded: np.ndarray
    Xs: sp.csr_matrix
    y_seed: np.ndarray
    fold: np.ndarray | None
    folds: list[tuple[np.ndarray, np.ndarray]]
    starter_raised: np.ndarray | None = field(default=None, repr=False)


def can_retrain(model: object) -> bool:
    """True when `model` is a zero-shot model fitted without judgements (it kept its FitState)."""
    return getattr(model, "fit_state_", None) is not None


def retrain(
    base: ZeroShotThemeClassifier,
    labels: np.ndarray,
    label_texts: Sequence[object],
    *,
    label_weight: float = config.CORRECTION_WEIGHT,
    warm_start: bool = True,
) -> ZeroShotThemeClassifier:
    """A new model: `base` (fitted without judgements) taught by judgements.

    labels: m x K with 1 (present), 0 (absent) or -1 (not judged) per theme of base.theme_ids_;
    label_texts: the m judged answers. Each judgement counts label_weight times a weak label, as in
    ZeroShotThemeClassifier.fit. warm_start: each judged theme's models continue from base's for
    config.RETRAIN_EPOCHS passes (False: fitted from zero, as fit does; slower, for comparison).
    `base` is left unchanged.
    """
    if not can_retrain(base):
        raise ValueError("retrain needs a zero-shot model fitted without judgements")
    from analysis.themes.zero_shot import ZeroShotThemeClassifier

    state: FitState = base.fit_state_
    model = ZeroShotThemeClassifier(**base.get_params())
    for name in _SHARED:
        setattr(model, name, getattr(base, name))
    texts = as_texts(label_texts)
    K = len(base.theme_ids_)
    y_lab = np.asarray(labels, dtype=np.int8).reshape(len(texts), K)
    Xl = transform(base.vectorizer_, stem_documents(texts)) if texts else state.Xs[:0]
    model.taught_ = taught = (y_lab >= 0).any(axis=0)
    model.confirmed_ = (y_lab == 1).any(axis=0)
    model.n_labels_ = len(texts)
    model.thresholds_ = base.thresholds_.copy()
    model.coef_ = base.coef_.copy()
    model.intercept_ = base.intercept_.copy()
    themes = np.flatnonzero(taught).tolist()
    if not themes:
        return model
    y_corpus = state.y_seeded
    if getattr(base, "starter_", None) is not None:
        if state.starter_raised is None:
            state.starter_raised = base._starter_raised(state.corpus)[0]
        # As in fit: the starter's answers (no seed) are weak labels (2) of a judged theme.
        raised = state.starter_raised & taught & (y_corpus == 0)
        y_corpus = np.where(raised, 2, y_corpus).astype(np.int8)
    parts = (state.Xc, y_corpus, state.Xs, state.y_seed, Xl, y_lab, label_weight)
    thresholds, _ = model._calibrate_thresholds(
        parts, state.y_seeded, state.fold, themes, starts=state.folds if warm_start else None
    )
    start = (base.coef_, base.intercept_) if warm_start else None
    coef, icpt = model._fit_linear(*parts, themes=themes, start=start)
    model.thresholds_[themes] = thresholds[themes]
    model.coef_[themes] = coef[themes]
    model.intercept_[themes] = icpt[themes]
    return model
