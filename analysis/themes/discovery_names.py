"""What discovery may say about a cluster: its name and phrases (class-based TF-IDF over the phrases of
redacted answers, generic words never alone), its collocations, and the codebook theme it repeats.

Emerging themes leave analysis/ as names, phrases, proposed seeds and example answers, and an adopted
one becomes codebook seeds that every later classification and export carries. So all of them are
made from the redacted answers (analysis.privacy), never from the raw text, with the redaction
placeholders themselves kept out of phrases ("[NAME]" is no theme). Lower-case names that the
redaction rules leave in place ("sarah jones") are caught again here: a phrase holding a first name
(not one that is also an ordinary word, such as "will" or "hope") is never a phrase.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from analysis.privacy import PLACEHOLDERS, redact_series
from analysis.text.normalise import STOP_WORDS, normalise, stem_document, tokenise

NOISE = -1  # the label of answers in no cluster
N_TOP_PHRASES = 6
MAX_DOC_CHARS = 5_000  # a very long answer is read for its first few thousand characters

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
    let lets letting give gives gave given giving find finds found finding
    ask asked go going went come came get getting got able day days week weeks year years
    everything something anything nothing everyone someone anyone service services experience
    improve improved improvement improvements overall generally general thank thanks
    """.split()
)

# Words that say how good or bad something was, not what it was: an answer made only of them and
# generic words ("Good as it is", "Perfect", "Not much", "Everything is fine") is praise or "nothing
# to change" (the codebook's positive experience), never a new theme, and such a word never names a
# cluster alone ("lovely ward" still can).
EVALUATIVE_WORDS = frozenset(
    """
    perfect perfectly fine ok okay alright lovely excellent fantastic brilliant amazing wonderful
    superb outstanding marvellous terrific fabulous fab awesome super happy pleased satisfied
    glad impressed grateful pleasant poor awful terrible rubbish dreadful horrible shocking
    appalling disappointing disappointed unhappy worse worst problem problems issue issues
    complaint complaints fault faults
    """.split()
)

# Contractions typed without their apostrophe ("Im still in pain", "dont know"): function words,
# never a phrase.
BARE_CONTRACTIONS = frozenset(
    """
    im ive dont didnt doesnt isnt wasnt arent werent youre theyre thats whats theres wouldnt
    shouldnt havent hadnt wont
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


# A run of x's: how many exports mark a removed name ("XXXX was lovely"), or kisses ("Thanks xx").
_X_RUN = re.compile(r"x{2,}")


def is_usable_word(word: str) -> bool:
    """False for a word no phrase may hold: a redaction stand-in, a run of x's or a first name."""
    return word != REDACTED_TOKEN and not _X_RUN.fullmatch(word) and word not in _name_words()


def is_usable_phrase(phrase: str) -> bool:
    """True when every word of the phrase may be shown (no name, no redaction stand-in)."""
    return all(is_usable_word(w) for w in phrase.split())


def is_generic_phrase(phrase: str) -> bool:
    """True for a phrase made only of generic or evaluative words ("people", "perfect", "need
    better", "good people"), or of a function word and a verdict ("no problems", "no complaints");
    one word with a subject makes it specific ("waiting time", "more time", "parking problems")."""
    words = phrase.split()
    verdict = any(w in EVALUATIVE_WORDS for w in words)
    return bool(words) and all(
        w in GENERIC_WORDS or w in EVALUATIVE_WORDS or (verdict and w in WEAK_UNIGRAMS)
        for w in words
    )


# Generic words that carry no subject in a short verdict ("Good service", "Great experience",
# "Nothing really"); the rest of GENERIC_WORDS ("time", "people") can be one ("More time").
_VERDICT_FILLER = frozenset(
    """
    good great best nice bad better helpful really very just quite much many lot lots bit
    everything something anything nothing everyone someone anyone thank thanks overall generally
    general experience service services all fully totally completely absolutely extremely
    """.split()
)


def says_only_how_good(text: str) -> bool:
    """True for an answer that says how good or bad things were but not about what ("Good as it
    is", "Everything is fine", "Not much", "Great service"): no word is a subject."""
    for t in tokenise(normalise(str(text)[:MAX_DOC_CHARS])):
        if not t or len(t) <= 1 or t.isdigit() or t in STOP_WORDS or t in WEAK_UNIGRAMS:
            continue
        if t in BARE_CONTRACTIONS:
            continue
        if t in EVALUATIVE_WORDS or t in _VERDICT_FILLER:
            continue
        return False
    return True


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

    A phrase counts for a theme when it holds one of the theme's seeds or its label (by word stems:
    "friendly staff" holds the seed "staff"; "care" does not hold "care coordinator"); the score is the share of the cluster's phrases that count, weighted by rank (the first phrase
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
        keys = [k for k in (_stems(str(x)) for x in [theme.label, *theme.seeds]) if k]
        hits = [i for i, stems in enumerate(phrase_stems) if any(k <= stems for k in keys)]
        score = sum(weights[i] for i in hits) / sum(weights)
        if score >= min_score and (best is None or score > best.score):
            shared = tuple(phrases[i] for i in hits)
            best = ThemeOverlap(str(theme.id), str(theme.label), shared, round(score, 3))
    return best


