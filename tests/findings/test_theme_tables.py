"""analysis.findings.theme_tables: the chosen answers raising a set of themes."""

from __future__ import annotations

from analysis.findings.theme_tables import chosen_ids_raising
from tests.explorer_fixtures import make_tables

SPEC = [
    ("r3", "2024 Q1", "carer", "x", [("access", -0.5), ("staff", 0.1)]),
    ("r1", "2024 Q1", "carer", "x", [("access", -0.5)]),
    ("r2", "2024 Q1", "carer", "x", [("staff", 0.2), ("access", -0.1)]),
    ("r4", "2024 Q1", "carer", "x", [("unassigned", 0.0)]),
]


def test_ids_raising_every_theme_come_in_the_responses_order() -> None:
    responses, _a, assignments = make_tables(SPEC)
    assert chosen_ids_raising(responses, assignments, ["access"]) == ["r3", "r1", "r2"]
    assert chosen_ids_raising(responses, assignments, ["access", "staff"]) == ["r3", "r2"]
    assert chosen_ids_raising(responses, assignments, ["medication"]) == []


def test_only_the_chosen_answers_count() -> None:
    responses, _a, assignments = make_tables(SPEC)
    chosen = responses[responses["response_id"].isin(["r1", "r4"])]
    assert chosen_ids_raising(chosen, assignments, ["access"]) == ["r1"]
