"""Suggest how an export's columns map to the canonical responses columns.

Headers are matched by word patterns; a sample of the values settles the hard cases: a column of
long, varied answers is free text whatever its header says, and a column of a few short values is
never free text even when its header is a question ("Overall, how was your experience?").
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.core.schema import RESPONSE_COLUMNS

TEXT = "text"
MAPPABLE = tuple(c for c in RESPONSE_COLUMNS)

# Ordered: the first rule that matches a header wins. Patterns are searched in the normalised header
# (lower case, punctuation turned into spaces) so "\b" works on words.
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "respondent_id",
        (
            r"^respondent( id| number| no| ref(erence)?)?$",
            r"^(person|participant|patient|user|client) (id|number|ref)$",
        ),
    ),
    (
        "response_id",
        (
            r"^(response|record|submission|row|unique|survey|form|entry)? ?(id|ref|reference|number|no)$",
            r"^#$",
            r"^(uid|guid)$",
        ),
    ),
    (
        "submitted",
        (
            r"\b(date|timestamp|submitted|submission time|completed|completion time|created|time stamp|datetime|received)\b",
            r"^(start|end) time$",
        ),
    ),
    ("round", (r"^(survey )?(round|wave|quarter|period|reporting period|cycle)( label| name)?$",)),
    (
        "respondent_type",
        (
            r"^are you (a|an)\b",
            r"\brespondent( type| group| category)\b",
            r"^(your )?role\b",
            r"^i am( a| an)?\b",
            r"^(type of )?respondent$",
            r"^who are you",
            r"\bcompleting this (survey|form)? ?as\b",
            r"\bcapacity\b",
            r"^(user|respondent|participant) type$",
            r"^relationship to (the )?service",
        ),
    ),
    (
        "locality",
        (
            r"\b(borough|locality|local authority|district|town)\b",
            r"^(area|location|place|region|city|neighbourhood|home area|area of residence|where do you live)$",
            r"^(which|what) (area|borough|town)\b",
        ),
    ),
    (
        "service",
        (
            r"^(which |what )?(service|team|ward|unit|department|directorate|care group|clinic|service line|service area|service name|team name|service used|provider|site)( name| used| area)?$",
            r"^(which|what) (service|team|ward)\b",
            r"^(service|team)\b",
        ),
    ),
    (
        "rating",
        (
            r"\b(rating|score|fft|friends and family|stars?|satisfaction)\b",
            r"\brecommend\b",
            r"^overall( rating| score| experience| satisfaction)?$",
            r"\bhow (was|would you rate) your (overall )?experience\b",
        ),
    ),
    (
        "age_band",
        (
            r"^(your |what is your )?age( band| group| range| bracket)?$",
            r"\bhow old\b",
            r"\bage (band|group|range|bracket)\b",
            r"^what is your age\b",
        ),
    ),
    ("gender", (r"^(your |what is your )?(sex|gender)( identity)?$", r"\b(sex|gender)\b")),
    ("ethnicity", (r"\bethnic(ity| group| origin| background)?\b", r"^race$")),
    (
        "disability",
        (
            r"\bdisab(ility|led|ilities)\b",
            r"\blong( |-)?term (health )?condition\b",
            r"\bimpairment\b",
        ),
    ),
    (
        "sexual_orientation",
        (r"\bsexual (orientation|identity)\b", r"^sexuality$", r"^orientation$"),
    ),
    ("religion", (r"\b(religion|faith)\b", r"^religion or belief$", r"^belief$")),
    ("question", (r"^(question|question text|survey question|item|prompt)$",)),
)

_TEXT_HEADER = re.compile(
    r"\b(comments?|feedback|free ?text|verbatim|answers?|responses?|text|suggestions?|tell us|"
    r"anything else|describe|explain|improve|better|worse|why|what|how|please|experience|views?|"
    r"thoughts|opinions?|story|said)\b"
)
_QUESTION_START = re.compile(
    r"^(what|how|why|is there|are there|please|tell|describe|if|any|do you|did|would|could|in your)\b"
)
# Headers too generic to be useful as the question wording of a long-format file.
GENERIC_TEXT_HEADERS = {
    "text",
    "comment",
    "comments",
    "feedback",
    "answer",
    "answers",
    "response",
    "responses",
    "free text",
    "freetext",
    "verbatim",
    "comment text",
    "response text",
    "answer text",
    "feedback text",
}
_DATE_LIKE = re.compile(r"^\s*\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}([ T].*)?$")


def normalise_header(name: str) -> str:
    """Lower-case a header and turn punctuation into single spaces ("Response ID:" -> "response id")."""
    s = str(name).lower().replace("_", " ").replace("’", "'")
    s = re.sub(r"[^\w#']+", " ", s)
    return " ".join(s.split())


def sample_profile(values: pd.Series) -> dict[str, float]:
    """Summary of a column's sample: non-empty count, distinct ratio, mean length and words."""
    vals = [str(v).strip() for v in values.tolist() if str(v).strip()]
    if not vals:
        return {
            "n": 0,
            "distinct": 0.0,
            "mean_len": 0.0,
            "mean_words": 0.0,
            "numeric": 0.0,
            "datey": 0.0,
        }
    n = len(vals)
    numeric = sum(1 for v in vals if re.fullmatch(r"[-+]?\d+(\.\d+)?", v)) / n
    datey = sum(1 for v in vals if _DATE_LIKE.match(v)) / n
    return {
        "n": n,
        "distinct": len(set(vals)) / n,
        "mean_len": sum(len(v) for v in vals) / n,
        "mean_words": sum(len(v.split()) for v in vals) / n,
        "numeric": numeric,
        "datey": datey,
    }


