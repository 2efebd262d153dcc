"""The plain peer for the theme benches: one keyword filter per codebook theme, the kind of filter an
analyst types into a spreadsheet (a handful of words and word starts, no tuning).

Written before any result of the held-out bench was looked at, and not changed after: it is the bar a
theme engine with no labels of the user's own has to clear, so it must not be fitted to the data.

    from bench.keyword_filter import keyword_matrix
    Y = keyword_matrix(texts, theme_ids)   # n x K 0/1, a sub-theme's hit also raises its parent
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

# theme id -> regular expression (case-insensitive, whole words; `\w*` marks a word start).
KEYWORDS: dict[str, str] = {
    "access": r"\b(access\w*|referr\w*|appointment\w*|get through|phone\w*|contact\w*|"
    r"available|availability|turned away|criteria)\b",
    "waiting_times": r"\b(wait\w*|delay\w*|took too long|took ages|queue\w*)\b",
    "staff_behaviour": r"\b(staff|nurse\w*|doctor\w*|rude|kind\w*|friendly|caring|attitude\w*|"
    r"listen\w*|polite|helpful|compassion\w*|professional\w*)\b",
    "staffing": r"\b(staffing|understaffed|short staffed|short of staff|more staff|agency|"
    r"bank staff|too busy|overworked|not enough staff)\b",
    "limited_interventions": r"\b(therap\w*|counsell\w*|cbt|dbt|sessions?|treatment\w*|"
    r"psycholog\w*)\b",
    "partnership_working": r"\b(gp|social worker\w*|social services|joined up|liais\w*|"
    r"coordinat\w*|other services|between services|work\w* together)\b",
    "continuity_of_care": r"\b(continuity|same person|same doctor|same nurse|care coordinator\w*|"
    r"different doctor\w*|consisten\w*)\b",
    "discharge_planning": r"\b(discharg\w*|transfer\w*|transition\w*|handover|follow up|"
    r"follow-up|leave)\b",
    "communication": r"\b(communicat\w*|inform\w*|explain\w*|told|letter\w*|involv\w*|"
    r"updat\w*|care plan)\b",
    "carers_family": r"\b(carer\w*|family|families|relative\w*|parent\w*|husband|wife|partner|"
    r"son|daughter|mum|dad)\b",
    "medication": r"\b(medicat\w*|medicine\w*|tablet\w*|drug\w*|prescri\w*|dose|side effects?|"
    r"pills?)\b",
    "crisis_care": r"\b(crisis|suicid\w*|self harm\w*|self-harm\w*|a&e|a and e|emergency|"
    r"out of hours)\b",
    "environment_safety": r"\b(ward|clean\w*|dirty|facilit\w*|environment|safe\w*|noise|noisy|"
    r"building|room\w*|parking|toilet\w*|bullying)\b",
    "food_activities": r"\b(food|meals?|activit\w*|bored\w*|boring|groups?|drinks?)\b",
    "dignity_respect": r"\b(dignity|respect\w*|privacy|discriminat\w*|stigma|"
    r"treated like a person|as a person)\b",
    "positive_experience": r"\b(excellent|brilliant|fantastic|amazing|great|thank\w*|"
    r"nothing to improve|nothing|very good|happy)\b",
}


def compiled() -> dict[str, re.Pattern[str]]:
    """The filters as compiled patterns."""
    return {k: re.compile(v, re.IGNORECASE) for k, v in KEYWORDS.items()}


def keyword_matrix(
    texts: Sequence[str], theme_ids: Sequence[str], parents: dict[str, str] | None = None
) -> np.ndarray:
    """n x K 0/1: does each theme's filter hit each text. parents (child -> parent id): a child's
    hit also raises its parent, as the product rolls sub-themes up."""
    pats = compiled()
    out = np.zeros((len(texts), len(theme_ids)), dtype=np.int8)
    pos = {t: k for k, t in enumerate(theme_ids)}
    for k, tid in enumerate(theme_ids):
        pat = pats.get(tid)
        if pat is None:
            continue
        out[:, k] = [1 if pat.search(str(t)) else 0 for t in texts]
    for child, parent in (parents or {}).items():
        if child in pos and parent in pos:
            out[:, pos[parent]] |= out[:, pos[child]]
    return out
