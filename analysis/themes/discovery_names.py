"""What discovery may say about a cluster: redacted words only, no generic words, and the codebook
theme it repeats, if any.

Emerging themes leave analysis/ as names, phrases, proposed seeds and example answers, and an adopted
one becomes codebook seeds that every later classification and export carries. So all of them are
made from the redacted answers (analysis.privacy), never from the raw text, with the redaction
placeholders themselves kept out of phrases ("[NAME]" is no theme). Lower-case names that the
redaction rules leave in place ("sarah jones") are caught again here: a phrase holding a first name
(not one that is also an ordinary word, such as "will" or "hope") is never a phrase.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.privacy import PLACEHOLDERS, redact_series
from analysis.text.normalise import stem_document

# Stands in for a redacted item while phrases are read: a token no answer holds, never a phrase,
# and (unlike deleting the item) it keeps "said [NAME] never" from becoming the bigram "said never".
REDACTED_TOKEN = "xredactedx"
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in sorted(set(PLACEHOLDERS.values()))))

# Words that say nothing about what a cluster is about: common in feedback of every kind, so a name
# made of them ("people / better / time") tells a reader nothing. They still count inside bigrams
# ("waiting time", "more staff").
GENERIC_WORDS = frozenset(
    """
    people person thing things time times way ways lot lots bit better good great best nice bad
    really very just quite much many make makes making made feel feels felt think thought know
    knew want wanted need needed needs like liked help helped helpful use used say said told tell
    ask asked go going went come came get getting got able day days week weeks year years
    everything something anything nothing everyone someone anyone service services experience
    improve improved improvement improvements overall generally general thank thanks
    """.split()
)

# Function words kept for classification (negations, particles) that make poor names on their own;
# they still appear inside bigrams ("not available", "too small").
WEAK_UNIGRAMS = frozenset(
    """
    no not nobody never without nothing none noone nor cannot cant couldnt hasnt nowhere off
    out down enough less more too get give keep take put made again always ever everyone
    everything well through done around up after behind over see really also got would could
    should will can did does
    """.split()
)


def redact_texts(texts: Sequence[str]) -> list[str]:
    """The answers redacted (analysis.privacy), in order; the raw text never names a cluster."""
    import pandas as pd

    if not texts:
        return []
    return redact_series(pd.Series(list(texts), dtype=object)).fillna("").map(str).tolist()


def mask_placeholders(redacted: str) -> str:
    """A redacted answer with each placeholder replaced by REDACTED_TOKEN (for reading phrases)."""
    return _PLACEHOLDER_RE.sub(f" {REDACTED_TOKEN} ", redacted)


@functools.cache
def _name_words() -> frozenset[str]:
    """First names that are not also ordinary words: never part of a cluster's phrase."""
    from analysis.privacy.first_names import ambiguous_names, first_names

    return first_names() - ambiguous_names()


@functools.cache
def _surnames() -> frozenset[str]:
    """Surnames (Faker's en_GB and en_US lists, MIT, installed): dropped only right after a name."""
    import importlib

    found: set[str] = set()
    for locale in ("en_GB", "en_US", "en_IE"):
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        found.update(str(n).lower() for n in getattr(provider, "last_names", ()))
    return frozenset(found)


def naming_tokens(tokens: Sequence[str]) -> list[str | None]:
    """Tokens with redaction stand-ins, first names and the surname right after one set to None.

    None keeps the place of a removed word, so a bigram never bridges it.
    """
    out: list[str | None] = []
    after_name = False
    for t in tokens:
        is_name = not is_usable_word(t)  # a first name or a redacted item ("[NAME] jones")
        drop = is_name or (after_name and t in _surnames())
        out.append(None if drop else t)
        after_name = drop
    return out


def names_no_one(text: str) -> bool:
    """True when a redacted answer holds no first name or surname the redaction left, so it may be
    an example ("thanks to [NAME] jones" may not)."""
    from analysis.text.normalise import normalise, tokenise

    tokens = tokenise(normalise(mask_placeholders(text)))
    kept = naming_tokens(tokens)
    return all(k is not None or t == REDACTED_TOKEN for t, k in zip(tokens, kept, strict=True))


def is_usable_word(word: str) -> bool:
    """False for a word no phrase may hold: a redaction stand-in or a first name."""
    return word != REDACTED_TOKEN and word not in _name_words()


def is_usable_phrase(phrase: str) -> bool:
    """True when every word of the phrase may be shown (no name, no redaction stand-in)."""
    return all(is_usable_word(w) for w in phrase.split())


def is_generic_phrase(phrase: str) -> bool:
    """True for a single generic word ("people", "better"); bigrams are judged by their other word."""
    words = phrase.split()
    return len(words) == 1 and words[0] in GENERIC_WORDS


@dataclass(frozen=True)
class ThemeOverlap:
    """The codebook theme a cluster repeats: its id, label and the cluster's phrases it shares."""

    theme_id: str
    label: str
    shared: tuple[str, ...]
    score: float


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem_document(text).split())


def repeated_theme(
    phrases: Sequence[str], themes: Sequence[object], *, min_score: float = 0.34
) -> ThemeOverlap | None:
    """The codebook theme whose label and seeds hold the most of a cluster's phrases, if enough do.

    A phrase counts for a theme when all its word stems are among the theme's label and seed stems;
    the score is the share of the cluster's phrases that count, weighted by rank (the first phrase
    weighs most). None when no theme reaches `min_score`.

    Args:
        phrases: the cluster's distinctive phrases, most distinctive first.
        themes: codebook themes (objects with id, label and seeds).
        min_score: the smallest weighted share that makes a cluster a repeat.
    """
    if not phrases:
        return None
    weights = [1.0 / (rank + 1) for rank in range(len(phrases))]
    phrase_stems = [_stems(p) for p in phrases]
    best: ThemeOverlap | None = None
    for theme in themes:
        vocab = _stems(" ".join([str(theme.label), *map(str, theme.seeds)]))
        hits = [i for i, stems in enumerate(phrase_stems) if stems and stems <= vocab]
        score = sum(weights[i] for i in hits) / sum(weights)
        if score >= min_score and (best is None or score > best.score):
            shared = tuple(phrases[i] for i in hits)
            best = ThemeOverlap(str(theme.id), str(theme.label), shared, round(score, 3))
    return best
