"""The starter theme model: a linear model trained on open NHS feedback whose framework
sub-categories are mapped onto codebook theme ids (data/starter_mapping.csv, editable), with the
codebook's labels, descriptions and seeds added as training texts. It gives themes to users with no
labels of their own; the zero-shot classifier raises a theme when its seeds match OR the starter is
confident (union).

Built by scripts/build_starter_model.py into the starter model file (analysis.text.starter_file).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from analysis.core import config
from analysis.text.normalise import is_contentless
from analysis.text.starter_file import load_part
from analysis.themes.classifier_base import as_texts, sigmoid
from analysis.themes.codebook import Codebook, ancestors
from analysis.themes.features import (
    pushing_words,
    stem_documents,
    transform,
    vectorizer_from_state,
    vectorizer_state,
    word_vectorizer,
)
from analysis.themes.seed_match import seed_phrase

logger = logging.getLogger(__name__)

MAPPING_PATH = config.DATA_DIR / "starter_mapping.csv"
MIN_EXAMPLES = 20  # a theme with fewer mapped examples is left to seeds alone
# An answer in which the starter knows a single word or phrase ("Nurses", "Care") puts all its
# weight on that word; such answers are left to the seeds.
MIN_FEATURES = 2
# A short answer (at most SHORT_WORDS words the starter knows) raises a theme only when two of
# them speak for it, or the starter is confident: "Fast and very helpful" or "Very speedy and very
# helpful" rest on one word ("fast") that the NHS framework's coders often file under access, where
# "Quicker appointments" or "Long wait" do not (precision audit, bench/precision_audit.py).
SHORT_WORDS = 3
SHORT_CONFIDENT = 0.5
THRESHOLD_GRID = np.round(np.arange(0.2, 0.96, 0.025), 3)
# The least probability at which the starter raises a theme, where the coded data's F1 choice sits
# lower than the codebook's meaning allows. The NHS framework's coders file praise of a named team
# or of the GP ("Best team of nurses", "happy with the Community Nursing Team, GP and other NHS
# services") under categories mapped to partnership working, so cross-validation picks 0.2-0.25 and
# half the answers the starter alone raises are not about services working together (precision
# audit, bench/precision_audit.py). Likewise they file speed and amount of service under access
# ("Get medicine faster when due to go home", "My appointments were incredibly helpful"), where the
# codebook means getting help at all: the starter's access raises under 0.4 were mostly something
# else. Waiting times, whose answers count under access too, likewise: under 0.4 the starter raised
# it on speed of anything ("Got me home quicker", "Answer bells more quickly", "Wrote medications
# promptly"), not waiting for an appointment, assessment or therapy. The seeds still raise these
# themes wherever they match.
THRESHOLD_FLOORS: dict[str, float] = {
    "access": 0.4,
    "waiting_times": 0.4,
    "partnership_working": 0.45,
}


def load_mapping(path: Path | None = None) -> dict[str, str]:
    """Framework sub-category code -> codebook theme id ("" where no theme fits)."""
    with open(path or MAPPING_PATH, newline="", encoding="utf-8") as fh:
        return {
            row["code"].strip(): (row.get("theme_id") or "").strip() for row in csv.DictReader(fh)
        }


def mapped_labels(
    codes: Sequence[str], theme_ids: Sequence[str], mapping: dict[str, str], codebook: Codebook
) -> np.ndarray:
    """n x K 0/1 codebook themes of coded comments (a sub-theme also raises its ancestors);
    codes the mapping does not know, or maps to a theme outside theme_ids, raise nothing."""
    pos = {t: k for k, t in enumerate(theme_ids)}
    y = np.zeros((len(codes), len(theme_ids)), dtype=np.int8)
    for i, code in enumerate(codes):
        tid = mapping.get(str(code).strip(), "")
        if tid in pos:
            for t in (tid, *ancestors(codebook, tid)):
                if t in pos:
                    y[i, pos[t]] = 1
    return y


def codebook_texts(codebook: Codebook, theme_ids: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Each active theme's label, description and seeds as training texts saying that theme."""
    pos = {t: k for k, t in enumerate(theme_ids)}
    texts: list[str] = []
    rows: list[np.ndarray] = []
    for theme in codebook.active_themes:
        if theme.id not in pos:
            continue
        row = np.zeros(len(theme_ids), dtype=np.int8)
        for t in (theme.id, *ancestors(codebook, theme.id)):
            if t in pos:
                row[pos[t]] = 1
        for s in [theme.label, theme.description, *map(seed_phrase, theme.seeds)]:
            if s:
                texts.append(s)
                rows.append(row)
    return texts, (np.vstack(rows) if rows else np.zeros((0, len(theme_ids)), dtype=np.int8))


