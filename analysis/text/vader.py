"""VADER with the project's domain tweaks: the lexicon updates, the phrase rules and a linear-time scorer.

Why domain tweaks: VADER was built on social media. In mental-health service feedback some words
name services or conditions rather than feelings ("crisis team", "emergency department", "my
depression", "care coordinator"), waiting is a complaint VADER does not see, and stock phrases of
feedback forms ("nothing to improve", "no complaints", "can't fault them") score the wrong way. The
changes are a small, documented lexicon update (LEXICON_UPDATES) plus phrase rules (PHRASE_RULES)
that rewrite a few multi-word idioms into one scored token before VADER sees the text. They are
kept general on purpose: they are not fitted to any one benchmark file.
"""

from __future__ import annotations

import re
import string
import threading
from typing import TYPE_CHECKING

from analysis.core import config
from analysis.text.nltk_path import ensure_nltk_path

if TYPE_CHECKING:
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

LEXICON_RESOURCE = "sentiment/vader_lexicon.zip/vader_lexicon/vader_lexicon.txt"

# word -> valence on VADER's -4..4 scale. Each entry says why.
LEXICON_UPDATES: dict[str, float] = {
    # Names of services, settings and conditions, not feelings about the service.
    "crisis": 0.0,  # "crisis team", "crisis line", "crisis house" (VADER: -3.1)
    "emergency": 0.0,  # "emergency department" (VADER: -1.6)
    "care": 0.0,  # a noun here: "my care", "care plan", "care coordinator" (VADER: +2.2)
    "depression": 0.0,  # a diagnosis the person lives with (VADER: -2.7)
    "anxiety": 0.0,  # as above (VADER: -0.7)
    "illness": 0.0,  # "mental illness" (VADER: -1.7)
    "disorder": 0.0,  # "eating disorder", "personality disorder" (VADER: -1.7)
    "admitted": 0.0,  # admitted to a ward (VADER: +0.4, as in "admitted it")
    "discharged": 0.0,  # neutral event; its quality is carried by other words
    "section": 0.0,
    "sectioned": 0.0,
    "mental": 0.0,
    "health": 0.0,
    # Waiting is the commonest complaint about access; VADER has no entry for it.
    "wait": -0.6,
    "waits": -1.0,
    "waited": -1.3,  # "I waited months": clearly a complaint on its own
    "waiting": -1.0,
    "delays": -1.3,
    # Service-experience words VADER lacks.
    "rushed": -1.5,
    "unhelpful": -1.8,
    "dismissive": -1.8,
    "dismissed": -1.2,
    "understaffed": -1.5,
    "listened": 1.2,  # "they listened to me"; "not listened to" is handled by VADER's negation
    "understanding": 1.2,  # "very understanding staff"
}

# Extra negators: "nobody helped" / "no one listened" should flip like "not".
EXTRA_NEGATIONS = frozenset({"nobody", "noone"})

