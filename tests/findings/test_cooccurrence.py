"""Theme co-occurrence: counts, lift, Jaccard, and the answers raising two themes."""

from __future__ import annotations

import math

import pytest

from analysis.findings.cooccurrence import answers_with_both, cooccurrence
from tests.explorer_fixtures import make_tables

SPEC = [
    ("r1", "2024 Q1", "carer", "x", [("access", -0.5), ("communication", -0.3)]),
    ("r2", "2024 Q1", "carer", "x", [("access", -0.5), ("communication", -0.3)]),
    ("r3", "2024 Q1", "carer", "x", [("access", -0.5)]),
    ("r4", "2024 Q1", "carer", "x", [("medication", 0.2)]),
    ("r5", "2024 Q1", "carer", "x", [("unassigned", 0.0)]),
    ("r6", "2024 Q1", "carer", "x", [("communication", 0.1), ("medication", 0.1)]),
]


def test_counts_lift_and_jaccard() -> None:
    responses, _a, assignments = make_tables(SPEC)
    co = cooccurrence(responses, assignments, labels={"access": "Access"})
    assert co.n_answers == 6
    assert co.counts.loc["access", "communication"] == 2
    assert co.counts.loc["access", "access"] == 3
    # lift = both * n / (A * B) = 2 * 6 / (3 * 3)
    assert co.lift.loc["access", "communication"] == pytest.approx(1.33, abs=0.01)
    # jaccard = 2 / (3 + 3 - 2)
    assert co.jaccard.loc["access", "communication"] == pytest.approx(0.5)
    assert co.counts.loc["access", "medication"] == 0
    assert "unassigned" not in co.counts.index
    assert co.labels["access"] == "Access"


def test_pairs_sorted_by_count() -> None:
    responses, _a, assignments = make_tables(SPEC)
    pairs = cooccurrence(responses, assignments).pairs()
    assert (pairs.iloc[0]["theme_a"], pairs.iloc[0]["theme_b"]) == ("access", "communication")
    assert pairs.iloc[0]["both"] == 2
    assert len(pairs) == 2  # access+communication, communication+medication


def test_answers_with_both_in_order() -> None:
    responses, _a, assignments = make_tables(SPEC)
    assert answers_with_both(responses, assignments, "access", "communication") == ["r1", "r2"]
    assert answers_with_both(responses, assignments, "access", "medication") == []


def test_empty_selection() -> None:
    responses, _a, assignments = make_tables(SPEC)
    co = cooccurrence(responses.iloc[0:0], assignments)
    assert co.counts.empty and co.pairs().empty and co.n_answers == 0


def test_lift_undefined_for_unseen_theme() -> None:
    responses, _a, assignments = make_tables(SPEC)
    co = cooccurrence(responses, assignments, theme_ids=["access", "crisis_care"])
    assert math.isnan(co.lift.loc["access", "crisis_care"])


def test_counts_match_a_count_by_hand_on_random_answers() -> None:
    import random

    rng = random.Random(7)
    themes = ["access", "staff", "medication", "carers", "environment"]
    spec = []
    for i in range(300):
        chosen = rng.sample(themes, rng.randint(0, 3))
        spec.append(
            (f"r{i}", "2024 Q1", "carer", "x", [(t, 0.0) for t in chosen] or [("unassigned", 0.0)])
        )
    responses, _a, assignments = make_tables(spec)
    co = cooccurrence(responses, assignments, theme_ids=themes + ["not_in_any_answer"])
    raised = {rid: {t for t, _s in pairs} for rid, _r, _t, _g, pairs in spec}
    for a in themes:
        for b in themes:
            expected = sum(1 for got in raised.values() if a in got and b in got)
            assert co.counts.loc[a, b] == expected, (a, b)
    assert co.counts.loc["not_in_any_answer"].sum() == 0
