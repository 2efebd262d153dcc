"""AppTest: inside an allowed selection, a theme few people raised shows no count and no answer.

40 people answer once each: 3 of them about a rushed discharge, the rest about waiting. The whole
selection may be shown, but the discharge theme's answers describe 3 people: a viewer sees the theme
listed without figures, and choosing it (on the Themes page, in the Codebook's corrections, or by a
link) shows why its answers are hidden, never the answers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.core.schema import conform_responses
from tests.pages.page_store import own_store

ROOT = Path(__file__).resolve().parents[2]
THEMES = str(ROOT / "app_pages" / "themes.py")
CODEBOOK = str(ROOT / "app_pages" / "codebook.py")
TIMEOUT = 180
DISCHARGE = "Discharge was rushed, the discharge plan was never explained and my GP was not told."
WAITING = "I waited fourteen weeks for an appointment and nobody rang back about my referral."


def _frame() -> pd.DataFrame:
    rows = [
        {
            "response_id": f"r{i}",
            "respondent_id": f"p{i}",
            "round": "2024 Q1",
            "respondent_type": "service user",
            "text": DISCHARGE if i < 3 else WAITING,
        }
        for i in range(40)
    ]
    return conform_responses(pd.DataFrame(rows))


@pytest.fixture(scope="module")
def dataset_id(tmp_path_factory: pytest.TempPathFactory):
    """A store holding the 40 answers, for the whole module."""
    from analysis import store

    with own_store(tmp_path_factory.mktemp("theme-privacy")):
        yield store.save_dataset("Few raise discharge", _frame())


def _open(path: str, dataset: int, **state: object) -> AppTest:
    at = AppTest.from_file(path, default_timeout=TIMEOUT)
    at.session_state["f_dataset"] = dataset
    at.session_state["role"] = "viewer"
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _summary(at: AppTest) -> pd.DataFrame:
    return next(
        df.value
        for df in at.dataframe
        if isinstance(df.value, pd.DataFrame) and {"Theme", "Answers"} <= set(df.value.columns)
    )


def _answer_tables(at: AppTest) -> list[pd.DataFrame]:
    return [
        df.value
        for df in at.dataframe
        if isinstance(df.value, pd.DataFrame) and "answer" in df.value.columns
    ]


def test_the_small_theme_is_listed_without_figures_and_its_answers_are_hidden(
    dataset_id: int,
) -> None:
    at = _open(THEMES, dataset_id, th_theme="discharge_planning")
    table = _summary(at).set_index("Theme")
    discharge = [t for t in table.index if "discharge" in t.lower()]
    assert discharge, list(table.index)
    row = table.loc[discharge[0]]
    assert bool(row["Hidden: too few people"]) and pd.isna(row["Answers"])
    assert pd.isna(row["% of answers"])
    shown = table[~table["Hidden: too few people"].astype(bool)]
    counts = shown["Answers"].dropna()
    assert ((counts == 0) | (counts >= 10)).all()  # no count shown is of 1 to 9 answers
    assert any("listed without figures (None in the table)" in c.value for c in at.caption)
    said = " ".join(m.value for m in at.info)
    assert "Fewer than 10 people in this selection raised this" in said
    assert not _answer_tables(at)
    assert "rushed" not in " ".join(t.value for t in at.text)


def test_the_codebook_corrections_never_list_the_small_theme_answers(dataset_id: int) -> None:
    at = _open(CODEBOOK, dataset_id, corr_filter="discharge_planning")
    said = " ".join(m.value for m in at.info)
    assert "Fewer than 10 people in this selection raised this" in said
    assert "rushed" not in " ".join(t.value for t in at.text)
