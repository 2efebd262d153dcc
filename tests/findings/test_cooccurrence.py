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
# The same answers from ten times as many people, so the small-group rule hides nothing.
COPIES = 10
MANY = [(f"{rid}-{k}", *rest) for rid, *rest in SPEC for k in range(COPIES)]


def test_counts_lift_and_jaccard() -> None:
    responses, _a, assignments = make_tables(MANY)
    co = cooccurrence(responses, assignments, labels={"access": "Access"})
    assert co.n_answers == 60
    assert co.counts.loc["access", "communication"] == 20
    assert co.counts.loc["access", "access"] == 30
    assert not co.hidden.to_numpy().any()
    # lift = both * n / (A * B) = 2 * 6 / (3 * 3)
    assert co.lift.loc["access", "communication"] == pytest.approx(1.33, abs=0.01)
    # jaccard = 2 / (3 + 3 - 2)
    assert co.jaccard.loc["access", "communication"] == pytest.approx(0.5)
    assert co.counts.loc["access", "medication"] == 0
    assert "unassigned" not in co.counts.index
    assert co.labels["access"] == "Access"


def test_pairs_sorted_by_count() -> None:
    responses, _a, assignments = make_tables(MANY)
    pairs = cooccurrence(responses, assignments).pairs()
    assert (pairs.iloc[0]["theme_a"], pairs.iloc[0]["theme_b"]) == ("access", "communication")
    assert pairs.iloc[0]["both"] == 20
    assert len(pairs) == 2  # access+communication, communication+medication


def test_a_pair_or_theme_few_people_raised_has_no_figures() -> None:
    # 40 people: access with communication 12, access alone 15, communication with medication 3,
    # medication alone 10 (medication: 13 people, shown; the pair with communication: 3, hidden).
    spec = [
        (f"a{i}", "2024 Q1", "carer", "x", [("access", 0), ("communication", 0)]) for i in range(12)
    ]
    spec += [(f"b{i}", "2024 Q1", "carer", "x", [("access", 0)]) for i in range(15)]
    spec += [
        (f"c{i}", "2024 Q1", "carer", "x", [("communication", 0), ("medication", 0)])
        for i in range(3)
    ]
    spec += [(f"d{i}", "2024 Q1", "carer", "x", [("medication", 0)]) for i in range(10)]
    spec += [("e0", "2024 Q1", "carer", "x", [("carers", 0)])]  # one person: the theme is hidden
    spec += [(f"f{i}", "2024 Q1", "carer", "x", [("unassigned", 0)]) for i in range(10)]
    responses, _a, assignments = make_tables(spec)
    co = cooccurrence(responses, assignments)
    assert co.counts.loc["access", "communication"] == 12
    assert co.hidden.loc["communication", "medication"]
    assert math.isnan(co.counts.loc["communication", "medication"])
    assert math.isnan(co.lift.loc["communication", "medication"])
    assert co.hidden.loc["carers"].all() and co.counts.loc["carers"].isna().all()
    pairs = co.pairs()
    assert list(zip(pairs["theme_a"], pairs["theme_b"], strict=True)) == [
        ("access", "communication")
    ]
    assert answers_with_both(responses, assignments, "communication", "medication") == [
        "c0",
        "c1",
        "c2",
    ]  # the ids exist; the page asks theme_privacy before listing them


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