# (pattern, token, valence): multi-word idioms become one scored token before VADER runs.
PHRASE_RULES: tuple[tuple[str, str, float], ...] = (
    # Nobody got back to the person: a core complaint about access and communication.
    (
        r"\b(?:nobody|noone|no one|no-one|never|didn'?t|did not|wasn'?t|was not|were not|weren'?t)"
        r"\s+(?:ever\s+|even\s+|actually\s+)?(?:rang|rung|called|phoned|contacted|got|get|replied|"
        r"responded|came)\s+(?:me\s+|us\s+)?back\b",
        "xxnocallbackxx",
        -1.8,
    ),
    (
        r"\b(?:nobody|no one|no-one|noone)\s+(?:ever\s+)?(?:rang|called|phoned|contacted|replied|"
        r"responded|followed up|came)\b",
        "xxnocallbackxx",
        -1.8,
    ),
    (r"\bno\s+(?:call\s*back|callback|reply|response|follow[- ]?up)s?\b", "xxnocallbackxx", -1.5),
    (r"\bstill\s+waiting\b", "xxstillwaitingxx", -1.5),
    (r"\bfell\s+(?:through|between)\s+the\s+(?:gaps|cracks|net)\b", "xxfellthroughxx", -2.0),
    (r"\bpillar\s+to\s+post\b", "xxpillarpostxx", -1.5),
    # Stock answers to "what could we do better?" that VADER reads as negative.
    (
        r"\bnothing\s+(?:at\s+all\s+|really\s+)?(?:to\s+(?:improve|change)|(?:that\s+)?(?:could|can|"
        r"needs?\s+to|should)\s+be\s+(?:improved|changed|done\s+better)|i\s+would\s+(?:change|improve))\b",
        "xxnothingtoimprovexx",
        1.5,
    ),
    (
        r"\b(?:could\s*n'?t|could\s+not|can'?t|cannot)\s+(?:have\s+)?(?:be|been)\s+"
        r"(?:improved|better|faulted)\b",
        "xxcouldntbebetterxx",
        2.5,
    ),
    (r"\b(?:could\s*n'?t|could\s+not|can'?t|cannot)\s+fault\b", "xxcantfaultxx", 2.5),
    (r"\bno\s+(?:complaints?|problems?|issues?|concerns?)\b", "xxnocomplaintsxx", 1.2),
    # "could be better" is a mild complaint (VADER reads "better" as praise).
    (
        r"\bcould\s+(?:be|have\s+been|do)\s+(?:a\s+lot\s+|much\s+|a\s+bit\s+|a\s+little\s+)?"
        r"(?:better|improved)\b",
        "xxcouldbebetterxx",
        -0.8,
    ),
    # "no one" is two words; make it one negator so VADER's negation check sees it.
    (r"\bno[- ]one\b", "nobody", 0.0),
)
_COMPILED_RULES = tuple((re.compile(p, re.IGNORECASE), tok) for p, tok, _ in PHRASE_RULES)
# Per rule, words every match must contain (any one of them): a rule whose words are absent from
# the case-folded text cannot match, so its regex is skipped (most clauses have none of them).
# "" stands for the word "no" / "nobody" / "noone" (too common a substring to test with `in`).
_RULE_KEYWORDS: tuple[tuple[str, ...], ...] = (
    ("back",),
    ("",),
    ("",),
    ("still",),
    ("fell",),
    ("pillar",),
    ("nothing",),
    ("improved", "better", "faulted"),
    ("fault",),
    ("",),
    ("better", "improved"),
    ("",),
)
_NO_WORD = re.compile(r"\bno(?:body|one|\b)")
_RULE_TOKENS = {tok: val for _, tok, val in PHRASE_RULES if tok.startswith("xx")}

_lock = threading.Lock()
_analyzers: dict[str, object] = {}


_ASCII_PUNCT = frozenset(string.punctuation)


class _Words:
    """The two SentiText attributes VADER's valence rules read (words_and_emoticons, is_cap_diff)."""

    __slots__ = ("words_and_emoticons", "is_cap_diff")

    def __init__(self, words: list[str]) -> None:
        self.words_and_emoticons = words
        upper = sum(1 for w in words if w.isupper())
        self.is_cap_diff = 0 < len(words) - upper < len(words)


def vader_words(text: str, punc_set: frozenset[str]) -> list[str]:
    """VADER's SentiText.words_and_emoticons in linear time.

    NLTK builds a dict of every (punctuation x word) pair per text, which is most of VADER's
    run time. The same result follows locally: a token loses a trailing (else a leading) run of
    punctuation when that run is one of PUNC_LIST and what is left has no ASCII punctuation and
    at least two characters (exactly when NLTK's dict would contain the token).
    """
    out: list[str] = []
    punct = string.punctuation
    for we in text.split():
        if len(we) <= 1:
            continue
        if we[-1] in _ASCII_PUNCT:
            w = we.rstrip(punct)
            if len(w) > 1 and we[len(w) :] in punc_set and not any(c in _ASCII_PUNCT for c in w):
                we = w
        elif we[0] in _ASCII_PUNCT:
            w = we.lstrip(punct)
            if (
                len(w) > 1
                and we[: len(we) - len(w)] in punc_set
                and not any(c in _ASCII_PUNCT for c in w)
            ):
                we = w
        out.append(we)
    return out


