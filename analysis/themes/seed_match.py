"""Seed-phrase matching: stems of a seed found close together in an answer, negation-aware."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from analysis.text.normalise import MATCH_STOP_WORDS, is_negation, normalise, stem, token_spans
from analysis.themes.codebook import Codebook

logger = logging.getLogger(__name__)

SLACK = 2  # extra content words allowed inside a match ("waited for many months" ~ "waited months")
ARTICLES = frozenset({"a", "an", "the"})


@dataclass(frozen=True)
class Seed:
    """A compiled seed phrase.

    Loose seeds (the usual kind) match when their content stems occur within a short window in any
    order. A multi-word seed whose words are mostly function words ("really helped me", "at night")
    would reduce to one generic stem, so it is kept exact: all its words, contiguous, in order.
    """

    theme_index: int
    text: str
    stems: tuple[str, ...]
    negated: bool
    exact: bool = False


@dataclass(frozen=True)
class SeedMatch:
    """One seed found in one answer: theme, seed, and the character span of the matched words."""

    theme_index: int
    seed: str
    start: int
    end: int


def compile_seeds(codebook: Codebook) -> tuple[list[str], list[Seed]]:
    """Theme ids (active themes, codebook order) and their compiled seeds."""
    theme_ids = codebook.theme_ids
    seeds: list[Seed] = []
    for k, theme in enumerate(codebook.active_themes):
        for phrase in theme.seeds:
            words = [t for t, _, _ in token_spans(normalise(phrase)) if t not in ARTICLES]
            toks = [t for t in words if t not in MATCH_STOP_WORDS]
            negated = any(is_negation(t) for t in words)
            if len(toks) == 1 and len(words) > 1:
                seeds.append(Seed(k, phrase, tuple(stem(t) for t in words), negated, exact=True))
                continue
            if not toks or all(is_negation(t) for t in toks):
                # "nothing to do" would reduce to "nothing" and match every "nothing ..." answer.
                logger.info(
                    "seed %r of theme %s has no specific word; ignored",
                    phrase,
                    theme.id,
                )
                continue
            seeds.append(Seed(k, phrase, tuple(stem(t) for t in toks), negated))
    return theme_ids, seeds


class SeedMatcher:
    """Find every seed of a codebook in answers; a loose seed matches when all its stems occur
    within a short window, in any order, and no negation sits just before or inside the window
    (unless the seed is itself negative, as in "nobody rang back")."""

    def __init__(self, codebook: Codebook) -> None:
        self.theme_ids, self.seeds = compile_seeds(codebook)
        self._index: dict[str, list[Seed]] = {}
        self._exact: dict[str, list[Seed]] = {}
        for seed in self.seeds:
            target = self._exact if seed.exact else self._index
            target.setdefault(seed.stems[0], []).append(seed)
        # Fitting and classifying match the same answers; remember recent results.
        self._memo: dict[str, list[SeedMatch]] = {}

    def match(self, text: str) -> list[SeedMatch]:
        """All seed matches in one raw answer (at most one per seed)."""
        hit = self._memo.get(text)
        if hit is None:
            hit = self._match(text)
            if len(self._memo) >= 100_000:
                self._memo.clear()
            self._memo[text] = hit
        return hit

    def _match(self, text: str) -> list[SeedMatch]:
        norm = normalise(text)
        words: list[tuple[str, int, int, bool]] = []
        info = _TOKEN_INFO
        for tok, start, end in token_spans(norm):
            if tok in ARTICLES:
                continue
            ti = info.get(tok)
            if ti is None:
                ti = (stem(tok), is_negation(tok))
                if len(info) < 500_000:  # vocabulary is bounded in practice; cap it anyway
                    info[tok] = ti
            words.append((ti[0], start, end, ti[1]))
        if not words:
            return []
        out: list[SeedMatch] = []
        if self._exact:
            out.extend(self._match_exact(words))
        content = [w for w in words if w[0] not in _STOP_STEMS]
        positions: dict[str, list[int]] = {}
        for i, w in enumerate(content):
            positions.setdefault(w[0], []).append(i)
        for first, first_pos in positions.items():
            for seed in self._index.get(first, ()):
                hit = self._locate(seed, first_pos, positions, content)
                if hit is not None:
                    lo, hi = hit
                    out.append(
                        SeedMatch(seed.theme_index, seed.text, content[lo][1], content[hi][2])
                    )
        return out

    def _match_exact(self, words: list[tuple[str, int, int, bool]]) -> list[SeedMatch]:
        """Exact seeds: every word, contiguous, in order (negation check as for loose seeds)."""
        stems = [w[0] for w in words]
        out: list[SeedMatch] = []
        for i, s in enumerate(stems):
            for seed in self._exact.get(s, ()):
                n = len(seed.stems)
                if tuple(stems[i : i + n]) != seed.stems:
                    continue
                if not seed.negated and i > 0 and words[i - 1][3]:
                    continue
                out.append(SeedMatch(seed.theme_index, seed.text, words[i][1], words[i + n - 1][2]))
        return out

    @staticmethod
    def _locate(
        seed: Seed,
        first_pos: list[int],
        positions: dict[str, list[int]],
        content: list[tuple[str, int, int, bool]],
    ) -> tuple[int, int] | None:
        """Content-token span (lo, hi) where the seed occurs, or None."""
        rest = seed.stems[1:]
        if any(s not in positions for s in rest):
            return None
        window = len(seed.stems) + SLACK
        for p in first_pos:
            used = [p]
            for s in rest:
                near = [q for q in positions[s] if abs(q - p) < window and q not in used]
                if not near:
                    break
                used.append(min(near, key=lambda q: abs(q - p)))
            else:
                lo, hi = min(used), max(used)
                if hi - lo >= window:
                    continue
                if not seed.negated:
                    # A negation just before or inside the span flips the meaning ("not helpful").
                    scope = range(max(lo - 1, 0), hi + 1)
                    if any(content[i][3] for i in scope if i not in used):
                        continue
                return lo, hi
        return None


# token -> (stem, is_negation): one dict look-up per token instead of two function calls.
_TOKEN_INFO: dict[str, tuple[str, bool]] = {}

# Stems of the function words loose matching skips (stemmed, as the matcher compares stems).
_STOP_STEMS = frozenset(stem(w) for w in MATCH_STOP_WORDS) - {stem(w) for w in ("no", "not")}


def evidence_text(text: str, start: int, end: int) -> str:
    """The words of a match as they appear in the original answer (normalised form as a fallback)."""
    norm = normalise(text)
    raw = str(text)
    # Offsets refer to the normalised text; they line up with the original when only case differs.
    if len(raw) == len(norm) and raw.lower() == norm:
        return raw[start:end]
    return norm[start:end]
