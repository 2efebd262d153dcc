"""Search answers: words, "phrases in quotes", AND / OR / NOT, parentheses; case-insensitive.

`parse_query` turns a query into a small AST (Term / Not / And / Or) or raises QueryError with a
message a user can act on. `evaluate` runs the AST over a Series of texts with one vectorised regex
match per distinct term; every term is regex-escaped, so a hostile query cannot inject a pattern.
Operators are the upper-case words AND, OR, NOT (lower-case "and" / "or" / "not" are ordinary
words); a leading minus ("-staff") also means NOT; two terms side by side mean AND; a trailing *
matches any ending ("wait*" finds waiting, waited).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from analysis.core import config
from analysis.core.errors import InputError

OPERATORS = {"AND", "OR", "NOT"}
_QUOTES = {'"': '"', "\u201c": "\u201d", "\u201d": "\u201d", "\u201e": "\u201c"}
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_EDGE_PUNCT = re.compile(r"^[^\w']+|[^\w'*]+$")


class QueryError(InputError):
    """A search query that cannot be understood; the message says what to change."""


@dataclass(frozen=True)
class Term:
    """A word (optionally ending in * for any ending) or a phrase of several words."""

    text: str
    phrase: bool = False

    def describe(self) -> str:
        """The term as a user would type it."""
        return f'"{self.text}"' if self.phrase else self.text


@dataclass(frozen=True)
class Not:
    """Answers that do not match `child`."""

    child: Node


@dataclass(frozen=True)
class And:
    """Answers that match every child."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Answers that match at least one child."""

    children: tuple[Node, ...]


Node = Term | Not | And | Or


def normalise_text(text: str) -> str:
    """Case-fold, straighten apostrophes and collapse whitespace (how both sides are compared)."""
    return " ".join(str(text).translate(_APOSTROPHES).casefold().split())


# --- tokenising --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Tok:
    kind: str  # "term", "op", "(", ")"
    value: object
    pos: int


def _clean_word(word: str) -> str:
    word = normalise_text(word)
    word = _EDGE_PUNCT.sub("", word)
    if word.endswith("*"):
        word = word.rstrip("*")
        word = _EDGE_PUNCT.sub("", word)
        return f"{word}*" if word else ""
    return word


