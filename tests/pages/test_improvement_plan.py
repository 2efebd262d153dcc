"""AppTest of the Improvement Plan page: main content, editing through the forms, "changed since"."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.core.words import PLAIN_COLUMNS
from analysis.plan import milestone_store as plan_store
from analysis.store import get_engine
from tests.apptest_tabs import open_tab

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "app_pages" / "improvement_plan.py")
TIMEOUT = 180  # the first run loads (and may classify) the demo data


@pytest.fixture
def app(fresh_store: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def _tab(at: AppTest, label: str) -> AppTest:
    open_tab(at, "plan_tab", label)
    assert not at.exception, at.exception
    return at


def _plotly_titles(at: AppTest) -> list[str]:
    titles = []
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        titles.append(spec["layout"]["title"]["text"])
    return titles


def _table_with(at: AppTest, *columns: str):
    """The first table on the page that has all these columns (st.dataframe keys are not exposed)."""
    for df in at.dataframe:
        if set(columns) <= set(df.value.columns):
            return df.value
    raise AssertionError(f"no table with columns {columns}")


def test_page_renders_plan_at_a_glance_with_charts_and_tables(app: AppTest) -> None:
    assert app.title[0].value == "Improvement Plan"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Milestones"] == "30"
    assert int(metrics["Overdue"]) >= 1
    assert any("milestones complete" in t for t in _plotly_titles(app))
    assert len(app.dataframe) >= 3  # the chart's table, the overdue list, the area table
    assert not app.data_editor  # only the open tab runs
    titles = _plotly_titles(_tab(app, "Over time"))
    assert any("planned" in t for t in titles)
    assert any("overdue" in t for t in titles)
    assert app.selectbox(key="plan_area").value == "Patient Safety"
    _tab(app, "Edit")
    assert [e.key for e in app.data_editor] == ["plan_editor_0"]


def test_update_form_saves_to_the_store_with_history(app: AppTest, fresh_store: str) -> None:
    _tab(app, "Edit")
    app.text_input(key="editor_name_input").set_value("Head of Quality Governance")
    app.selectbox(key="plan_form_milestone").set_value("M003").run()
    app.selectbox(key="plan_form_status_M003_0").set_value("complete")
    app.number_input(key="plan_form_percent_M003_0").set_value(100)
    app.button(key="FormSubmitter:plan_update_M003_0-Update milestone").click().run()
    assert not app.exception, app.exception
    engine = get_engine(fresh_store)
    row = plan_store.load_milestones(engine).set_index("milestone_id").loc["M003"]
    assert (row["status"], row["percent_complete"], row["version"]) == ("complete", 100, 2)
    last = plan_store.load_history("M003", engine=engine).tail(2)
    assert set(last["field"]) == {"status", "percent_complete"}
    assert set(last["changed_by"]) == {"Head of Quality Governance"}
    assert any("Saved 1 milestone" in s.value for s in app.success)


def test_a_stale_form_is_refused_with_who_changed_it(app: AppTest, fresh_store: str) -> None:
    _tab(app, "Edit")
    app.selectbox(key="plan_form_milestone").set_value("M004").run()
    # Someone else saves M004 while this form is open.
    plan_store.update_milestone(
        "M004",
        {"owner": "Deputy Chief Pharmacist"},
        expected_version=1,
        by="Chief Pharmacist",
        engine=get_engine(fresh_store),
    )
    app.selectbox(key="plan_form_status_M004_0").set_value("off track")
    app.button(key="FormSubmitter:plan_update_M004_0-Update milestone").click().run()
    assert not app.exception, app.exception
    errors = " ".join(e.value for e in app.error)
    assert "changed by Chief Pharmacist" in errors
    row = plan_store.load_milestones(get_engine(fresh_store)).set_index("milestone_id").loc["M004"]
    assert (row["status"], row["owner"]) == ("on track", "Deputy Chief Pharmacist")


def test_add_form_adds_a_milestone(app: AppTest, fresh_store: str) -> None:
    _tab(app, "Edit")
    app.selectbox(key="plan_add_area").set_value("Culture")
    app.text_input(key="plan_add_title").set_value("Co-produced welcome pack for new patients")
    app.text_input(key="plan_add_owner").set_value("Head of Patient Experience")
    app.button(key="FormSubmitter:plan_add-Add milestone").click().run()
    assert not app.exception, app.exception
    ms = plan_store.load_milestones(get_engine(fresh_store))
    assert "Co-produced welcome pack for new patients" in set(ms["milestone"])
    assert any("Added milestone M031" in s.value for s in app.success)
    assert _tab(app, "At a glance").metric[0].value == "31"


def test_changed_since_shows_a_milestone_changed_today(app: AppTest, fresh_store: str) -> None:
    plan_store.update_milestone(
        "M009",
        {"percent_complete": 45},
        expected_version=1,
        by="Head of Psychological Services",
        engine=get_engine(fresh_store),
    )
    _tab(app, "What changed")
    # Since today: the demo's own latest changes were moved to a day or more before today.
    app.date_input(key="plan_since").set_value(date.today()).run()
    assert not app.exception, app.exception
    table = _table_with(app, "changes", "changed_by", "last_changed")
    assert table["milestone_id"].tolist() == ["M009"]
    assert table["changed_by"].iloc[0] == "Head of Psychological Services"
    assert "percent complete: 35 → 45" in table["changes"].iloc[0]


def test_changed_since_an_old_date_lists_the_demo_history(app: AppTest) -> None:
    _tab(app, "What changed")
    app.date_input(key="plan_since").set_value(date(2024, 1, 1)).run()
    table = _table_with(app, "changes", "changed_by", "last_changed")
    assert len(table) >= 5
    # The demo plan's dates move with today's date, never into the future.
    assert table["last_changed"].max() <= datetime.now()


def test_read_only_users_get_no_editing_controls(fresh_store: str) -> None:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["role"] = "viewer"
    at.run()
    assert not at.exception, at.exception
    _tab(at, "Edit")
    assert len(at.data_editor) == 0
    assert any("Only editors" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "plan_save"]
    assert not at.text_input


def test_you_said_we_did_compares_linked_themes_before_and_after(
    fresh_store: str, monkeypatch
) -> None:
    import pandas as pd

    from analysis.themes.pipeline import ThemeResult
    from ui import cache

    def fake_theme_result(ctx):
        ids = ctx.responses["response_id"].astype(str).reset_index(drop=True)
        raised = ids.index % 8 == 0
        answers = pd.DataFrame(
            {
                "response_id": ids,
                "themes": ["discharge_planning" if r else "unassigned" for r in raised],
                "sentiment": 0.0,
            }
        )
        assignments = pd.DataFrame(
            {
                "response_id": ids[raised],
                "theme_id": "discharge_planning",
                "score": 1.0,
                "sentiment": -0.2,
                "evidence": "",
            }
        )
        return ThemeResult(answers=answers, assignments=assignments)

    monkeypatch.setattr(cache, "theme_result", fake_theme_result, raising=False)
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    _tab(at, "You said, we did")
    at.selectbox(key="plan_ysd_milestone").set_value("M008").run()
    assert not at.exception, at.exception
    # The table is shown with its columns in words (analysis.core.words).
    table = _table_with(at, "Answers before", "Raised after", PLAIN_COLUMNS["p_value"], "verdict")
    row = table.set_index(PLAIN_COLUMNS["theme_id"]).loc["discharge_planning"]
    assert row["Answers before"] > 1000 and row["Raised before"] > 100
    assert row["verdict"] == "within noise"
    assert any("within what chance" in t.value for t in at.text)
    assert any("before" in t.lower() for t in _plotly_titles(at)) or any(
        "No clear change" in t for t in _plotly_titles(at)
    )
