"""Theme figures: traces, titles that state the finding, suppressed cells blank, n in hover."""

from __future__ import annotations

import math

from analysis.charts.themes import (
    cooccurrence_heatmap,
    group_heatmap,
    safe_label,
    theme_bar_chart,
    trend_chart,
)
from analysis.findings.cooccurrence import cooccurrence
from analysis.findings.group_comparison import compare_groups
from analysis.findings.theme_summary import theme_summary, theme_trend
from tests.explorer_fixtures import make_tables, two_round_tables

LABELS = {"access": "Access to support", "staff_behaviour": "Staff behaviour"}


def test_theme_bar() -> None:
    responses, _a, assignments = two_round_tables()
    fig = theme_bar_chart(theme_summary(responses, assignments, labels=LABELS)).to_dict()
    bar = fig["data"][0]
    assert bar["type"] == "bar" and bar["orientation"] == "h"
    assert list(bar["y"])[-1] == "Access to support"  # first row drawn at the top
    assert fig["layout"]["title"]["text"].startswith(
        "Access to support is the most raised theme (50%"
    )


def test_hidden_themes_are_marked_never_drawn_as_zero() -> None:
    # 30 people; access raised by 3 of them (hidden), staff by 12 (shown).
    spec = [
        (
            f"p{i}",
            "2024 Q1",
            "carer",
            "x",
            [("access", -0.5)] if i < 3 else [("staff_behaviour", 0.2)],
        )
        for i in range(15)
    ] + [(f"q{i}", "2024 Q1", "carer", "x", [("unassigned", 0.0)]) for i in range(15)]
    responses, _a, assignments = make_tables(spec)
    summary = theme_summary(responses, assignments, labels=LABELS)
    fig = theme_bar_chart(summary).to_dict()
    bar = fig["data"][0]
    by_label = dict(zip(bar["y"], bar["x"], strict=True))
    assert by_label["Staff behaviour"] == 40.0
    assert by_label["Access to support"] is None or math.isnan(by_label["Access to support"])
    notes = {(a["y"], a["text"]) for a in fig["layout"]["annotations"]}
    assert ("Access to support", "hidden: too few people") in notes
    assert ("Staff behaviour", "hidden: too few people") not in notes
    only_hidden = summary[summary["theme_id"] != "staff_behaviour"]
    title = theme_bar_chart(only_hidden).to_dict()["layout"]["title"]["text"]
    assert title == "Every theme raised here was raised by too few people to show"


def test_trend_lines_carry_n() -> None:
    responses, _a, assignments = two_round_tables(scale=5)
    trend = theme_trend(
        responses, assignments, labels=LABELS, theme_ids=["access", "staff_behaviour"]
    )
    fig = trend_chart(trend).to_dict()
    assert [t["name"] for t in fig["data"]] == ["Access to support", "Staff behaviour"]
    assert list(fig["data"][0]["customdata"][0]) == [25, 100]
    assert "of %{customdata[1]:,} answers" in fig["data"][0]["hovertemplate"]
    assert (
        fig["layout"]["title"]["text"]
        == "Access to support rose most: from 25% in 2024 Q1 to 75% in 2024 Q2"
    )


def _groups():
    spec = []
    for g, (n, k) in {
        "carer": (40, 30),
        "service user": (60, 10),
        "staff": (3, 3),
        "other": (12, 1),
    }.items():
        for i in range(n):
            spec.append(
                (
                    f"{g}-{i}",
                    "2024 Q1",
                    g,
                    "x",
                    [("access", -0.5)] if i < k else [("unassigned", 0.0)],
                )
            )
    return make_tables(spec)


def test_group_heatmap_marks_significant_and_blanks_suppressed() -> None:
    responses, _a, assignments = _groups()
    comp = compare_groups(
        responses, assignments, "respondent_type", labels=LABELS, theme_ids=["access"]
    )
    fig = group_heatmap(comp).to_dict()
    hm = fig["data"][0]
    groups = list(hm["x"])
    assert groups == ["service user", "carer", "staff", "other"]
    row = list(hm["z"][0])
    assert math.isnan(row[groups.index("staff")]) or row[groups.index("staff")] is None
    assert hm["text"][0][groups.index("staff")] == ""
    assert hm["text"][0][groups.index("carer")].endswith("*")
    assert fig["layout"]["title"]["text"].startswith(
        "carer raise Access to support more than everyone else"
    )


