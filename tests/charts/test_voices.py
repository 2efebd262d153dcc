"""Voices figures: titles state the finding, suppressed cells are not drawn, withheld = no numbers."""

from __future__ import annotations

import json

import pandas as pd

from analysis.charts import voices as V
from analysis.core import config
from analysis.core.schema import conform_responses
from analysis.voices import participation as P
from analysis.voices.engagement import (
    activity_over_time,
    lived_experience_share,
    validate_engagement,
)

BENCH = P.validate_benchmark(
    pd.DataFrame(
        {
            "locality": ["A", "A"],
            "dimension": ["gender", "gender"],
            "group": ["Woman", "Man"],
            "population": [50, 50],
        }
    )
)


def _people(spec: dict[str, int], column: str = "gender") -> pd.DataFrame:
    rows = [{column: v} for v, n in spec.items() for _ in range(n)]
    return conform_responses(
        pd.DataFrame([{"response_id": f"a{i}", "text": "x", **r} for i, r in enumerate(rows)])
    )


def test_representation_figure_title_and_interval() -> None:
    fig = V.representation_figure(
        P.representation(_people({"Woman": 20, "Man": 80}), BENCH, "gender"), "gender"
    )
    d = fig.to_dict()
    assert d["layout"]["title"]["text"].startswith(
        "1 gender group(s) under-represented; furthest below: Woman"
    )
    trace = d["data"][0]
    assert list(trace["y"]) == ["Woman", "Man"]
    assert trace["x"][0] == 0.4
    assert trace["error_x"]["arrayminus"][0] > 0 and trace["error_x"]["array"][0] > 0
    assert trace["marker"]["color"][0] == config.NHS_RED


def test_who_took_part_figure_leaves_suppressed_groups_out_and_escapes_labels() -> None:
    result = P.who_took_part(
        _people({"Woman": 40, "<a href='x'>Man</a>": 50, "Non-binary": 3}), "gender"
    )
    d = V.who_took_part_figure(result, "gender").to_dict()
    assert "Non-binary" not in d["data"][0]["y"]
    assert "&lt;a href='x'&gt;Man&lt;/a&gt;" in d["data"][0]["y"]
    assert d["data"][0]["marker"]["color"] == config.NHS_BLUE


def test_heatmap_blank_cells_are_null() -> None:
    rows = []
    for age in ("18-24", "25-34", "35-44"):
        for gender in ("Woman", "Man", "Non-binary"):
            n = 3 if (age, gender) == ("18-24", "Man") else 20
            rows += [{"gender": gender, "age_band": age}] * n
    df = conform_responses(
        pd.DataFrame([{"response_id": f"a{i}", "text": "x", **r} for i, r in enumerate(rows)])
    )
    d = V.intersections_figure(
        P.intersections(df, "age_band", "gender"), "age_band", "gender"
    ).to_dict()
    z = d["data"][0]["z"]
    flat = [v for row in z for v in row]
    assert None in flat and 3 not in flat and 20 in flat
    assert z[0][1] is None  # 18-24 x Man
    assert "blank cells" in d["layout"]["title"]["text"]


def test_withheld_results_give_figures_with_no_numbers() -> None:
    tiny = _people({"Woman": 2, "Man": 2})
    for fig in (
        V.who_took_part_figure(P.who_took_part(tiny, "gender"), "gender"),
        V.representation_figure(P.representation(tiny, BENCH, "gender"), "gender"),
        V.over_rounds_figure(P.over_rounds(tiny, "gender"), "gender"),
    ):
        d = fig.to_dict()
        assert d["data"] == []
        dumped = json.dumps(d["layout"])
        assert "Fewer than 10 people" in dumped
        assert "Woman" not in dumped and '"2"' not in dumped


def test_engagement_figures() -> None:
    frame = pd.DataFrame(
        {
            "date": ["2025-01-10", "2025-02-10"],
            "activity_type": ["event", "panel"],
            "level": ["inform", "co-produce"],
            "participants": ["100", "10"],
            "lived_experience": ["70", "10"],
        }
    )
    entries = validate_engagement(frame).entries
    d = V.engagement_over_time_figure(activity_over_time(entries)).to_dict()
    assert d["layout"]["title"]["text"] == "1 of 2 activities were co-produced"
    assert [t["name"] for t in d["data"]] == ["inform", "co-produce"]
    d = V.lived_experience_figure(lived_experience_share(entries)).to_dict()
    assert d["layout"]["title"]["text"] == "73% of participants had lived experience (80 of 110)"
    assert d["data"][0]["marker"]["color"] == config.NHS_BLUE


def test_representation_when_every_group_with_people_is_hidden_says_so() -> None:
    # 15 people: 7 women, 8 men, each group under the threshold of 10; the benchmark's third group
    # has nobody (ratio 0 over a hidden base): no "in line" title, the figure says all are hidden.
    bench = P.validate_benchmark(
        pd.DataFrame({"locality": ["A"] * 3, "dimension": ["gender"] * 3,
                      "group": ["Woman", "Man", "Non-binary"], "population": [48, 48, 4]})
    )  # fmt: skip
    result = P.representation(_people({"Woman": 7, "Man": 8}), bench, "gender", threshold=10)
    d = V.representation_figure(result, "gender").to_dict()
    title = d["layout"]["title"]["text"]
    assert title.startswith("Every gender group is hidden") and "in line" not in title
    assert not any(trace.get("x") for trace in d["data"])
