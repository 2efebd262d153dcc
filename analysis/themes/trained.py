"""Theme classification trained on people's coded answers (multi-label or one-label-per-answer).

Word (stem 1-2 gram) and character (2-5 gram) TF-IDF, one linear SVM per theme with balanced class
weights (rare themes count as much as common ones), scores calibrated to 0..1 and per-theme
thresholds tuned on a seeded held-out split. When every training answer has exactly one label the
model predicts exactly one (the best-scoring theme), as the training data did.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from analysis.core import config
from analysis.core.errors import InputError
from analysis.text.normalise import is_contentless, normalise
from analysis.themes.classifier_base import ClassifiedBatch, ThemeClassifierBase, sigmoid
from analysis.themes.features import (
    char_vectorizer,
    normalised_documents,
    stem_documents,
    surface_for_stems,
    transform,
    word_vectorizer,
)

logger = logging.getLogger(__name__)

_TRUE = {"1", "1.0", "true", "yes", "y", "x"}
_FALSE = {"", "0", "0.0", "false", "no", "n", "nan", "none", "na", "n/a"}


class LabelError(InputError):
    """Label columns that cannot be read as themes; the message says why."""


def labels_from_frame(
    frame: pd.DataFrame, label_columns: Sequence[str]
) -> tuple[np.ndarray, list[str]]:
    """Read labels: one 0/1 column per theme (blank = 0), or ONE column of names joined by "|".

    Returns (n x L 0/1 matrix, label names).
    """
    cols = list(label_columns)
    if not cols:
        raise LabelError("give at least one label column")
    for c in cols:
        if c not in frame.columns:
            raise LabelError(f"no label column '{c}'")
    values = {c: frame[c].fillna("").astype(str).str.strip() for c in cols}
    binary = all(set(v.str.lower().unique()) <= (_TRUE | _FALSE) for v in values.values())
    if binary and not (len(cols) == 1 and not set(values[cols[0]].str.lower().unique()) & _TRUE):
        y = np.column_stack([values[c].str.lower().isin(_TRUE).to_numpy() for c in cols]).astype(
            np.int8
        )
        return y, cols
    if len(cols) > 1:
        bad = next(c for c in cols if not set(values[c].str.lower().unique()) <= (_TRUE | _FALSE))
        raise LabelError(
            f"label column '{bad}' is not 0/1; give one column of theme names joined by '|' "
            "or one 0/1 column per theme"
        )
    split = values[cols[0]].map(lambda s: [p.strip() for p in s.split("|") if p.strip()])
    names = sorted({n for row in split for n in row})
    if not names:
        raise LabelError(f"label column '{cols[0]}' is empty")
    pos = {n: i for i, n in enumerate(names)}
    y = np.zeros((len(frame), len(names)), dtype=np.int8)
    for i, row in enumerate(split):
        for n in row:
            y[i, pos[n]] = 1
    return y, names


def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """Probability threshold maximising F1 on held-out answers (0.5 when there is nothing to tune on)."""
    if y.sum() == 0:
        return 0.5
    best, best_f1 = 0.5, -1.0
    for t in np.unique(np.round(p, 3)):
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        f1 = 2 * tp / (pred.sum() + y.sum()) if pred.sum() + y.sum() else 0.0
        if f1 > best_f1:
            best, best_f1 = float(t), f1
    return float(np.clip(best, 0.05, 0.95))


class TrainedThemeClassifier(ThemeClassifierBase):
    """Multi-label theme classifier trained on labelled answers.

    Args:
        C: SVM regularisation (smaller = smoother).
        use_char: add character 2-5 gram features (robust to typos and word forms).
        val_size: share of answers held out to calibrate scores and tune thresholds.
        exclusive: "auto" (one label per answer when all training answers have exactly one),
            True or False.
        max_features: cap on each vocabulary (memory).
        random_state: seed of the held-out split.
    """

    def __init__(
        self,
        C: float = 0.5,
        use_char: bool = True,
        val_size: float = 0.2,
        exclusive: bool | str = "auto",
        max_features: int = 200_000,
        random_state: int = config.RANDOM_SEED,
    ) -> None:
        self.C = C
        self.use_char = use_char
        self.val_size = val_size
        self.exclusive = exclusive
        self.max_features = max_features
        self.random_state = random_state

    def _features(self, texts: Sequence[str]):  # noqa: ANN202
        parts = [transform(self.word_vectorizer_, stem_documents(texts))]
        if self.char_vectorizer_ is not None:
            parts.append(transform(self.char_vectorizer_, normalised_documents(texts)))
        return sp.hstack(parts).tocsr() if len(parts) > 1 else parts[0].tocsr()

    def _fit_svms(self, X, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
        # liblinear may stop at max_iter on big vocabularies; the result is still a good model.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return self._fit_svms_inner(X, Y)

    def _fit_svms_inner(self, X, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
        L = Y.shape[1]
        if self.exclusive_ and L > 1:
            y = Y.argmax(axis=1)
            present = np.unique(y)
            m = LinearSVC(
                C=self.C,
                class_weight="balanced",
                random_state=self.random_state,
                max_iter=3000,
            )
            m.fit(X, y)
            coef = np.full((L, X.shape[1]), 0.0)
            icpt = np.full(L, -5.0)  # a label never seen in this split is never predicted
            if len(present) == 2:  # binary LinearSVC returns one row for the second class
                coef[present[1]], icpt[present[1]] = m.coef_[0], m.intercept_[0]
                coef[present[0]], icpt[present[0]] = -m.coef_[0], -m.intercept_[0]
            else:
                coef[present], icpt[present] = m.coef_, m.intercept_
            return coef, icpt
        coef = np.zeros((L, X.shape[1]))
        icpt = np.full(L, -5.0)
        for k in range(L):
            y = Y[:, k]
            if y.min() == y.max():
                icpt[k] = 5.0 if y.max() == 1 else -5.0
                continue
            m = LinearSVC(
                C=self.C,
                class_weight="balanced",
                random_state=self.random_state,
                max_iter=3000,
            )
            m.fit(X, y)
            coef[k], icpt[k] = m.coef_[0], m.intercept_[0]
        return coef, icpt

    def fit(
        self, texts: Sequence[object], Y: np.ndarray, label_names: Sequence[str]
    ) -> TrainedThemeClassifier:
        """Fit on answers and an n x L 0/1 label matrix; returns self."""
        texts = ["" if t is None or (isinstance(t, float) and t != t) else str(t) for t in texts]
        Y = np.asarray(Y, dtype=np.int8)
        if Y.ndim != 2 or Y.shape[0] != len(texts) or Y.shape[1] != len(label_names):
            raise ValueError(
                "labels must be an n_answers x n_labels 0/1 matrix matching label_names"
            )
        if len(texts) < 10:
            raise ValueError("need at least 10 labelled answers to train")
        if Y.sum() == 0:
            raise ValueError("no answer has any label")
        self.label_names_ = [str(n) for n in label_names]
        self.theme_ids_ = self.label_names_
        self.exclusive_ = (
            bool((Y.sum(axis=1) == 1).all()) if self.exclusive == "auto" else bool(self.exclusive)
        )
        self.word_vectorizer_ = word_vectorizer(min_df=1, max_features=self.max_features)
        self.word_vectorizer_.fit(stem_documents(texts))
        self.char_vectorizer_ = None
        if self.use_char:
            self.char_vectorizer_ = char_vectorizer(min_df=2, max_features=self.max_features)
            self.char_vectorizer_.fit(normalised_documents(texts))
        X = self._features(texts)

        rng = np.random.default_rng(self.random_state)
        n = len(texts)
        order = rng.permutation(n)
        n_val = max(int(round(self.val_size * n)), 1)
        val, tr = np.sort(order[:n_val]), np.sort(order[n_val:])
        coef, icpt = self._fit_svms(X[tr], Y[tr])
        D = np.asarray(X[val] @ coef.T) + icpt
        L = len(self.label_names_)
        self.platt_a_ = np.ones(L)
        self.platt_b_ = np.zeros(L)
        self.thresholds_ = np.full(L, 0.5)
        for k in range(L):
            yk = Y[val, k]
            if 0 < yk.sum() < len(yk):
                lr = LogisticRegression(C=100.0).fit(D[:, [k]], yk)
                self.platt_a_[k], self.platt_b_[k] = lr.coef_[0, 0], lr.intercept_[0]
            self.thresholds_[k] = _best_threshold(
                sigmoid(self.platt_a_[k] * D[:, k] + self.platt_b_[k]), yk
            )
        self.coef_, self.intercept_ = self._fit_svms(X, Y)
        self.coef_ = self.coef_.astype(np.float32)
        self.n_train_ = n
        # Only if people coded contentless answers ("nothing" -> "nothing to improve") may the model
        # theme them; otherwise they stay no_content like in zero-shot mode.
        self.learned_contentless_ = bool(
            any(is_contentless(t) and Y[i].any() for i, t in enumerate(texts))
        )
        return self

    def decision_function(self, texts: Sequence[object]) -> np.ndarray:
        """n x L raw SVM margins."""
        check_is_fitted(self, "coef_")
        texts = ["" if t is None or (isinstance(t, float) and t != t) else str(t) for t in texts]
        return np.asarray(self._features(texts) @ self.coef_.T) + self.intercept_

    def predict_proba(self, texts: Sequence[object]) -> np.ndarray:
        """n x L calibrated scores (0..1) per label."""
        return sigmoid(self.decision_function(texts) * self.platt_a_ + self.platt_b_)

    def predict_matrix(self, texts: Sequence[object]) -> np.ndarray:
        """n x L 0/1 decisions (one per answer in exclusive mode, thresholds otherwise)."""
        D = self.decision_function(texts)
        if self.exclusive_:
            out = np.zeros(D.shape, dtype=np.int8)
            if len(D):
                out[np.arange(len(D)), D.argmax(axis=1)] = 1
            return out
        return (sigmoid(D * self.platt_a_ + self.platt_b_) >= self.thresholds_).astype(np.int8)

    def classify(self, texts: Sequence[object], *, explain_model: bool = True) -> ClassifiedBatch:
        """Decisions as a ClassifiedBatch (blank answers the model gives nothing are no_content)."""

        check_is_fitted(self, "coef_")
        texts = ["" if t is None or (isinstance(t, float) and t != t) else str(t) for t in texts]
        X = self._features(texts)
        D = np.asarray(X @ self.coef_.T) + self.intercept_
        P = sigmoid(D * self.platt_a_ + self.platt_b_)
        if self.exclusive_:
            assigned = np.zeros(D.shape, dtype=bool)
            if len(D):
                assigned[np.arange(len(D)), D.argmax(axis=1)] = True
        else:
            assigned = P >= self.thresholds_
        X_nnz = np.diff(X.indptr)
        assigned[X_nnz == 0] = False  # no known word at all: nothing to go on
        learned = getattr(self, "learned_contentless_", False)
        blank = np.array(
            [
                not normalise(t) or (is_contentless(t) and (not learned or not assigned[i].any()))
                for i, t in enumerate(texts)
            ],
            dtype=bool,
        )
        assigned[blank] = False
        evidence: list[dict[int, list[str]]] = [{} for _ in texts]
        if explain_model:
            for i, k in zip(*np.nonzero(assigned)):
                evidence[i][k] = self.explain(texts[i], self.label_names_[k])
        return ClassifiedBatch(self.label_names_, assigned, P, evidence, blank)

    def explain(self, text: str, theme: str, top: int = 5) -> list[str]:
        """Words of `text` whose n-grams pushed `theme` up most (word features, mapped to the text)."""
        check_is_fitted(self, "coef_")
        if theme not in self.label_names_:
            raise KeyError(f"unknown label '{theme}'")
        k = self.label_names_.index(theme)
        x = transform(self.word_vectorizer_, stem_documents([text]))[0].tocsr()
        n_word = len(self.word_vectorizer_.vocabulary_)
        contrib = x.data * self.coef_[k, :n_word][x.indices]
        names = self._word_names()
        out: list[str] = []
        for j in np.argsort(-contrib):
            if contrib[j] <= 0 or len(out) >= top:
                break
            words = surface_for_stems(text, names[x.indices[j]])
            if words and not any(words.lower() in o.lower() for o in out):
                out.append(words)
        return out

    def _word_names(self) -> np.ndarray:
        names = getattr(self, "_names_cache", None)
        if names is None:
            names = self.word_vectorizer_.get_feature_names_out()
            self._names_cache = names
        return names
