"""XmR charts against worked examples computed by hand (each example's arithmetic is in its comment)."""

from __future__ import annotations

import pytest

from analysis.findings import spc

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


def _rules(chart: spc.XmR) -> list[tuple[str, tuple[int, ...]]]:
    return [(s.rule, s.points) for s in chart.signals]


def test_limits_of_a_steady_series_and_no_rule_fires() -> None:
    # Sum 138, mean 11.5. Moving ranges 2,1,2,1,2,1,1,1,2,1,1: sum 15, mean 15/11 = 1.363636.
    # Limits 11.5 +/- 2.66 x 1.363636 = 11.5 +/- 3.627273: 7.872727 to 15.127273.
    chart = spc.xmr([10, 12, 11, 13, 12, 10, 11, 12, 13, 11, 12, 11], MONTHS)
    assert chart.mean == pytest.approx(11.5)
    assert chart.mean_moving_range == pytest.approx(15 / 11)
    assert chart.upper == pytest.approx(15.127273, abs=1e-6)
    assert chart.lower == pytest.approx(7.872727, abs=1e-6)
    assert chart.signals == []
    assert "common-cause variation only" in chart.summary("answers per month")


def test_a_point_outside_the_limits() -> None:
    # Sum 147, mean 12.25. Moving ranges sum 14 + |20-12| = 22, mean 2.0; limits 12.25 +/- 5.32:
    # 6.93 to 17.57. 20 is above; the outer third starts at 12.25 + 3.5467 = 15.7967 (20 alone).
    chart = spc.xmr([10, 12, 11, 13, 12, 10, 11, 12, 13, 11, 12, 20], MONTHS)
    assert chart.upper == pytest.approx(17.57) and chart.lower == pytest.approx(6.93)
    assert _rules(chart) == [(spc.OUTSIDE, (11,))]
    assert "2025-12 (20.0) is above the upper process limit." in chart.summary("answers")


def test_a_shift_of_seven_points_on_one_side() -> None:
    # Sum 48 + 7 x 11 = 125, mean 10.4167; moving ranges 4,4,4,4,3,0 x 6: 19/11 = 1.7273;
    # limits 5.82 to 15.01, outer thirds beyond 7.35 and 13.48: nothing there.
    chart = spc.xmr([8, 12, 8, 12, 8, 11, 11, 11, 11, 11, 11, 11], MONTHS)
    assert chart.mean == pytest.approx(125 / 12)
    assert _rules(chart) == [(spc.SHIFT, (5, 6, 7, 8, 9, 10, 11))]
    assert "7 points in a row above the mean (2025-06 to 2025-12)" in chart.summary("x")


def test_a_trend_of_six_rising_points() -> None:
    # Sum 143.5, mean 11.9583; moving ranges 1 x 5, 0.5 x 5, 1.5: 9/11 = 0.8182; limits 9.78 to
    # 14.13; outer thirds beyond 10.51 and 13.41 (13.5 alone in any three). 11 -> 13.5 rises 6 times.
    chart = spc.xmr([12, 11, 12, 11, 12, 11, 11.5, 12, 12.5, 13, 13.5, 12], MONTHS)
    assert chart.upper == pytest.approx(11.958333 + 2.66 * 9 / 11, abs=1e-6)
    assert _rules(chart) == [(spc.TREND, (5, 6, 7, 8, 9, 10))]


def test_two_of_three_points_close_to_a_limit() -> None:
    # Sum 141, mean 11.75; moving ranges 2 x 9, 3.5, 0: 21.5/11 = 1.9545; limits 6.55 to 16.95.
    # Outer third above 11.75 + 2/3 x 5.1991 = 15.2161: 15.5 and 15.5 (inside the limit).
    chart = spc.xmr([10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 15.5, 15.5], MONTHS)
    assert chart.upper == pytest.approx(16.949091, abs=1e-6)
    assert _rules(chart) == [(spc.NEAR, (10, 11))]
    assert "close to the upper limit (2025-11 to 2025-12)" in chart.summary("x")


def test_six_quarterly_rounds_are_too_few_and_say_why() -> None:
    chart = spc.xmr([1, 2, 3, 4, 5, 6], [f"2024 Q{q}" for q in (1, 2, 3, 4)] + ["2025 Q1", "2025 Q2"],
                    what="theme share by round")  # fmt: skip
    assert chart.mean is None and chart.signals == []
    sentence = chart.summary("theme share by round")
    assert sentence.startswith("Theme share by round has 6 points; process limits need at least 12")
    assert "change between the last two rounds is tested instead" in sentence


def test_the_chart_marks_special_causes_and_states_the_finding() -> None:
    from analysis.charts.spc import spc_figure, spc_table

    chart = spc.xmr([10, 12, 11, 13, 12, 10, 11, 12, 13, 11, 12, 20], MONTHS)
    fig = spc_figure(chart, "answers per month", "Answers")
    assert (
        fig.layout.title.text == "Answers per month: special-cause variation (outside the limits)"
    )
    marked = next(t for t in fig.data if t.name == "Special cause")
    assert list(marked.y) == [20.0]
    table = spc_table(chart)
    assert table["Special cause"].tolist() == [""] * 11 + ["yes"]
    assert table["Upper limit"].iloc[0] == pytest.approx(17.6)


def test_monthly_volume_hides_months_with_few_people() -> None:
    import pandas as pd

    dates = pd.date_range("2024-01-01", periods=13, freq="MS").repeat(20)
    frame = pd.DataFrame({"response_id": [f"r{i}" for i in range(len(dates))], "submitted": dates})
    assert spc.monthly_volume(frame, 10).too_few is None
    small = frame.iloc[: 20 * 12 + 3]  # the 13th month holds 3 people
    assert "fewer than 10 people" in spc.monthly_volume(small, 10).too_few