# --- naming a cluster: class-based TF-IDF over the phrases of redacted answers -----------------
def naming_word(t: str) -> bool:
    """True for a word that may be part of a cluster's phrase (no stop word, number or name)."""
    return (
        t not in STOP_WORDS
        and t not in BARE_CONTRACTIONS
        and len(t) > 1
        and not t.isdigit()
        and is_usable_word(t)
    )


# Punctuation that ends a phrase: "No, care was 100%" holds no phrase "no care".
_PHRASE_BREAK = re.compile(r"[.,;:!?()\[\]]+|\s[-\u2013\u2014]+\s")


def phrase_tokens(text: str) -> list[str | None]:
    """naming_tokens of an answer, with None where punctuation ends a phrase (keeps adjacency)."""
    out: list[str | None] = []
    for part in _PHRASE_BREAK.split(normalise(text[:MAX_DOC_CHARS])):
        tokens = naming_tokens(tokenise(part))
        if tokens:
            if out:
                out.append(None)
            out.extend(tokens)
    return out


def content_tokens(masked: str) -> list[str | None]:
    """Unstemmed words of a redacted, masked answer for naming; None where a stop word, letter,
    number, redacted item, name, surname or phrase-ending punctuation stood (keeps adjacency)."""
    return [t if t and naming_word(t) else None for t in phrase_tokens(masked)]


def phrases_of(tokens: list[str | None]) -> list[str]:
    """Unigrams and bigrams of words truly next to each other in the answer, each once per answer.

    Bigrams never bridge a removed stop word: "nothing, they're doing great" must not yield
    "nothing doing". A bigram ending in a function word ("honestly not") is no name either.
    """
    grams = {t for t in tokens if t}
    grams.update(
        f"{a} {b}"
        for a, b in zip(tokens, tokens[1:])
        if a and b and a != b and b not in WEAK_UNIGRAMS
    )
    return sorted(grams)


def class_tfidf(
    token_lists: list[list[str]], labels: np.ndarray, clusters: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-cluster c-TF-IDF over answer-level phrase presence; returns (scores, doc counts, vocab)."""
    vectoriser = CountVectorizer(analyzer=phrases_of, binary=True)
    presence = vectoriser.fit_transform(token_lists)
    vocab = vectoriser.get_feature_names_out()
    classes = [*clusters, NOISE]
    onehot = sparse.csr_matrix((labels[:, None] == np.array(classes)[None, :]).astype(np.float64))
    counts = np.asarray(
        (onehot.T @ presence).todense()
    )  # classes x phrases: answers holding phrase
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    avg_words = counts.sum() / max(len(classes), 1)
    idf = np.log1p(avg_words / np.maximum(counts.sum(axis=0), 1))
    return tf * idf, counts, vocab


def pick_phrases(scores: np.ndarray, counts: np.ndarray, vocab: np.ndarray, size: int) -> list[str]:
    """Top distinctive phrases held by enough of the cluster; a bigram replaces its own words.

    Empty when the cluster shares only generic or evaluative words ("feel / like / better",
    "fine / perfect"): it has no common subject, and discovery does not offer it as a theme.
    """
    min_docs = max(2, math.ceil(0.1 * size))
    chosen: list[str] = []
    for j in np.argsort(-scores, kind="stable"):
        if counts[j] < min_docs or scores[j] <= 0:
            continue
        phrase = str(vocab[j])
        words = set(phrase.split())
        if phrase in WEAK_UNIGRAMS or words <= WEAK_UNIGRAMS or is_generic_phrase(phrase):
            continue
        if any(words <= set(c.split()) for c in chosen):
            continue  # "car" after "car park"
        if len(words) > 1:
            chosen = [c for c in chosen if not set(c.split()) <= words]
        chosen.append(phrase)
        if len(chosen) >= N_TOP_PHRASES:
            break
    return chosen


def collocations(texts: list[str], size: int, n: int = 5) -> list[str]:
    """NLTK bigram collocations (likelihood ratio) inside one cluster's redacted, masked answers."""
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    docs = [phrase_tokens(t) for t in texts]
    finder = BigramCollocationFinder.from_documents(docs)
    finder.apply_freq_filter(max(2, math.ceil(0.03 * size)))  # recurring, not one-off
    finder.apply_word_filter(lambda w: w is None or not naming_word(w))
    return [" ".join(pair) for pair in finder.nbest(BigramAssocMeasures.likelihood_ratio, n)]
