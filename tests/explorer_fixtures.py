"""Small literal responses + ThemeResult-shaped tables shared by the themes-explorer tests."""

from __future__ import annotations

import pandas as pd

from analysis.core.schema import conform_responses


def make_tables(spec: list[tuple[str, str, str, str, list[tuple[str, float]]]]):
    """spec rows: (response_id, round, respondent_type, text, [(theme_id, sentiment), ...])."""
    responses = conform_responses(
        pd.DataFrame(
            {
                "response_id": [s[0] for s in spec],
                "round": [s[1] for s in spec],
                "respondent_type": [s[2] for s in spec],
                "text": [s[3] for s in spec],
                "service": ["Community" if i % 2 else "Inpatient" for i in range(len(spec))],
            }
        )
    )
    assign_rows, answer_rows = [], []
    for rid, _r, _t, _text, themes in spec:
        for theme_id, sent in themes:
            assign_rows.append(
                {
                    "response_id": rid,
                    "theme_id": theme_id,
                    "score": 1.0,
                    "sentiment": sent,
                    "evidence": "waited|rang back" if theme_id == "access" else "",
                }
            )
        mean = sum(s for _, s in themes) / len(themes)
        answer_rows.append(
            {
                "response_id": rid,
                "themes": "|".join(t for t, _ in themes),
                "n_themes": len(themes),
                "sentiment": mean,
                "sentiment_label": "negative" if mean < -0.05 else "positive",
                "complex": len(themes) > 2,
            }
        )
    return responses, pd.DataFrame(answer_rows), pd.DataFrame(assign_rows)


def two_round_tables(scale: int = 1):
    """20 answers in 2024 Q1, 20 in 2024 Q2: access rises from 5 to 15; staff falls 10 -> 2.

    `scale` repeats every answer that many times (each a person of its own), so counts are `scale`
    times larger and shares the same: enough people for the small-group rule to show every figure.
    """
    spec = []
    for i in range(20):
        themes = []
        if i < 5:
            themes.append(("access", -0.6))
        if i < 10:
            themes.append(("staff_behaviour", 0.4))
        if not themes:
            themes = [("unassigned", 0.0)]
        spec.append(
            (f"a{i}", "2024 Q1", "service user" if i % 2 else "carer", f"text a{i}", themes)
        )
    for i in range(20):
        themes = []
        if i < 15:
            themes.append(("access", -0.5))
        if i < 2:
            themes.append(("staff_behaviour", 0.3))
        if not themes:
            themes = [("no_content", 0.0)]
        spec.append(
            (f"b{i}", "2024 Q2", "service user" if i % 2 else "carer", f"text b{i}", themes)
        )
    if scale > 1:
        spec = [(f"{rid}-{k}", *rest) for rid, *rest in spec for k in range(scale)]
    return make_tables(spec)
