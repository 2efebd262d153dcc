"""Voices on files that cannot answer "who is missing": no demographics, or another area."""

from __future__ import annotations

import pandas as pd

from analysis.charts import voices as charts
from analysis.core.schema import conform_responses
from analysis.voices import benchmark_match as M
from analysis.voices import participation as P

BENCH = P.validate_benchmark(
    pd.DataFrame(
        {
            "locality": ["Bolton", "Bolton", "Bury", "Bury"],
            "dimension": ["ethnicity"] * 4,
            "group": ["White", "Asian", "White", "Asian"],
            "population": ["800", "200", "700", "300"],
        }
    )
)


def _answers(n: int, **columns: object) -> pd.DataFrame:
    rows = [{"response_id": f"a{i}", "text": "fine", **columns} for i in range(n)]
    return conform_responses(pd.DataFrame(rows))


def test_no_ethnicity_column_says_it_cannot_be_assessed() -> None:
    answers = _answers(60)  # no demographic columns at all
    table = P.representation(answers, BENCH, "ethnicity", threshold=10)
    assert table.withheld and table.no_data
    assert table.notice == "This file has no ethnicity data: representation cannot be assessed."
    sentence = P.missing_voices({"ethnicity": table})
    assert "cannot be assessed" in sentence
    assert "under-represented" not in sentence and "too few" not in sentence.lower()


def test_who_took_part_with_no_data_draws_no_largest_group() -> None:
    answers = _answers(60, age_band="  ")
    table = P.who_took_part(answers, "age_band", threshold=10)
    assert table.no_data
    fig = charts.who_took_part_figure(table, "age_band")
    assert "Largest" not in fig.layout.title.text
    assert "no age band data" in fig.layout.title.text


def test_some_dimensions_missing_are_named_before_the_finding() -> None:
    answers = _answers(60, ethnicity="White")
    tables = {
        "ethnicity": P.representation(answers, BENCH, "ethnicity", threshold=10),
        "gender": P.who_took_part(answers, "gender", threshold=10),
    }
    sentence = P.missing_voices(tables)
    assert sentence.startswith("This file has no gender data")


def test_prefer_not_to_say_only_counts_as_recorded() -> None:
    answers = _answers(30, ethnicity="Prefer not to say")
    assert P.unrecorded_columns(answers, ("ethnicity", "gender")) == ["gender"]


def test_demo_benchmark_is_not_used_for_another_area() -> None:
    answers = _answers(40, locality="Newcastle")
    match = M.match_benchmark(answers, BENCH, "the demo benchmark")
    assert not match.fits
    assert "does not cover this file's area (0% of people" in match.sentence


def test_benchmark_fits_its_own_area_and_says_so() -> None:
    answers = pd.concat([_answers(30, locality="Bolton"), _answers(10, locality="Leeds")])
    answers["response_id"] = [f"r{i}" for i in range(len(answers))]
    match = M.match_benchmark(answers, BENCH, "the demo benchmark")
    assert match.fits
    assert "75% of people with a recorded locality" in match.sentence


def test_file_without_locality_cannot_be_matched() -> None:
    match = M.match_benchmark(_answers(40), BENCH, "the demo benchmark")
    assert not match.fits
    assert "records no locality" in match.sentence


WIDE = P.validate_benchmark(
    pd.DataFrame(
        {
            "locality": [loc for loc in ("Bolton", "Bury", "Wigan", "Oldham") for _ in range(2)],
            "dimension": ["age_band"] * 8,
            "group": ["18-34", "35+"] * 4,
            "population": ["400", "600"] * 4,
        }
    )
)


def test_a_file_from_a_few_of_the_areas_localities_is_compared_with_those_alone() -> None:
    answers = _answers(40, locality="Bolton")
    match = M.match_benchmark(answers, WIDE, "the demo benchmark")
    assert match.fits and match.localities == ("Bolton",)
    assert "This file covers only Bolton" in match.sentence
    assert "no one from the other 3 (Bury, Oldham, Wigan) is in it" in match.sentence
    used = match.applied_to(WIDE)
    assert set(used["locality"]) == {"Bolton"}
    # Against that population, no other locality is said to be missing.
    table = P.representation(answers, used, "locality").table
    assert not {"Bury", "Oldham", "Wigan"} & set(table["group"]) and "Bolton" in set(table["group"])


def test_a_file_from_most_of_the_area_is_compared_with_all_of_it() -> None:
    answers = pd.concat(
        [_answers(20, locality=loc) for loc in ("Bolton", "Bury", "Wigan")], ignore_index=True
    )
    answers["response_id"] = [f"r{i}" for i in range(len(answers))]
    match = M.match_benchmark(answers, WIDE, "the demo benchmark")
    assert match.fits and match.localities == ()
    assert match.applied_to(WIDE) is WIDE  # Oldham, with no one, stays a missing voice
    assert M.match_benchmark(_answers(40, locality="Leeds"), WIDE, "b").applied_to(WIDE) is None
