"""A small dataset an attacker would try: a 3-person locality, personal data in answers, URL values.

76 people in four localities (Tinytown 3, Smallville 12, Bigtown 30, Midtown 31), two answers each
over two rounds. Seven answers (seven people) hold the NHS number 943 476 5919, six the mobile
07700 900123, and twenty-four name "Mrs Okonjo". Used by the page tests and the browser tests.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.schema import conform_responses

LOCALITIES = {"Tinytown": 3, "Smallville": 12, "Bigtown": 30, "Midtown": 31}
NHS_NUMBER = "943 476 5919"
PHONE = "07700 900123"
SURNAME = "Okonjo"
URL_LOCALITY = "http://evil.example/x"
URL_NAME = "www.evil.example [click](http://evil.example/y) <a href=http://evil.example/z>z</a>"

_GOOD = (
    "The staff on the crisis line were kind and listened to me.",
    "My care coordinator explained the medication changes clearly.",
    "The ward felt safe and the food was better than I expected.",
    "Support for carers helped me cope with my son's illness.",
)
_BETTER = (
    "I waited fourteen weeks for an appointment and nobody rang back.",
    "Discharge was rushed and the follow up never happened.",
    "Reception staff were rude when I called in distress.",
    "Communication between the GP and the mental health team was poor.",
)


def answer_text(i: int, person: int) -> str:
    """An ordinary answer, some holding personal data (by answer number, so counts are fixed)."""
    text = (_GOOD if i % 2 == 0 else _BETTER)[person % 4]
    if i in range(20, 34, 2):  # 7 answers from 7 people
        text += f" My NHS number is {NHS_NUMBER} if you need it."
    if i in range(41, 53, 2):  # 6 answers from 6 people
        text += f" Please call me on {PHONE}."
    if 60 <= i < 108 and i % 2 == 0:  # 24 answers from 24 people
        text += f" Mrs {SURNAME} on the ward was wonderful."
    return text


def attack_frame(url_values: bool = False) -> pd.DataFrame:
    """The 152 answers as a canonical responses table (localities as URLs when `url_values`)."""
    rows = []
    for loc, n in LOCALITIES.items():
        locality = URL_LOCALITY if url_values and loc == "Bigtown" else loc
        for p in range(n):
            for q in ("What was good?", "What could we do better?"):
                i = len(rows)
                rows.append(
                    {
                        "response_id": f"r{i}",
                        "respondent_id": f"{loc}-{p}",
                        "submitted": "2024-02-01" if p % 2 else "2024-05-01",
                        "round": "2024 Q1" if p % 2 else "2024 Q2",
                        "respondent_type": "carer" if p % 3 == 0 else "service user",
                        "service": "www.evil.example/service" if url_values else "Crisis team",
                        "locality": locality,
                        "question": q,
                        "text": answer_text(i, p),
                        "gender": "Woman" if p % 2 else "Man",
                        "age_band": "25-34" if p % 2 else "45-54",
                    }
                )
    return conform_responses(pd.DataFrame(rows))


def save_attack_dataset(name: str = "Attack test", url_values: bool = False) -> int:
    """Save the dataset in the current store; return its id."""
    from analysis import store

    return store.save_dataset(name, attack_frame(url_values))
