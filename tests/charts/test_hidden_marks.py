"""Suppressed rounds and groups are marked hidden, never drawn as zero; all hidden is said."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.charts.base import HIDDEN_TEXT
from analysis.charts.overview import answers_by_round_chart
from analysis.charts.voices import who_took_part_figure
from analysis.voices.participation import TOTAL_LABEL, PeopleTable


def _hidden_traces(fig) -> list:
    return [
        t
        for t in fig.data
        if t.type == "scatter" and t.mode == "text" and HIDDEN_TEXT in (t.text or ())
    ]


def test_a_hidden_round_is_marked_not_a_zero_bar() -> None:
    table = pd.DataFrame(
        {"service user": [120.0, np.nan, 90.0], "carer": [40.0, np.nan, np.nan]},
        index=["2024 Q1", "2024 Q2", "2024 Q3"],
    )
    fig = answers_by_round_chart(table)
    marks = _hidden_traces(fig)
    assert len(marks) == 1 and list(marks[0].x) == ["2024 Q2"]
    # With hidden cells the title names no busiest round: a hidden one could be larger.
    assert "most answers" not in fig.layout.title.text
    assert "some groups hidden" in fig.layout.title.text


def test_every_round_hidden_says_so() -> None:
    table = pd.DataFrame({"service user": [np.nan, np.nan]}, index=["2024 Q1", "2024 Q2"])
    title = answers_by_round_chart(table).layout.title.text
    assert title.startswith("Every round and respondent type is hidden")


def _people(rows: list[tuple[str, float]]) -> PeopleTable:
    table = pd.DataFrame(
        [*({"group": g, "respondents": n, "percent": n} for g, n in rows),
         {"group": TOTAL_LABEL, "respondents": 60.0, "percent": 100.0}]
    )  # fmt: skip
    return PeopleTable("t", table, ["respondents"], 10, n_people=60)


def test_hidden_groups_stay_on_the_axis_marked_hidden() -> None:
    fig = who_took_part_figure(_people([("Woman", 50.0), ("Man", np.nan)]), "gender")
    marks = _hidden_traces(fig)
    assert len(marks) == 1 and list(marks[0].y) == ["Man"]


def test_all_groups_hidden_has_no_confident_title() -> None:
    fig = who_took_part_figure(_people([("Woman", np.nan), ("Man", np.nan)]), "gender")
    assert fig.layout.title.text.startswith("Every gender group is hidden")
    assert "Largest" not in fig.layout.title.text
