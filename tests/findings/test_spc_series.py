"""Theme shares and ratings per month as XmR charts, and the Making Data Count icons, against worked
examples computed by hand (each example's arithmetic is in its comment)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.findings import spc, spc_icons, spc_series

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


def _answers(per_month: int = 10, months: list[str] = MONTHS, ratings=None) -> pd.DataFrame:
    """`per_month` answers by as many different people in each month, on the 15th."""
    rows = []
    for m, month in enumerate(months):
        for i in range(per_month):
            rating = None if ratings is None else ratings[m]
            rows.append({"response_id": f"{month}-{i}", "respondent_id": f"p{month}-{i}",
                         "submitted": pd.Timestamp(f"{month}-15"), "rating": rating})  # fmt: skip
    return pd.DataFrame(rows)


def _raising(answers: pd.DataFrame, k_per_month: list[int], per_month: int = 10) -> pd.DataFrame:
    """Assignments: the first k in 10 answers of each month raise "waits", the rest "staff"."""
    rows = []
    for m, month in enumerate(MONTHS):
        for i in range(per_month):
            theme = "waits" if i < k_per_month[m] * per_month // 10 else "staff"
            rows.append({"response_id": f"{month}-{i}", "theme_id": theme})
    return pd.DataFrame(rows)


def test_a_theme_share_per_month_its_limits_and_a_point_outside() -> None:
    # Shares 20,30,20,...,20 (eleven alternating, from 20) then 90: sum 6 x 20 + 5 x 30 + 90 = 360,
    # mean 30. Moving ranges ten of 10 and |90 - 20| = 70: 170 / 11 = 15.4545. Limits 30 +/- 2.66 x
    # 15.4545 = 30 +/- 41.1091: -11.1091 to 71.1091. 90 is above; the outer third starts at
    # 30 + 27.4061 = 57.41 (90 alone); no run of seven on one side (30 is on the mean); no trend.
    # 100 people a month, so no month's count of people raising it (20 to 90) is a small group.
    answers = _answers(per_month=100)
    k = [2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 9]
    chart = spc_series.theme_share_xmr(answers, _raising(answers, k, 100), "waits", "Waits", 10)
    assert chart.values == [20.0, 30.0] * 5 + [20.0, 90.0]
    assert chart.mean == pytest.approx(30.0)
    assert chart.mean_moving_range == pytest.approx(170 / 11)
    assert chart.upper == pytest.approx(71.109091, abs=1e-5)
    assert chart.lower == pytest.approx(-11.109091, abs=1e-5)
    assert [(s.rule, s.points) for s in chart.signals] == [(spc.OUTSIDE, (11,))]
    assert "2025-12 (90.0) is above the upper process limit." in chart.summary("waits")
    # A theme's share has no better direction: the latest point is special cause, high, "neither".
    icon = spc_icons.variation(chart, None)
    assert (icon.kind, icon.letter) == ("neither", "H")
    assert spc_icons.assurance(chart, 50, None) is None


def test_a_theme_share_is_not_shown_when_few_people_raised_it_in_a_month() -> None:
    # 10 people a month; 2 or 3 of them raise it: each month's share would give a count under 10.
    answers = _answers()
    k = [2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 9]
    chart = spc_series.theme_share_xmr(answers, _raising(answers, k), "waits", "Waits", 10)
    assert chart.values == []
    assert chart.too_few.startswith("In some months fewer than 10 people raised Waits")
    # All but one person raised it every month: those who did not are a small group too.
    everyone_but_one = spc_series.theme_share_xmr(
        answers, _raising(answers, [9] * 12), "waits", "W", 10
    )
    assert everyone_but_one.values == [] and "to protect their privacy" in everyone_but_one.too_few


def test_a_mean_rating_per_month_and_the_assurance_against_a_target() -> None:
    # Monthly means 3,4,3,4,...,4: mean 3.5; every moving range 1, so limits 3.5 +/- 2.66:
    # 0.84 to 6.16. Nothing fires, so the latest point is common cause.
    answers = _answers(ratings=[3, 4] * 6)
    answers.loc[len(answers)] = {"response_id": "unrated", "respondent_id": "q",
                                 "submitted": pd.Timestamp("2025-03-01"), "rating": None}  # fmt: skip
    chart = spc_series.rating_xmr(answers, 10)
    assert chart.values == [3.0, 4.0] * 6
    assert (chart.lower, chart.upper) == (pytest.approx(0.84), pytest.approx(6.16))
    assert chart.signals == []
    assert spc_icons.variation(chart, "higher").kind == "common"
    # Higher is better: a target of 3 lies between the limits (hit and miss); 0.5 is below the lower
    # limit 0.84 (always met); 7 is above the upper limit 6.16 (always missed).
    assert spc_icons.assurance(chart, 3, "higher").kind == "hit_and_miss"
    assert spc_icons.assurance(chart, 0.5, "higher").kind == "pass"
    assert spc_icons.assurance(chart, 7, "higher").kind == "fail"
    # Lower is better: the same targets the other way round.
    assert spc_icons.assurance(chart, 0.5, "lower").kind == "fail"
    assert spc_icons.assurance(chart, 7, "lower").kind == "pass"
    assert spc_icons.assurance(chart, None, "higher") is None
    assert "no target" in spc_icons.no_assurance_sentence(None, "higher")


def test_variation_icons_say_improvement_or_concern_by_the_better_direction() -> None:
    # Last point 20 above the upper limit 17.57 (worked in test_spc): high.
    high = spc.xmr([10, 12, 11, 13, 12, 10, 11, 12, 13, 11, 12, 20], MONTHS)
    assert (spc_icons.variation(high, "higher").kind, spc_icons.variation(high, "higher").letter) == (
        "improvement", "H")  # fmt: skip
    assert spc_icons.variation(high, "lower").kind == "concern"
    # Sum 130, mean 10.8333; moving ranges 14 + |3 - 12| = 23, mean 2.0909; lower limit
    # 10.8333 - 5.5618 = 5.2715: the last point, 3, is below it: low.
    low = spc.xmr([10, 12, 11, 13, 12, 10, 11, 12, 13, 11, 12, 3], MONTHS)
    assert low.lower == pytest.approx(10.833333 - 2.66 * 23 / 11, abs=1e-5)
    icon = spc_icons.variation(low, "higher")
    assert (icon.kind, icon.letter) == ("concern", "L") and "low" in icon.words
    assert spc_icons.variation(low, "lower").kind == "improvement"
    # A flagged point earlier in the series does not make the latest one special.
    earlier = spc.xmr([10, 12, 11, 13, 12, 10, 11, 12, 13, 11, 20, 12], MONTHS)
    assert earlier.special and spc_icons.variation(earlier, "higher").kind == "common"
    assert spc_icons.variation(spc.xmr([1, 2], ["a", "b"]), None) is None  # too few: no icon


def test_weeks_when_the_dates_span_under_a_year_but_a_dozen_weeks() -> None:
    # Mondays from 6 January 2025, 12 of them: 3 months, 12 weeks.
    mondays = pd.date_range("2025-01-06", periods=12, freq="7D")
    answers = pd.DataFrame({"response_id": [f"r{i}" for i in range(120)],
                            "respondent_id": [f"p{i}" for i in range(120)],
                            "submitted": [d for d in mondays for _ in range(10)],
                            "rating": [float(i % 5 + 1) for i in range(120)]})  # fmt: skip
    periods = spc_series.time_periods(answers, 10)
    assert periods.word == "week" and len(periods.span) == 12
    assert spc_series.period_word(answers, 10) == "Week"
    chart = spc_series.rating_xmr(answers, 10)
    assert len(chart.values) == 12 and chart.mean == pytest.approx(3.0)


def test_too_short_a_span_says_why_a_round_to_round_test_is_used() -> None:
    chart = spc_series.rating_xmr(_answers(months=MONTHS[:6], ratings=[3] * 6), 10)
    assert chart.mean is None
    assert chart.too_few.startswith("These answers span 6 months; process limits need at least 12")
    assert "change between survey rounds is tested instead" in chart.too_few


def test_a_month_with_too_few_people_hides_the_series() -> None:
    answers = _answers(ratings=[3, 4] * 6)
    answers = answers[~answers["response_id"].isin([f"2025-05-{i}" for i in range(2)])]  # May: 8
    chart = spc_series.rating_xmr(answers, 10)
    assert chart.mean is None and chart.values == []
    assert "Some months have fewer than 10 people answering" in chart.too_few


def test_no_dates_or_no_ratings_say_so() -> None:
    assert "no ratings" in spc_series.rating_xmr(_answers(), 10).too_few
    undated = _answers(ratings=[3] * 12).assign(submitted=pd.NaT)
    assert "no dates" in spc_series.rating_xmr(undated, 10).too_few


def test_the_icons_are_drawn_with_their_words_not_colour_alone() -> None:
    from analysis.charts.spc import icon_svg, icons_html

    icon = spc_icons.Icon(
        "concern", "L", "Special cause variation, low: concern in the latest point"
    )
    svg = icon_svg(icon)
    assert (
        'role="img"' in svg
        and f'aria-label="{icon.words}"' in svg
        and f"<title>{icon.words}</title>" in svg
    )
    assert ">L</text>" in svg
    block = icons_html(icon, None, "No assurance icon: no target has been set for this measure.")
    assert f"<span>{icon.words}</span>" in block and "no target has been set" in block


def test_a_theme_name_with_markup_is_shown_as_text_on_the_chart() -> None:
    from analysis.charts.spc import spc_figure

    chart = spc.xmr([10, 12, 11, 13, 12, 10, 11, 12, 13, 11, 12, 11], MONTHS)
    fig = spc_figure(chart, "% of answers raising <a href='https://x.test'>Waits</a>", "%")
    assert "<a " not in fig.layout.title.text and "&lt;a href=" in fig.layout.title.text
    assert all("<a " not in (t.name or "") for t in fig.data)


def test_each_answer_gets_its_period_by_name_and_undated_answers_none() -> None:
    answers = _answers(per_month=2)
    answers.loc[[0, 5], "submitted"] = pd.NaT
    periods = spc_series.time_periods(answers)
    assert periods.word == "month" and periods.span == MONTHS
    expected = [None, "2025-01", "2025-02", "2025-02", "2025-03", None] + [
        m for m in MONTHS[3:] for _ in range(2)
    ]
    assert periods.of_answer.tolist() == [pd.NA if e is None else e for e in expected]
    assert periods.of_answer.index.equals(answers.index)
