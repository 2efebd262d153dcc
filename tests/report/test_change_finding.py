"""The headline's change sentence: never leads with noise; warns when the rounds differ in size."""

from __future__ import annotations

import pandas as pd

from analysis.findings.theme_summary import round_size_note
from analysis.report.sections import change_finding


def _summary(rows: list[tuple[str, float, bool]], n_latest: int, n_previous: int) -> pd.DataFrame:
    """A theme summary with (theme, change in points, beyond chance) rows between two rounds."""
    return pd.DataFrame(
        {
            "theme": [r[0] for r in rows],
            "special": False,
            "latest_round": "2024 Q2",
            "previous_round": "2024 Q1",
            "change_pp": [r[1] for r in rows],
            "previous_share_pct": 10.0,
            "latest_share_pct": [10.0 + r[1] for r in rows],
            "change_significant": [r[2] for r in rows],
            "latest_n": n_latest,
            "previous_n": n_previous,
        }
    )


def test_a_change_within_noise_is_never_the_lead() -> None:
    sentence = change_finding(_summary([("Waiting", 6.0, False), ("Staff", -1.0, False)], 500, 520))
    assert sentence.startswith("No theme's share changed beyond chance between 2024 Q1 and 2024 Q2")
    assert "Waiting +6.0 points, is within noise" in sentence


def test_the_lead_is_the_largest_change_beyond_chance_with_its_n() -> None:
    summary = _summary([("Waiting", 9.0, False), ("Staff", -4.0, True)], 500, 520)
    sentence = change_finding(summary)
    assert sentence.startswith("Staff fell from 10% of answers in 2024 Q1 to 6% in 2024 Q2")
    assert "n = 520 and 500 answers" in sentence


def test_rounds_of_very_different_sizes_are_named() -> None:
    summary = _summary([("Staff", -4.0, True)], 40, 1180)
    note = round_size_note(summary)
    assert note is not None and "n = 40 answers in 2024 Q2 against 1,180 in 2024 Q1" in note
    assert note in change_finding(summary)


def test_rounds_of_similar_size_get_no_warning() -> None:
    assert round_size_note(_summary([("Staff", -4.0, True)], 400, 1180)) is None


def test_no_change_when_every_theme_is_hidden_in_a_round_says_why() -> None:
    summary = _summary([("Staff", float("nan"), False)], 400, 380)
    sentence = change_finding(summary)
    assert sentence.startswith("No theme was raised by enough people in both 2024 Q1 and 2024 Q2")
    assert "too few respondents" not in sentence


def test_headline_when_every_theme_is_hidden_never_says_none_was_raised() -> None:
    from analysis.report.themes_section import theme_findings

    summary = _summary([("Staff", float("nan"), False)], 400, 380).assign(
        answers=float("nan"), share_pct=float("nan"), negative_pct=float("nan"), hidden=True
    )
    lines = theme_findings(summary, 10)
    assert lines == [
        "Every theme raised in these answers was raised by fewer than 10 people (or by all but "
        "fewer than that), so none is reported, to protect their privacy."
    ]
