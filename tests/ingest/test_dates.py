"""Date order per column: settled by the values, asked for when they do not settle it, never silent."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.ingest import load_responses
from analysis.ingest.dates import infer_date_order, read_dates


def _csv(dates: list[str]) -> bytes:
    rows = [f"{i},{d},Kind staff on visit {i}" for i, d in enumerate(dates)]
    return ("ID,Date,Comment\n" + "\n".join(rows) + "\n").encode()


@pytest.mark.parametrize(
    ("dates", "order"),
    [
        (["30/09/2021", "03/04/2021", "01/02/2021"], "dayfirst"),
        (["9/30/2021", "3/4/2021 10:15 AM", "1/2/2021"], "monthfirst"),
        (["2021-09-30", "2021-04-03T10:00:00", "2021-02-01 09:00"], "iso"),
    ],
)
def test_values_settle_the_order(dates, order):
    found = infer_date_order(dates)
    assert found.order == order and found.settled
    df, report = load_responses(_csv(dates), "x.csv")
    assert report.date_order == {"Date": order}
    assert not report.dates_unsettled
    assert df["submitted"].notna().all()


def test_an_unsettled_column_is_read_day_first_and_the_report_asks():
    df, report = load_responses(_csv(["03/04/2024", "05/06/2024", "01/02/2024"]), "x.csv")
    assert report.dates_unsettled == ["Date"]
    assert df["submitted"].iloc[0] == pd.Timestamp("2024-04-03")
    assert any("day first or month first" in p and "03/04/2024" in p for p in report.problems)
    assert report.to_dict()["dates_unsettled"] == ["Date"]


def test_the_order_given_is_used_and_settles_the_column():
    df, report = load_responses(
        _csv(["03/04/2024", "05/06/2024"]), "x.csv", date_order="monthfirst"
    )
    assert df["submitted"].iloc[0] == pd.Timestamp("2024-03-04")
    assert report.date_order == {"Date": "monthfirst"} and not report.dates_unsettled


def test_a_mixed_column_loses_no_date_and_says_which_were_read_the_other_way():
    dates = ["30/09/2021"] * 3 + ["9/30/2021", "10/31/2021"] + ["03/04/2021"]
    found = infer_date_order(dates)
    assert not found.settled and found.day_first_only == 1 and found.month_first_only == 2
    parsed, bad, facts = read_dates(pd.Series(dates), "dayfirst")
    assert not bad and parsed.notna().all()
    assert parsed.iloc[3] == pd.Timestamp("2021-09-30")
    assert facts["other_way"] == 2
    _, report = load_responses(_csv(dates), "x.csv", date_order="dayfirst")
    assert any("only be read the other way" in p for p in report.problems)
