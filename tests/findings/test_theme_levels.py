"""Two levels of themes: sub-themes roll up into their parent; a table drills down to one parent's children."""

from __future__ import annotations

import pandas as pd

from analysis.findings import theme_levels
from analysis.findings.theme_summary import theme_summary
from analysis.themes.codebook import Codebook, Theme

CODEBOOK = Codebook(
    name="t",
    version=1,
    themes=[
        Theme(id="access", label="Access", seeds=["access"]),
        Theme(id="waiting", label="Waiting times", seeds=["wait"], parent="access"),
        Theme(id="referral", label="Referrals", seeds=["referral"], parent="access"),
        Theme(id="staff", label="Staff", seeds=["staff"]),
        Theme(id="old", label="Old", seeds=["old"], parent="staff", retired=True),
        Theme(id="orphan", label="Orphan", seeds=["x"], parent="gone"),
    ],
)
RESPONSES = pd.DataFrame({"response_id": ["1", "2", "3", "4"], "round": ["2024 Q1"] * 4})
# Answer 2 raises a sub-theme only (as a person's judgement can leave it); 3 raises child and parent.
ASSIGNMENTS = pd.DataFrame(
    {
        "response_id": ["1", "2", "3", "3", "4"],
        "theme_id": ["access", "waiting", "referral", "access", "staff"],
        "score": [0.9, 0.8, 0.7, 0.7, 0.9],
        "sentiment": [-0.5, -0.2, 0.1, 0.1, 0.5],
        "evidence": ["access", "wait", "referral", "referral", "staff"],
    }
)
# The same answers from ten times as many people (ids "1-0".."1-9"...), so the small-group rule
# shows every theme's figures: counts are ten times the four answers' above.
COPIES = 10
MANY_RESPONSES = pd.DataFrame(
    {
        "response_id": [f"{r}-{k}" for r in RESPONSES["response_id"] for k in range(COPIES)],
        "round": "2024 Q1",
    }
)
MANY_ASSIGNMENTS = pd.concat(
    [ASSIGNMENTS.assign(response_id=ASSIGNMENTS["response_id"] + f"-{k}") for k in range(COPIES)],
    ignore_index=True,
)


def test_parents_are_active_themes_only():
    assert theme_levels.theme_parents(CODEBOOK) == {"waiting": "access", "referral": "access"}


def test_roll_up_adds_the_missing_parent_once():
    parents = theme_levels.theme_parents(CODEBOOK)
    rolled = theme_levels.roll_up(ASSIGNMENTS, parents)
    access = rolled[rolled["theme_id"] == "access"]
    assert sorted(access["response_id"]) == ["1", "2", "3"]
    added = access[access["response_id"] == "2"].iloc[0]
    assert added["evidence"] == "wait" and added["sentiment"] == -0.2
    assert len(rolled) == len(ASSIGNMENTS) + 1
    assert theme_levels.roll_up(rolled, parents) is rolled  # nothing missing: unchanged


def test_top_level_counts_children_and_drill_down_shows_them():
    parents = theme_levels.theme_parents(CODEBOOK)
    summary = theme_summary(
        MANY_RESPONSES,
        theme_levels.roll_up(MANY_ASSIGNMENTS, parents),
        theme_ids=CODEBOOK.theme_ids,
    )
    top = theme_levels.level_rows(summary, parents, theme_levels.TOP_LEVEL)
    assert "waiting" not in set(top["theme_id"]) and "unassigned" in set(top["theme_id"])
    row = top.set_index("theme_id").loc["access"]
    assert row["answers"] == 3 * COPIES and row["sub_themes"] == 2
    down = theme_levels.level_rows(summary, parents, "access")
    assert list(down["theme_id"]) == [
        t for t in summary["theme_id"] if t in ("waiting", "referral")
    ]
    assert set(down.set_index("theme_id")["answers"].items()) == {
        ("waiting", COPIES),
        ("referral", COPIES),
    }
    every = theme_levels.level_rows(summary, parents, theme_levels.ALL_LEVELS)
    assert len(every) == len(summary)
    assert theme_levels.level_options(summary, parents) == ["top", "all", "access"]


def test_headlines_list_main_themes_with_their_sub_themes_counted():
    parents = theme_levels.theme_parents(CODEBOOK)
    summary = theme_summary(
        MANY_RESPONSES,
        theme_levels.roll_up(MANY_ASSIGNMENTS, parents),
        theme_ids=CODEBOOK.theme_ids,
    )
    assert {"waiting", "referral"} <= set(summary["theme_id"])  # every theme has its row
    top = theme_levels.headline_rows(summary, parents, n=5)
    assert list(top["theme_id"]) == ["access", "staff"]  # no child beside its parent, no specials
    assert top.set_index("theme_id")["sub_themes"].to_dict() == {"access": 2, "staff": 0}
    assert list(theme_levels.headline_rows(summary, parents, n=1)["theme_id"]) == ["access"]


def test_roll_up_at_scale_matches_pair_by_pair():
    # Many answers, each with a random mix of children and parents: the parent is added exactly
    # where an answer raises a child without it (checked pair by pair against the assignments).
    import numpy as np

    rng = np.random.default_rng(7)
    themes = ["access", "waiting", "referral", "staff"]
    rows = [(str(i), t) for i in range(2000) for t in themes if rng.random() < 0.4]
    assignments = pd.DataFrame(
        {
            "response_id": pd.array([r for r, _ in rows], dtype="string"),
            "theme_id": pd.array([t for _, t in rows], dtype="string"),
            "score": 0.5,
            "sentiment": 0.0,
            "evidence": pd.array(["e"] * len(rows), dtype="string"),
        }
    )
    rolled = theme_levels.roll_up(assignments, theme_levels.theme_parents(CODEBOOK))
    had = set(rows)
    expected = had | {(r, "access") for r, t in rows if t in ("waiting", "referral")}
    got = list(zip(rolled["response_id"], rolled["theme_id"], strict=True))
    assert len(got) == len(set(got)) and set(got) == expected
    assert len(expected) > len(had)  # the draw left some parents out
