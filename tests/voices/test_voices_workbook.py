"""The Voices tables as one set: which representation tables exist, the groups shared with who-took-part,
and the every-table workbook (suppressed, formula-safe, a notice when too few people)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from analysis.core import config
from analysis.core.schema import conform_responses
from analysis.voices import participation as P
from analysis.voices import voices_workbook as W


def _responses(n: int, **columns: object) -> pd.DataFrame:
    return conform_responses(
        pd.DataFrame(
            {
                "response_id": [f"r{i}" for i in range(n)],
                "respondent_id": [f"p{i}" for i in range(n)],
                "round": "2024 Q1",
                "respondent_type": "service user",
                "text": "fine",
                **columns,
            }
        )
    )


def test_representation_tables_cover_locality_and_only_the_dimensions_the_benchmark_has() -> None:
    bench = P.load_benchmark()
    only_age = bench[bench["dimension"] == "age_band"]
    responses = _responses(30, locality="Bolton", age_band="25-34")
    tables = W.representation_tables(responses, only_age)
    assert list(tables) == ["age_band", "locality"]
    assert all(isinstance(t, P.PeopleTable) for t in tables.values())
    # The locality filter narrows the benchmark the comparison is made with.
    everywhere = W.representation_tables(responses, bench)["locality"].table
    bolton = W.representation_tables(responses, bench, ("Bolton",))["locality"].table
    assert "Bury" in set(everywhere["group"]) and "Bury" not in set(bolton["group"])


def test_benchmark_groups_only_for_benchmark_dimensions_with_a_benchmark() -> None:
    bench = P.load_benchmark()
    assert W.benchmark_groups("age_band", None) is None
    assert W.benchmark_groups("service", bench) is None
    groups = W.benchmark_groups("locality", bench)
    assert groups is not None and "Bolton" in groups


def test_the_workbook_says_too_few_people_instead_of_showing_any_table() -> None:
    book = openpyxl.load_workbook(io.BytesIO(W.voices_workbook(_responses(3), {}, {})))
    assert book.sheetnames == ["Notice"]
    assert book["Notice"]["A2"].value == "Too few people to show."


def test_the_workbook_hides_small_groups_and_their_complement() -> None:
    responses = _responses(44, respondent_type=["service user"] * 40 + ["carer"] * 4)
    book = openpyxl.load_workbook(io.BytesIO(W.voices_workbook(responses, {}, {})))
    rows = {r[0]: r[1] for r in book["by respondent type"].iter_rows(min_row=2, values_only=True)}
    assert rows["carer"] == config.SUPPRESSED_MARK
    assert rows["service user"] == config.SUPPRESSED_MARK
    assert rows["All respondents"] == 44
