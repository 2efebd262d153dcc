"""AppTest: a link's query parameters reopen a view; unknown or hostile values are ignored with a note."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def _app_with(params: dict[str, str | list[str]]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_a_link_reopens_dataset_filters_and_rounds(fresh_store: str) -> None:
    at = _app_with(
        {"type": ["carer"], "locality": ["Bolton", "Wigan"], "from": "2024 Q3", "to": "2025 Q1"}
    )
    assert not at.exception, at.exception
    assert at.sidebar.multiselect(key="f_types").value == ["carer"]
    assert at.sidebar.multiselect(key="f_localities").value == ["Bolton", "Wigan"]
    assert at.sidebar.select_slider(key="f_rounds").value == ("2024 Q3", "2025 Q1")
    caption = at.caption[0].value.replace("\\", "")  # Markdown-escaped: compare the text shown
    assert "respondent type: carer" in caption and "locality: Bolton, Wigan" in caption
    assert "2024 Q3 to 2025 Q1" in caption
    assert not at.info or all("not recognised" not in i.value for i in at.info)


def test_hostile_and_unknown_values_are_dropped_and_never_echoed(fresh_store: str) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    at = _app_with(
        {
            "type": ["carer", hostile],
            "ds": "99999",
            "from": "1999 Q1",
            "present": "maybe",
            "service": "![x](http://127.0.0.1:9/x.png)",
        }
    )
    assert not at.exception, at.exception
    assert at.title[0].value == "Overview"  # the page still works
    assert at.sidebar.multiselect(key="f_types").value == ["carer"]
    notes = [i.value for i in at.info if "not recognised" in i.value]
    assert notes and all(hostile not in n and "http" not in n for n in notes)
    assert "ds" in notes[0] and "type" in notes[0]
    everything = " ".join(str(getattr(e, "value", "")) for e in at.main) + " ".join(
        str(getattr(e, "value", "")) for e in at.sidebar
    )
    assert hostile not in everything


def test_the_url_follows_the_widgets(fresh_store: str) -> None:
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.sidebar.multiselect(key="f_types").set_value(["staff"]).run()

    def values(key: str) -> list[str]:
        v = at.query_params[key]
        return [v] if isinstance(v, str) else list(v)

    assert values("type") == ["staff"]
    assert values("ds") == [str(at.session_state["f_dataset"])]


def test_presentation_mode_from_the_link_hides_editing(fresh_store: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["present"] = "1"
    at.run()
    assert at.sidebar.toggle(key="present").value is True
    at.switch_page("app_pages/data.py").run()
    assert not at.get("file_uploader"), "uploads are hidden while presenting"


def test_a_page_selection_travels_in_the_link_too(fresh_store: str) -> None:
    at = AppTest.from_file(str(ROOT / "app_pages" / "themes.py"), default_timeout=180)
    at.query_params["theme"] = "medication"
    at.query_params["sort"] = "negativity"
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="th_theme").value == "medication"
    assert at.radio(key="th_sort").value == "negativity"


def test_the_link_opens_a_tab_and_its_choices(fresh_store: str) -> None:
    at = AppTest.from_file(str(ROOT / "app_pages" / "themes.py"), default_timeout=180)
    at.query_params["tab"] = "Compare groups"
    at.query_params["by"] = "respondent_type"
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["th_tab"] == "Compare groups"
    assert at.selectbox(key="cmp_col").value == "respondent_type"
    assert "th_theme" not in at.session_state  # the Themes tab did not run


def test_an_unknown_tab_or_choice_in_the_link_is_ignored(fresh_store: str) -> None:
    at = AppTest.from_file(str(ROOT / "app_pages" / "themes.py"), default_timeout=180)
    at.query_params["tab"] = "<script>Nope"
    at.query_params["by"] = "no_such_column"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Themes"
    assert at.radio(key="th_sort").value  # the first tab is open
    assert "cmp_col" not in at.session_state  # and only it ran
    assert (
        "_url_notes" in at.session_state and "tab" in at.session_state["_url_notes"]
    )  # app.py says so
