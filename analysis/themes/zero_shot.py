"""Theme classification from a codebook alone (zero-shot): seed phrases give weak labels on the
answers themselves, a linear model over stem TF-IDF learns from them and generalises beyond the
literal seeds, and per-theme thresholds are calibrated so the model adds without flooding.

The trained (labelled-data) classifier lives in analysis/themes/trained.py; both share
analysis/themes/classifier_base.py.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from analysis.core import config
from analysis.text.normalise import is_contentless
from analysis.themes.classifier_base import ClassifiedBatch, ThemeClassifierBase, as_texts, sigmoid
from analysis.themes.codebook import Codebook, ancestors, codebook_from_dict, codebook_to_dict
from analysis.themes.features import (
    pushing_words,
    stem_documents,
    transform,
    word_vectorizer,
)
from analysis.themes.retrain import FitState
from analysis.themes.seed_match import SeedMatcher, evidence_text, seed_phrase
from analysis.themes.theme_fits import fit_per_theme

logger = logging.getLogger(__name__)
# An answer in which the codebook model knows one word only ("Very caring", "When there was a group")
# gets a theme from a seed or the starter only, as with the starter (precision audit, bench/).
MODEL_MIN_FEATURES = 2
MIN_CALIBRATION_TEXTS = 200  # fewer answers: thresholds stay at their floor (nothing to hold out)


def _parent_matrix(codebook: Codebook) -> list[list[int]]:
    """For each active theme index, the indices of its active ancestors (for roll-up)."""
    ids = codebook.theme_ids
    pos = {t: i for i, t in enumerate(ids)}
    return [[pos[a] for a in ancestors(codebook, t) if a in pos] for t in ids]


class ZeroShotThemeClassifier(ThemeClassifierBase):
    """Multi-label themes from a codebook alone (seed-phrase weak labels + linear model).

    Args:
        alpha: L2 regularisation of the per-theme logistic regressions.
        max_fit_texts: the model is fitted on a seeded sample of at most this many distinct answers.
        min_proba: lowest probability at which the model alone may raise a theme.
        max_expansion: per theme, answers raised by the model alone are capped (on held-out folds)
            at this share of the answers its seeds matched, so generalising never floods.
        seed_proba: a seed match raises its theme unless the model (e.g. after corrections) puts
            the theme below this probability.
        unmatched_weight: weight of answers no seed matched (soft negatives: unknown, not absent).
        random_state: seed for sampling and folds.
        use_starter: also raise a theme when the shipped starter model (trained on open NHS
            feedback, analysis.themes.starter) is confident, for the codebook's themes it knows.
            Where people judged a theme, the starter's answers become weak labels beside the
            seeds' and the starter raises it only where the model (judgements weighing
            label_weight times as much) does not put it below seed_proba.
    """

    def __init__(
        self,
        alpha: float = 1e-5,
        max_fit_texts: int = config.ZERO_SHOT_MAX_FIT_TEXTS,
        min_proba: float = config.ZERO_SHOT_MIN_PROBA,
        max_expansion: float = config.ZERO_SHOT_MAX_EXPANSION,
        seed_proba: float = 0.2,
        unmatched_weight: float = config.ZERO_SHOT_UNMATCHED_WEIGHT,
        random_state: int = config.RANDOM_SEED,
        use_starter: bool = True,
    ) -> None:
        self.alpha = alpha
        self.max_fit_texts = max_fit_texts
        self.min_proba = min_proba
        self.max_expansion = max_expansion
        self.seed_proba = seed_proba
        self.unmatched_weight = unmatched_weight
        self.random_state = random_state
        self.use_starter = use_starter

    # --- fitting ---------------------------------------------------------------------------
    def _weak_labels(self, texts: list[str]) -> np.ndarray:
        """n x K 0/1 matrix: which themes' seeds match each answer (rolled up to parents)."""
        y = np.zeros((len(texts), len(self.theme_ids_)), dtype=np.int8)
        for i, t in enumerate(texts):
            for m in self.matcher_.match(t):
                y[i, m.theme_index] = 1
                for a in self.parents_[m.theme_index]:
                    y[i, a] = 1
        return y

    def fit(
        self,
        texts: Sequence[object],
        codebook: Codebook,
        *,
        labels: np.ndarray | None = None,
        label_texts: Sequence[object] | None = None,
        label_weight: float = config.CORRECTION_WEIGHT,
    ) -> ZeroShotThemeClassifier:
        """Fit on the answers to classify (no labels needed) and the codebook's seeds.

        labels / label_texts: optional people's corrections, an m x K matrix with 1 (present),
        0 (absent) or -1 (not said) per theme, which outweigh weak labels by `label_weight`.
        """
        self.codebook_ = codebook_from_dict(codebook_to_dict(codebook))
        self.theme_ids_ = list(self.codebook_.theme_ids)
        self.parents_ = _parent_matrix(self.codebook_)
        self.matcher_ = SeedMatcher(self.codebook_)
        self._attach_starter()
        # One generator, drawn from in a fixed order (sample, then folds): the fit is reproducible.
        rng = np.random.default_rng(self.random_state)
        corpus = self._sample_corpus(texts, rng)
        y_corpus = y_seeded = self._weak_labels(corpus)
        lab_texts = as_texts(label_texts) if label_texts is not None else []
        y_lab = (
            np.asarray(labels, dtype=np.int8).reshape(len(lab_texts), len(self.theme_ids_))
            if lab_texts
            else np.zeros((0, len(self.theme_ids_)), dtype=np.int8)
        )
        # Themes people judged: there the starter's answers join the seeds' as weak labels (2:
        # starter only, weighing STARTER_WEIGHT), so the model weighs them against the judgements
        # (label_weight each), and the starter raises such a theme only where that model does not
        # clearly disagree. Thresholds stay calibrated on the seeds' matches.
        self.taught_ = (y_lab >= 0).any(axis=0)
        self.confirmed_ = (y_lab == 1).any(axis=0)
        if self.taught_.any():
            started, _, _ = self._starter_raised(corpus)
            raised = started & self.taught_ & (y_corpus == 0)
            y_corpus = np.where(raised, 2, y_corpus).astype(np.int8)
        seed_texts, y_seed = self._seed_documents()
        Xc, Xs, Xl = self._vectorise((corpus, seed_texts, lab_texts))
        fold = rng.permutation(len(corpus)) % 2 if len(corpus) >= MIN_CALIBRATION_TEXTS else None
        parts = (Xc, y_corpus, Xs, y_seed, Xl, y_lab, label_weight)
        self.thresholds_, folds = self._calibrate_thresholds(parts, y_seeded, fold)
        self.coef_, self.intercept_ = self._fit_linear(*parts)
        if not lab_texts:  # what a retrain with judgements reuses (analysis.themes.retrain)
            self.fit_state_ = FitState(corpus, Xc, y_seeded, Xs, y_seed, fold, folds)
        self.n_fit_texts_ = n = len(corpus)
        self.n_labels_ = len(lab_texts)
        self.seed_match_rate_ = float(y_seeded.any(axis=1).mean()) if n else 0.0
        logger.info(
            "zero-shot fitted on %d answers (%.0f%% matched a seed)", n, 100 * self.seed_match_rate_
        )
        return self

    def _sample_corpus(self, texts: Sequence[object], rng: np.random.Generator) -> list[str]:
        """The distinct answers with content, sorted; a seeded sample of max_fit_texts if more."""
        corpus = sorted({t for t in as_texts(texts) if not is_contentless(t)})
        if len(corpus) > self.max_fit_texts:
            pick = rng.choice(len(corpus), size=self.max_fit_texts, replace=False)
            corpus = [corpus[i] for i in np.sort(pick)]
        return corpus

    def _seed_documents(self) -> tuple[list[str], np.ndarray]:
        """The themes' labels and seeds as documents, each saying its theme (and its ancestors)."""
        seed_texts: list[str] = []
        seed_rows: list[np.ndarray] = []
        for k, theme in enumerate(self.codebook_.active_themes):
            row = np.zeros(len(self.theme_ids_), dtype=np.int8)
            row[[k, *self.parents_[k]]] = 1
            for s in [theme.label, *map(seed_phrase, theme.seeds)]:
                seed_texts.append(s)
                seed_rows.append(row)
        return seed_texts, np.vstack(seed_rows)

    def _vectorise(self, parts: tuple[list[str], ...]) -> tuple[sp.csr_matrix, ...]:
        """Fit the vectorizer on answers, seeds and labels; return each part's rows."""
        docs = [stem_documents(part) for part in parts]
        self.vectorizer_ = word_vectorizer(min_df=2 if len(parts[0]) >= 5000 else 1)
        # One pass: the fitted matrix's rows are what transform() would give for each part.
        X_all = self.vectorizer_.fit_transform(docs[0] + docs[1] + docs[2]).tocsr()
        X_all.sort_indices()  # as transform() returns them (same sums, same order)
        n_c, n_s = len(docs[0]), len(docs[1])
        return X_all[:n_c], X_all[n_c : n_c + n_s], X_all[n_c + n_s :]

    def _calibrate_thresholds(
        self,
        parts: tuple,
        y_seeded: np.ndarray,
        fold: np.ndarray | None,
        themes: Sequence[int] | None = None,
        starts: list[tuple[np.ndarray, np.ndarray]] | None = None,
    ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """Per-theme thresholds from two held-out folds (fold: 0/1 per corpus answer; None when
        too few answers to hold any out): the model alone adds at most max_expansion times the
        answers a theme's seeds matched (floor min_proba). themes: only these (others 0.5+);
        starts: each fold's earlier models to continue from (see _fit_linear).

        Returns (thresholds, each fold's (coef, intercept)).
        """
        Xc, y_corpus, Xs, y_seed, Xl, y_lab, label_weight = parts
        K = len(self.theme_ids_)
        thresholds = np.full(K, max(self.min_proba, 0.5), dtype=np.float64)
        n = Xc.shape[0]
        if fold is None:
            return thresholds, []
        themes = range(K) if themes is None else themes
        oof = np.zeros((n, K))
        folds = []
        for f in (0, 1):
            tr, te = fold != f, fold == f
            coef, icpt = self._fit_linear(
                Xc[tr], y_corpus[tr], Xs, y_seed, Xl, y_lab, label_weight,
                themes=themes, start=starts[f] if starts else None,
            )  # fmt: skip
            oof[te] = sigmoid(Xc[te] @ coef.T + icpt)
            folds.append((coef, icpt))
        for k in themes:
            matched = y_seeded[:, k] == 1
            allowed = int(self.max_expansion * matched.sum())
            rest = np.sort(oof[~matched, k])[::-1]
            cut = rest[allowed] + 1e-6 if allowed < len(rest) else 0.0
            thresholds[k] = float(np.clip(max(self.min_proba, cut), self.min_proba, 0.99))
        return thresholds, folds

    def _fit_linear(self, Xc, yc, Xs, ys, Xl, yl, label_weight, themes=None, start=None):  # noqa: ANN001, ANN202
        """One logistic regression per theme (analysis.themes.theme_fits.fit_per_theme)."""
        return fit_per_theme(
            (Xc, yc, Xs, ys, Xl, yl, label_weight),
            alpha=self.alpha, random_state=self.random_state,
            unmatched_weight=self.unmatched_weight, themes=themes, start=start,
        )  # fmt: skip

    def _attach_starter(self) -> None:
        """Pair the codebook's themes with the starter model's (those it raises), if any."""
        from analysis.themes.starter import load_starter_themes

        starter = load_starter_themes() if self.use_starter else None
        pairs: list[tuple[int, int]] = []
        if starter is not None:
            known = {t: j for j, t in enumerate(starter.theme_ids)}
            for k, tid in enumerate(self.theme_ids_):
                j = known.get(tid)
                if j is not None and np.isfinite(starter.thresholds[j]):
                    pairs.append((k, j))
        self.starter_ = starter if pairs else None
        self.starter_pairs_ = pairs

    def _starter_raised(self, texts: list[str]):  # noqa: ANN202
        """(n x K bool raised by the starter, n x K its probabilities, its feature rows)."""
        n, K = len(texts), len(self.theme_ids_)
        raised = np.zeros((n, K), dtype=bool)
        proba = np.zeros((n, K))
        starter = getattr(self, "starter_", None)
        if starter is None or n == 0:
            return raised, proba, None
        Xs = starter.features(texts)
        P = starter.proba(Xs)
        R = starter.raise_from(Xs, P)
        for k, j in self.starter_pairs_:
            proba[:, k] = P[:, j]
            raised[:, k] = R[:, j]
        return raised, proba, Xs

    def alone_shut(self) -> list[int]:
        """Themes the model alone may not raise: those the starter knows, until a person says "yes"
        to one. Where the starter knows a theme from real coded feedback, it, not the model learnt
        from seed matches alone, generalises beyond the seeds; a "yes" lets the model raise the
        theme alone again, but "no"s alone must not, or a theme people said no to would be raised
        on more answers than before."""
        if getattr(self, "starter_", None) is None:
            return []
        confirmed = getattr(self, "confirmed_", None)
        return [k for k, _ in self.starter_pairs_ if confirmed is None or not confirmed[k]]

    # --- prediction -------------------------------------------------------------------------
    def predict_proba(self, texts: Sequence[object]) -> np.ndarray:
        """n x K model probabilities per theme (before seed matches and thresholds)."""
        check_is_fitted(self, "coef_")
        X = transform(self.vectorizer_, stem_documents(as_texts(texts)))
        return sigmoid(np.asarray(X @ self.coef_.T) + self.intercept_)

    def classify(self, texts: Sequence[object], *, explain_model: bool = True) -> ClassifiedBatch:
        """Decide themes for answers: seed matches (unless the model clearly disagrees) or model
        probability above the calibrated threshold; contentless answers get no theme."""
        check_is_fitted(self, "coef_")
        texts = as_texts(texts)
        n, K = len(texts), len(self.theme_ids_)
        no_content = np.fromiter((is_contentless(t) for t in texts), dtype=bool, count=n)
        X = transform(self.vectorizer_, stem_documents(texts))
        P = sigmoid(np.asarray(X @ self.coef_.T) + self.intercept_)
        seeded = np.zeros((n, K), dtype=bool)
        evidence: list[dict[int, list[str]]] = [{} for _ in range(n)]
        for i, t in enumerate(texts):
            if no_content[i]:
                continue
            for m in self.matcher_.match(t):
                for k in (m.theme_index, *self.parents_[m.theme_index]):
                    seeded[i, k] = True
                    ev = evidence[i].setdefault(k, [])
                    phrase = evidence_text(t, m.start, m.end)
                    if phrase not in ev:
                        ev.append(phrase)
        started, P_start, Xs = self._starter_raised(texts)
        enough = np.diff(X.tocsr().indptr) >= MODEL_MIN_FEATURES
        alone = (P >= self.thresholds_) & enough[:, None]
        alone[:, self.alone_shut()] = False
        taught = getattr(self, "taught_", None)
        if taught is not None and taught.any():
            # A judged theme: the starter raises it only where the retrained model does not disagree.
            started &= ~(taught & (P < self.seed_proba))
        assigned = (seeded & (P >= self.seed_proba)) | alone | started
        for k in range(K):  # a sub-theme always brings its parent
            for a in self.parents_[k]:
                assigned[:, a] |= assigned[:, k]
        assigned[no_content] = False
        scores = np.where(seeded, np.maximum(P, 0.5 + 0.5 * P), P)
        scores = np.where(started, np.maximum(scores, P_start), scores)
        scores = np.where(assigned, scores, np.minimum(scores, P))
        if explain_model:
            rows, cols = np.nonzero(assigned & ~seeded)
            for i, k in zip(rows.tolist(), cols.tolist()):
                evidence[i][k] = self._why_unseeded(texts[i], X[i], Xs, i, k, started[i, k])
        return ClassifiedBatch(
            self.theme_ids_, assigned, scores.astype(np.float64), evidence, no_content
        )

    def _why_unseeded(self, text: str, x_row, Xs, i: int, k: int, by_starter: bool) -> list[str]:  # noqa: ANN001
        """A raised theme no seed matched says why: the starter's top words when the starter
        raised it, else the codebook model's."""
        if by_starter and Xs is not None:
            j = dict(self.starter_pairs_)[k]
            words = self.starter_.top_words(text, Xs[i], j)
            if words:
                return words
        return self._model_evidence(text, x_row, k)

    def _model_evidence(self, text: str, x_row, k: int, top: int = 3) -> list[str]:  # noqa: ANN001
        """Surface words of the n-grams that pushed theme k up most in this answer."""
        return pushing_words(text, x_row, self.coef_[k], self._feature_names(), top, scan=2)

    def _feature_names(self) -> np.ndarray:
        names = getattr(self, "_names_cache", None)
        if names is None:
            names = self.vectorizer_.get_feature_names_out()
            self._names_cache = names
        return names

    def explain(self, text: str, theme: str, top: int = 5) -> list[str]:
        """Words/phrases of `text` that drove `theme`: matched seeds, then top model n-grams."""
        check_is_fitted(self, "coef_")
        if theme not in self.theme_ids_:
            raise KeyError(f"unknown theme '{theme}'")
        k = self.theme_ids_.index(theme)
        out: list[str] = []
        for m in self.matcher_.match(text):
            if k in (m.theme_index, *self.parents_[m.theme_index]):
                phrase = evidence_text(text, m.start, m.end)
                if phrase not in out:
                    out.append(phrase)
        X = transform(self.vectorizer_, stem_documents([text]))
        started, _, Xs = self._starter_raised([text])
        words = self._why_unseeded(text, X[0], Xs, 0, k, bool(started[0, k]))
        for w in words:
            if not any(w.lower() in o.lower() for o in out):
                out.append(w)
        return out[:top]
