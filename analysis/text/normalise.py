"""Text preparation: normalise, tokenise (nltk, no data downloads), stem, stop words, no-content tests."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# Words that turn a statement round ("nobody rang back").
NEGATIONS = frozenset(
    {
        "no",
        "not",
        "nobody",
        "never",
        "without",
        "nothing",
        "none",
        "noone",
        "nor",
        "cannot",
        "cant",
        "couldnt",
        "hasnt",
        "neither",
        "nowhere",
    }
)
# Stop words in scikit-learn's list that carry meaning in feedback: the negations ("neither" stays a
# stop word) and verbs/particles that are the substance of a complaint ("nobody rang back").
KEPT_WORDS = (NEGATIONS - {"neither"}) | frozenset(
    {
        "after",
        "again",
        "against",
        "alone",
        "always",
        "around",
        "back",
        "behind",
        "bill",
        "call",
        "cry",
        "detail",
        "done",
        "down",
        "empty",
        "enough",
        "ever",
        "everyone",
        "everything",
        "find",
        "fire",
        "first",
        "found",
        "front",
        "full",
        "get",
        "give",
        "help",
        "interest",
        "keep",
        "last",
        "less",
        "made",
        "more",
        "move",
        "off",
        "out",
        "over",
        "put",
        "see",
        "serious",
        "system",
        "take",
        "through",
        "too",
        "up",
        "well",
    }
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS - KEPT_WORDS) | {
    "s",
    "t",
    "ve",
    "ll",
    "d",
    "m",
    "re",
}
# Seed matching drops only function words, so "still waiting" or "went above and beyond" keep
# the words that make them specific (the full stop list would reduce them to "wait" / "went").
MATCH_STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "my",
        "me",
        "i",
        "to",
        "of",
        "and",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "being",
        "am",
        "it",
        "its",
        "for",
        "in",
        "on",
        "at",
        "with",
        "we",
        "they",
        "our",
        "their",
        "his",
        "her",
        "him",
        "she",
        "he",
        "us",
        "you",
        "your",
        "this",
        "that",
        "had",
        "have",
        "has",
        "so",
        "very",
        "really",
        "just",
        "them",
        "did",
        "do",
        "does",
        "s",
        "ve",
        "ll",
        "d",
        "m",
        "re",
        "t",
        "by",
        "as",
        "or",
        "from",
        "there",
        "which",
        "who",
        "would",
    }
)

# Whole answers that say nothing (after normalising and dropping punctuation / politeness).
# "nothing" alone is no content; "nothing was done" is content, so only whole answers match.
CONTENTLESS_ANSWERS = frozenset(
    {
        "",
        "na",
        "n a",
        "n/a",
        "nil",
        "none",
        "nothing",
        "no",
        "nope",
        "no comment",
        "no comments",
        "no comment to make",
        "not applicable",
        "none applicable",
        "nothing to add",
        "nothing else",
        "nothing to say",
        "nothing further",
        "nothing more",
        "nothing more to add",
        "no further comments",
        "no further comment",
        "nothing at all",
        "none at all",
        "no nothing",
        "not really",
        "nothing really",
        "none really",
        "dont know",
        "don t know",
        "do not know",
        "not sure",
        "unsure",
        "dk",
        "idk",
        "x",
        "xx",
        "xxx",
        "same",
        "same as above",
        "as above",
        "see above",
        "blank",
        "null",
        "nan",
        "test",
        "no answer",
        "no response",
        "nothing i can think of",
        "cant think of anything",
        "can t think of anything",
        "cannot think of anything",
        "no opinion",
        "no idea",
        "nothing to report",
        "nothing comes to mind",
        "not at this time",
        "none that i can think of",
        "no other comments",
        "no other comment",
        "not that i can think of",
        "no not really",
        "none so far",
        "nothing yet",
        "not a thing",
        "nothing at the moment",
        "nothing at present",
        "no improvements",
        "no improvement",
        "no improvements needed",
        "none needed",
    }
)
_POLITE = re.compile(
    r"\b(thank you|thanks|thankyou|really|at all|at present|at the moment|just|sorry|ok|okay)\b"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_NON_ALNUM = re.compile(r"[^a-z0-9/ ]+")

# Words with apostrophes kept whole so contractions can be split into word + "not".
# "a&e" (accident and emergency) is one token; otherwise words and numbers.
_TOKEN_RE = re.compile(r"a&e|[a-z0-9]+(?:'[a-z]+)?")
_IRREGULAR_NT = {"can't": "can", "won't": "will", "shan't": "shall", "ain't": "is"}


def normalise(text: object) -> str:
    """Lowercase, Unicode NFKC, straight apostrophes, control characters removed, spaces collapsed."""
    if type(text) is str:
        # Cached: one answer is normalised by the cache key, stemming, seed matching, the
        # no-content test and evidence extraction.
        return _normalise_str(text)
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _normalise_str(str(text))


@lru_cache(maxsize=131_072)
def _normalise_str(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    s = _CONTROL.sub(" ", s)
    return _SPACE.sub(" ", s).strip()


def _split_token(token: str) -> list[str]:
    """Split contractions: "wasn't" -> ["was", "not"], "i've" -> ["i"]."""
    if "'" not in token:
        return [token]
    if token in _IRREGULAR_NT:
        return [_IRREGULAR_NT[token], "not"]
    if token.endswith("n't"):
        return [token[:-3], "not"]
    return [token.split("'", 1)[0]]


def tokenise(text: str) -> list[str]:
    """Word tokens of an already-normalised text, contractions split ("didn't" -> "did", "not")."""
    out: list[str] = []
    for tok in _TOKEN_RE.findall(text):
        out.extend(_split_token(tok))
    return out


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for a normalised text; a contraction's "not" shares its word's span."""
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group()
        if "'" in tok:
            for part in _split_token(tok):
                out.append((part, m.start(), m.end()))
        else:
            out.append((tok, m.start(), m.end()))
    return out


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202
    # Imported when first needed: importing nltk takes about two seconds, and a page that only
    # reads stored results (the first open after a restart) never stems a word.
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Snowball (Porter 2) stem of one token; cached because vocabularies repeat heavily."""
    return _stemmer().stem(token)


def content_stems(text: str) -> list[str]:
    """Stems of the non-stop-word tokens of a raw text, in order (negations kept)."""
    return [stem(t) for t in tokenise(normalise(text)) if t not in STOP_WORDS]


def stem_document(text: str) -> str:
    """Content stems joined by spaces: the form the theme models vectorise."""
    return " ".join(content_stems(text))


@lru_cache(maxsize=100_000)
def _canonical_short(norm: str) -> str:
    s = _NON_ALNUM.sub(" ", norm.replace("'", ""))
    s = _POLITE.sub(" ", s)
    return _SPACE.sub(" ", s).strip()


def is_contentless(text: object) -> bool:
    """True for blank or contentless answers ("", "n/a", "nothing", "no comment", "-", "...")."""
    norm = normalise(text)
    if len(norm) > 60:  # long answers always say something
        return False
    canon = _canonical_short(norm)
    if canon in CONTENTLESS_ANSWERS or canon.replace("/", " ").strip() in CONTENTLESS_ANSWERS:
        return True
    letters = re.sub(r"[^a-z]", "", canon)
    # Keyboard mash or a single repeated letter ("aaaa", "x x x") is not an answer.
    return len(letters) == 0 or (len(set(letters)) == 1 and len(letters) > 0 and len(canon) < 10)


def is_negation(token: str) -> bool:
    """True when a (normalised, unstemmed or stemmed) token negates what follows."""
    return token in NEGATIONS or token.endswith("n't")
