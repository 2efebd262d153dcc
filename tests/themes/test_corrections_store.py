"""Corrections (latest wins, history kept) and agreement history per re-classification."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import store
from analysis.themes.corrections_store import (
    CorrectionError,
    agreement_figures,
    corrections_for_classifier,
    list_agreement,
    list_corrections,
    record_agreement,
    save_corrections,
)


@pytest.fixture
def engine(fresh_store: str):
    return store.get_engine(fresh_store)


def test_save_and_latest_wins(engine) -> None:
    assert corrections_for_classifier(1, engine) is None
    n = save_corrections(
        1,
        [
            {"response_id": "r1", "theme_id": "access", "present": True},
            {"response_id": "r1", "theme_id": "staff", "present": False},
        ],
        who="Asha",
        engine=engine,
    )
    assert n == 2
    save_corrections(
        1,
        pd.DataFrame([{"response_id": "r1", "theme_id": "access", "present": False}]),
        who="Ben",
        engine=engine,
    )
    latest = list_corrections(1, engine=engine).set_index("theme_id")
    assert bool(latest.loc["access", "present"]) is False and latest.loc["access", "who"] == "Ben"
    assert len(list_corrections(1, latest_only=False, engine=engine)) == 3
    for_model = corrections_for_classifier(1, engine)
    assert list(for_model.columns) == ["response_id", "theme_id", "present"]
    assert list_corrections(2, engine=engine).empty  # kept per dataset


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"response_id": "", "theme_id": "a", "present": True}, "no answer id"),
        ({"response_id": "r", "theme_id": None, "present": True}, "no theme"),
        ({"response_id": "r", "theme_id": "a", "present": None}, "present"),
    ],
)
def test_bad_corrections_refused_and_nothing_saved(engine, row: dict, message: str) -> None:
    good = {"response_id": "r0", "theme_id": "a", "present": True}
    with pytest.raises(CorrectionError, match=message):
        save_corrections(1, [good, row], who="A", engine=engine)
    assert list_corrections(1, engine=engine).empty


def test_agreement_history(engine) -> None:
    assert not record_agreement(1, None, n_corrections=0, who="A", engine=engine)
    record_agreement(
        1,
        {"before": 0.5, "after": 0.8, "n": 4},
        n_corrections=4,
        who="A",
        codebook_version=2,
        engine=engine,
    )
    record_agreement(
        1,
        {"before": {"agreement": 0.8}, "after": {"agreement": 0.9}},
        n_corrections=6,
        who="B",
        engine=engine,
    )
    hist = list_agreement(1, engine)
    assert list(hist["after"]) == [0.8, 0.9]
    assert hist.iloc[0]["change"] == pytest.approx(0.3)
    assert list_agreement(5, engine).empty


def test_agreement_figures_tolerates_shapes() -> None:
    assert agreement_figures({"before": "0.25", "after": float("nan")}) == (0.25, None)
    assert agreement_figures({}) == (None, None)


def test_saved_corrections_read_in_words_with_sentiment_said_as_such() -> None:
    saved = pd.DataFrame(
        {
            "response_id": ["r1", "r1", "r2"],
            "theme_id": ["access", "staff_behaviour", "sentiment:negative"],
            "present": [True, False, True],
            "who": ["Ana", "Ana", "Ben"],
            "at": ["2026-12-01 10:00", "2026-12-01 10:00", "2026-12-02 09:00"],
        }
    )
    from analysis.themes.corrections_store import corrections_for_people

    shown = corrections_for_people(saved, {"access": "Access to support"})
    assert list(shown.columns) == ["Answer id", "Corrected", "Verdict", "By", "When"]
    assert list(shown["Corrected"]) == [
        "Access to support",
        "staff_behaviour",
        "Sentiment: negative",
    ]
    assert list(shown["Verdict"]) == ["raises it", "does not raise it", "the answer reads so"]
