"""Discovery: clusters among answers the codebook does not cover, named and ready to adopt as themes.

Method (deterministic for a given input and seed):
1. No-content answers (blank, "n/a", "no comment", ...) and answers that say only how good or
   bad things were ("Good as it is", "Not much": no subject) are left out; the rest are redacted
   (analysis.privacy) before anything else, so no name, phrase, seed or example can carry personal
   data out of analysis/ (analysis.themes.discovery_names), and become stemmed content words.
2. TF-IDF over 1-2 grams, reduced with TruncatedSVD (LSA) and length-normalised, so cosine
   similarity captures shared vocabulary rather than answer length.
3. The number of clusters is chosen from the data: k-means for every k from 2 to
   min(max_clusters, n / min_cluster_size) on a seeded sample, keeping the k with the best silhouette.
4. All answers are assigned; an answer far from its centroid (cosine below DISCOVERY_MIN_SIMILARITY)
   is noise, and so is every cluster left smaller than min_cluster_size.
5. Each cluster is named by its most distinctive phrases against the rest (class-based TF-IDF over
   unstemmed words and bigrams, as BERTopic does; generic words such as "people" or "better" never
   name a cluster alone), with NLTK bigram collocations inside the cluster as extra seeds, its most
   central answers as (redacted) examples, its size, mean sentiment, and the codebook theme it
   repeats when its phrases are that theme's label and seeds. A cluster whose answers share only
   generic or evaluative words ("feel / like / better") has no common subject: it is not offered,
   and its answers count as in no group. Clusters named by the same phrases are one group.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from analysis.core import config
from analysis.text import sentiment
from analysis.text.normalise import (
    is_contentless,
    normalise,
    stem_document,
)
from analysis.themes.codebook import THEME_ID_PATTERN, Theme
from analysis.themes.discovery_names import (
    MAX_DOC_CHARS,
    NOISE,
    REDACTED_TOKEN,
    ThemeOverlap,
    class_tfidf,
    collocations,
    content_tokens,
    mask_placeholders,
    names_no_one,
    phrases_of,
    pick_phrases,
    redact_texts,
    repeated_theme,
    says_only_how_good,
)

logger = logging.getLogger(__name__)

DISCOVERY_MIN_SIMILARITY = 0.25  # cosine to the centroid below which an answer is noise
N_NAME_PHRASES = 3
N_EXAMPLES = 3
_MINIBATCH_ABOVE = 20_000  # k-means on more answers than this uses mini-batches (memory, speed)


@dataclass
class DiscoveredTheme:
    """A cluster of answers no theme covers, named by its distinctive phrases."""

    id: str
    name: str
    top_phrases: list[str]
    size: int
    member_index: list[Any]
    examples: list[str]
    sentiment: float
    example_index: list[Any] = field(default_factory=list)
    collocations: list[str] = field(default_factory=list)
    cohesion: float = 0.0  # mean cosine similarity of members to the centroid (0..1)
    repeats: ThemeOverlap | None = None  # the codebook theme this cluster says again, if any

    @property
    def proposed_seeds(self) -> list[str]:
        """Seeds for a theme made from this cluster: its phrases, then its collocations, each once."""
        seeds: list[str] = []
        for phrase in [*self.top_phrases, *self.collocations]:
            phrase = phrase[: config.CODEBOOK_MAX_SEED_CHARS].strip()
            if phrase and phrase.lower() not in {s.lower() for s in seeds}:
                seeds.append(phrase)
        return seeds

    def to_theme(self, id: str | None = None) -> Theme:
        """An adoptable codebook Theme: id slugified from the name, seeds = phrases + collocations."""
        theme_id = id or slugify(self.name)
        if not THEME_ID_PATTERN.fullmatch(theme_id) or theme_id in config.SPECIAL_THEME_IDS:
            raise ValueError(f"'{theme_id}' is not a usable theme id")
        seeds = self.proposed_seeds
        label = " / ".join(self.top_phrases[:N_NAME_PHRASES]).capitalize() or self.name
        description = (
            f"Discovered from {self.size} answers the codebook did not cover; "
            f"most distinctive phrases: {', '.join(self.top_phrases)}."
        )
        return Theme(
            id=theme_id,
            label=label[: config.CODEBOOK_MAX_LABEL_CHARS],
            description=description[: config.CODEBOOK_MAX_DESCRIPTION_CHARS],
            seeds=seeds or [self.name],
        )


def slugify(name: str) -> str:
    """A theme id from a name: lowercase ASCII words joined by "_", starting with a letter, <= 50 chars."""
    slug = re.sub(r"[^a-z0-9]+", "_", normalise(name).encode("ascii", "ignore").decode()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = f"discovered_{slug}".strip("_")
    slug = slug[:50].rstrip("_")
    if slug in config.SPECIAL_THEME_IDS:
        slug = f"discovered_{slug}"
    return slug


def uncovered_mask(answers: pd.DataFrame) -> pd.Series:
    """True for answers whose themes are exactly "unassigned" (the ones discovery looks at by default)."""
    return answers["themes"].astype("string").fillna("").eq(config.UNASSIGNED)


def uncovered_texts(answers: pd.DataFrame, responses: pd.DataFrame) -> pd.Series:
    """The texts of the chosen answers (`responses`) that the codebook left unassigned, in order."""
    ids = set(answers.loc[uncovered_mask(answers).to_numpy(dtype=bool), "response_id"].astype(str))
    chosen = responses["response_id"].astype(str).isin(ids).to_numpy(dtype=bool)
    return responses.loc[chosen, "text"].reset_index(drop=True)


def _as_series(texts: pd.Series | Sequence[object]) -> pd.Series:
    """Texts as a string Series (NA -> "") keeping the caller's index."""
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    return series.astype(object).where(series.notna(), "").map(str)


