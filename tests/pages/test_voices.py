"""AppTest of the Voices page: demo data renders; a filter selecting 4 people shows only a notice."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from analysis import store
from analysis.core import config
from analysis.core.schema import conform_responses
from tests.apptest_tabs import open_tab

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "app_pages" / "voices.py")
TIMEOUT = 180  # the first run may classify the demo data for the "what they raise" tab


def _chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


TABS = (
    "Who took part",
    "Against the population",
    "Over rounds",
    "Intersections",
    "What they raise",
    "Engagement log",
)


def _every_tab(at: AppTest) -> dict[str, list]:
    """Open each tab in turn (only the open tab runs) and gather what the whole page showed."""
    seen: dict[str, list] = {
        "specs": [],
        "frames": [],
        "warnings": [],
        "texts": [],
        "downloads": [],
    }
    for tab in TABS:
        open_tab(at, "vo_tab", tab)
        assert not at.exception, (tab, at.exception)
        seen["specs"] += _chart_specs(at)
        seen["frames"] += [el.value for el in at.dataframe]
        seen["warnings"] += [w.value for w in at.warning]
        seen["texts"] += _texts(at)
        seen["downloads"] += [str(b.proto) for b in at.get("download_button")]
    return seen


def test_page_on_demo_data_renders_title_charts_and_tables(fresh_store: str) -> None:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Voices"
    assert any(
        s["layout"]["title"]["text"].startswith("Largest group by") for s in _chart_specs(at)
    )
    assert "co-produced" not in str(_chart_specs(at))  # the other tabs did not run
    seen = _every_tab(at)
    titles = [s["layout"]["title"]["text"] for s in seen["specs"]]
    assert any("under-represented" in t or "in line" in t for t in titles)
    assert any("co-produced" in t for t in titles)
    assert len(seen["frames"]) >= 5
    assert any(
        "Furthest below their population share" in t or "No group is clearly" in t
        for t in seen["texts"]
    )
    assert not seen["warnings"]  # the demo has enough people for every breakdown


def test_changing_the_breakdown_changes_the_table(fresh_store: str) -> None:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    at.selectbox(key="voices_who_by").set_value("age_band").run()
    assert not at.exception, at.exception
    first = at.dataframe[0].value
    assert "16-17" in set(first["group"])
    assert config.PREFER_NOT_TO_SAY in set(first["group"]) and config.NOT_RECORDED in set(
        first["group"]
    )


def _tiny_dataset() -> int:
    """36 people in Wigan and 4 in Bury (with varied demographics), saved in the store."""
    rows = []
    for i in range(40):
        rows.append(
            {
                "response_id": f"t{i}",
                "respondent_id": f"p{i}",
                "round": "2025 Q1",
                "respondent_type": "carer" if i % 2 else "service user",
                "locality": "Bury" if i < 4 else "Wigan",
                "service": "Living Well",
                "text": f"answer number {i}",
                "gender": "Woman" if i % 3 else "Man",
                "age_band": "25-34" if i % 2 else "45-54",
                "ethnicity": "White British",
            }
        )
    return store.save_dataset("Tiny test set", conform_responses(pd.DataFrame(rows)))


def test_filter_selecting_four_people_shows_the_notice_and_no_numbers(fresh_store: str) -> None:
    dataset_id = _tiny_dataset()
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["f_dataset"] = dataset_id
    at.session_state["f_localities"] = ["Bury"]
    at.run()
    assert not at.exception, at.exception
    seen = _every_tab(at)
    notices = seen["warnings"]
    assert notices and all("fewer than 10 people" in n.replace("\\", "") for n in notices)
    # Only the engagement log's own tables and charts remain; nothing about the 4 people.
    assert len(seen["frames"]) == 3  # activity over time, lived experience, the log itself
    for frame in seen["frames"]:
        assert {"quarter", "activity_id"} & set(frame.columns)
        assert not {"group", "respondents", "answer"} & set(frame.columns)
    for spec in seen["specs"]:
        dumped = json.dumps(spec)
        assert "Largest group by" not in dumped and "Respondents per round" not in dumped
        assert "People" not in dumped  # no participation axis
        assert "Bury" not in dumped and "Woman" not in dumped and "25-34" not in dumped
    assert not any("Furthest below" in t for t in seen["texts"])
    assert not [b for b in seen["downloads"] if "voices_all" in b]


def test_filter_with_enough_people_shows_breakdowns(fresh_store: str) -> None:
    dataset_id = _tiny_dataset()
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["f_dataset"] = dataset_id
    at.session_state["f_localities"] = ["Wigan", "Bury"]
    at.run()
    assert not at.exception, at.exception
    assert not any("fewer than" in w.value for w in at.warning), [w.value for w in at.warning]
    table = at.dataframe[0].value
    assert set(table["group"]) >= {"service user", "carer"}


def test_filter_leaving_out_four_people_shows_the_notice_and_no_numbers(fresh_store: str) -> None:
    # Wigan alone holds 36 people, but everyone minus Wigan is Bury's 4: withheld as well.
    dataset_id = _tiny_dataset()
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["f_dataset"] = dataset_id
    at.session_state["f_localities"] = ["Wigan"]
    at.run()
    assert not at.exception, at.exception
    seen = _every_tab(at)
    notices = [n.replace("\\", "") for n in seen["warnings"]]
    assert notices and all("nothing is shown to protect their privacy" in n for n in notices)
    assert not any(ch.isdigit() for n in notices for ch in n)  # neither 36 nor 4
    assert len(seen["frames"]) == 3  # the engagement log's own tables only
    for spec in seen["specs"]:
        assert "Wigan" not in json.dumps(spec) and "People" not in json.dumps(spec)
    assert not [b for b in seen["downloads"] if "voices_all" in b]


def test_what_under_represented_groups_raise_uses_theme_results(
    fresh_store: str, monkeypatch
) -> None:
    """With theme results available, the tab shows the group's themes and redacted answers."""
    from types import SimpleNamespace

    from ui import cache

    def fake_theme_result(ctx):
        ids = ctx.responses["response_id"].astype(str).tolist()
        themes = ["access" if i % 2 else "communication" for i in range(len(ids))]
        assignments = pd.DataFrame({"response_id": ids, "theme_id": themes, "score": 1.0, "sentiment": 0.0,
                                    "evidence": ""})  # fmt: skip
        return SimpleNamespace(
            answers=pd.DataFrame({"response_id": ids, "themes": themes}), assignments=assignments
        )

    monkeypatch.setattr(cache, "theme_result", fake_theme_result, raising=False)
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["vo_tab"] = "What they raise"
    at.run()
    assert not at.exception, at.exception
    frames = [el.value for el in at.dataframe]
    themes = [f for f in frames if "theme" in f.columns and "finding" in f.columns]
    assert themes, "the group's themes table is missing"
    assert 1 <= len(themes[0]) <= 2 and themes[0]["finding"].notna().all()
    answers = [f for f in frames if "answer" in f.columns]
    assert answers and "themes" in answers[0].columns


