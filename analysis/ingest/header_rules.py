"""Header words: which canonical column a survey export's header names, matched by word patterns."""

from __future__ import annotations

import re

from analysis.core.schema import RESPONSE_COLUMNS

TEXT = "text"
MAPPABLE = tuple(c for c in RESPONSE_COLUMNS if c != "no_content")  # ingest sets no_content

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

TEXT_HEADER = re.compile(
    r"\b(comments?|feedback|free ?text|verbatim|answers?|responses?|text|suggestions?|tell us|"
    r"anything else|describe|explain|improve|better|worse|why|what|how|please|experience|views?|"
    r"thoughts|opinions?|story|said)\b"
)
QUESTION_START = re.compile(
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


def normalise_header(name: str) -> str:
    """Lower-case a header and turn punctuation into single spaces ("Response ID:" -> "response id")."""
    s = str(name).lower().replace("_", " ").replace("’", "'")
    s = re.sub(r"[^\w#']+", " ", s)
    return " ".join(s.split())


def rule_match(h: str) -> str | None:
    """The canonical column the first matching header rule names, or None."""
    for canonical, patterns in _RULES:
        if any(re.search(p, h) for p in patterns):
            return canonical
    return None


def exact_match(h: str) -> str | None:
    """The canonical column a header spells exactly ("response_id", "Sexual orientation"), or None."""
    key = h.replace(" ", "_")
    return key if key in MAPPABLE else None
