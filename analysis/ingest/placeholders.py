"""No-content answers: blank cells and placeholders a survey tool or a respondent writes instead of an answer.

They are kept (the person took part) but are never answers: never themed, never counted as answers,
never in a denominator. Words that answer the question are content: "None" or "Nothing" in answer to
"What could we do better?" says there was nothing to improve, so they are not on the default list;
a user can add them (or anything else) to the list for one upload.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

BLANK = "blank"
PLACEHOLDER = "placeholder"

# Compared after normalise_placeholder(): lower case, spaces collapsed, end punctuation dropped.
DEFAULT_PLACEHOLDERS: tuple[str, ...] = (
    "did not answer",
    "didn't answer",
    "not answered",
    "no answer",
    "no answer given",
    "no response",
    "no response given",
    "none given",
    "no comment",
    "no comments",
    "no comment given",
    "no comments given",
    "no further comments",
    "n/a",
    "na",
    "n.a",
    "#n/a",
    "not applicable",
    "null",
    "nan",
    "blank",
    "skipped",
    "question skipped",
    "not asked",
    "not stated",
    "declined to answer",
    "prefer not to say",
    "x",
    "xx",
    "xxx",
)


def normalise_placeholder(value: object) -> str:
    """A value as the placeholder list compares it: lower case, single spaces, no end punctuation."""
    v = " ".join(str(value).replace("’", "'").split()).lower()
    return v.rstrip(" .!").strip()


def placeholder_set(extra: Iterable[str] | None = None, *, defaults: bool = True) -> frozenset[str]:
    """The placeholders in force: the defaults (unless `defaults` is false) plus the user's own."""
    words = set(DEFAULT_PLACEHOLDERS) if defaults else set()
    words.update(normalise_placeholder(w) for w in (extra or ()) if normalise_placeholder(w))
    return frozenset(words)


_DEFAULT_SET = placeholder_set()


def no_content_kind(value: object, placeholders: frozenset[str] | None = None) -> str | None:
    """BLANK for an empty cell, PLACEHOLDER for a placeholder ("-", "N/A", "Did not answer"), else None."""
    v = str(value).strip() if value is not None else ""
    if not v:
        return BLANK
    if all(unicodedata.category(c)[0] in "PZC" for c in v):
        return PLACEHOLDER  # "-", "...", "?": punctuation says nothing (an emoji does: "👍")
    words = _DEFAULT_SET if placeholders is None else placeholders
    return PLACEHOLDER if normalise_placeholder(v) in words else None


def is_placeholder(value: object, placeholders: frozenset[str] | None = None) -> bool:
    """True when `value` is blank or a placeholder: no content."""
    return no_content_kind(value, placeholders) is not None
