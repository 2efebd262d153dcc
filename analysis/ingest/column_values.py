"""What a column's values say about it, whatever its header says.

Survey tools put ids, codes and categories in columns whose headers read like questions or comments
("Comment ID", "Respondent", "Q1"). The values settle it: a column of unique codes, ids or tokens
(R_3kXf9aBcD1eFgH, 100123, "X PTS 528 - Q1") is never answer text; a column holding a handful of
repeated categories is never an id; a column of roles ("Service user", "Carer", "Staff member") is
a respondent type.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from analysis.ingest.placeholders import is_placeholder
from analysis.ingest.values import normalise_respondent_type

_TOKEN = re.compile(r"^[\w\-.:/#{}\"@]+$")  # one "word" of letters, digits and id punctuation
_HAS_DIGIT = re.compile(r"\d")
_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")
# Dates and times are unique codes by shape, but a date column is a date, not an id.
_DATE_OR_TIME = re.compile(
    r"^\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}([ T,]+\d{1,2}:\d{2}.*)?$|^\d{1,2}:\d{2}(:\d{2})?\s*([ap]m)?$",
    re.IGNORECASE,
)
_MAX_CATEGORIES = 12


def _shape(value: str) -> str:
    """The value's shape: runs of letters -> "a", runs of digits -> "9" ("PTS 528 - Q1" -> "a 9 - a9")."""
    return re.sub(r"\d+", "9", re.sub(r"[^\W\d_]+", "a", value))


@dataclass(frozen=True)
class ColumnValues:
    """A summary of one column's non-empty values (placeholders such as "N/A" left out)."""

    n: int  # non-empty values that are not placeholders
    distinct: int
    top_share: float  # share of the most common value
    id_like: bool  # unique codes, ids or tokens: never answer text
    categories: bool  # a handful of repeated values: never an id
    roles: bool  # categories that read as respondent types
    constant: bool  # one value throughout ("anonymous", "FFT Why?")

    @property
    def empty(self) -> bool:
        """True when the column holds nothing but blanks and placeholders."""
        return self.n == 0


def profile_values(values: pd.Series) -> ColumnValues:
    """Summarise a column's values (a sample of a few hundred rows is enough)."""
    vals = [" ".join(str(v).split()) for v in values.tolist()]
    vals = [v for v in vals if v and not is_placeholder(v)]
    n = len(vals)
    if not n:
        return ColumnValues(0, 0, 0.0, False, False, False, False)
    counts = Counter(vals)
    distinct = len(counts)
    top_share = counts.most_common(1)[0][1] / n
    constant = distinct == 1 and n >= 3
    categories = (n >= 8 and 1 < distinct <= _MAX_CATEGORIES and distinct <= 0.5 * n) or constant
    return ColumnValues(
        n=n,
        distinct=distinct,
        top_share=top_share,
        id_like=_id_like(vals, distinct),
        categories=categories,
        roles=categories and not constant and _roles(counts),
        constant=constant,
    )


def _id_like(vals: list[str], distinct: int) -> bool:
    """Nearly every value different, and each a token or a code of one shape."""
    n = len(vals)
    if n < 5 or distinct < 0.9 * n:
        return False
    if sum(1 for v in vals if _DATE_OR_TIME.match(v)) >= 0.5 * n:
        return False
    # Ids carry digits; one-word answers ("Excellent", "Helpful") do not.
    with_digits = [v for v in vals if _HAS_DIGIT.search(v) and len(v) <= 60]
    if len(with_digits) < 0.9 * n:
        return False
    if sum(1 for v in with_digits if len(v) <= 40 and _TOKEN.match(v)) >= 0.9 * n:
        return True
    # Codes with spaces ("TRUST PTS 528 - Q1"): most of one shape, and no lower-case words as
    # sentences have ("some answer 12" is text).
    if sum(1 for v in with_digits if _LOWER_WORD.search(v)) > 0.1 * n:
        return False
    shape, count = Counter(_shape(v) for v in vals).most_common(1)[0]
    return count >= 0.8 * n and len(shape.split()) <= 8


def _roles(counts: Counter) -> bool:
    """Most answers are roles a respondent-type column holds (service user, carer, staff)."""
    total = sum(counts.values())
    known = sum(c for v, c in counts.items() if normalise_respondent_type(v) not in (None, "other"))
    return known >= 0.8 * total
