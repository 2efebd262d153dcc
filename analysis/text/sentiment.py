"""Sentiment per answer, per clause and per theme: NLTK VADER with the project's own lexicon file.

Why clauses: feedback is often mixed ("kind staff but I waited months"). Averaging the whole answer
hides both halves, so answers are split at sentence ends and contrastive words ("but", "although",
";", " - " ...) and a theme takes the sentiment of the clauses holding the words that raised it.

The analyzer and its domain tweaks live in analysis.text.vader, clause splitting and evidence
matching in analysis.text.clauses; their names stay importable from here.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.core import config
from analysis.text.clauses import _LEADING_CONTRAST as _LEADING_CONTRAST
from analysis.text.clauses import CONTRASTIVE_WORDS as CONTRASTIVE_WORDS
from analysis.text.clauses import _as_text as _as_text
from analysis.text.clauses import _contains as _contains
from analysis.text.clauses import _evidence_list as _evidence_list
from analysis.text.clauses import _stems as _stems
from analysis.text.clauses import split_clauses as split_clauses
from analysis.text.vader import _COMPILED_RULES as _COMPILED_RULES
from analysis.text.vader import EXTRA_NEGATIONS as EXTRA_NEGATIONS
from analysis.text.vader import LEXICON_RESOURCE as LEXICON_RESOURCE
from analysis.text.vader import LEXICON_UPDATES as LEXICON_UPDATES
from analysis.text.vader import PHRASE_RULES as PHRASE_RULES
from analysis.text.vader import _analyzers as _analyzers
from analysis.text.vader import _apply_phrase_rules as _apply_phrase_rules
from analysis.text.vader import _compound as _compound
from analysis.text.vader import _fast_compound as _fast_compound
from analysis.text.vader import get_analyzer as get_analyzer
from analysis.text.vader import vader_words as vader_words

logger = logging.getLogger(__name__)


@lru_cache(maxsize=200_000)
def _score_tuned(text: str) -> float:
    """Domain-tuned compound of one whole text (cached: feedback repeats itself a lot)."""
    if not text.strip():
        return 0.0
    return _compound(get_analyzer(True), _apply_phrase_rules(text))


@lru_cache(maxsize=200_000)
def _score_plain(text: str) -> float:
    """Plain NLTK VADER compound of one text (the peer in benchmarks)."""
    if not text.strip():
        return 0.0
    return _compound(get_analyzer(False), text)


def _score_many(texts: Iterable[object], scorer: Callable[[str], float]) -> np.ndarray:
    """Apply scorer to each text, scoring each distinct text once."""
    values = [_as_text(t) for t in texts]
    seen: dict[str, float] = {}
    out = np.empty(len(values), dtype=float)
    for i, text in enumerate(values):
        score = seen.get(text)
        if score is None:
            score = scorer(text)
            seen[text] = score
        out[i] = score
    return out


def score_text(text: object) -> float:
    """Domain-tuned VADER compound (-1..1) of one whole answer; empty or NA gives 0."""
    return _score_tuned(_as_text(text))


def score_texts(texts: Sequence[object]) -> np.ndarray:
    """Domain-tuned VADER compound (-1..1) per whole answer; empty or NA gives 0."""
    return _score_many(texts, _score_tuned)


def plain_vader_scores(texts: Sequence[object]) -> np.ndarray:
    """Plain NLTK VADER compound per whole answer, without the domain tweaks (for comparison)."""
    return _score_many(texts, _score_plain)


def _clause_score(clause: str) -> float:
    """Score one clause without its leading contrastive word (VADER would up-weight what follows)."""
    return _score_tuned(_LEADING_CONTRAST.sub("", clause))


def clause_scores(text: object) -> list[tuple[str, float]]:
    """(clause, compound) for every clause of an answer; [] for empty answers."""
    return [(clause, _clause_score(clause)) for clause in split_clauses(text)]


def clause_mean(text: object) -> float:
    """Mean compound over an answer's clauses (0 when empty): every clause counts the same."""
    scores = [s for _, s in clause_scores(text)]
    return float(np.mean(scores)) if scores else 0.0


def theme_sentiment(text: object, evidence: Sequence[str] | str | None) -> float:
    """Mean compound of the clauses holding any evidence phrase (stemmed match); else the whole answer."""
    text = _as_text(text)
    if not text.strip():
        return 0.0
    phrases = [s for s in (_stems(e) for e in _evidence_list(evidence)) if s]
    if phrases:
        matched = [
            score
            for clause, score in clause_scores(text)
            if any(_contains(_stems(clause), p) for p in phrases)
        ]
        if matched:
            return float(np.mean(matched))
    return score_text(text)


def answer_sentiment(
    text: object, evidence: Sequence[Sequence[str] | str | None], whole: float | None = None
) -> tuple[float, str, list[float]]:
    """(whole-answer compound, clause-aware label, per-theme sentiment for each evidence list).

    Same results as score_text + label_for(clause_scores) + theme_sentiment per theme, but the
    answer is split, scored and stemmed once and every theme reuses those clause scores.
    """
    text = _as_text(text)
    if not text.strip():
        return 0.0, label_for(0.0), [0.0 for _ in evidence]
    score = _score_tuned(text) if whole is None else float(whole)
    clauses = clause_scores(text)
    label = label_for(score, [s for _, s in clauses] if len(clauses) > 1 else None)
    out: list[float] = []
    clause_stems: list[list[str]] | None = None
    for ev in evidence:
        phrases = [p for p in (_stems(e) for e in _evidence_list(ev)) if p]
        if not phrases:
            out.append(score)
            continue
        if clause_stems is None:
            clause_stems = [_stems(c) for c, _ in clauses]
        matched = [
            sc
            for (_, sc), stems in zip(clauses, clause_stems)
            if any(_contains(stems, p) for p in phrases)
        ]
        out.append(_mean(matched) if matched else score)
    return score, label, out


def _mean(values: list[float]) -> float:
    """float(np.mean(values)) without numpy's overhead for the usual few values (numpy sums
    fewer than 8 values left to right, like sum() on Python 3.11: the same result)."""
    if len(values) < 8:
        return sum(values) / len(values)
    return float(np.mean(values))


def label_for(
    score: float, clause_scores: Sequence[float] | Sequence[tuple[str, float]] | None = None
) -> str:
    """ "positive" / "negative" / "neutral", or "mixed" when clauses clearly disagree in sign."""
    if clause_scores:
        values = [c[1] if isinstance(c, tuple) else c for c in clause_scores]
        limit = config.SENTIMENT_MIXED_THRESHOLD
        if max(values) >= limit and min(values) <= -limit:
            return "mixed"
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return "neutral"
    band = config.SENTIMENT_NEUTRAL_BAND
    if score >= band:
        return "positive"
    if score <= -band:
        return "negative"
    return "neutral"


def score_answers(texts: Sequence[object]) -> pd.DataFrame:
    """Per answer: `sentiment` (whole-answer tuned compound) and `sentiment_label` (clause-aware)."""
    values = [_as_text(t) for t in texts]
    scores = score_texts(values)
    cache: dict[str, str] = {}
    labels = []
    for text, score in zip(values, scores):
        label = cache.get(text)
        if label is None:
            clauses = clause_scores(text)
            label = label_for(float(score), [s for _, s in clauses] if len(clauses) > 1 else None)
            cache[text] = label
        labels.append(label)
    return pd.DataFrame({"sentiment": scores, "sentiment_label": labels})
