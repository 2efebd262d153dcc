"""AppTest smoke test: the app and every page render their main content without an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app_pages").glob("*.py"))
TIMEOUT = 180  # the first run classifies the demo data


def test_every_page_is_in_the_navigation() -> None:
    app_source = (ROOT / "app.py").read_text()
    for page in PAGES:
        assert f'"{page}"' in app_source, f"{page} is not routed by app.py"


def test_app_lands_on_overview_with_chart_and_table() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Overview"
    assert [m.label for m in at.metric][:4] == [
        "Answers",
        "Respondents",
        "Survey rounds",
        "Respondent types",
    ]
    assert int(at.metric[0].value.replace(",", "")) > 1000
    assert at.get("plotly_chart"), "the answers-per-round chart is missing"
    assert len(at.dataframe) >= 2  # the chart's numbers and the data-quality table
    assert at.sidebar.selectbox(key="f_dataset").value is not None


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_its_title_without_exception(page: str) -> None:
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    assert at.title, f"{page} rendered no title"
    assert at.title[0].value.strip()