def _fast_compound(analyzer: SentimentIntensityAnalyzer, text: str) -> float:
    """VADER's polarity_scores(text)["compound"], computed the same way but only visiting the
    tokens found in the lexicon (the others add exactly 0 to the sum VADER normalises)."""
    c = analyzer.constants
    words = vader_words(text, analyzer._punc_set)
    if not words:
        return 0.0
    lexicon = analyzer.lexicon
    lowers = [w.lower() for w in words]
    hits = [i for i, w in enumerate(lowers) if w in lexicon]
    if not hits:
        return 0.0
    sentitext = _Words(words)
    # VADER looks each token up by its first position (list.index): keep that quirk.
    first_index: dict[str, int] = {}
    for idx, token in enumerate(words):
        first_index.setdefault(token, idx)
    but = lowers.index("but") if "but" in lowers else -1
    n = len(words)
    total = 0.0
    for pos in hits:
        item = words[pos]
        i = first_index[item]
        if lowers[pos] in c.BOOSTER_DICT or (
            i < n - 1 and item.lower() == "kind" and words[i + 1].lower() == "of"
        ):
            continue
        v = analyzer.sentiment_valence(0, sentitext, item, i, [])[-1]
        if but >= 0:
            if pos < but:
                v = v * 0.5
            elif pos > but:
                v = v * 1.5
        total += v
    sum_s = float(total)
    amp = analyzer._punctuation_emphasis(sum_s, text)
    if sum_s > 0:
        sum_s += amp
    elif sum_s < 0:
        sum_s -= amp
    return round(c.normalize(sum_s), 4)


def _build_analyzer(tuned: bool) -> SentimentIntensityAnalyzer:
    """Create a VADER analyzer from the project's lexicon; tuned adds the domain updates."""
    ensure_nltk_path()
    from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

    try:
        analyzer = SentimentIntensityAnalyzer(lexicon_file=LEXICON_RESOURCE)
    except LookupError as exc:
        raise RuntimeError(
            "VADER lexicon missing: run `python scripts/setup_nltk_data.py` "
            f"(expected {config.NLTK_DATA_DIR / 'sentiment' / 'vader_lexicon.zip'})"
        ) from exc
    if tuned:
        analyzer.lexicon.update(LEXICON_UPDATES)
        analyzer.lexicon.update(_RULE_TOKENS)
        constants = VaderConstants()
        # An instance attribute, so the class (and any other analyzer) keeps NLTK's list.
        constants.NEGATE = set(VaderConstants.NEGATE) | set(EXTRA_NEGATIONS)
        analyzer.constants = constants
    analyzer._punc_set = frozenset(analyzer.constants.PUNC_LIST)
    # Ours uses the linear-time equivalent; the plain analyzer stays stock NLTK (a fair peer).
    analyzer._fast = tuned
    return analyzer


def get_analyzer(tuned: bool = True) -> SentimentIntensityAnalyzer:
    """Return the process-wide VADER analyzer (created once, thread-safe); tuned=False is plain VADER."""
    key = "tuned" if tuned else "plain"
    analyzer = _analyzers.get(key)
    if analyzer is None:
        with _lock:
            analyzer = _analyzers.get(key)
            if analyzer is None:
                analyzer = _build_analyzer(tuned)
                _analyzers[key] = analyzer
    return analyzer


def _apply_phrase_rules(text: str) -> str:
    """Rewrite the idioms in PHRASE_RULES into their scored tokens."""
    folded = text.casefold()
    has_no = None
    for (pattern, token), words in zip(_COMPILED_RULES, _RULE_KEYWORDS):
        if words[0] == "":
            if has_no is None:
                has_no = _NO_WORD.search(folded) is not None
            if not has_no:
                continue
        elif not any(w in folded for w in words):
            continue
        new = pattern.sub(token, text)
        if new != text:
            text, folded, has_no = new, new.casefold(), None
    return text


def _compound(analyzer: SentimentIntensityAnalyzer, text: str) -> float:
    """VADER compound for text, returning 0 quickly when no token can carry sentiment."""
    lexicon = analyzer.lexicon
    tokens = text.lower().split()
    # VADER only scores tokens found in its lexicon (raw, or stripped of edge punctuation), so a text
    # with none of them is exactly 0: skip the expensive path (most short "n/a"-like answers).
    if not any(t in lexicon or t.strip(string.punctuation) in lexicon for t in tokens):
        return 0.0
    if getattr(analyzer, "_fast", False):
        return float(_fast_compound(analyzer, text))
    return float(analyzer.polarity_scores(text)["compound"])
