"""Redaction of personal data in free text: NHS numbers, phone numbers, emails, postcodes, names.

Every quote shown anywhere (page, export, meeting pack) goes through `redact_text` or
`redact_series`. Personal data is replaced by a typed placeholder ("[NHS NUMBER]", "[PHONE]",
"[EMAIL]", "[POSTCODE]", "[NAME]") so a reader still sees that something was there. The stored
original is never changed: these functions return new objects.

Order matters and is fixed: emails first (they contain digits and capitalised words), then NHS
numbers (ten digits that pass the Modulus 11 check; ten digits that fail it are left to the phone
pass), then phone numbers (UK formats, and anything written in international "+CC ..." form),
then a final sweep so that no valid NHS number is left readable whatever the phone pass decided,
then postcodes, then names after a title or a care role, then bare first names
(analysis.privacy.first_names: "Sarah said...", with rules that keep "Will", "Hope", "May" and other
ordinary words unless the context says name).
Redaction is idempotent: the placeholders contain no digits, "@" or capitalised name-like words, so
redacting redacted text changes nothing.

What is deliberately NOT redacted: durations and counts ("10 weeks", "14 days"), ward and tier
numbers ("ward 3", "tier 4"), years, dates, times ("10:30"), "section 136", service names (CAMHS,
GP, A&E), the short public numbers 111 and 999, and role words with no name after them ("the nurse
was kind", "Dr", "doctors"). Limits: a surname alone with no title ("Okonjo was kind"), a first name
missing from the list, and an ordinary-word name with no sign of being a name ("Rose and the night
staff") are not detected; recall and false redactions are measured in the README.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import pandas as pd

from analysis.privacy.first_names import sub_first_names
from analysis.privacy.names import NAME_PLACEHOLDER, NAME_TRIGGER_WORDS, sub_names

logger = logging.getLogger(__name__)

# Type id -> placeholder. The ids are the keys of Redaction.counts.
PLACEHOLDERS: dict[str, str] = {
    "nhs_number": "[NHS NUMBER]",
    "phone": "[PHONE]",
    "email": "[EMAIL]",
    "postcode": "[POSTCODE]",
    "name": NAME_PLACEHOLDER,
}
REDACTION_TYPES: tuple[str, ...] = tuple(PLACEHOLDERS)


@dataclass(frozen=True)
class Redaction:
    """Redacted text and how many items of each type were replaced (keys: REDACTION_TYPES)."""

    text: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REDACTION_TYPES, 0))

    @property
    def total(self) -> int:
        """Number of items replaced, all types together."""
        return sum(self.counts.values())


# --- emails ------------------------------------------------------------------------------------
_EMAIL_RE = re.compile(
    r"[\w.%+'\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}",
)

# --- NHS numbers -------------------------------------------------------------------------------
# Ten digits as 3-3-4 with spaces, dashes or nothing between the groups (also two spaces, NBSP).
_SEP = r"[ \-.\u00a0]{0,2}"
# Not after an international dialling prefix ("+1 415 555 2671" is a phone number).
# The pattern starts with \d (lookbehinds after it) so the regex engine can skip non-digits fast.
_NHS_RE = re.compile(rf"\d(?<!\d\d)\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{4}}(?!\d)")
# An international dialling prefix just before ten digits ("+1 415 555 2671", "0044 ...") makes
# them a phone number: the first NHS pass leaves them to the phone pass.
_INTL_BEFORE_RE = re.compile(r"(?:\+\s?\d{1,3}|(?<!\d)00\d{2,3})[ \-.\u00a0]?\(?$")


def nhs_number_is_valid(number: str) -> bool:
    """True when `number` (any spacing) is ten digits whose last is the Modulus 11 check digit."""
    digits = re.sub(r"\D", "", number or "")
    if len(digits) != 10:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:  # no valid check digit: never issued
        return False
    return check == int(digits[9])


# --- phone numbers -----------------------------------------------------------------------------
# A candidate is a run of digits with light separators, optionally starting "+", "(" or "+44 (0)".
# Which part of it is a phone number is decided in Python (digit counts per group), because a
# regex alone either misses "(0161) 4960123" or swallows "01-02-2024 10".
# Letters may touch the number ("tel07700 900123"); another digit or "+" may not.
_PHONE_CANDIDATE_RE = re.compile(
    r"(?:(?<!\+)\+\s?|(?<![\d+])\(\s?|(?<![\d+]))\d[\d ()\-.\u00a0]{0,24}"
)
# Full-width digits (typed on some phones) are compared as ASCII digits.
_ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_INTL_PREFIX_RE = re.compile(r"^(?:\+\s?|00)(\d{1,3})")
_UK_INTL_PREFIX_RE = re.compile(r"^(?:\+\s?44|0044)[ \u00a0\-]?(?:\(\s?0\s?\)[ \u00a0\-]?)?")
_DIGIT_GROUP_RE = re.compile(r"\d+")
_UK_NATIONAL_START = ("01", "02", "03", "05", "07", "08", "09")


def _uk_phone_end(body: str, lead: str, first_min: int) -> int | None:
    """End offset in `body` of a UK national number whose digits start with `lead`, or None.

    Groups must have >= 2 digits (the first >= `first_min`) and be joined by at most 2 separator
    characters; the longest prefix of groups with 10 or 11 digits in total wins.
    """
    best: int | None = None
    digits = lead
    prev_end: int | None = None
    for i, m in enumerate(_DIGIT_GROUP_RE.finditer(body)):
        if prev_end is not None and m.start() - prev_end > 2:
            break
        size = len(m.group())
        if (i == 0 and len(lead) + size < first_min) or (i > 0 and size < 2):
            break
        digits += m.group().translate(_ASCII_DIGITS)
        prev_end = m.end()
        if len(digits) > 11:
            break
        if len(digits) in (10, 11) and digits[:2] in _UK_NATIONAL_START:
            best = m.end()
    return best


def _phone_span(candidate: str) -> int | None:
    """Length of the phone number at the start of `candidate`, or None when it is not one."""
    uk = _UK_INTL_PREFIX_RE.match(candidate)
    if uk:
        end = _uk_phone_end(candidate[uk.end() :], "0", 3)
        return None if end is None else uk.end() + end
    intl = _INTL_PREFIX_RE.match(candidate)
    if intl and candidate.startswith("+"):
        # Any other country: "+CC" then 8-15 digits in groups (ITU E.164 allows 15 in total).
        count, last, best = 0, None, None
        for m in _DIGIT_GROUP_RE.finditer(candidate):
            if last is not None and m.start() - last > 2:
                break
            count += len(m.group())
            last = m.end()
            if count > 15:
                break
            if count >= 8:
                best = last  # the longest run of groups that is still a valid length
        return best
    body = candidate.lstrip("( \u00a0").translate(_ASCII_DIGITS)
    if not body.startswith("0"):
        return None
    end = _uk_phone_end(body, "", 3)
    return None if end is None else len(candidate) - len(body) + end


# --- postcodes ---------------------------------------------------------------------------------
# The UK postcode format (outward code + inward code), GIR 0AA included; space optional.
_POSTCODE_RE = re.compile(
    r"(?<![\w])(?:GIR ?0AA|"
    r"[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?)[ \u00a0]?\d[ABD-HJLNP-UW-Z]{2})"
    r"(?![\w])",
    re.IGNORECASE,
)

# Quick screens so that most answers (no digit, no "@", no title or role word) skip the regexes.
_HAS_DIGIT_RE = re.compile(r"\d")
_WORD_RE = re.compile(r"[a-z]+")
_NON_DIGIT_RE = re.compile(r"\D+")
_MIN_NUMBER_DIGITS = 8  # the shortest number redacted ("+CC" and 8 digits); fewer digits: skip
_MAYBE_POSTCODE_RE = re.compile(r"\d[A-Za-z]{2}(?![A-Za-z])")


def _sub_simple(pattern: re.Pattern[str], placeholder: str, text: str) -> tuple[str, int]:
    """re.subn with a fixed placeholder."""
    return pattern.subn(placeholder, text)


def _sub_nhs(text: str, *, defer_to_phone: bool = True) -> tuple[str, int]:
    """Replace valid NHS numbers; ten-digit strings failing the check are left to the phone pass.

    With defer_to_phone, a valid number right after an international prefix is left for the
    phone pass; the final sweep (defer_to_phone=False) replaces anything valid still readable,
    so no valid NHS number survives whatever the phone pass decided.
    """
    count = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal count
        if not nhs_number_is_valid(m.group()):
            return m.group()
        if defer_to_phone and _INTL_BEFORE_RE.search(text, max(0, m.start() - 8), m.start()):
            return m.group()
        count += 1
        return PLACEHOLDERS["nhs_number"]

    return _NHS_RE.sub(repl, text), count


def _sub_phones(text: str) -> tuple[str, int]:
    """Replace phone numbers found by scanning candidates left to right."""
    spans: list[tuple[int, int]] = []
    pos = 0
    search = _PHONE_CANDIDATE_RE.search
    while (m := search(text, pos)) is not None:
        span = _phone_span(m.group())
        if span is None:
            # Not a phone from here: retry from the next digit group inside the candidate, so
            # "on 12 07700 900123" still finds the mobile.
            first = _DIGIT_GROUP_RE.search(text, m.start())
            pos = first.end() if first else m.end()
            continue
        spans.append((m.start(), m.start() + span))
        pos = m.start() + span
    if not spans:
        return text, 0
    pieces: list[str] = []
    last = 0
    for start, stop in spans:
        pieces += [text[last:start], PLACEHOLDERS["phone"]]
        last = stop
    pieces.append(text[last:])
    return "".join(pieces), len(spans)


def redact_text(text: object) -> Redaction:
    """Return `text` with personal data replaced by typed placeholders, and counts by type.

    None, NA and NaN give an empty Redaction; other non-strings (e.g. an int that is an NHS
    number) are converted with str() first.
    """
    counts = dict.fromkeys(REDACTION_TYPES, 0)
    if text is None:
        return Redaction("", counts)
    if not isinstance(text, str):
        try:
            if pd.isna(text):
                return Redaction("", counts)
        except (TypeError, ValueError):  # arrays and other odd objects: fall through to str()
            pass
        text = str(text)
    if not text:
        return Redaction(text, counts)
    if "@" in text:
        text, counts["email"] = _sub_simple(_EMAIL_RE, PLACEHOLDERS["email"], text)
    if _HAS_DIGIT_RE.search(text) is not None:
        if len(_NON_DIGIT_RE.sub("", text)) >= _MIN_NUMBER_DIGITS:
            text, counts["nhs_number"] = _sub_nhs(text)
            text, counts["phone"] = _sub_phones(text)
            text, swept = _sub_nhs(text, defer_to_phone=False)
            counts["nhs_number"] += swept
        if _MAYBE_POSTCODE_RE.search(text):
            text, counts["postcode"] = _sub_simple(_POSTCODE_RE, PLACEHOLDERS["postcode"], text)
    words = set(_WORD_RE.findall(text.lower()))
    if not NAME_TRIGGER_WORDS.isdisjoint(words):
        text, counts["name"] = sub_names(text, words)
    text, bare = sub_first_names(text, words)
    counts["name"] += bare
    return Redaction(text, counts)


def redact_series(s: pd.Series) -> pd.Series:
    """Redact every value of `s`; NA stays NA, index and name are kept, `s` is not changed."""
    return redact_series_with_counts(s)[0]


def redact_series_with_counts(s: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """Redact every value of `s` and total the counts by type over all values."""
    totals = dict.fromkeys(REDACTION_TYPES, 0)
    if len(s) == 0:
        return s.copy().astype(object), totals
    mask = s.isna().to_numpy()
    values = s.to_numpy(dtype=object)
    out = values.copy()
    cache: dict[object, Redaction] = {}
    for i, value in enumerate(values):
        if mask[i]:
            continue
        key = value if isinstance(value, str) else (type(value).__name__, str(value))
        r = cache.get(key)
        if r is None:
            r = redact_text(value)
            cache[key] = r
        out[i] = r.text
        for k, v in r.counts.items():
            if v:
                totals[k] += v
    result = pd.Series(out, index=s.index, name=s.name, dtype=object)
    return result, totals


def redact_frame(df: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Return a copy of `df` with the given text columns (default: "text" if present) redacted."""
    cols = columns if columns is not None else [c for c in ("text",) if c in df.columns]
    out = df.copy()
    for c in cols:
        out[c] = redact_series(df[c])
    return out
