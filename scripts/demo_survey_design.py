"""The shape of the demo survey: rounds, questions, who answers, and the planted patterns' weights.

Demographic weights are illustrative approximations of Greater Manchester's population (Census
2021, rounded) with the usual survey skews applied; they are not a population benchmark.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence

from analysis.core import config

PNTS = config.PREFER_NOT_TO_SAY
BLANK = ""  # a missing value in the CSV (empty cell), distinct from "Prefer not to say"

ROUNDS: tuple[str, ...] = (
    "2024 Q1",
    "2024 Q2",
    "2024 Q3",
    "2024 Q4",
    "2025 Q1",
    "2025 Q2",
)
# Answers per round in the committed demo file (volumes vary a little, as real rounds do).
ROUND_ROWS: tuple[int, ...] = (465, 490, 520, 480, 535, 510)

Q_GOOD = "What was good about your care?"
Q_BETTER = "What could we do better?"
Q_ELSE = "Anything else you want to tell us?"
QUESTIONS: tuple[str, ...] = (Q_GOOD, Q_BETTER, Q_ELSE)
QUESTION_P = (0.90, 0.93, 0.55)  # chance a respondent answers each question

# Mid-2021 populations in thousands (Census 2021, rounded): survey volumes follow them roughly.
BOROUGH_POPULATION: dict[str, int] = {
    "Bolton": 296,
    "Bury": 194,
    "Manchester": 552,
    "Oldham": 242,
    "Rochdale": 223,
    "Salford": 270,
    "Stockport": 294,
    "Tameside": 231,
    "Trafford": 235,
    "Wigan": 330,
}
assert set(BOROUGH_POPULATION) == set(config.GM_BOROUGHS)

SERVICE_WEIGHTS: dict[str, float] = {
    "Community Mental Health Team": 22,
    "Inpatient ward": 13,
    "Crisis team / Home Treatment": 12,
    "Living Well": 10,
    "Early Intervention in Psychosis": 8,
    "Eating Disorders service": 6,
    "Psychological therapies (Talking Therapies)": 14,
    "Older adults service": 9,
    "CAMHS transition": 6,
}
SERVICES = tuple(SERVICE_WEIGHTS)
# (service user, carer, staff) by service; eating disorders has very few carers on purpose.
TYPE_WEIGHTS: dict[str, tuple[float, float, float]] = {
    "Community Mental Health Team": (0.60, 0.21, 0.19),
    "Inpatient ward": (0.55, 0.25, 0.20),
    "Crisis team / Home Treatment": (0.58, 0.25, 0.17),
    "Living Well": (0.68, 0.14, 0.18),
    "Early Intervention in Psychosis": (0.58, 0.24, 0.18),
    "Eating Disorders service": (0.78, 0.05, 0.17),
    "Psychological therapies (Talking Therapies)": (0.75, 0.06, 0.19),
    "Older adults service": (0.42, 0.42, 0.16),
    "CAMHS transition": (0.55, 0.33, 0.12),
}
TYPES = ("service user", "carer", "staff")
VOICE = {"service user": "su", "carer": "carer", "staff": "staff"}

AGE_BANDS = config.DEMOGRAPHIC_GROUPS["age_band"]
AGE_WEIGHTS: dict[str, tuple[float, ...]] = {
    "su": (1.5, 6, 15, 19, 23, 19, 10, 6.5),
    "su:CAMHS transition": (45, 55, 0, 0, 0, 0, 0, 0),
    "su:Early Intervention in Psychosis": (4, 30, 34, 18, 9, 5, 0, 0),
    "su:Eating Disorders service": (5, 30, 28, 15, 12, 8, 2, 0),
    "su:Older adults service": (0, 0, 0, 0, 0, 6, 44, 50),
    "carer": (0.5, 3, 6, 15, 28, 27, 14, 6.5),
    "carer:CAMHS transition": (0, 0, 3, 32, 45, 18, 2, 0),
    "carer:Older adults service": (0, 0, 2, 6, 18, 34, 28, 12),
    "staff": (0, 4, 22, 26, 27, 19, 2, 0),
}
GENDERS = config.DEMOGRAPHIC_GROUPS["gender"]
GENDER_WEIGHTS: dict[str, tuple[float, ...]] = {
    "su": (58, 35, 2.5, 0.8),
    "su:Early Intervention in Psychosis": (40, 56, 2.5, 0.8),
    "su:Eating Disorders service": (84, 9, 4, 1),
    "carer": (74, 25, 0.5, 0.3),
    "staff": (77, 21, 1.2, 0.3),
}
ETHNICITIES = config.DEMOGRAPHIC_GROUPS["ethnicity"]
# Approximate population shares (%) by borough, Census 2021 rounded (illustrative).
ETHNICITY_POPULATION: dict[str, tuple[float, ...]] = {
    "Manchester": (48.7, 8.0, 12.7, 2.4, 2.2, 9.0, 1.6, 5.5, 9.9),
    "Oldham": (69.0, 3.0, 13.5, 0.8, 7.5, 2.0, 0.4, 2.0, 1.8),
    "Bolton": (70.0, 3.5, 9.0, 7.5, 0.5, 2.3, 0.3, 2.5, 4.4),
    "Rochdale": (72.0, 3.5, 13.0, 0.8, 2.5, 2.2, 0.3, 2.0, 3.7),
    "Bury": (80.0, 3.0, 7.0, 1.5, 0.5, 1.2, 0.4, 2.5, 3.9),
    "Salford": (74.0, 7.0, 1.5, 1.3, 0.5, 5.0, 0.5, 3.2, 7.0),
    "Stockport": (85.0, 4.0, 2.5, 1.7, 0.4, 0.9, 0.3, 2.4, 2.8),
    "Tameside": (84.0, 3.0, 2.2, 2.0, 3.0, 1.3, 0.3, 2.0, 2.2),
    "Trafford": (73.0, 6.0, 5.0, 3.0, 0.4, 2.0, 1.0, 3.6, 6.0),
    "Wigan": (92.0, 3.0, 0.3, 0.5, 0.2, 1.0, 0.2, 1.2, 1.6),
}
# Response-rate factors relative to White British: minority groups answer surveys less.
ETHNICITY_SKEW = (1.0, 0.6, 0.45, 0.55, 0.35, 0.5, 0.6, 0.7, 0.4)
ORIENTATIONS = config.DEMOGRAPHIC_GROUPS["sexual_orientation"]
RELIGIONS = config.DEMOGRAPHIC_GROUPS["religion"]
RELIGION_BY_ETHNICITY: dict[str, tuple[float, ...]] = {
    "Asian or Asian British - Pakistani": (1, 92, 4, 3),
    "Asian or Asian British - Bangladeshi": (1, 93, 4, 2),
    "Asian or Asian British - Indian": (6, 16, 14, 64),
    "Black or Black British - African": (70, 20, 8, 2),
    "Black or Black British - Caribbean": (64, 3, 30, 3),
    "Other ethnic group": (25, 35, 25, 15),
    "Mixed or multiple": (35, 10, 50, 5),
}
RELIGION_DEFAULT = (44, 1, 52, 3)

# Theme weights per voice (relative; "positive_experience" mostly answers "What was good").
THEME_WEIGHTS: dict[str, dict[str, float]] = {
    "su": {
        "access": 14,
        "staff_behaviour": 14,
        "limited_interventions": 10,
        "partnership_working": 4,
        "discharge_planning": 5,
        "communication": 10,
        "carers_family": 2,
        "medication": 8,
        "crisis_care": 6,
        "environment_safety": 4,
        "positive_experience": 10,
    },
    "carer": {
        "access": 9,
        "staff_behaviour": 8,
        "limited_interventions": 5,
        "partnership_working": 14,
        "discharge_planning": 7,
        "communication": 11,
        "carers_family": 24,
        "medication": 5,
        "crisis_care": 6,
        "environment_safety": 3,
        "positive_experience": 7,
    },
    "staff": {
        "access": 13,
        "staff_behaviour": 5,
        "limited_interventions": 10,
        "partnership_working": 14,
        "discharge_planning": 9,
        "communication": 8,
        "carers_family": 4,
        "medication": 4,
        "crisis_care": 6,
        "environment_safety": 9,
        "positive_experience": 6,
    },
}
SERVICE_THEME_FACTORS: dict[str, dict[str, float]] = {
    "Inpatient ward": {"environment_safety": 4.0, "medication": 1.5, "access": 0.4},
    "Crisis team / Home Treatment": {"crisis_care": 8.0, "access": 2.0},
    "Psychological therapies (Talking Therapies)": {
        "limited_interventions": 2.5,
        "access": 1.5,
        "medication": 0.3,
        "environment_safety": 0.2,
    },
    "Early Intervention in Psychosis": {"medication": 1.6, "positive_experience": 1.3},
    "Eating Disorders service": {"access": 2.0},
    "Older adults service": {"carers_family": 1.5, "medication": 1.4},
    "CAMHS transition": {"discharge_planning": 4.0, "communication": 1.5},
    "Living Well": {
        "positive_experience": 1.6,
        "partnership_working": 1.5,
        "environment_safety": 0.3,
    },
    "Community Mental Health Team": {
        "access": 1.3,
        "communication": 1.3,
        "environment_safety": 0.3,
    },
}
ACCESS_BOROUGH = "Oldham"  # access complaints fall here from 2025 Q1
ACCESS_CHANGE_ROUND = 4  # index of 2025 Q1 in ROUNDS

MOOD_WEIGHTS: dict[str, tuple[float, float, float]] = {  # (pos, mixed, neg)
    "su": (40, 33, 27),
    "carer": (28, 35, 37),
    "staff": (25, 45, 30),
}
MOOD_SERVICE_FACTORS: dict[str, tuple[float, float, float]] = {
    "Living Well": (1.5, 1.0, 0.6),
    "Early Intervention in Psychosis": (1.4, 1.0, 0.7),
    "Psychological therapies (Talking Therapies)": (1.2, 1.0, 0.8),
    "Crisis team / Home Treatment": (1.1, 0.6, 1.4),
}
RATING_BY_MOOD: dict[str, tuple[float, ...]] = {  # ratings 1..5 (5 = very good)
    "pos": (0, 1, 4, 35, 60),
    "mixed": (6, 22, 40, 27, 5),
    "neg": (45, 35, 15, 4, 1),
}

PII_KINDS = (
    "nhs_number",
    "phone",
    "email",
    "postcode",
    "doctor",
    "nurse",
    "coordinator",
)
PII_RATE = 0.015
OFF_TOPIC_P = {Q_GOOD: 0.01, Q_BETTER: 0.05, Q_ELSE: 0.13}


class Weighted:
    """Items with cumulative weights, for fast repeated weighted choice from one RNG."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items: Sequence, weights: Sequence[float]) -> None:
        self.items = tuple(items)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        """One item, drawn with probability proportional to its weight."""
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]
