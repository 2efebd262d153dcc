"""Small literal fixtures for the meeting-pack tests: answers with planted personal data, hostile
text, a respondent type of 3 people (suppressed), a hand-made ThemeResult and the demo plan."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from analysis.core import config
from analysis.core.schema import conform_responses
from analysis.themes.pipeline import ThemeResult

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))
import generate_demo_responses as gen  # noqa: E402

NHS_NUMBER = next(v for _, kind, v in gen.planted_pii_records() if kind == "nhs_number")
EMAIL = "jo.bloggs82@example.org"
PHONE = "07700 900363"
SCRIPT_TEXT = "<script>alert(1)</script>"
IMG_TEXT = "<img src=x onerror=alert(2)>"
HOSTILE_TYPE = '<a href="https://evil.example/x">visitor</a>'  # an 11-person respondent type
HOSTILE_QUESTION = "<b onmouseover=alert(3)>What could we do better?</b>"
GENERATED_AT = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
CARERS = 3  # the small group: its count must never appear


def _types() -> list[str]:
    return ["service user"] * 22 + [HOSTILE_TYPE] * 11 + ["carer"] * CARERS + ["other"] * 4


def responses() -> pd.DataFrame:
    """40 answers from 40 people over two rounds; the first three raise access with hostile text / PII."""
    texts = []
    for i in range(40):
        if i == 0:
            texts.append(
                f"{SCRIPT_TEXT} I waited months for an appointment and nobody rang me back."
            )
        elif i == 1:
            texts.append(
                f"{IMG_TEXT} The wait for therapy was far too long, over a year on the list."
            )
        elif i == 2:
            texts.append(
                f"I waited weeks. My NHS number is {NHS_NUMBER}, email me at {EMAIL} or ring {PHONE} please."
            )
        elif i < 20:
            texts.append(f"Waiting list answer number {i}: the wait to be seen was too long.")
        elif i < 32:
            texts.append(f"Staff answer number {i}: the staff were kind and listened to me.")
        else:
            texts.append(f"Something else entirely, answer number {i}, about the garden.")
    frame = pd.DataFrame(
        {
            "response_id": [f"r{i:02d}" for i in range(40)],
            "respondent_id": [f"p{i:02d}" for i in range(40)],
            # 2024 Q1: 13 answers (3 raise access); 2024 Q2: 27 answers (17 raise access).
            "round": ["2024 Q1" if i >= 14 and i % 2 == 0 else "2024 Q2" for i in range(40)],
            "respondent_type": _types(),
            "service": ["Community" if i % 2 else "Inpatient" for i in range(40)],
            "locality": ["Bury" if i % 3 else "Salford" for i in range(40)],
            "question": [
                HOSTILE_QUESTION if i < 3 else "What could we do better?" for i in range(40)
            ],
            "text": texts,
        }
    )
    return conform_responses(frame)


def theme_result(frame: pd.DataFrame) -> ThemeResult:
    """access for answers 0-19 (the hostile and PII ones scored highest), staff for 20-31, else unassigned."""
    assign, answers = [], []
    for i, rid in enumerate(frame["response_id"]):
        if i < 20:
            theme, score, sent = "access", (1.0 if i < 3 else 0.5), -0.6
        elif i < 32:
            theme, score, sent = "staff_behaviour", 0.8, 0.5
        else:
            theme, score, sent = config.UNASSIGNED, 0.0, 0.0
        assign.append({"response_id": rid, "theme_id": theme, "score": score, "sentiment": sent,
                       "evidence": "wait" if theme == "access" else ""})  # fmt: skip
        answers.append({"response_id": rid, "themes": theme, "n_themes": 1, "sentiment": sent,
                        "sentiment_label": "negative" if sent < 0 else "positive", "complex": False})  # fmt: skip
    return ThemeResult(answers=pd.DataFrame(answers), assignments=pd.DataFrame(assign))


def demo_plan(url: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The demo Improvement Plan loaded into the store at `url`: (milestones, history)."""
    from analysis import store
    from analysis.plan import milestone_store as plan_store

    engine = store.get_engine(url)
    plan_store.ensure_demo_plan(engine)
    return plan_store.load_milestones(engine), plan_store.load_history(engine=engine)
