"""Answers as clauses and stemmed words: where an answer splits, and which clauses hold a theme's evidence.

Why clauses: feedback is often mixed ("kind staff but I waited months"). Averaging the whole answer
hides both halves, so answers are split at sentence ends and contrastive words ("but", "although",
";", " - " ...) and a theme takes the sentiment of the clauses holding the words that raised it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from nltk.stem.snowball import SnowballStemmer

CONTRASTIVE_WORDS = ("but", "although", "though", "however", "except", "whereas")
# Sentence ends, new lines, semicolons and spaced dashes end a clause.
_HARD_SPLIT = re.compile(r"(?<=[.!?])\s+|[\r\n]+|;|\s+[-\u2013\u2014]+\s+")
# Split before a contrastive word (keeping it at the start of the next clause).
_CONTRAST_SPLIT = re.compile(r",?\s+(?=(?:" + "|".join(CONTRASTIVE_WORDS) + r")\b)", re.IGNORECASE)
# "Although X, Y": the subordinate clause ends at its first comma.
_SUBORDINATE = re.compile(
    r"^\s*(?:although|though|while|whilst|even though)\b[^,]*,", re.IGNORECASE
)
_LEADING_CONTRAST = re.compile(
    r"^[\W_]*(?:" + "|".join(CONTRASTIVE_WORDS) + r")\b[\s,]*", re.IGNORECASE
)
_HAS_WORD = re.compile(r"[^\W_]", re.UNICODE)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)


def _as_text(value: object) -> str:
    """Turn a cell into text; None / NaN / NA become ""."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return value if isinstance(value, str) else str(value)


def split_clauses(text: object) -> list[str]:
    """Split an answer into clauses at sentence ends, ';', ' - ' and contrastive words like "but"."""
    text = _as_text(text)
    clauses: list[str] = []
    for part in _HARD_SPLIT.split(text):
        if not part or not part.strip():
            continue
        for piece in _CONTRAST_SPLIT.split(part):
            match = _SUBORDINATE.match(piece)
            pieces = [piece[: match.end()], piece[match.end() :]] if match else [piece]
            for clause in pieces:
                clause = clause.strip(" \t,")
                if _HAS_WORD.search(_LEADING_CONTRAST.sub("", clause)):
                    clauses.append(clause)
    return clauses


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    """Snowball stem of a lower-case word (cached)."""
    return _stemmer().stem(word)


@lru_cache(maxsize=1)
def _stemmer() -> SnowballStemmer:
    """The English Snowball stemmer (needs no NLTK data)."""
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


_WORD_STEMS: dict[str, str] = {}


def _stems(text: str) -> list[str]:
    """Lower-cased, stemmed word tokens of text."""
    memo = _WORD_STEMS
    out = []
    for w in _WORD.findall(text):
        st = memo.get(w)
        if st is None:
            st = _stem(w.lower())
            if len(memo) < 500_000:  # a memo per surface word; capped for hostile input
                memo[w] = st
        out.append(st)
    return out


def _contains(haystack: list[str], needle: list[str]) -> bool:
    """True when needle occurs as a contiguous run inside haystack."""
    n = len(needle)
    if n == 0 or n > len(haystack):
        return False
    first = needle[0]
    return any(
        haystack[i] == first and haystack[i : i + n] == needle for i in range(len(haystack) - n + 1)
    )


def _evidence_list(evidence: Sequence[str] | str | None) -> list[str]:
    """Evidence as a list of phrases; a single string may join several with "|"."""
    if evidence is None:
        return []
    if isinstance(evidence, str):
        evidence = evidence.split("|")
    return [e for e in (_as_text(x).strip() for x in evidence) if e]
