"""AppTest: the Data page's dataset management, and that a viewer cannot reach it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import ingest, store

ROOT = Path(__file__).resolve().parents[2]
DATA_PAGE = str(ROOT / "app_pages" / "data.py")


def test_choosing_a_saved_dataset_selects_it_for_every_page(fresh_store: str) -> None:
    df, report = ingest.load_responses(
        b"ID,What could we do better?\n1,waited 14 weeks\n2,None\n", "s.csv"
    )
    new_id = store.save_dataset("Tiny", df, report=report.to_dict())
    at = AppTest.from_file(DATA_PAGE, default_timeout=120).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Data"
    assert at.get("file_uploader"), "an editor sees the uploader"
    picker = at.selectbox(key="data_pick")
    assert "Tiny" in picker.options
    picker.set_value(new_id)
    at.button(key="data_use").click().run()
    assert at.session_state["_pending_dataset"] == new_id  # the sidebar applies it on the next run
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.session_state["_pending_dataset"] = new_id
    app.run()
    assert app.sidebar.selectbox(key="f_dataset").value == new_id
    # The Overview now shows "Tiny": two people, too few to show any figure about them.
    assert not app.metric
    assert any("fewer than 10 people" in i.value for i in app.info)


def test_deleting_needs_confirmation_and_removes_the_dataset(fresh_store: str) -> None:
    df, report = ingest.load_responses(b"text\nhello there\n", "d.csv")
    victim = store.save_dataset("Delete me", df, report=report.to_dict())
    at = AppTest.from_file(DATA_PAGE, default_timeout=120)
    at.session_state["role"] = "editor"
    at.run()
    keys = [s.key for s in at.selectbox]
    assert (
        "data_pick" in keys and "data_delete_pick" not in keys
    )  # editors choose; only admins delete
    at.session_state["role"] = "admin"
    at.run()
    at.selectbox(key="data_delete_pick").set_value(victim)
    at.run()
    assert at.button(key="data_delete").disabled
    at.checkbox(key="data_delete_confirm").check().run()
    at.button(key="data_delete").click().run()
    assert not at.exception, at.exception
    assert "Delete me" not in store.list_datasets()["name"].tolist()
    assert any("Deleted" in s.value for s in at.success)


def test_a_viewer_cannot_reach_the_data_page_even_by_url(
    fresh_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEEDBACK_LOCAL_ROLE", "viewer")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    assert at.session_state["role"] == "viewer"
    assert "running for one local user (viewer)" in " ".join(c.value for c in at.sidebar.caption)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/data.py")  # not routed for a viewer, so no URL can open it


def test_an_editor_can_open_the_data_page_from_the_app(fresh_store: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("app_pages/data.py").run()
    assert at.title[0].value == "Data"
