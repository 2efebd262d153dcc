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


def test_overview_shows_the_mean_rating_as_a_process_control_chart_with_a_target() -> None:
    at = AppTest.from_file(str(ROOT / "app_pages" / "overview.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    assert "Mean rating over time, as a process control chart" in [h.value for h in at.header]
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # Markdown escapes
    assert "Mean rating: " in captions and "Answers per month: " in captions
    bodies = [e.proto.body for e in at.get("html") if 'src="data:image/svg+xml' in e.proto.body]
    assert len(bodies) == 2 and "No assurance icon: no target has been set" in bodies[1]
    at.number_input(key="rating_target").set_value(1.0).run()
    bodies = [e.proto.body for e in at.get("html") if 'src="data:image/svg+xml' in e.proto.body]
    # The demo's monthly mean ratings sit well above 1, so a target of 1 is met every month.
    assert "Assurance: will consistently meet the target of 1" in bodies[1]
