"""Search on redacted text (analysis.findings.answer_search), with the small-group rule on matches."""

from __future__ import annotations

import pandas as pd

from analysis.core.filters import Filters, apply_filters
from analysis.findings.answer_search import search_answers, searchable_texts
from tests.privacy_fixtures import NHS_NUMBER, PHONE, SURNAME, attack_frame


def test_personal_data_is_not_searchable_in_the_redacted_text() -> None:
    df = attack_frame()
    for query in (f'"{NHS_NUMBER}"', "07700", f'"{PHONE}"', SURNAME, SURNAME.lower()):
        result = search_answers(df, query, dataset=df)
        assert result.total == 0 and result.check.allowed, query
    # The placeholders are what the redacted text holds instead.
    assert search_answers(df, '"nhs number"', dataset=df).total == 0  # 7 people: withheld
    assert search_answers(df, '"nhs number"', dataset=df).check.reason == "small"
    assert search_answers(df, '"mrs name"', dataset=df).total == 24


def test_unredacted_search_finds_the_original_text() -> None:
    df = attack_frame()
    result = search_answers(df, SURNAME, dataset=df, unredacted=True)
    assert result.total == 24 and result.unredacted
    assert all(w == SURNAME.lower() for w in result.why)


def test_matches_from_few_people_are_neither_listed_nor_counted() -> None:
    df = attack_frame()
    result = search_answers(df, f'"{NHS_NUMBER}"', dataset=df, unredacted=True)
    assert result.check.withheld and result.check.reason == "small"
    assert result.response_ids == [] and result.total == 0 and result.why == []
    rest = search_answers(df, f'NOT "{NHS_NUMBER}"', dataset=df, unredacted=True)
    assert rest.check.withheld and rest.check.reason == "complement" and rest.total == 0


def test_a_filtered_selection_uses_the_dataset_texts_worked_out_once() -> None:
    df = attack_frame()
    chosen = apply_filters(df, Filters(localities=("Bigtown", "Midtown")))
    texts = searchable_texts(df)
    assert searchable_texts(df) is texts  # memoised on the frame
    result = search_answers(chosen, "kind", dataset=df)
    expected = chosen.loc[chosen["text"].str.contains("kind"), "response_id"].tolist()
    assert result.response_ids == expected
    # Without the dataset (or with rows not from it) the chosen answers' own texts are used.
    assert search_answers(chosen.reset_index(drop=True), "kind").response_ids == expected


def test_missing_text_never_matches() -> None:
    df = attack_frame()
    df.loc[df.index[:20], "text"] = pd.NA
    result = search_answers(df, "kind OR staff OR waited OR care*", dataset=df)
    assert result.total and not set(result.response_ids) & set(df["response_id"][:20])


def test_search_takes_redactions_worked_out_before_and_redacts_the_rest() -> None:
    df = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(40)],
            "respondent_id": [f"p{i}" for i in range(40)],
            "text": ["The ward was calm and the staff were kind."] * 20
            + ["Ring me on 07700 900123 about the waiting list."] * 20,
        }
    )
    # What the worker kept for the first text (a stand-in word shows it is used, not redone);
    # the second text is not in it, so the rules redact it here.
    known = pd.DataFrame(
        {"text": ["The ward was calm and the staff were kind."], "redacted": ["stand-in words"]}
    )
    texts = searchable_texts(df.copy(), known=known)
    assert "stand in words" in texts.distinct.tolist()[0].replace("-", " ")
    assert "07700" not in texts.distinct.tolist()[1] and "phone" in texts.distinct.tolist()[1]
    assert search_answers(df, "07700", dataset=df.copy(), known=known).total == 0
    without = searchable_texts(df.copy())
    assert "calm" in without.distinct.tolist()[0]
