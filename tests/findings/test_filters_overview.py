"""Shared filters and the Overview's figures on a small literal table."""

from __future__ import annotations

import pandas as pd

from analysis.charts.overview import answers_by_round_chart
from analysis.core.filters import Filters, apply_filters, period_label
from analysis.core.schema import conform_responses
from analysis.findings import overview

DF = conform_responses(
    pd.DataFrame(
        {
            "response_id": ["a", "b", "c", "d", "e"],
            "respondent_id": ["p1", "p1", "p2", None, "p3"],
            "round": ["2024 Q4", "2024 Q4", "2025 Q1", "2024 Q1", "2025 Q2"],
            "respondent_type": ["carer", "carer", "service user", "staff", "service user"],
            "service": [
                "Crisis team",
                "Crisis team",
                "Inpatient ward",
                "Living Well",
                "Inpatient ward",
            ],
            "locality": ["Bolton", "Bolton", "Wigan", "Bury", "Wigan"],
            "text": ["x", "y", "", "z", "w"],
            "gender": ["Woman", "Woman", "Prefer not to say", None, "Man"],
        }
    )
)


def test_round_range_is_chronological_not_alphabetical() -> None:
    out = apply_filters(DF, Filters(round_from="2024 Q4", round_to="2025 Q1"))
    assert out["response_id"].tolist() == ["a", "b", "c"]


def test_multiselect_filters_combine() -> None:
    out = apply_filters(DF, Filters(respondent_types=("service user",), localities=("Wigan",)))
    assert out["response_id"].tolist() == ["c", "e"]
    assert apply_filters(DF, Filters(services=("Nowhere",))).empty


def test_describe_and_period() -> None:
    f = Filters(respondent_types=("carer",))
    assert f.describe() == "respondent type: carer"
    assert Filters().describe() == "no filters (everyone)"
    assert period_label(DF) == "2024 Q1 to 2025 Q2"


def test_headline_figures_count_people_not_answers() -> None:
    figs = overview.headline_figures(DF)
    assert figs == {"answers": 5, "respondents": 4, "rounds": 4, "respondent_types": 3}


def test_answers_by_round_and_type_table_and_chart_agree() -> None:
    table = overview.answers_by_round_and_type(DF)
    assert table.index.tolist() == ["2024 Q1", "2024 Q4", "2025 Q1", "2025 Q2"]
    assert table.loc["2024 Q4", "carer"] == 2
    fig = answers_by_round_chart(table).to_dict()
    names = [t["name"] for t in fig["data"]]
    assert names == ["service user", "carer", "staff"]
    carer = next(t for t in fig["data"] if t["name"] == "carer")
    assert list(carer["y"]) == [0, 2, 0, 0]
    assert "2024 Q4 had the most answers (2)" in fig["layout"]["title"]["text"]


def test_data_quality_keeps_prefer_not_to_say_apart_from_missing() -> None:
    raw = overview.data_quality(pd.concat([DF] * 10, ignore_index=True)).set_index("column")
    assert raw.loc["gender", "missing"] == 10
    assert raw.loc["gender", "prefer not to say"] == 10
    assert raw.loc["text", "blank answers"] == 10


def test_data_quality_hides_small_counts_and_what_would_reveal_them() -> None:
    q = overview.data_quality(DF).set_index("column")
    assert pd.isna(q.loc["gender", "missing"]) and pd.isna(q.loc["gender", "prefer not to say"])
    assert pd.isna(q.loc["gender", "filled"]) and pd.isna(q.loc["gender", "% complete"])
    assert pd.isna(q.loc["text", "blank answers"]) and pd.isna(q.loc["text", "filled"])
    assert q.loc["response_id", "missing"] == 0 and q.loc["response_id", "filled"] == len(DF)


def test_small_selections_are_suppressed_before_the_chart() -> None:
    big = conform_responses(
        pd.DataFrame(
            {
                "response_id": [str(i) for i in range(60)],
                "round": ["2024 Q1"] * 30 + ["2024 Q2"] * 30,
                "respondent_type": ["service user"] * 27 + ["carer"] * 3 + ["service user"] * 30,
                "text": ["x"] * 60,
            }
        )
    )
    values, display = overview.answers_by_round_suppressed(big)
    assert pd.isna(values.loc["2024 Q1", "carer"])  # 3 carers: hidden
    assert pd.isna(values.loc["2024 Q1", "service user"])  # secondary: else 30 - 27 reveals it
    assert "[suppressed]" in display.astype(str).to_numpy().ravel().tolist()
    fig = answers_by_round_chart(values).to_dict()
    carer = next(t for t in fig["data"] if t["name"] == "carer")
    assert 3 not in list(carer["y"])
    assert overview.too_few_people(big.head(4))
    assert not overview.too_few_people(big)


def test_ingest_summary_reads_the_stored_json() -> None:
    table = overview.ingest_summary(
        '{"answers": 12, "no_content": 3, "rejected_rows": 2, "problems": ["row 4: no text"]}'
    )
    rows = table.values.tolist()
    assert rows[0] == ["Answers loaded", "12"] and ["Rows rejected", "2"] in rows
    assert rows[1][0].startswith("No content") and rows[1][1] == "3"
    assert ["Problem", "row 4: no text"] in table.values.tolist()
    assert overview.ingest_summary("not json").iloc[0].tolist() == ["Answers loaded", "0"]


def test_no_filter_gives_every_row_as_a_separate_frame() -> None:
    out = apply_filters(DF, Filters())
    pd.testing.assert_frame_equal(out, DF)
    out.loc[out.index[0], "locality"] = "Changed"
    out["extra"] = 1
    assert DF["locality"].iloc[0] == "Bolton" and "extra" not in DF
