"""Participation: people counts, suppression, the representation ratio, missing voices."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core import config
from analysis.core.schema import ValidationError, conform_responses
from analysis.voices import group_voices as G
from analysis.voices import participation as P
from tests.property_budget import examples


def _responses(rows: list[dict]) -> pd.DataFrame:
    out = []
    for i, r in enumerate(rows):
        out.append({"response_id": f"a{i}", "text": r.get("text", "fine"), **r})
    return conform_responses(pd.DataFrame(out))


def _people(spec: dict[str, int], column: str = "gender", **extra: object) -> pd.DataFrame:
    """One answer per person, `n` people per value of `column` (None = missing)."""
    rows = []
    for value, n in spec.items():
        rows += [{column: value, **extra} for _ in range(n)]
    return _responses(rows)


BENCH = P.validate_benchmark(
    pd.DataFrame(
        {
            "locality": ["A", "A", "B", "B", "A", "A", "B", "B"],
            "dimension": ["gender"] * 4 + ["age_band"] * 4,
            "group": ["Woman", "Man", "Woman", "Man", "18-24", "25-34", "18-24", "25-34"],
            "population": ["300", "300", "200", "200", "400", "200", "300", "100"],
        }
    )
)


# --- the ratio and its interval ---------------------------------------------------------------


def test_wilson_interval_matches_literal_values() -> None:
    lo, hi = P.wilson_interval(20, 100)
    # Wilson 95% for 20/100: 0.1333 to 0.2888 (textbook value).
    assert lo == pytest.approx(0.1333, abs=1e-4)
    assert hi == pytest.approx(0.2888, abs=1e-4)


def test_wilson_interval_at_zero_is_not_degenerate() -> None:
    lo, hi = P.wilson_interval(0, 50)
    assert lo == 0.0
    assert hi == pytest.approx(0.0713, abs=1e-4)


def test_representation_ratio_scales_the_interval_by_the_population_share() -> None:
    ratio, lo, hi = P.representation_ratio(20, 100, 0.4)
    assert ratio == pytest.approx(0.5)
    assert lo == pytest.approx(0.1333 / 0.4, abs=1e-3)
    assert hi == pytest.approx(0.2888 / 0.4, abs=1e-3)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(0.3, 0.9, P.UNDER), (0.8, 1.2, P.IN_LINE), (1.1, 1.5, P.OVER), (0.5, 1.0, P.IN_LINE)],
)
def test_finding_is_said_only_when_the_interval_excludes_one(
    low: float, high: float, expected: str
) -> None:
    assert P.finding_for(low, high) == expected


def test_wilson_rejects_impossible_inputs() -> None:
    with pytest.raises(ValueError):
        P.wilson_interval(5, 0)
    with pytest.raises(ValueError):
        P.wilson_interval(11, 10)
    with pytest.raises(ValueError):
        P.representation_ratio(1, 10, 0.0)


def test_representation_table_on_literal_numbers() -> None:
    # 20 women, 80 men against a population that is half and half (both localities).
    df = _people({"Woman": 20, "Man": 80})
    result = P.representation(df, BENCH, "gender")
    t = result.table.set_index("group")
    assert t.loc["Woman", "respondents"] == 20
    assert t.loc["Woman", "respondent_pct"] == 20.0
    assert t.loc["Woman", "population_pct"] == 50.0
    assert t.loc["Woman", "ratio"] == 0.4
    assert t.loc["Woman", "ratio_low"] == pytest.approx(0.1333 / 0.5, abs=0.01)
    assert t.loc["Woman", "finding"] == P.UNDER
    assert t.loc["Man", "finding"] == P.OVER
    assert t.loc[P.TOTAL_LABEL, "respondents"] == 100


def test_representation_uses_only_the_chosen_localities() -> None:
    df = _people({"18-24": 40, "25-34": 40}, column="age_band")
    both = P.representation(df, BENCH, "age_band").table.set_index("group")
    only_b = P.representation(df, BENCH, "age_band", localities=["B"]).table.set_index("group")
    assert both.loc["18-24", "population_pct"] == 70.0  # (400+300)/1000
    assert only_b.loc["18-24", "population_pct"] == 75.0  # 300/400


def test_small_group_gets_no_ratio_and_is_never_called_under_represented() -> None:
    df = _people({"Woman": 3, "Man": 97, config.PREFER_NOT_TO_SAY: 12, None: 15})
    t = P.representation(df, BENCH, "gender").table.set_index("group")
    assert math.isnan(t.loc["Woman", "respondents"])
    assert math.isnan(t.loc["Woman", "ratio"])
    assert t.loc["Woman", "finding"] == P.TOO_FEW
    # The one hidden benchmark cell would follow from the recorded total (the ratio's base), so
    # a second benchmark cell is hidden too.
    assert math.isnan(t.loc["Man", "respondents"])
    assert t.loc[config.PREFER_NOT_TO_SAY, "finding"] == P.NOT_IN_BENCHMARK


def test_benchmark_validation_errors_are_plain() -> None:
    with pytest.raises(ValidationError, match="missing: population"):
        P.validate_benchmark(
            pd.DataFrame({"locality": ["A"], "dimension": ["gender"], "group": ["Woman"]})
        )
    bad = pd.DataFrame(
        {"locality": ["A"], "dimension": ["gender"], "group": ["Woman"], "population": ["-4"]}
    )
    with pytest.raises(ValidationError, match="Row 2"):
        P.validate_benchmark(bad)
    dup = pd.concat([bad.assign(population="4")] * 2)
    with pytest.raises(ValidationError, match="twice"):
        P.validate_benchmark(dup)


def test_demo_benchmark_loads_and_covers_every_borough_and_dimension() -> None:
    b = P.load_benchmark()
    assert set(b["locality"]) == set(config.GM_BOROUGHS)
    assert set(b["dimension"]) == set(config.DEMOGRAPHIC_COLUMNS)
    assert b["source"].str.contains("Illustrative").all()
    sums = b.groupby(["locality", "dimension"])["population"].sum().unstack()
    assert (sums.nunique(axis=1) == 1).all()  # every dimension adds up to the same borough total


# --- who took part, suppression, withheld results -----------------------------------------------


def test_prefer_not_to_say_and_missing_are_distinct_categories() -> None:
    df = _people({"Woman": 30, "Man": 25, config.PREFER_NOT_TO_SAY: 12, None: 11})
    t = P.who_took_part(df, "gender").table.set_index("group")
    assert t.loc[config.PREFER_NOT_TO_SAY, "respondents"] == 12
    assert t.loc[config.NOT_RECORDED, "respondents"] == 11
    assert t.loc[P.TOTAL_LABEL, "respondents"] == 78


def test_prefer_not_to_say_is_listed_even_when_nobody_chose_it() -> None:
    t = P.who_took_part(_people({"Woman": 30, "Man": 25}), "gender").table
    assert config.PREFER_NOT_TO_SAY in set(t["group"])
    assert config.NOT_RECORDED in set(t["group"])


def test_people_not_answers_are_counted() -> None:
    rows = [{"respondent_id": "p1", "gender": "Woman"}] * 5 + [
        {"respondent_id": f"q{i}", "gender": "Man"} for i in range(12)
    ]
    t = P.who_took_part(_responses(rows), "gender").table.set_index("group")
    assert math.isnan(t.loc["Woman", "respondents"])  # one person, suppressed
    assert t.loc[P.TOTAL_LABEL, "respondents"] == 13


def test_small_cell_is_suppressed_with_a_second_cell_and_percent_after_suppression() -> None:
    df = _people({"Woman": 40, "Man": 50, "Non-binary": 3}, column="gender")
    result = P.who_took_part(df, "gender")
    t = result.table.set_index("group")
    assert math.isnan(t.loc["Non-binary", "respondents"]) and math.isnan(
        t.loc["Non-binary", "percent"]
    )
    hidden = int(t.loc[t.index != P.TOTAL_LABEL, "respondents"].isna().sum())
    assert hidden >= 2  # a single hidden cell would follow from the total
    shown = result.display().set_index("group")
    assert shown.loc["Non-binary", "respondents"] == config.SUPPRESSED_MARK


def test_threshold_is_configurable_but_never_below_five() -> None:
    df = _people({"Woman": 40, "Man": 50, "Non-binary": 6})
    t10 = P.who_took_part(df, "gender", threshold=10).table.set_index("group")
    t5 = P.who_took_part(df, "gender", threshold=5).table.set_index("group")
    t2 = P.who_took_part(df, "gender", threshold=2)
    assert math.isnan(t10.loc["Non-binary", "respondents"])
    assert t5.loc["Non-binary", "respondents"] == 6
    assert t2.threshold == 5


def test_fewer_people_than_the_threshold_gives_a_notice_and_no_numbers() -> None:
    df = _people({"Woman": 2, "Man": 2}, locality="Bolton")
    for result in (
        P.who_took_part(df, "gender"),
        P.representation(df, BENCH, "gender"),
        P.over_rounds(df, "gender"),
        P.intersections(df, "gender", "locality"),
    ):
        assert result.withheld
        assert result.table is None and result.n_people is None
        assert "Fewer than 10 people" in result.notice
        assert not any(ch.isdigit() for ch in result.notice.replace("10", ""))
        assert result.display().empty


def test_over_rounds_hides_a_small_round_and_its_total() -> None:
    rows = [{"round": "2024 Q1", "respondent_type": "carer"} for _ in range(30)]
    rows += [{"round": "2024 Q2", "respondent_type": "carer"} for _ in range(4)]
    rows += [{"round": "2024 Q2", "respondent_type": "staff"} for _ in range(20)]
    rows += [{"round": "2023 Q4", "respondent_type": "staff"} for _ in range(5)]
    t = P.over_rounds(_responses(rows), "respondent_type").table.set_index("round")
    assert list(t.index) == ["2023 Q4", "2024 Q1", "2024 Q2"]  # time order
    assert math.isnan(t.loc["2024 Q2", "carer"])
    assert math.isnan(
        t.loc["2023 Q4", P.TOTAL_LABEL]
    )  # a round of 5 people: its total is hidden too
    # The carer column adds up to a published total, so a second carer cell is hidden as well.
    assert int(t["carer"].isna().sum()) >= 2


def test_intersections_blank_small_cells() -> None:
    rows = [{"gender": "Woman", "age_band": "18-24"} for _ in range(20)]
    rows += [{"gender": "Man", "age_band": "18-24"} for _ in range(3)]
    rows += [{"gender": "Man", "age_band": "25-34"} for _ in range(25)]
    rows += [{"gender": "Woman", "age_band": "25-34"} for _ in range(15)]
    result = P.intersections(_responses(rows), "age_band", "gender")
    t = result.table.set_index("age_band")
    assert math.isnan(t.loc["18-24", "Man"])
    assert int(t[["Woman", "Man"]].isna().sum().sum()) >= 2


# --- missing voices ---------------------------------------------------------------------------------


def test_missing_voices_names_supported_groups_only() -> None:
    df = _people({"Woman": 20, "Man": 80})
    sentence = P.missing_voices({"gender": P.representation(df, BENCH, "gender")})
    assert sentence.startswith(
        "Furthest below their population share: Woman (gender: 20.0% of respondents"
    )
    assert "ratio 0.40" in sentence
    assert "Man" not in sentence.replace("Woman", "")


def test_missing_voices_says_so_when_nothing_is_clearly_under_represented() -> None:
    df = _people({"Woman": 48, "Man": 52})
    sentence = P.missing_voices({"gender": P.representation(df, BENCH, "gender")})
    assert sentence.startswith("No group is clearly under-represented")


def test_missing_voices_name_what_was_assessed_when_a_dimension_is_not_recorded() -> None:
    df = _people({"Woman": 48, "Man": 52})
    tables = {
        "gender": P.representation(df, BENCH, "gender"),
        "ethnicity": P.representation(df, BENCH, "ethnicity"),  # not in this file
    }
    sentence = P.missing_voices(tables)
    assert sentence.startswith(
        "This file has no ethnicity data: representation cannot be assessed."
    )
    assert "By gender, no group is clearly under-represented" in sentence
    assert "No group is clearly under-represented" not in sentence
    assert "too few people" not in sentence  # 100 people, every group large enough to tell


def test_missing_voices_never_names_a_suppressed_group() -> None:
    df = _people({"Woman": 3, "Man": 97, config.PREFER_NOT_TO_SAY: 12, None: 15})
    sentence = P.missing_voices({"gender": P.representation(df, BENCH, "gender")})
    assert "Woman" not in sentence
    assert sentence.endswith("or there were too few people to tell.")  # the hidden group


def test_missing_voices_with_too_few_people_holds_no_numbers() -> None:
    df = _people({"Woman": 2, "Man": 2})
    sentence = P.missing_voices({"gender": P.representation(df, BENCH, "gender")})
    assert "Fewer than" in sentence
    assert not any(ch.isdigit() for ch in sentence.replace("10", ""))


def test_missing_voices_names_localities_separately() -> None:
    df = _people({"A": 90, "B": 10}, column="locality")
    tables = {"locality": P.representation(df, BENCH, "locality")}
    assert "Localities furthest below their population share: B" in P.missing_voices(tables)
    assert P.under_represented_groups(tables) == [("locality", "B")]


# --- what groups raise ----------------------------------------------------------------------------


def test_group_themes_and_redacted_answers() -> None:
    rows = [{"ethnicity": "X", "text": "Call 07700 900123 about access"} for _ in range(20)]
    rows += [{"ethnicity": "Y", "text": "fine"} for _ in range(60)]
    df = _responses(rows)
    assignments = pd.DataFrame(
        {
            "response_id": df["response_id"],
            "theme_id": ["access"] * 20 + ["access"] * 10 + ["communication"] * 50,
            "score": 1.0,
            "sentiment": 0.0,
            "evidence": "",
        }
    )
    answers = pd.DataFrame({"response_id": df["response_id"], "themes": assignments["theme_id"]})
    themes = G.group_themes(df, assignments, "ethnicity", "X")
    row = themes.table.set_index("theme").loc["Access"]
    assert row["share_pct"] == 100.0
    assert row["finding"] == "more than everyone else"
    said = G.group_answers(df, answers, "ethnicity", "X", labels={"access": "Access to support"})
    assert "07700" not in " ".join(said.table["answer"])
    assert "[PHONE]" in said.table["answer"].iloc[0]
    assert said.table["themes"].iloc[0] == "Access to support"


def test_group_themes_hide_a_theme_few_of_the_group_raised_but_show_the_rest() -> None:
    # 20 people of group X all raise access; 4 of them also raise communication (a hidden cell).
    df = _responses(
        [{"ethnicity": "X"} for _ in range(20)] + [{"ethnicity": "Y"} for _ in range(60)]
    )
    ids = list(df["response_id"])
    pairs = [(r, "access") for r in ids[:20]] + [(r, "communication") for r in ids[:4]]
    pairs += [(r, "access") for r in ids[20:40]] + [(r, "communication") for r in ids[40:]]
    assignments = pd.DataFrame(
        {"response_id": [p[0] for p in pairs], "theme_id": [p[1] for p in pairs], "score": 1.0,
         "sentiment": 0.0, "evidence": ""}
    )  # fmt: skip
    themes = G.group_themes(df, assignments, "ethnicity", "X")
    assert not themes.withheld
    table = themes.table.set_index("theme")
    assert table.loc["Access", "share_pct"] == 100.0
    hidden = table.loc["Communication"]
    assert hidden["finding"] == "hidden: too few people"
    assert all(pd.isna(hidden[c]) for c in ("raising", "share_pct", "rest_share_pct", "diff_pp"))


def test_group_answers_withheld_for_a_small_group() -> None:
    df = _responses(
        [{"ethnicity": "X"} for _ in range(4)] + [{"ethnicity": "Y"} for _ in range(40)]
    )
    said = G.group_answers(df, None, "ethnicity", "X")
    assert said.withheld and said.table is None


def test_people_uses_the_most_frequent_value() -> None:
    rows = [
        {"respondent_id": "p1", "locality": "Bury"},
        {"respondent_id": "p1", "locality": "Wigan"},
        {"respondent_id": "p1", "locality": "Wigan"},
        {"respondent_id": None, "locality": None},
    ]
    p = P.people(_responses(rows))
    assert len(p) == 2
    assert p.loc[p["person"] == "p:p1", "locality"].iloc[0] == "Wigan"
    assert np.all(pd.isna(p.loc[p["person"] != "p:p1", "locality"]))


def test_who_took_part_and_representation_hide_the_same_cells() -> None:
    # Prefer not to say (3) and Non-binary (4) are small: one on each side of the recorded total.
    df = _people({"Woman": 50, "Man": 45, "Non-binary": 4, config.PREFER_NOT_TO_SAY: 3, None: 20})
    bench = P.validate_benchmark(
        pd.DataFrame(
            {
                "locality": "A",
                "dimension": "gender",
                "group": ["Woman", "Man", "Non-binary"],
                "population": [500, 490, 10],
            }
        )  # fmt: skip
    )
    who = P.who_took_part(
        df, "gender", known_groups=["Woman", "Man", "Non-binary"]
    ).table.set_index("group")
    rep = P.representation(df, bench, "gender").table.set_index("group")
    groups = ["Woman", "Man", "Non-binary", config.PREFER_NOT_TO_SAY, config.NOT_RECORDED]
    assert list(who.loc[groups, "respondents"].isna()) == list(
        rep.loc[groups, "respondents"].isna()
    )
    # Each side of the recorded total (benchmark groups / the rest) hides two or none.
    hidden = who.loc[groups, "respondents"].isna()
    assert hidden[["Woman", "Man", "Non-binary"]].sum() in (0, 2, 3)
    assert hidden[[config.PREFER_NOT_TO_SAY, config.NOT_RECORDED]].sum() in (0, 2)


def _people_by_grouping(responses: pd.DataFrame, column: str) -> dict[str, object]:
    """A plain reference: each person's most frequent recorded value, ties to the first seen."""
    from analysis.findings.theme_tables import respondent_keys

    seen: dict[str, dict[str, list[int]]] = {}
    for i, (key, value) in enumerate(
        zip(respondent_keys(responses), responses[column], strict=True)
    ):
        counts = seen.setdefault(str(key), {})
        if value is pd.NA or value is None or not str(value).strip():
            continue
        entry = counts.setdefault(str(value).strip(), [0, i])
        entry[0] += 1
    return {
        key: (max(counts.items(), key=lambda kv: (kv[1][0], -kv[1][1]))[0] if counts else None)
        for key, counts in seen.items()
    }


@settings(max_examples=examples(200), deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["p1", "p2", "p3", None]),
            st.sampled_from(["A", " A", "B", "", None, "C "]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_people_takes_each_persons_most_frequent_value_first_seen_on_ties(rows: list) -> None:
    responses = conform_responses(
        pd.DataFrame(
            {
                "response_id": [f"r{i}" for i in range(len(rows))],
                "respondent_id": [p for p, _v in rows],
                "text": ["x"] * len(rows),
                "gender": [v for _p, v in rows],
            }
        )
    )
    got = P.people(responses).set_index("person")["gender"]
    expected = _people_by_grouping(responses, "gender")
    assert list(got.index) == list(expected)  # one row per person, in first-seen order
    for key, value in expected.items():
        assert (pd.isna(got[key]) and value is None) or got[key] == value, (key, got[key], value)