def test_group_heatmap_title_when_nothing_differs() -> None:
    spec = [
        (f"{g}-{i}", "2024 Q1", g, "x", [("access", 0.1)] if i % 2 else [("unassigned", 0.0)])
        for g in ("carer", "staff")
        for i in range(20)
    ]
    responses, _a, assignments = make_tables(spec)
    fig = group_heatmap(compare_groups(responses, assignments, "respondent_type")).to_dict()
    assert (
        fig["layout"]["title"]["text"]
        == "No respondent type group differs from everyone else beyond chance"
    )


def test_cooccurrence_heatmap() -> None:
    spec = [("r1", "2024 Q1", "carer", "x", [("access", -0.5), ("staff_behaviour", 0.1)])] * 12
    spec += [("r2", "2024 Q1", "carer", "x", [("access", -0.5)])] * 12
    spec = [(f"{rid}-{i}", *rest) for i, (rid, *rest) in enumerate(spec)]
    responses, _a, assignments = make_tables(spec)
    fig = cooccurrence_heatmap(cooccurrence(responses, assignments, labels=LABELS)).to_dict()
    hm = fig["data"][0]
    assert hm["type"] == "heatmap" and list(hm["x"]) == ["Access to support", "Staff behaviour"]
    assert "raised together most often (12 answers" in fig["layout"]["title"]["text"]


def test_cooccurrence_title_never_says_none_when_pairs_are_hidden() -> None:
    spec = [
        (f"a{i}", "2024 Q1", "carer", "x", [("access", 0), ("staff_behaviour", 0)])
        for i in range(3)
    ]
    spec += [(f"b{i}", "2024 Q1", "carer", "x", [("access", 0)]) for i in range(12)]
    spec += [(f"c{i}", "2024 Q1", "carer", "x", [("staff_behaviour", 0)]) for i in range(12)]
    responses, _a, assignments = make_tables(spec)
    fig = cooccurrence_heatmap(cooccurrence(responses, assignments, labels=LABELS)).to_dict()
    assert fig["layout"]["title"]["text"] == (
        "No pair of themes can be shown: too few people raised those seen together"
    )
    assert all(v is None or math.isnan(v) for row in fig["data"][0]["z"] for v in row)


def test_labels_from_uploads_cannot_inject_markup() -> None:
    assert (
        safe_label("<a href='javascript:x'>Bury</a>")
        == "&lt;a href='javascript:x'&gt;Bury&lt;/a&gt;"
    )
    spec = [
        (f"{g}-{i}", "2024 Q1", g, "x", [("access", 0.1)])
        for g in ("<b>x</b>", "staff")
        for i in range(12)
    ]
    responses, _a, assignments = make_tables(spec)
    fig = group_heatmap(compare_groups(responses, assignments, "respondent_type")).to_dict()
    assert "&lt;b&gt;x&lt;/b&gt;" in list(fig["data"][0]["x"])


def test_empty_inputs_say_so() -> None:
    responses, _a, assignments = two_round_tables()
    fig = trend_chart(theme_trend(responses.iloc[0:0], assignments)).to_dict()
    assert "No dated answers" in fig["layout"]["title"]["text"]


def test_most_negative_is_never_claimed_from_a_handful_of_answers() -> None:
    import pandas as pd

    from analysis.charts.themes import theme_bar_title

    summary = pd.DataFrame(
        {
            "theme_id": ["positive", "waiting", "access"],
            "theme": ["Positive experience", "Waiting times", "Access to support"],
            "answers": [190, 2, 80],
            "share_pct": [16.0, 0.2, 6.8],
            "negative_pct": [6.0, 100.0, 40.0],
        }
    )
    title = theme_bar_title(summary)
    assert "Waiting times" not in title  # 2 answers: too few to call it the most negative
    assert "Access to support is the most negative (40% of its 80 answers)" in title