def test_the_every_table_workbook_holds_each_table_suppressed_and_formula_safe() -> None:
    """The workbook the "Download every table" button builds when clicked (ui.voices.voices_workbook)."""
    import io

    import openpyxl

    from analysis.voices import participation
    from ui.voices import voices_workbook

    people = [f"p{i}" for i in range(40)]
    responses = conform_responses(
        pd.DataFrame(
            {
                "response_id": [f"r{i}" for i in range(44)],
                "respondent_id": people + ["q1", "q2", "q3", "q4"],
                "round": "2024 Q1",
                "respondent_type": ["service user"] * 40 + ['=HYPERLINK("x")'] * 4,
                "locality": "Bolton",  # a file with no locality has no population comparison
                "text": "fine",
            }
        )
    )
    bench = participation.load_benchmark()
    tables = {"locality": participation.representation(responses, bench, "locality")}
    book = openpyxl.load_workbook(io.BytesIO(voices_workbook(responses, tables, {})))
    assert "by respondent type" in book.sheetnames and "vs population locality" in book.sheetnames
    rows = {r[0]: r[1:] for r in book["by respondent type"].iter_rows(min_row=2, values_only=True)}
    # The 4-person group is hidden, and the 40 with it (the total would give it away); the total stays.
    assert rows['\'=HYPERLINK("x")'][0] == config.SUPPRESSED_MARK
    assert rows["service user"][0] == config.SUPPRESSED_MARK
    assert rows["All respondents"][0] == 44
    cells = [
        str(c)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        for c in row
        if c is not None
    ]
    assert not any(
        c.startswith(("=", "+", "-", "@")) for c in cells
    )  # nothing can run as a formula


def test_an_upload_from_another_area_without_demographics_never_reassures(fresh_store: str) -> None:
    """60 people in Newcastle, no demographic columns: no demo benchmark, no false "in line"."""
    rows = [
        {"response_id": f"n{i}", "respondent_id": f"p{i}", "round": "2025 Q1",
         "respondent_type": "service user", "locality": "Newcastle", "text": f"answer {i}"}
        for i in range(60)
    ]  # fmt: skip
    dataset_id = store.save_dataset("North East survey", conform_responses(pd.DataFrame(rows)))
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["f_dataset"] = dataset_id
    at.session_state["voices_who_by"] = "ethnicity"
    at.run()
    assert not at.exception, at.exception
    seen = _every_tab(at)
    words = " ".join(seen["texts"] + seen["warnings"] + [i.value for i in at.info])
    titles = [s["layout"]["title"]["text"] for s in seen["specs"]]
    assert "This file has no ethnicity data: representation cannot be assessed." in " ".join(
        seen["warnings"]
    ).replace("\\", "")
    assert not any("Largest group by ethnicity" in t for t in titles)
    assert "No group is clearly under-represented" not in words
    assert "demo benchmark (illustrative)." not in words  # never "Population: demo benchmark"
    open_tab(at, "vo_tab", "Against the population")
    infos = " ".join(i.value for i in at.info).replace("\\", "")
    assert (
        "No population benchmark is used" in infos and "cannot be matched to its area" not in infos
    )
    assert "does not cover this file's area" in infos.replace("\u200b", "")