def _embed(docs: list[str], random_state: int) -> np.ndarray | None:
    """TF-IDF + LSA + L2 normalisation; None when the answers share too little vocabulary."""
    vectoriser = TfidfVectorizer(
        token_pattern=r"\S+",
        lowercase=False,
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.7,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        tfidf = vectoriser.fit_transform(docs)
    except ValueError:  # empty vocabulary after min_df/max_df
        return None
    if tfidf.shape[1] < 2:
        return None
    n_components = min(100, tfidf.shape[1] - 1, tfidf.shape[0] - 1)
    if n_components >= 2:
        reduced = TruncatedSVD(n_components=n_components, random_state=random_state).fit_transform(
            tfidf
        )
    else:
        reduced = tfidf.toarray()
    return normalize(reduced).astype(np.float64)


def _kmeans(k: int, n: int, random_state: int, n_init: int = 4) -> KMeans | MiniBatchKMeans:
    """A seeded k-means (mini-batch for large inputs)."""
    if n > _MINIBATCH_ABOVE:
        return MiniBatchKMeans(n_clusters=k, random_state=random_state, n_init=3, batch_size=4096)
    return KMeans(n_clusters=k, random_state=random_state, n_init=n_init)


def _choose_k(embedded: np.ndarray, ks: range, random_state: int) -> int:
    """The k with the best silhouette on a seeded sample (ties go to the smaller k)."""
    n = embedded.shape[0]
    rng = np.random.default_rng(random_state)
    sample_size = min(n, config.DISCOVERY_SAMPLE_SIZE)
    sample = embedded[np.sort(rng.choice(n, size=sample_size, replace=False))]
    best_k, best_score = ks[0], -np.inf
    for k in ks:
        if k >= sample.shape[0]:
            break
        # Two restarts are enough to rank k; the final fit uses more.
        labels = _kmeans(k, sample.shape[0], random_state, n_init=2).fit_predict(sample)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(sample, labels, metric="euclidean")
        logger.debug("discovery: k=%d silhouette=%.4f", k, score)
        if score > best_score + 1e-9:
            best_k, best_score = k, score
    return best_k


def set_aside(text: str) -> bool:
    """True for an answer discovery leaves out: blank, no content ("n/a"), or saying only how good
    or bad things were ("Good as it is", "Not much"), which can found no new theme."""
    return not text.strip() or is_contentless(text) or says_only_how_good(text)


def _usable_answers(values: list[str]) -> tuple[list[int], list[str], list[str]]:
    """Positions, redacted texts and stemmed docs of the answers that say something."""
    keep = [i for i, t in enumerate(values) if not set_aside(t)]
    redacted = redact_texts([values[i] for i in keep])
    docs = [
        " ".join(w for w in stem_document(mask_placeholders(r)[:MAX_DOC_CHARS]).split()
                 if w != REDACTED_TOKEN)
        for r in redacted
    ]  # fmt: skip
    usable = [j for j, d in enumerate(docs) if d]
    return [keep[j] for j in usable], [redacted[j] for j in usable], [docs[j] for j in usable]


def _cluster_labels(
    embedded: np.ndarray, min_cluster_size: int, max_clusters: int, random_state: int
) -> tuple[np.ndarray, np.ndarray, list[int], int]:
    """(labels with NOISE, similarity to own centroid, clusters largest first, k chosen)."""
    n = embedded.shape[0]
    max_k = min(int(max_clusters), n // min_cluster_size)
    if max_k < 2:
        return np.full(n, NOISE), np.zeros(n), [], 0
    k = _choose_k(embedded, range(2, max_k + 1), random_state)
    model = _kmeans(k, n, random_state).fit(embedded)
    labels = model.labels_.astype(int).copy()
    centroids = normalize(model.cluster_centers_)
    similarity = np.einsum("ij,ij->i", embedded, centroids[labels])
    labels[similarity < DISCOVERY_MIN_SIMILARITY] = NOISE
    sizes = pd.Series(labels[labels != NOISE]).value_counts()
    labels[np.isin(labels, sizes[sizes < min_cluster_size].index)] = NOISE
    clusters = sorted(
        (int(c) for c in set(labels.tolist()) - {NOISE}),
        key=lambda c: (-int((labels == c).sum()), c),
    )
    return labels, similarity, clusters, k


def _examples(
    order: np.ndarray,
    texts: list[str],
    index: list[Any],
    holds_phrase: Callable[[int], bool] | None = None,
) -> tuple[list[str], list[Any]]:
    """The most central distinct answers of a cluster (already redacted) and their caller index.

    With `holds_phrase`, answers holding one of the cluster's phrases come first, so the examples
    show what the name says ("care" is not illustrated by "Singing was very good").
    """
    examples: list[str] = []
    example_index: list[Any] = []
    seen: set[str] = set()
    passes = (True, False) if holds_phrase is not None else (False,)
    for wanted in passes:
        for m in order:
            key = normalise(texts[m])
            if key in seen or not names_no_one(texts[m]):
                continue
            if wanted and not holds_phrase(int(m)):
                continue
            seen.add(key)
            examples.append(texts[m])
            example_index.append(index[m])
            if len(examples) >= N_EXAMPLES:
                return examples, example_index
    return examples, example_index


def _embedded_answers(
    values: list[str], min_cluster_size: int, random_state: int
) -> tuple[list[int], list[str], np.ndarray] | None:
    """(positions kept, their redacted texts, their embeddings) of the answers worth clustering;
    None when too few are left for two clusters of min_cluster_size."""
    keep, shown, docs = _usable_answers(values)
    if len(docs) < 2 * min_cluster_size:
        logger.info(
            "discovery: %d usable answers, too few for clusters of %d", len(docs), min_cluster_size
        )
        return None
    embedded = _embed(docs, random_state)
    if embedded is None:
        return None
    # Answers sharing no vocabulary with any other answer embed to zero: noise, not a cluster.
    nonzero = np.flatnonzero(np.linalg.norm(embedded, axis=1) > 1e-6)
    keep, shown, embedded = (
        [keep[i] for i in nonzero],
        [shown[i] for i in nonzero],
        embedded[nonzero],
    )
    if len(keep) < 2 * min_cluster_size:
        return None
    return keep, shown, embedded


def discover_themes(
    texts: pd.Series | Sequence[object],
    *,
    min_cluster_size: int = config.DISCOVERY_MIN_CLUSTER_SIZE,
    random_state: int = config.RANDOM_SEED,
    max_clusters: int = config.DISCOVERY_MAX_CLUSTERS,
    themes: Sequence[Theme] = (),
) -> list[DiscoveredTheme]:
    """Cluster answers into named candidate themes, largest first; [] when there is too little to cluster.

    Everything a DiscoveredTheme says (name, phrases, collocations, examples) comes from the
    redacted answers: it may be shown, exported or adopted as it is.

    Args:
        texts: the answers (a Series keeps its index in member_index / example_index).
        min_cluster_size: smaller clusters are dropped as noise (at least 2).
        random_state: seed for the sample, SVD and k-means (same input + seed -> same result).
        max_clusters: the largest number of clusters tried.
        themes: the codebook's themes; a cluster whose phrases are one's label and seeds says so.
    """
    min_cluster_size = max(2, int(min_cluster_size))
    series = _as_series(texts)
    usable = _embedded_answers(series.tolist(), min_cluster_size, random_state)
    if usable is None:
        return []
    keep, shown, embedded = usable
    labels, similarity, clusters, k = _cluster_labels(
        embedded, min_cluster_size, max_clusters, random_state
    )
    if not clusters:
        return []
    masked = [mask_placeholders(t) for t in shown]
    tokens = [content_tokens(m) for m in masked]
    scores, counts, vocab = class_tfidf(tokens, labels, clusters)
    index = [series.index[i] for i in keep]
    # Clusters by their phrases: none (only generic words in common: no subject to offer as a
    # theme) are dropped, and two a reader could not tell apart by name are one group.
    groups: dict[tuple[str, ...], list[np.ndarray]] = {}
    for row, cluster in enumerate(clusters):
        members = np.flatnonzero(labels == cluster)
        phrases = pick_phrases(scores[row], counts[row], vocab, len(members))
        if phrases:
            groups.setdefault(tuple(phrases), []).append(members)
    out: list[DiscoveredTheme] = []
    for key in sorted(groups, key=lambda p: -sum(len(m) for m in groups[p])):
        phrases = list(key)
        members = np.sort(np.concatenate(groups[key]))
        order = members[np.argsort(-similarity[members], kind="stable")]
        wanted = set(phrases)

        def holds_phrase(m: int, wanted: set[str] = wanted) -> bool:
            return not wanted.isdisjoint(phrases_of(tokens[m]))

        examples, example_index = _examples(order, shown, index, holds_phrase)
        out.append(
            DiscoveredTheme(
                id=f"cluster_{len(out) + 1}",
                name=" / ".join(phrases[:N_NAME_PHRASES]),
                top_phrases=phrases,
                size=len(members),
                member_index=[index[m] for m in members],
                examples=examples,
                sentiment=float(np.mean(sentiment.score_texts([shown[m] for m in members]))),
                example_index=example_index,
                collocations=collocations([masked[m] for m in members], len(members)),
                cohesion=float(np.mean(similarity[members])),
                repeats=repeated_theme(phrases, themes),
            )
        )
    logger.info(
        "discovery: %d answers -> k=%d -> %d clusters -> %d groups with a subject",
        len(keep), k, len(clusters), len(out),
    )  # fmt: skip
    return out


def discovered_table(found: list[DiscoveredTheme]) -> pd.DataFrame:
    """One row per discovered theme: cluster_id, name, size, sentiment, top_phrases, collocations."""
    return pd.DataFrame(
        {
            "cluster_id": [d.id for d in found],
            "name": [d.name for d in found],
            "size": [d.size for d in found],
            "sentiment": [round(d.sentiment, 3) for d in found],
            "top_phrases": ["; ".join(d.top_phrases) for d in found],
            "collocations": ["; ".join(d.collocations) for d in found],
        },
        columns=["cluster_id", "name", "size", "sentiment", "top_phrases", "collocations"],
    )
