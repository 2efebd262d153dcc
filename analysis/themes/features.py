"""Text features for the theme models: stem documents, word and character TF-IDF, and their
plain-array state (vocabulary + idf) so models can be saved without pickle."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.text.normalise import STOP_WORDS, normalise, stem, token_spans

WORD_TOKEN_PATTERN = r"(?u)\S+"
# Only these constructor parameters are saved and restored (all plain JSON values).
_SAVED_PARAMS = (
    "analyzer",
    "ngram_range",
    "sublinear_tf",
    "lowercase",
    "token_pattern",
    "norm",
    "use_idf",
    "smooth_idf",
    "binary",
)


@lru_cache(maxsize=300_000)
def stem_document(text: str) -> str:
    """Content stems of a raw answer joined by spaces (cached: answers repeat)."""
    return " ".join(stem(t) for t, _, _ in token_spans(normalise(text)) if t not in STOP_WORDS)


def stem_documents(texts: Iterable[object]) -> list[str]:
    """stem_document for many answers (None/NaN become "")."""
    return [stem_document("" if t is None or t != t else str(t)) for t in texts]


def normalised_documents(texts: Iterable[object]) -> list[str]:
    """normalise() for many answers."""
    return [normalise(t) for t in texts]


def word_vectorizer(*, min_df: int = 1, max_features: int | None = 200_000) -> TfidfVectorizer:
    """TF-IDF over stem unigrams and bigrams of stem documents."""
    return TfidfVectorizer(
        analyzer="word",
        token_pattern=WORD_TOKEN_PATTERN,
        lowercase=False,
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=min_df,
        max_features=max_features,
        dtype=np.float32,
    )


def char_vectorizer(*, min_df: int = 2, max_features: int | None = 200_000) -> TfidfVectorizer:
    """TF-IDF over character 2-5 grams inside word boundaries of normalised text (robust to typos)."""
    return TfidfVectorizer(
        analyzer="char_wb",
        lowercase=False,
        ngram_range=(2, 5),
        sublinear_tf=True,
        min_df=min_df,
        max_features=max_features,
        dtype=np.float32,
    )


def vectorizer_state(v: TfidfVectorizer) -> tuple[dict, list[str], np.ndarray]:
    """(params, vocabulary in column order, idf) of a fitted vectorizer: plain JSON + one array."""
    params = {k: getattr(v, k) for k in _SAVED_PARAMS}
    params["ngram_range"] = list(params["ngram_range"])
    vocab = [""] * len(v.vocabulary_)
    for term, idx in v.vocabulary_.items():
        vocab[idx] = term
    return params, vocab, np.asarray(v.idf_, dtype=np.float64)


def vectorizer_from_state(params: dict, vocab: Sequence[str], idf: np.ndarray) -> TfidfVectorizer:
    """Rebuild a fitted TfidfVectorizer from vectorizer_state() output."""
    kwargs = {k: params[k] for k in _SAVED_PARAMS if k in params}
    if kwargs.get("analyzer") not in ("word", "char", "char_wb"):
        raise ValueError("unknown analyzer in saved vectorizer")
    kwargs["ngram_range"] = tuple(int(x) for x in kwargs.get("ngram_range", (1, 1)))
    v = TfidfVectorizer(dtype=np.float32, **kwargs)
    if len(vocab) != len(idf):
        raise ValueError("saved vocabulary and idf differ in length")
    v.vocabulary_ = {str(term): i for i, term in enumerate(vocab)}
    v.idf_ = np.asarray(idf, dtype=np.float64)
    return v


def surface_for_stems(text: str, ngram: str) -> str | None:
    """The words of `text` whose stems form `ngram` (e.g. "wait list" -> "waiting list"), or None."""
    norm = normalise(text)
    content = [(stem(t), s, e) for t, s, e in token_spans(norm) if t not in STOP_WORDS]
    want = ngram.split(" ")
    n = len(want)
    for i in range(len(content) - n + 1):
        if [c[0] for c in content[i : i + n]] == want:
            start, end = content[i][1], content[i + n - 1][2]
            raw = str(text)
            if len(raw) == len(norm) and raw.lower() == norm:
                return raw[start:end]
            return norm[start:end]
    return None


def transform(v: TfidfVectorizer, docs: Sequence[str]):  # noqa: ANN201 - scipy CSR matrix
    """v.transform(docs), also for an empty list (scikit-learn refuses zero rows)."""
    import scipy.sparse as sp

    if len(docs) == 0:
        return sp.csr_matrix((0, len(v.vocabulary_)), dtype=np.float32)
    return v.transform(docs)


def pushing_words(
    text: str,
    x_row: sparse.spmatrix,
    coef_row: np.ndarray,
    names: Sequence[str] | np.ndarray,
    top: int = 3,
    scan: int = 3,
) -> list[str]:
    """The answer's words behind the features that pushed a theme up most: for the nonzero features
    of `x_row` (one sparse row), weight times `coef_row`, highest first, each feature's n-gram
    (`names`) turned back into the answer's own words; at most `top`, from the first `scan * top`."""
    x_row = x_row.tocsr()
    idx = x_row.indices
    contrib = x_row.data * coef_row[idx]
    out: list[str] = []
    for j in np.argsort(-contrib)[: top * scan]:
        if contrib[j] <= 0 or len(out) >= top:
            break
        words = surface_for_stems(text, names[idx[j]])
        if words and not any(words.lower() in o.lower() for o in out):
            out.append(words)
    return out