def looks_like_free_text(profile: dict[str, float]) -> bool:
    """True when sampled values read like written answers rather than codes or categories."""
    if profile["n"] == 0 or profile["numeric"] > 0.5 or profile["datey"] > 0.5:
        return False
    varied = profile["distinct"] >= 0.6 or profile["n"] < 5
    return varied and (profile["mean_words"] >= 4 or profile["mean_len"] >= 25)


def looks_closed(profile: dict[str, float]) -> bool:
    """True when sampled values are a few short categories (a closed question)."""
    if profile["n"] < 5:
        return False  # too few values to tell
    short_repeated = profile["mean_words"] <= 3 and profile["distinct"] <= 0.6
    return profile["mean_len"] < 30 and (
        profile["distinct"] <= 0.3 or profile["numeric"] > 0.8 or short_repeated
    )


def _rule_match(h: str) -> str | None:
    for canonical, patterns in _RULES:
        if any(re.search(p, h) for p in patterns):
            return canonical
    return None


def _exact(h: str) -> str | None:
    key = h.replace(" ", "_")
    return key if key in MAPPABLE else None


def suggest_mapping(
    columns: list[str], sample: pd.DataFrame | None = None
) -> dict[str, str | list[str]]:
    """Suggest canonical column -> source column; "text" maps to a list when several columns are free text.

    Args:
        columns: the export's headers, in order.
        sample: optional first rows of the export (all strings), used to tell answers from categories.
    """
    mapping: dict[str, str | list[str]] = {}
    text_cols: list[str] = []
    profiles: dict[str, dict[str, float]] = {}
    if sample is not None and len(sample):
        for col in columns:
            if col in sample.columns:
                profiles[col] = sample_profile(sample[col].head(200))
    for col in columns:
        h = normalise_header(col)
        if not h:
            continue
        prof = profiles.get(col)
        free = prof is not None and looks_like_free_text(prof)
        closed = prof is not None and looks_closed(prof)
        empty = prof is not None and prof["n"] == 0
        exact = _exact(h)
        if exact == TEXT or (exact is None and h in GENERIC_TEXT_HEADERS):
            text_cols.append(col)
            continue
        if exact and exact not in mapping:
            mapping[exact] = col
            continue
        questionish = col.strip().endswith("?") or bool(_QUESTION_START.match(h))
        long_header = len(h.split()) > 6
        canonical = None
        if not free:
            # Long question headers only map to metadata when the values are categories.
            if not (long_header or questionish) or closed or prof is None:
                canonical = _rule_match(h)
            if canonical in mapping:
                canonical = None
        if canonical and canonical != TEXT:
            if (
                questionish
                and prof is None
                and canonical
                not in (
                    "respondent_type",
                    "age_band",
                    "rating",
                    "gender",
                    "ethnicity",
                    "disability",
                    "sexual_orientation",
                    "religion",
                )
            ):
                canonical = None  # e.g. "What could we do better for our service?": a question, not "service"
            if canonical:
                mapping[canonical] = col
                continue
        if free or (not closed and not empty and (questionish or _TEXT_HEADER.search(h))):
            if prof is None or not closed:
                text_cols.append(col)
    if not text_cols and profiles:
        fallback = _wordiest_unmapped(columns, profiles, mapping)
        if fallback:
            text_cols.append(fallback)
    if text_cols:
        mapping[TEXT] = text_cols[0] if len(text_cols) == 1 else text_cols
    return mapping


def _wordiest_unmapped(columns: list[str], profiles: dict, mapping: dict) -> str | None:
    """When nothing reads as free text, offer the unmapped column with the most words per value."""
    used = {v for v in mapping.values() if isinstance(v, str)}
    best, best_words = None, 2.0
    for col in columns:
        prof = profiles.get(col)
        if col in used or prof is None or prof["n"] == 0:
            continue
        if prof["numeric"] > 0.5 or prof["datey"] > 0.5 or prof["distinct"] < 0.5:
            continue
        if prof["mean_words"] >= best_words:
            best, best_words = col, prof["mean_words"]
    return best


def text_columns(mapping: dict) -> list[str]:
    """The source columns mapped to free text, as a list (empty when none)."""
    value = mapping.get(TEXT)
    if value is None or value == "":
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]
