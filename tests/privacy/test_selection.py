"""The selection rule: small selections, their complements and split small values are withheld."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core.filters import Filters, apply_filters
from analysis.privacy import check_selection, check_subset, count_people, person_keys
from analysis.privacy.selection import COMPLEMENT, EMPTY, SHOWN, SMALL, SPLIT, SelectionCheck

# people per locality; each person answers two questions, in one of two rounds
LOCALITIES = {"Tinytown": 3, "Smallville": 12, "Bigtown": 30, "Midtown": 31}


def dataset(localities: dict[str, int] = LOCALITIES) -> pd.DataFrame:
    """76 people (Tinytown 3), 152 answers, with respondent ids."""
    rows = []
    for loc, n in localities.items():
        for p in range(n):
            for q in ("What was good?", "What could be better?"):
                rows.append(
                    {
                        "response_id": f"r{len(rows)}",
                        "respondent_id": f"{loc}-{p}",
                        "round": "2024 Q1" if p % 2 else "2024 Q2",
                        "respondent_type": "carer" if p % 3 == 0 else "service user",
                        "service": "Crisis team",
                        "locality": loc,
                        "question": q,
                        "text": "kind staff",
                    }
                )
    return pd.DataFrame(rows)


def test_the_issue_example_tinytown_alone_is_withheld() -> None:
    df = dataset()
    check = check_selection(df, Filters(localities=("Tinytown",)))
    assert check.withheld and check.reason == SMALL
    assert "fewer than 10 people" in check.message
    assert "3" not in check.message


def test_all_but_the_small_locality_is_withheld_without_saying_how_many() -> None:
    df = dataset()
    others = tuple(loc for loc in LOCALITIES if loc != "Tinytown")
    assert count_people(df) == 76
    assert count_people(apply_filters(df, Filters(localities=others))) == 73
    check = check_selection(df, Filters(localities=others))
    assert check.withheld and check.reason in (COMPLEMENT, SPLIT)
    assert not any(ch.isdigit() for ch in check.message)


def test_everyone_and_large_groups_are_shown() -> None:
    df = dataset()
    assert check_selection(df, Filters()).reason == SHOWN
    assert check_selection(df, Filters(localities=("Bigtown",))).allowed
    assert check_selection(df, Filters(localities=("Bigtown", "Midtown"))).allowed


def test_a_value_hidden_by_secondary_suppression_cannot_be_taken_alone() -> None:
    # Smallville alone (12 people) is large enough, but with Tinytown (3) hidden, Smallville is the
    # secondary cell: otherwise everyone minus each other locality would give Tinytown.
    df = dataset()
    check = check_selection(df, Filters(localities=("Smallville",)))
    assert check.withheld and check.reason == SPLIT and check.column == "locality"
    assert "localities" in check.message
    assert check_selection(df, Filters(localities=("Bigtown", "Smallville"))).withheld
    # Both small values together, or neither, is fine.
    assert check_selection(df, Filters(localities=("Smallville", "Tinytown"))).allowed
    assert check_selection(df, Filters(localities=("Bigtown",))).allowed


def test_summing_every_allowed_single_locality_cannot_recover_tinytown() -> None:
    df = dataset()
    total = count_people(df)
    shown = [
        count_people(apply_filters(df, Filters(localities=(loc,))))
        for loc in LOCALITIES
        if check_selection(df, Filters(localities=(loc,))).allowed
    ]
    assert total - sum(shown) >= 10  # what is left over is Tinytown and Smallville together


def test_a_combination_of_filters_that_is_small_is_withheld() -> None:
    df = dataset()
    # Carers in Smallville with Smallville+Tinytown: 4 + 1 people.
    check = check_selection(
        df, Filters(localities=("Smallville", "Tinytown"), respondent_types=("carer",))
    )
    assert check.withheld and check.reason == SMALL


def test_complement_within_the_other_filters_is_withheld() -> None:
    # Bigtown has 30 people; 10 are carers (p % 3 == 0), 20 service users. Service users in
    # Bigtown and Midtown leave out carers there; fine. But a dataset where one type has 4 people:
    df = dataset({"Bigtown": 30, "Midtown": 31})
    df.loc[df["respondent_id"].isin([f"Bigtown-{i}" for i in (0, 3, 6, 9)]), "respondent_type"] = (
        "staff"
    )
    df.loc[df["respondent_type"] == "staff", "locality"] = "Bigtown"
    # "Bigtown, carers and service users" is everyone in Bigtown but its 4 staff.
    check = check_selection(
        df, Filters(localities=("Bigtown",), respondent_types=("carer", "service user"))
    )
    assert check.withheld and check.reason == COMPLEMENT


def test_rounds_are_checked_like_any_filter() -> None:
    df = dataset()
    df.loc[df["respondent_id"].isin(["Bigtown-0", "Bigtown-1"]), "round"] = "2025 Q1"
    check = check_selection(df, Filters(round_from="2025 Q1"))
    assert check.withheld and check.reason == SMALL
    # Everything up to 2024 Q2 leaves out those 2 people: withheld too.
    assert check_selection(df, Filters(round_to="2024 Q2")).withheld


def test_missing_values_count_as_a_group_that_cannot_be_differenced() -> None:
    df = dataset({"Bigtown": 30, "Midtown": 31})
    df.loc[df["respondent_id"].isin(["Bigtown-0", "Bigtown-1"]), "locality"] = None
    # Both localities listed = everyone but the 2 people with no locality.
    assert check_selection(df, Filters(localities=("Bigtown", "Midtown"))).withheld


def test_an_empty_selection_is_not_a_disclosure() -> None:
    df = dataset()
    check = check_selection(df, Filters(localities=("Nowhere",)))
    assert check.allowed and check.reason == EMPTY


def test_people_without_a_respondent_id_count_one_per_answer() -> None:
    df = dataset().drop(columns=["respondent_id"])
    # Now Tinytown is 6 "people" (answers): still under 10.
    assert check_selection(df, Filters(localities=("Tinytown",))).withheld
    keys = person_keys(df)
    assert keys.str.startswith("a:").all() and keys.is_unique


def test_the_threshold_is_configurable_but_never_below_five() -> None:
    df = dataset()
    assert check_selection(df, Filters(localities=("Smallville", "Tinytown")), 20).withheld
    # 3 is raised to the minimum 5: Tinytown (3) stays withheld.
    check = check_selection(df, Filters(localities=("Tinytown",)), 3)
    assert check.withheld and check.threshold == 5


def test_check_subset_withholds_small_matches_and_small_remainders() -> None:
    df = dataset()
    few = df["locality"].eq("Tinytown").to_numpy()
    assert check_subset(df, few).reason == SMALL
    assert check_subset(df, ~few).reason == COMPLEMENT
    assert check_subset(df, df["locality"].eq("Bigtown").to_numpy()).allowed
    assert check_subset(df, np.zeros(len(df), dtype=bool)).reason == EMPTY
    with pytest.raises(ValueError):
        check_subset(df, np.ones(3, dtype=bool))


def test_a_person_left_out_only_partly_still_protects_what_they_said() -> None:
    # One answer each from 3 people is left out, though those people are also in the selection:
    # subtracting would give those 3 people's answers.
    df = dataset()
    question = df["question"].eq("What was good?").to_numpy()
    mask = np.ones(len(df), dtype=bool)
    mask[np.flatnonzero(question)[:3]] = False
    assert check_subset(df, mask).reason == COMPLEMENT


def test_messages_are_words_without_figures_except_the_threshold() -> None:
    for reason in (SMALL, COMPLEMENT, SPLIT):
        message = SelectionCheck(False, reason, 10, column="locality").message
        assert "nothing is shown" in message
        digits = "".join(ch for ch in message if ch.isdigit())
        assert digits in ("", "10")
    assert SelectionCheck(True, SHOWN, 10).message == ""