@dataclass
class StarterThemes:
    """A fitted starter theme model. thresholds[k] is inf for themes it never raises."""

    theme_ids: list[str]
    vectorizer: object
    coef: np.ndarray
    intercept: np.ndarray
    thresholds: np.ndarray
    n_examples: np.ndarray

    def features(self, texts: Sequence[object]):  # noqa: ANN201 - scipy CSR matrix
        """TF-IDF rows of the answers."""
        return transform(self.vectorizer, stem_documents(as_texts(texts)))

    def proba(self, X) -> np.ndarray:  # noqa: ANN001
        """n x K probabilities from feature rows."""
        return sigmoid(np.asarray(X @ self.coef.T) + self.intercept)

    def decide(self, texts: Sequence[object]) -> np.ndarray:
        """n x K bool: themes the starter raises."""
        X = self.features(texts)
        return self.raise_from(X, self.proba(X))

    def raise_from(self, X, P: np.ndarray) -> np.ndarray:  # noqa: ANN001
        """n x K bool from feature rows and their probabilities (see MIN_FEATURES and
        SHORT_WORDS)."""
        X = X.tocsr()
        enough = np.diff(X.indptr) >= MIN_FEATURES
        raised = (P >= self.thresholds) & enough[:, None]
        word, pushes = self._word_pushes()
        known = (X.multiply(word) > 0).astype(np.float32).tocsr()
        short = np.flatnonzero((np.diff(known.indptr) <= SHORT_WORDS) & raised.any(axis=1))
        if len(short):
            # Per short answer and theme: how many of its words push the theme up.
            pushing = np.asarray(known[short] @ pushes)
            weak = (pushing < 2) & (P[short] < SHORT_CONFIDENT)
            raised[short] &= ~weak
        return raised

    def _word_pushes(self) -> tuple[np.ndarray, np.ndarray]:
        """(1 x V: 1 for single-word features, the rest being two-word phrases; V x K: 1 where
        a single word pushes a theme up)."""
        cached = getattr(self, "_pushes_cache", None)
        if cached is None:
            word = np.array([[" " not in t for t in self._names()]], dtype=np.float32)
            pushes = ((self.coef > 0) & (word > 0)).T.astype(np.float32)
            cached = self._pushes_cache = (word, pushes)
        return cached

    def top_words(self, text: str, x_row, k: int, top: int = 3) -> list[str]:  # noqa: ANN001
        """The answer's words that pushed theme k up most (the starter's reason)."""
        return pushing_words(text, x_row, self.coef[k], self._names(), top, scan=3)

    def _names(self) -> list[str]:
        names = getattr(self, "_names_cache", None)
        if names is None:
            names = [""] * len(self.vectorizer.vocabulary_)
            for term, i in self.vectorizer.vocabulary_.items():
                names[i] = term
            self._names_cache = names
        return names

    def to_file_parts(self) -> tuple[dict, dict[str, np.ndarray]]:
        """JSON-able meta and arrays for the starter model file."""
        params, vocab, idf = vectorizer_state(self.vectorizer)
        meta = {"theme_ids": self.theme_ids, "theme_vectorizer": params, "theme_vocab": vocab}
        thresholds = np.where(np.isfinite(self.thresholds), self.thresholds, -1.0)
        arrays = {
            "theme_idf": idf.astype(np.float32),
            "theme_coef": self.coef.astype(np.float16),
            "theme_intercept": self.intercept.astype(np.float64),
            "theme_thresholds": thresholds.astype(np.float64),
            "theme_n_examples": self.n_examples.astype(np.int64),
        }
        return meta, arrays

    @classmethod
    def from_file_parts(cls, meta: dict, arrays: dict[str, np.ndarray]) -> StarterThemes:
        """Rebuild from to_file_parts() output (as read from the starter model file)."""
        vec = vectorizer_from_state(
            meta["theme_vectorizer"], meta["theme_vocab"], arrays["theme_idf"]
        )
        thr = np.asarray(arrays["theme_thresholds"], dtype=np.float64)
        return cls(
            theme_ids=[str(t) for t in meta["theme_ids"]],
            vectorizer=vec,
            coef=np.asarray(arrays["theme_coef"], dtype=np.float32),
            intercept=np.asarray(arrays["theme_intercept"], dtype=np.float64),
            thresholds=np.where(thr < 0, np.inf, thr),
            n_examples=np.asarray(arrays["theme_n_examples"]),
        )


