"""Every chart on every page states its finding in a title and has its numbers as a table (accessibility:
a chart is never the only way to get at the data). Runs each page through the router with AppTest; tabs and
expanders all run in AppTest, so every chart of a page is counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 240  # the first run classifies the demo data
PAGES = [
    "app_pages/overview.py",
    "app_pages/themes.py",
    "app_pages/codebook.py",
    "app_pages/voices.py",
    "app_pages/improvement_plan.py",
    "app_pages/data.py",
]


def _run_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    if page != "app_pages/overview.py":  # the default page is what the root URL shows
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def _title(spec: dict) -> str:
    title = spec.get("layout", {}).get("title", {})
    return (title.get("text") if isinstance(title, dict) else str(title or "")) or ""


@pytest.mark.parametrize("page", [p for p in PAGES if (ROOT / p).exists()])
def test_every_chart_has_a_finding_title_and_a_table(page: str, fresh_store: str) -> None:
    at = _run_page(page)
    charts = at.get("plotly_chart")
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        title = _title(spec)
        assert title.strip(), (
            f"{page}: a chart has no title: {json.dumps(spec.get('layout', {}))[:300]}"
        )
        # A title that states a finding is a sentence, not a one-word label such as "Themes".
        assert len(title.split()) >= 3, f"{page}: chart title {title!r} does not state a finding"
    tables = len(at.dataframe) + len(at.table)
    assert tables >= len(charts), f"{page}: {len(charts)} charts but only {tables} tables"


def test_chart_with_table_names_chart_and_table_for_screen_readers(fresh_store: str) -> None:
    at = _run_page("app_pages/overview.py")
    chart = at.get("plotly_chart")[0]
    title = _title(json.loads(chart.proto.spec))
    assert chart.proto.alt == f"Chart: {title}"
    assert "<" not in chart.proto.alt and "&" not in chart.proto.alt  # plain text, not HTML


def test_chart_alt_text_is_plain_text() -> None:
    import plotly.graph_objects as go

    from ui.widgets import chart_alt_text

    fig = go.Figure(layout={"title": {"text": "Carers &amp; family rose<br>from 3% to 9%"}})
    assert chart_alt_text(fig) == "Carers & family rose from 3% to 9%"
    assert chart_alt_text(go.Figure()) == "Chart"
