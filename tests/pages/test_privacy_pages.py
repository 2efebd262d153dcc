"""AppTest of every page on a withheld selection (a 3-person locality, and everyone but it) and of search.

A withheld selection shows the reason in words and no figure: no metric, no chart, no table of
answers or people, no "N answers chosen", no download of its data. Search matches the redacted
text for everyone but admins, whose searches of the original text are logged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from tests.pages.page_store import own_store
from tests.privacy_fixtures import LOCALITIES, NHS_NUMBER, PHONE, SURNAME, save_attack_dataset

ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    "overview": ROOT / "app_pages" / "overview.py",
    "themes": ROOT / "app_pages" / "themes.py",
    "codebook": ROOT / "app_pages" / "codebook.py",
    "voices": ROOT / "app_pages" / "voices.py",
    "plan": ROOT / "app_pages" / "improvement_plan.py",
}
TIMEOUT = 180
ALL_BUT_TINYTOWN = [loc for loc in LOCALITIES if loc != "Tinytown"]


@pytest.fixture(scope="module")
def dataset_id(tmp_path_factory: pytest.TempPathFactory):
    """One store with the attack dataset for the whole module."""
    with own_store(tmp_path_factory.mktemp("privacy-pages")):
        yield save_attack_dataset()


def _open(page: str, dataset: int, localities: list[str], **state: object) -> AppTest:
    at = AppTest.from_file(str(PAGES[page]), default_timeout=TIMEOUT)
    at.session_state["f_dataset"] = dataset
    at.session_state["f_localities"] = localities
    at.session_state["role"] = "viewer"
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _figures_shown(at: AppTest) -> list[str]:
    """Anything on the page that carries a figure about the selection."""
    found = [f"metric {m.label}={m.value}" for m in at.metric]
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        if any(t.get("x") or t.get("y") or t.get("z") for t in spec.get("data", [])):
            title = spec.get("layout", {}).get("title", {}).get("text", "")
            if "activities" not in title.lower() and "lived experience" not in title.lower():
                found.append(f"chart {title}")
    for df in at.dataframe:
        cols = set(df.value.columns) if isinstance(df.value, pd.DataFrame) else set()
        if cols & {
            "answer",
            "Answer",
            "group",
            "respondents",
            "Answers",
            "answers",
            "% of answers",
        }:
            found.append(f"table {sorted(cols)}")
    found += [c.value for c in at.caption if "answers chosen" in c.value or "n = " in c.value]
    return found


TABS = {
    "themes": ("th_tab", ["Themes", "Trend", "Compare groups", "Themes together", "Search"]),
    "voices": ("vo_tab", ["Who took part", "Over rounds", "Intersections", "What they raise"]),
    "plan": ("plan_tab", ["You said, we did"]),
}


@pytest.mark.parametrize(
    "localities", [["Tinytown"], ALL_BUT_TINYTOWN], ids=["small", "complement"]
)
@pytest.mark.parametrize("page", list(PAGES))
def test_a_withheld_selection_shows_no_figure_on_any_page(
    dataset_id: int, page: str, localities: list[str]
) -> None:
    key, tabs = TABS.get(page, (None, [None]))
    for tab in tabs:
        at = _open(page, dataset_id, localities, **({key: tab} if key else {}))
        assert not _figures_shown(at), (page, tab, _figures_shown(at))
        said = " ".join(m.value for m in [*at.info, *at.warning]).replace("\\", "")
        assert "nothing is shown to protect their privacy" in said, (page, tab, said)
        if localities != ["Tinytown"]:
            assert "73" not in said and "3 people" not in said
        texts = " ".join(t.value for t in at.text)
        assert "answers from" not in texts


def test_the_overview_shows_figures_for_an_allowed_selection(dataset_id: int) -> None:
    at = _open("overview", dataset_id, ["Bigtown", "Midtown"])
    assert [m.value for m in at.metric][:2] == ["122", "61"]


def _search(dataset: int, query: str, role: str) -> AppTest:
    at = AppTest.from_file(str(PAGES["themes"]), default_timeout=TIMEOUT)
    at.session_state["f_dataset"] = dataset
    at.session_state["role"] = role
    at.session_state["th_tab"] = "Search"
    at.run()
    at.text_input(key="search_q").input(query).run()
    assert not at.exception, at.exception
    return at


def _answer_tables(at: AppTest) -> list[pd.DataFrame]:
    return [
        df.value
        for df in at.dataframe
        if isinstance(df.value, pd.DataFrame) and "answer" in df.value.columns
    ]


@pytest.mark.parametrize("role", ["viewer", "editor"])
@pytest.mark.parametrize("query", [f'"{NHS_NUMBER}"', PHONE.split()[0], SURNAME])
def test_search_finds_nothing_in_redacted_personal_data(
    dataset_id: int, role: str, query: str
) -> None:
    at = _search(dataset_id, query, role)
    assert any("No answers" in i.value for i in at.info), [i.value for i in at.info]
    assert not _answer_tables(at)
    assert not any("unredacted" in c.value for c in at.caption)


def test_an_ordinary_search_still_finds_answers(dataset_id: int) -> None:
    at = _search(dataset_id, "kind", "viewer")
    table = _answer_tables(at)[0]
    assert len(table) > 10 and table["answer"].str.contains("kind").all()


def test_an_admin_searches_the_original_text_and_is_logged(dataset_id: int) -> None:
    from analysis.store.database import get_engine

    at = _search(dataset_id, SURNAME, "admin")
    assert any("unredacted" in c.value and "access log" in c.value for c in at.caption)
    table = _answer_tables(at)[0]
    assert len(table) == 24
    assert not table["answer"].str.contains(SURNAME).any()  # still shown redacted
    with get_engine().connect() as conn:
        rows = conn.execute(sa.text("SELECT user, action, detail FROM access_log")).fetchall()
    logged = [r for r in rows if r[1] == "search unredacted answers"]
    assert logged and logged[-1][0] and SURNAME in logged[-1][2]


def test_a_search_matching_few_people_lists_and_counts_nothing(dataset_id: int) -> None:
    # An admin's search of the original text still obeys the small-group rule: 7 people.
    at = _search(dataset_id, f'"{NHS_NUMBER}"', "admin")
    notes = " ".join(i.value for i in at.info)
    assert "fewer than 10 people" in notes and "7" not in notes
    assert not _answer_tables(at)
    counts = [c.value for c in at.caption if c.value.endswith("answers") or "are shown" in c.value]
    assert not counts  # show_answers' "N answers" caption never appears


def test_a_search_leaving_out_few_people_lists_and_counts_nothing(dataset_id: int) -> None:
    # NOT the 7 people's number: everyone else, which would give the 7 by subtraction.
    at = _search(dataset_id, f'kind OR NOT kind NOT "{NHS_NUMBER}"', "admin")
    notes = " ".join(i.value for i in at.info)
    assert "leaves out only a few people" in notes
    assert not _answer_tables(at)