def _tokenise(query: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in _QUOTES:
            close = _QUOTES[ch]
            end = -1
            for j in range(i + 1, n):
                if (
                    query[j] == close
                    or (close != '"' and query[j] == '"')
                    or (close == '"' and query[j] in "\u201c\u201d")
                ):
                    end = j
                    break
            if end < 0:
                snippet = query[i : i + 20]
                raise QueryError(f'A quote is not closed: add a closing " after {snippet!r}.')
            words = [_clean_word(w) for w in query[i + 1 : end].split()]
            words = [w.rstrip("*") for w in words if w.rstrip("*")]
            if words:
                tokens.append(_Tok("term", Term(" ".join(words), phrase=len(words) > 1), i))
            i = end + 1
        elif ch in "()":
            tokens.append(_Tok(ch, ch, i))
            i += 1
        else:
            j = i
            while (
                j < n
                and not query[j].isspace()
                and query[j] not in "()"
                and query[j] not in _QUOTES
            ):
                j += 1
            raw = query[i:j]
            if raw in OPERATORS:
                tokens.append(_Tok("op", raw, i))
            elif raw.startswith("-") and len(raw) > 1 and _clean_word(raw[1:]):
                tokens.append(_Tok("op", "NOT", i))
                tokens.append(_Tok("term", Term(_clean_word(raw[1:])), i + 1))
            elif raw == "-" and j < n and query[j] in '("\u201c':
                tokens.append(_Tok("op", "NOT", i))
            else:
                word = _clean_word(raw)
                if word:
                    tokens.append(_Tok("term", Term(word), i))
            i = j
    return tokens


# --- parsing -----------------------------------------------------------------------------------
class _Parser:
    def __init__(self, tokens: list[_Tok]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def _deeper(self) -> None:
        self.depth += 1
        if self.depth > config.MAX_SEARCH_DEPTH:
            raise QueryError(
                f"The query nests brackets or NOTs more than {config.MAX_SEARCH_DEPTH} deep; simplify it."
            )

    def parse(self) -> Node:
        if not self.tokens:
            raise QueryError("Type a word or a phrase to search for.")
        node = self.parse_or()
        tok = self.peek()
        if tok is not None:
            if tok.kind == ")":
                raise QueryError("A closing bracket ) has no opening bracket ( before it.")
            raise QueryError(
                f"Unexpected {tok.value!r} in the query."
            )  # pragma: no cover - defensive
        return node

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.value == "OR":
            self.take()
            children.append(self.parse_and(after="OR"))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self, after: str | None = None) -> Node:
        children = [self.parse_not(after=after)]
        while (tok := self.peek()) is not None:
            if tok.kind == "op" and tok.value == "AND":
                self.take()
                children.append(self.parse_not(after="AND"))
            elif tok.kind in ("term", "(") or (tok.kind == "op" and tok.value == "NOT"):
                children.append(self.parse_not())  # implicit AND
            else:
                break
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_not(self, after: str | None = None) -> Node:
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.value == "NOT":
            self.take()
            self._deeper()
            child = self.parse_not(after="NOT")
            self.depth -= 1
            return Not(child)
        return self.parse_primary(after=after)

    def parse_primary(self, after: str | None = None) -> Node:
        tok = self.peek()
        if tok is None:
            if after:
                raise QueryError(f"{after} needs a word or phrase after it.")
            raise QueryError("Type a word or a phrase to search for.")  # pragma: no cover
        if tok.kind == "term":
            self.take()
            return tok.value  # type: ignore[return-value]
        if tok.kind == "(":
            self.take()
            self._deeper()
            if (nxt := self.peek()) is not None and nxt.kind == ")":
                raise QueryError("Empty brackets (): put a word or phrase inside them.")
            node = self.parse_or()
            close = self.peek()
            if close is None or close.kind != ")":
                raise QueryError("A bracket ( is not closed: add a closing ).")
            self.take()
            self.depth -= 1
            return node
        if tok.kind == ")":
            if after:
                raise QueryError(f"{after} needs a word or phrase after it, not a closing bracket.")
            raise QueryError("A closing bracket ) has no opening bracket ( before it.")
        # an operator where a term should be
        if after:
            raise QueryError(
                f"{after} {tok.value} : two operators in a row; put a word between them."
            )
        raise QueryError(f"{tok.value} needs a word or phrase before it.")


def parse_query(query: str) -> Node:
    """Parse a search query into an AST; QueryError (plain-language message) when it is malformed."""
    if not isinstance(query, str):
        raise QueryError("The search query must be text.")
    query = query.replace("\x00", " ")
    if len(query) > config.MAX_SEARCH_QUERY_CHARS:
        raise QueryError(
            f"The query is too long ({len(query):,} characters); use at most {config.MAX_SEARCH_QUERY_CHARS}."
        )
    tokens = _tokenise(query)
    n_terms = sum(1 for t in tokens if t.kind == "term")
    if n_terms > config.MAX_SEARCH_TERMS:
        raise QueryError(
            f"The query has {n_terms} words or phrases; use at most {config.MAX_SEARCH_TERMS}."
        )
    if tokens and n_terms == 0:
        raise QueryError("The query has no words to search for, only operators or brackets.")
    return _Parser(tokens).parse()


# --- evaluating --------------------------------------------------------------------------------
def term_pattern(term: Term) -> str:
    """The (escaped) regular expression for a term, matching whole words only."""
    if term.phrase:
        body = r"\W+".join(re.escape(w) for w in term.text.split())
        return rf"(?<!\w){body}(?!\w)"
    if term.text.endswith("*"):
        return rf"(?<!\w){re.escape(term.text[:-1])}\w*"
    return rf"(?<!\w){re.escape(term.text)}(?!\w)"


def prepare_texts(texts: pd.Series) -> pd.Series:
    """Texts made ready to search (normalised once; pass them to search_prepared / matched_terms)."""
    return texts.astype("string").fillna("").map(normalise_text).astype(object)


_prepare = prepare_texts


def evaluate(
    node: Node, texts: pd.Series, *, _prepared: bool = False, _cache: dict | None = None
) -> pd.Series:
    """Boolean Series (same index as `texts`): which texts match the query AST."""
    prepared = texts if _prepared else _prepare(texts)
    cache = {} if _cache is None else _cache
    if isinstance(node, Term):
        if node not in cache:
            cache[node] = prepared.str.contains(term_pattern(node), regex=True).astype(bool)
        return cache[node]
    if isinstance(node, Not):
        return ~evaluate(node.child, prepared, _prepared=True, _cache=cache)
    parts = [evaluate(c, prepared, _prepared=True, _cache=cache) for c in node.children]
    out = parts[0].copy()
    for p in parts[1:]:
        out = (out & p) if isinstance(node, And) else (out | p)
    return out


def search(texts: pd.Series, query: str) -> pd.Series:
    """Parse `query` and return which texts match (QueryError when the query is malformed)."""
    return evaluate(parse_query(query), texts)


def search_prepared(prepared: pd.Series, query: str) -> pd.Series:
    """`search` over texts already passed through prepare_texts (a cached copy, for many queries)."""
    return evaluate(parse_query(query), prepared, _prepared=True)


def positive_terms(node: Node, negated: bool = False) -> list[Term]:
    """Terms that must or may be present (not under a NOT), in query order, without duplicates."""
    out: list[Term] = []
    if isinstance(node, Term):
        return [] if negated else [node]
    if isinstance(node, Not):
        return positive_terms(node.child, not negated)
    for child in node.children:
        for t in positive_terms(child, negated):
            if t not in out:
                out.append(t)
    return out


def seeds_from_query(query: str) -> list[str]:
    """Seed phrases for a new theme from a query: its positive words and phrases (no wildcards)."""
    seeds: list[str] = []
    for term in positive_terms(parse_query(query)):
        seed = term.text.rstrip("*")
        if seed and seed not in seeds:
            seeds.append(seed)
    return seeds


def matched_terms(texts: pd.Series, query: str, *, prepared: bool = False) -> pd.Series:
    """For each text, the positive query terms found in it, joined by "|" (for showing why it matched).

    With `prepared`, `texts` have already been through prepare_texts.
    """
    prepared = texts if prepared else _prepare(texts)
    found = pd.Series([[] for _ in range(len(texts))], index=texts.index, dtype=object)
    for term in positive_terms(parse_query(query)):
        hit = prepared.str.contains(term_pattern(term), regex=True).astype(bool)
        for idx in hit[hit].index:
            found[idx].append(term.text)
    return found.map("|".join)
