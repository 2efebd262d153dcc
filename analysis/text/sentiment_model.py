"""Learned answer sentiment: ridge regression on word and character TF-IDF, trained on people's
criticality scores (-4..4, scaled to -1..1) in the open NHS data. It ranks unseen real feedback
much closer to people's scores than the lexicon does, so it is an answer's sentiment when the
starter model file is present; clause-level (lexicon) scoring still gives a theme's sentiment.

Trusts score on their own habits (one scores most comments 0, glowing ones included), so training
gives each trust its own offset beside the words; the words then carry what the comments say, not
which trust they read like, and a new answer takes the trusts' mean offset.

Built by scripts/build_starter_model.py into the starter model file (analysis.text.starter_file).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import Ridge

from analysis.text.normalise import is_contentless, normalise
from analysis.text.starter_file import load_part

_SAVED = ("analyzer", "ngram_range", "sublinear_tf", "lowercase", "token_pattern", "norm")
CRITICALITY_SCALE = 4.0  # criticality -4..4 maps onto -1..1


def _word_vec() -> TfidfVectorizer:
    # Every word counts here, function words too: "not", "no", "nothing" carry the sentiment.
    return TfidfVectorizer(
        analyzer="word",
        token_pattern=r"(?u)\b\w[\w']*\b",
        lowercase=False,
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=2,
        max_features=40_000,
        dtype=np.float32,
    )


def _char_vec() -> TfidfVectorizer:
    # 3-4 grams, 20k of them: as good held out as 3-5 grams and 60k (Spearman 0.497 vs 0.498),
    # at half the time per answer.
    return TfidfVectorizer(
        analyzer="char_wb",
        lowercase=False,
        ngram_range=(3, 4),
        sublinear_tf=True,
        min_df=3,
        max_features=20_000,
        dtype=np.float32,
    )


def _state(v: TfidfVectorizer) -> tuple[dict, list[str]]:
    params = {k: getattr(v, k) for k in _SAVED}
    params["ngram_range"] = list(params["ngram_range"])
    vocab = [""] * len(v.vocabulary_)
    for term, i in v.vocabulary_.items():
        vocab[i] = term
    return params, vocab


def _restore(params: dict, vocab: Sequence[str], idf: np.ndarray) -> TfidfVectorizer:
    kwargs = {k: params[k] for k in _SAVED if k in params}
    if kwargs.get("analyzer") not in ("word", "char_wb"):
        raise ValueError("unknown analyzer in the starter sentiment model")
    kwargs["ngram_range"] = tuple(int(x) for x in kwargs["ngram_range"])
    v = TfidfVectorizer(dtype=np.float32, **kwargs)
    v.vocabulary_ = {str(t): i for i, t in enumerate(vocab)}
    v.idf_ = np.asarray(idf, dtype=np.float64)
    return v


@dataclass
class SentimentModel:
    """Ridge regression over [word TF-IDF | char TF-IDF] of normalised answers; scores in -1..1."""

    word: TfidfVectorizer
    char: TfidfVectorizer
    coef: np.ndarray
    intercept: float

    def score(self, texts: Sequence[object]) -> np.ndarray:
        """Sentiment per answer, -1 (highly critical) .. 1 (highly positive); blank gives 0."""
        norm = [normalise(t) for t in texts]
        out = np.zeros(len(norm))
        keep = [i for i, t in enumerate(norm) if t.strip()]
        if keep:
            docs = [norm[i] for i in keep]
            X = sp.hstack([self.word.transform(docs), self.char.transform(docs)]).tocsr()
            out[keep] = np.clip(X @ self.coef + self.intercept, -1.0, 1.0)
        return out

    def to_file_parts(self) -> tuple[dict, dict[str, np.ndarray]]:
        """JSON-able meta and arrays for the starter model file."""
        wp, wv = _state(self.word)
        cp, cv = _state(self.char)
        meta = {
            "sentiment_word_vectorizer": wp,
            "sentiment_word_vocab": wv,
            "sentiment_char_vectorizer": cp,
            "sentiment_char_vocab": cv,
        }
        arrays = {
            "sentiment_word_idf": self.word.idf_.astype(np.float32),
            "sentiment_char_idf": self.char.idf_.astype(np.float32),
            "sentiment_coef": self.coef.astype(np.float32),
            "sentiment_intercept": np.array([self.intercept]),
        }
        return meta, arrays

    @classmethod
    def from_file_parts(cls, meta: dict, arrays: dict[str, np.ndarray]) -> SentimentModel:
        """Rebuild from to_file_parts() output."""
        word = _restore(
            meta["sentiment_word_vectorizer"],
            meta["sentiment_word_vocab"],
            arrays["sentiment_word_idf"],
        )
        char = _restore(
            meta["sentiment_char_vectorizer"],
            meta["sentiment_char_vocab"],
            arrays["sentiment_char_idf"],
        )
        coef = np.asarray(arrays["sentiment_coef"], dtype=np.float32)
        if len(coef) != len(word.vocabulary_) + len(char.vocabulary_):
            raise ValueError("starter sentiment coefficients do not fit its vocabularies")
        return cls(word, char, coef, float(arrays["sentiment_intercept"][0]))


def train_sentiment(
    texts: Sequence[object],
    criticality: Sequence[float],
    *,
    groups: Sequence[object] | None = None,
    alpha: float = 3.0,
) -> SentimentModel:
    """Fit the ridge model on answers and people's criticality scores (clipped to -4..4).

    groups: who scored each answer (e.g. the trust). With them, each group gets its own offset
    (an indicator column), so one group's habit of scoring high or low is not learnt as words;
    the model keeps the words and the groups' mean offset.
    """
    norm = [normalise(t) for t in texts]
    y = np.clip(np.asarray(criticality, dtype=float), -CRITICALITY_SCALE, CRITICALITY_SCALE)
    word, char = _word_vec(), _char_vec()
    X = sp.hstack([word.fit_transform(norm), char.fit_transform(norm)]).tocsr()
    n_words = X.shape[1]
    if groups is not None:
        X = sp.hstack([X, group_indicators(groups, len(norm))]).tocsr()
    model = Ridge(alpha=alpha, solver="sparse_cg", random_state=0).fit(X, y / CRITICALITY_SCALE)
    # The offsets are penalised like the words; indicators ten times larger (penalised a hundred
    # times less) gave the same held-out figures.
    offsets = model.coef_[n_words:]
    intercept = float(model.intercept_) + (float(offsets.mean()) if len(offsets) else 0.0)
    coef = model.coef_[:n_words]
    return SentimentModel(word, char, coef.astype(np.float32), intercept)


def group_indicators(groups: Sequence[object], n: int) -> sp.csr_matrix:
    """n x G: 1 where an answer belongs to the group (groups sorted by name)."""
    labels = np.asarray([str(g) for g in groups])
    if len(labels) != n:
        raise ValueError("one group per answer is needed")
    names = np.unique(labels)
    rows = np.arange(n)
    cols = np.searchsorted(names, labels)
    return sp.csr_matrix((np.ones(n, dtype=np.float32), (rows, cols)), shape=(n, len(names)))


def load_sentiment_model(json_path: Path | None = None) -> SentimentModel | None:
    """The shipped sentiment model, or None when the starter file is absent or has none."""
    return load_part(json_path, "sentiment", "sentiment_word_vocab", SentimentModel.from_file_parts)


def answer_scores(
    texts: Sequence[object], json_path: Path | None = None, *, model: SentimentModel | None = None
) -> np.ndarray:
    """An answer's sentiment, -1..1: the learned model where the starter file has one, else the
    domain-tuned lexicon. Contentless answers ("nothing", "n/a") keep the lexicon's score: what
    "nothing" means depends on the question asked, which the model cannot see.

    model: score with this one (e.g. taught by people's corrections, analysis.text.sentiment_teach)
    instead of the shipped one."""
    from analysis.text import sentiment

    model = model if model is not None else load_sentiment_model(json_path)
    if model is None:
        return sentiment.score_texts(texts)
    values = ["" if t is None or (isinstance(t, float) and t != t) else str(t) for t in texts]
    empty = np.fromiter((is_contentless(t) for t in values), dtype=bool, count=len(values))
    out = np.zeros(len(values))
    use = np.flatnonzero(~empty)
    if len(use):
        out[use] = model.score([values[i] for i in use])
    rest = np.flatnonzero(empty)
    if len(rest):
        out[rest] = sentiment.score_texts([values[i] for i in rest])
    return out