def _fit_lr(
    X,  # noqa: ANN001 - scipy CSR matrix
    y: np.ndarray,
    w: np.ndarray,
    c: float,
    class_weight: str | None = None,
) -> tuple[np.ndarray, float]:
    model = LogisticRegression(C=c, solver="liblinear", class_weight=class_weight, max_iter=200)
    model.fit(X, y, sample_weight=w)
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def train_starter_themes(
    texts: Sequence[str],
    y: np.ndarray,
    codebook: Codebook,
    theme_ids: Sequence[str],
    *,
    seed_hits: np.ndarray | None = None,
    c: float = 4.0,
    class_weight: str | None = None,
    grid: np.ndarray = THRESHOLD_GRID,
    folds: int = 3,
    random_state: int = config.RANDOM_SEED,
    floors: dict[str, float] | None = None,
) -> StarterThemes:
    """Fit one logistic regression per theme on coded comments plus the codebook's own texts.

    Per-theme thresholds maximise F1 on out-of-fold probabilities of the coded comments; given
    seed_hits (n x K, the codebook's seed matches on the same comments), F1 of the union with the
    seeds, as the product uses the starter: it then only adds what the seeds miss. c, class_weight
    and the threshold grid are compared by cross-validation grouped by trust in
    bench/quality_selection.py (balanced class weights, C 1 or 16 and thresholds down to 0.05 were
    no better on trusts the model never saw). floors (theme id -> least threshold; default
    THRESHOLD_FLOORS) raise a chosen threshold where the coded data reach beyond the codebook."""
    theme_ids = list(theme_ids)
    floor = THRESHOLD_FLOORS if floors is None else floors
    # The product gives contentless answers ("Nothing") no theme; learning from them would only
    # teach that "nothing" means praise, and "Nothing was good" would read as a positive experience.
    keep = np.array([not is_contentless(t) for t in texts], dtype=bool)
    texts = [t for t, k in zip(texts, keep) if k]
    y = np.asarray(y)[keep]
    if seed_hits is not None:
        seed_hits = np.asarray(seed_hits)[keep]
    cb_texts, cb_y = codebook_texts(codebook, theme_ids)
    docs = stem_documents(list(texts) + cb_texts)
    vec = word_vectorizer(min_df=2, max_features=60_000)
    X_all = vec.fit_transform(docs).tocsr()
    n = len(texts)
    X, Xc = X_all[:n], X_all[n:]
    Y = np.vstack([y, cb_y]).astype(np.int8)
    K = len(theme_ids)
    counts = y.sum(axis=0)
    coef = np.zeros((K, X_all.shape[1]), dtype=np.float32)
    icpt = np.full(K, -10.0)
    thr = np.full(K, np.inf)
    fold = np.random.default_rng(random_state).permutation(n) % folds
    import scipy.sparse as sp

    for k in range(K):
        if Y[:, k].min() == Y[:, k].max():
            continue
        coef[k], icpt[k] = _fit_lr(X_all, Y[:, k], np.ones(len(Y)), c, class_weight)
        if counts[k] < MIN_EXAMPLES:
            continue
        oof = np.zeros(n)
        for f in range(folds):
            tr, te = fold != f, fold == f
            Xtr = sp.vstack([X[tr], Xc]).tocsr()
            ytr = np.concatenate([y[tr, k], cb_y[:, k]])
            cf, b = _fit_lr(Xtr, ytr, np.ones(len(ytr)), c, class_weight)
            oof[te] = sigmoid(X[te] @ cf + b)
        base = seed_hits[:, k].astype(bool) if seed_hits is not None else np.zeros(n, dtype=bool)
        scores = [f1_score(y[:, k], base | (oof >= t), zero_division=0) for t in grid]
        thr[k] = max(float(grid[int(np.argmax(scores))]), floor.get(theme_ids[k], 0.0))
    logger.info("starter themes fitted on %d comments + %d codebook texts", n, len(cb_texts))
    return StarterThemes(theme_ids, vec, coef, icpt, thr, counts.astype(np.int64))


def load_starter_themes(json_path: Path | None = None) -> StarterThemes | None:
    """The shipped starter theme model, or None when the starter file is absent or unusable."""
    return load_part(json_path, "themes", "theme_ids", StarterThemes.from_file_parts)
