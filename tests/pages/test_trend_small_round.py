"""AppTest: the Themes page's trend says when a round is far smaller than the rounds beside it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.core.schema import conform_responses
from tests.pages.page_store import own_store

THEMES = str(Path(__file__).resolve().parents[2] / "app_pages" / "themes.py")
WAITING = "I waited fourteen weeks for an appointment and nobody rang back about my referral."


def _frame(sizes: dict[str, int]) -> pd.DataFrame:
    rounds = [r for r, n in sizes.items() for _ in range(n)]
    return conform_responses(
        pd.DataFrame(
            {
                "response_id": [f"r{i}" for i in range(len(rounds))],
                "respondent_id": [f"p{i}" for i in range(len(rounds))],
                "round": rounds,
                "respondent_type": "service user",
                "text": WAITING,
            }
        )
    )


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory):
    """Two datasets: one with a far smaller middle round, one with rounds of like size."""
    from analysis import store

    with own_store(tmp_path_factory.mktemp("trend-small-round")):
        yield (
            store.save_dataset(
                "Small middle", _frame({"2024 Q1": 60, "2024 Q2": 12, "2024 Q3": 60})
            ),
            store.save_dataset("Even", _frame({"2024 Q1": 60, "2024 Q2": 50, "2024 Q3": 60})),
        )


def _trend_warnings(dataset: int) -> list[str]:
    at = AppTest.from_file(THEMES, default_timeout=180)
    at.session_state["f_dataset"] = dataset
    at.session_state["th_tab"] = "Trend"
    at.run()
    assert not at.exception, at.exception
    assert any("Themes to show" in m.label for m in at.multiselect)  # the trend tab is open
    return [w.value.replace("\\", "") for w in at.warning]


def test_a_far_smaller_round_is_named_under_the_trend(datasets: tuple[int, int]) -> None:
    small, even = datasets
    said = _trend_warnings(small)
    assert any(
        w.startswith("2024 Q2 holds far fewer answers than the rounds beside it") for w in said
    )
    assert not any("far fewer answers" in w for w in _trend_warnings(even))
