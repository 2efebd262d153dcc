"""Seed-phrase matching: whole words and phrases, in order and close together, negation-aware,
with the context the codebook asks for.

How a seed is written in the codebook:
- words match whole words in any of their regular forms ("waited" also finds "wait", "waiting";
  "tablets" finds "tablet") but never another word that merely shares a stem ("medics" is not
  "medication");
- a word ending in `*` matches every word starting with it ("medicat*"): a stem, where wanted;
- a multi-word seed matches its words in the seed's order, each at most two words after the
  previous one ("waited months" finds "waited for many months", not "months, waited");
- a seed with no negation never matches a negated statement ("not helpful" is not "helpful"); a
  negative seed needs its negation ("not enough staff" is not "staff couldn't do enough");
- a negation reaches no further than its clause ("Nothing. Very good treatment" is not "no
  treatment"), nor past "better" or "best" ("couldn't have had better treatment" is praise);
- `(near: w1, w2, ...)` after a seed: it counts only when one of those words (same rules) is
  within eight words of it, for short or ambiguous seeds ("111 (near: call*, rang, phone*)").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from analysis.text.normalise import MATCH_STOP_WORDS, is_negation, normalise, token_spans
from analysis.themes.codebook import Codebook

logger = logging.getLogger(__name__)

SLACK = 1  # words allowed between consecutive seed words ("waited for months")
CONTEXT_WINDOW = 8  # words either side of a match where a `near:` word must occur
NEGATION_REACH = 2  # a negative seed's negation may stand this many words before its words
ARTICLES = frozenset({"a", "an", "the"})
_CONTENT_STOP = MATCH_STOP_WORDS - {"no", "not"}
_NEAR = re.compile(r"\(\s*near\s*:\s*([^)]*)\)\s*$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[.!?;:,]|\bbut\b")
# "couldn't have had better care", "no better treatment": the negation turns praise, not a lack.
_NEGATION_STOPPERS = frozenset({"better", "best"})


def word_form(token: str) -> str:
    """The base a word's regular inflections share: plural and possessive -s, -ed and -ing
    ("waited", "waiting" -> "wait"; "referred" -> "refer"; "services" -> "service")."""
    t = token[:-2] if token.endswith("'s") else token
    if len(t) > 4 and t.endswith("ies"):
        return t[:-3] + "y"
    if len(t) > 3 and t.endswith("s") and not t.endswith(("ss", "us", "is")):
        t = t[:-1]
    for suffix in ("ing", "ed"):
        if t.endswith(suffix) and len(t) - len(suffix) >= 3:
            t = t[: -len(suffix)]
            if t[-1] == t[-2] and t[-1] not in "lsz":  # "stopped" -> "stop"
                t = t[:-1]
            break
    if len(t) >= 5 and t.endswith("e"):  # "discharge" and "discharged" meet at "discharg"
        t = t[:-1]
    return t


def split_seed(seed: str) -> tuple[str, list[str]]:
    """(the phrase, its `near:` context words) of a seed as written in the codebook."""
    m = _NEAR.search(seed)
    if not m:
        return seed.strip(), []
    near = [w.strip().lower() for w in m.group(1).split(",") if w.strip()]
    return seed[: m.start()].strip(), near


def seed_phrase(seed: str) -> str:
    """The words of a seed as plain text (no `near:` part, no `*`), e.g. for training texts."""
    return split_seed(seed)[0].replace("*", "")


def _terms(phrase: str) -> list[tuple[str, bool]]:
    """(form or prefix, is_prefix) per token of a phrase; `word*` gives a prefix."""
    out: list[tuple[str, bool]] = []
    for raw in normalise(phrase).split():
        prefix = raw.endswith("*")
        for tok, _, _ in token_spans(raw.rstrip("*")):
            out.append((tok, False))
        if prefix and out:
            out[-1] = (out[-1][0], True)
    return out


@dataclass(frozen=True)
class Seed:
    """A compiled seed: its terms in order (word forms, or prefixes where `prefix[i]`), whether it
    is negative, whether it must match exactly (all words contiguous, function words too: for
    seeds that are mostly function words, like "at night"), and its `near:` context terms."""

    theme_index: int
    text: str
    stems: tuple[str, ...]
    negated: bool
    exact: bool = False
    prefix: tuple[bool, ...] = ()
    context: tuple[tuple[str, bool], ...] = ()

    @property
    def needs(self) -> frozenset[str]:
        """Word forms the answer must contain for the seed to match (prefix terms aside)."""
        return frozenset(t for t, p in zip(self.stems, self.prefix) if not p)


@dataclass(frozen=True)
class SeedMatch:
    """One seed found in one answer: theme, seed, and the character span of the matched words."""

    theme_index: int
    seed: str
    start: int
    end: int


def _compile_one(k: int, text: str) -> Seed | None:
    phrase, near = split_seed(text)
    terms = [(t, p) for t, p in _terms(phrase) if t not in ARTICLES]
    negated = any(is_negation(t) for t, _ in terms)
    content = [(t, p) for t, p in terms if t not in _CONTENT_STOP and not is_negation(t)]
    context = tuple((t if p else word_form(t), p) for w in near for t, p in _terms(w))
    if len(content) == 1 and len([t for t in terms if not is_negation(t[0])]) > 1:
        chosen, exact = terms, True
    elif not content:
        return None
    else:
        chosen, exact = content, False
    forms = tuple(t if p else word_form(t) for t, p in chosen)
    return Seed(k, text, forms, negated, exact, tuple(p for _, p in chosen), context)


def compile_seeds(codebook: Codebook) -> tuple[list[str], list[Seed]]:
    """Theme ids (active themes, codebook order) and their compiled seeds."""
    seeds: list[Seed] = []
    for k, theme in enumerate(codebook.active_themes):
        for text in theme.seeds:
            seed = _compile_one(k, text)
            if seed is None:
                # "nothing to do" alone would reduce to nothing specific and match everything.
                logger.info("seed %r of theme %s has no specific word; ignored", text, theme.id)
            else:
                seeds.append(seed)
    return codebook.theme_ids, seeds


# (form, start, end, is_negation, raw token)
_Word = tuple[str, int, int, bool, str]


def _hits(term: str, is_prefix: bool, words: list[_Word], lo: int, hi: int) -> list[int]:
    """Positions in words[lo:hi] whose word is the term (or starts with the prefix)."""
    if is_prefix:
        return [i for i in range(max(lo, 0), min(hi, len(words))) if words[i][4].startswith(term)]
    return [i for i in range(max(lo, 0), min(hi, len(words))) if words[i][0] == term]


class SeedMatcher:
    """Find every seed of a codebook in answers (at most one match per seed and answer)."""

    def __init__(self, codebook: Codebook) -> None:
        self.theme_ids, self.seeds = compile_seeds(codebook)
        self._needs = {id(seed): seed.needs for seed in self.seeds}
        # Seeds by their first word, apart for the two passes (content words, then every word for
        # exact seeds), so neither pass walks the other's seeds.
        self._by_first: dict[bool, dict[str, list[Seed]]] = {False: {}, True: {}}
        self._by_prefix: dict[bool, list[Seed]] = {False: [], True: []}
        for seed in self.seeds:
            if seed.prefix and seed.prefix[0]:
                self._by_prefix[seed.exact].append(seed)
            else:
                self._by_first[seed.exact].setdefault(seed.stems[0], []).append(seed)
        # Fitting and classifying match the same answers; remember recent results.
        self._memo: dict[str, list[SeedMatch]] = {}

    def match(self, text: str) -> list[SeedMatch]:
        """All seed matches in one raw answer."""
        hit = self._memo.get(text)
        if hit is None:
            hit = self._match(text)
            if len(self._memo) >= 100_000:
                self._memo.clear()
            self._memo[text] = hit
        return hit

    def _match(self, text: str) -> list[SeedMatch]:
        norm = normalise(text)
        words = _words(norm)
        if not words:
            return []
        content = [w for w in words if w[4] not in _CONTENT_STOP]
        present = {w[0] for w in words}
        out: list[SeedMatch] = []
        seen: set[int] = set()
        for pool, exact in ((content, False), (words, True)):
            by_first, by_prefix = self._by_first[exact], self._by_prefix[exact]
            if not by_first and not by_prefix:
                continue
            for i, w in enumerate(pool):
                cands = by_first.get(w[0], ())
                if by_prefix:
                    cands = [*cands, *(s for s in by_prefix if w[4].startswith(s.stems[0]))]
                for seed in cands:
                    if id(seed) in seen or not self._needs[id(seed)] <= present:
                        continue
                    span = _locate(seed, i, pool, norm)
                    if span is not None and _context_ok(seed, span, pool):
                        seen.add(id(seed))
                        out.append(
                            SeedMatch(
                                seed.theme_index, seed.text, pool[span[0]][1], pool[span[1]][2]
                            )
                        )
        return out


def _words(norm: str) -> list[_Word]:
    out: list[_Word] = []
    for tok, start, end in token_spans(norm):
        if tok in ARTICLES:
            continue
        info = _TOKEN_INFO.get(tok)
        if info is None:
            info = (word_form(tok), is_negation(tok))
            if len(_TOKEN_INFO) < 500_000:  # vocabulary is bounded in practice; cap it anyway
                _TOKEN_INFO[tok] = info
        out.append((info[0], start, end, info[1], tok))
    return out


def _governs(neg: int, target: int, pool: list[_Word], norm: str) -> bool:
    """Whether the negation at pool[neg] bears on the word at pool[target] after it: same clause,
    and no "better"/"best" between them."""
    if neg >= target:
        return True
    if _CLAUSE_BREAK.search(norm, pool[neg][2], pool[target][1]):
        return False
    return not any(pool[j][4] in _NEGATION_STOPPERS for j in range(neg + 1, target))


def _locate(seed: Seed, first: int, pool: list[_Word], norm: str) -> tuple[int, int] | None:
    """(lo, hi) positions where the seed's terms follow each other from `first`, or None."""
    gap = 1 if seed.exact else 1 + SLACK
    used = [first]
    for term, is_prefix in zip(seed.stems[1:], seed.prefix[1:]):
        nxt = _hits(term, is_prefix, pool, used[-1] + 1, used[-1] + 1 + gap)
        if not nxt:
            return None
        used.append(nxt[0])
    lo, hi = used[0], used[-1]
    if seed.negated:
        # A negative seed needs its negation: shortly before the match or inside it.
        reach = range(max(lo - NEGATION_REACH, 0), hi + 1)
        return (lo, hi) if any(pool[i][3] and _governs(i, lo, pool, norm) for i in reach) else None
    # A negation just before or inside the span flips the meaning ("not helpful").
    for i in range(max(lo - 1, 0), hi + 1):
        if i not in used and pool[i][3] and _governs(i, min(u for u in used if u > i), pool, norm):
            return None
    return lo, hi


def _context_ok(seed: Seed, span: tuple[int, int], pool: list[_Word]) -> bool:
    if not seed.context:
        return True
    lo, hi = span[0] - CONTEXT_WINDOW, span[1] + CONTEXT_WINDOW + 1
    return any(_hits(t, p, pool, lo, hi) for t, p in seed.context)


# token -> (word form, is_negation): one dict look-up per token instead of two function calls.
_TOKEN_INFO: dict[str, tuple[str, bool]] = {}


def evidence_text(text: str, start: int, end: int) -> str:
    """The words of a match as they appear in the original answer (normalised form as a fallback)."""
    norm = normalise(text)
    raw = str(text)
    # Offsets refer to the normalised text; they line up with the original when only case differs.
    if len(raw) == len(norm) and raw.lower() == norm:
        return raw[start:end]
    return norm[start:end]
