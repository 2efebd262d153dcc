"""AppTest behaviour of the Themes and Codebook pages: sort, select a theme, search, edit, correct."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis import store
from analysis.core import config
from analysis.core.words import PLAIN_COLUMNS
from analysis.themes import codebook_store, corrections_store
from tests.pages.page_store import own_store

ROOT = Path(__file__).resolve().parents[2]
THEMES = str(ROOT / "app_pages" / "themes.py")
CODEBOOK = str(ROOT / "app_pages" / "codebook.py")
TIMEOUT = 180  # the first run imports the demo data and classifies it


@pytest.fixture(scope="module", autouse=True)
def module_store(tmp_path_factory: pytest.TempPathFactory):
    """One store for this module (the demo data is imported and classified once, not per test)."""
    with own_store(tmp_path_factory.mktemp("themes-page")):
        yield


def frames_with(at: AppTest, *columns: str) -> list[pd.DataFrame]:
    """The page's dataframes that have all these columns, in page order."""
    out = []
    for df in at.dataframe:
        value = df.value
        if isinstance(value, pd.DataFrame) and all(c in value.columns for c in columns):
            out.append(value)
    return out


def run(path: str, tab: str | None = None) -> AppTest:
    """Run a page; on the Themes page, with the tab `tab` open (only the open tab runs)."""
    at = AppTest.from_file(path, default_timeout=TIMEOUT)
    if tab:
        at.session_state["th_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def test_theme_table_has_specials_and_sorts() -> None:
    at = run(THEMES)
    assert at.title[0].value == "Themes"
    table = frames_with(at, "Theme", "% of answers", "% negative")[0]
    assert list(table["Theme"][-2:]) == [
        config.SPECIAL_THEME_LABELS[t] for t in config.SPECIAL_THEME_IDS
    ]
    real = table.iloc[:-2]
    assert real["% of answers"].is_monotonic_decreasing
    at.radio(key="th_sort").set_value("negativity").run()
    assert not at.exception
    table = frames_with(at, "Theme", "% of answers", "% negative")[0]
    negative = table.iloc[:-2]["% negative"].dropna()
    assert negative.is_monotonic_decreasing and negative.iloc[0] == negative.max()
    at.radio(key="th_sort").set_value("change").run()
    change = frames_with(at, "Theme", "Change (points)")[0].iloc[:-2]["Change (points)"].dropna()
    assert change.is_monotonic_decreasing
    assert at.get("plotly_chart")


def test_selecting_a_theme_shows_its_redacted_answers() -> None:
    at = run(THEMES)
    at.selectbox(key="th_theme").set_value("medication").run()
    assert not at.exception
    answers = frames_with(at, "answer", "why", "themes", "sentiment", "complex")[0]
    assert len(answers) > 0
    assert answers["themes"].str.contains("Medication").all()
    assert (answers["why"] != "").all()
    assert answers["answer"].str.contains("«").any()  # evidence marked as plain text
    for value in _planted():
        assert not answers["answer"].str.contains(value, regex=False).any()


def _planted() -> list[str]:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gen", ROOT / "scripts" / "generate_demo_responses.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return [v for v in module.planted_pii() if len(v) >= 5]


def test_search_and_malformed_query() -> None:
    at = run(THEMES, "Search")
    at.text_input(key="search_q").set_value('"rang back" OR "call back"').run()
    assert not at.exception
    hits = frames_with(at, "answer", "why")
    assert any(len(h) and h["why"].str.contains("back").all() for h in hits)
    at.text_input(key="search_q").set_value('"rang back').run()
    assert not at.exception
    assert any("quote is not closed" in e.value.replace("\\", "") for e in at.error)


def test_compare_groups_and_cell_answers() -> None:
    at = run(THEMES, "Compare groups")
    at.selectbox(key="cmp_col").set_value("respondent_type").run()
    assert not at.exception
    cells = frames_with(at, "theme", "group", PLAIN_COLUMNS["q_value"], "suppressed")[0]
    assert set(cells["group"]) >= {"service user", "carer"}
    at.selectbox(key="cmp_theme").set_value("carers_family").run()
    at.selectbox(key="cmp_group").set_value("carer").run()
    answers = frames_with(at, "answer", "respondent_type")
    assert any(len(a) and (a["respondent_type"] == "carer").all() for a in answers)


def test_editing_the_codebook_saves_a_version_and_reclassifies() -> None:
    at = run(CODEBOOK)
    before = codebook_store.latest_version()
    at.radio(key="cb_action").set_value("add").run()
    at.text_input(key="cb_add_label").set_value("Parking").run()
    at.text_area(key="cb_add_seeds").set_value("car park\nparking").run()
    at.text_input(key="editor_name_input").set_value("Asha").run()
    at.button(key="cb_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert codebook_store.latest_version() == before + 1
    versions = codebook_store.list_versions()
    assert versions.iloc[0]["saved_by"] == "Asha" and "Parking" in versions.iloc[0]["note"]
    themes = frames_with(at, "id", "label", "seeds", "retired")[0]
    assert "parking" in set(themes["id"])
    # The Themes page classifies with the new version.
    page = run(THEMES)
    assert any("version " + str(before + 1) in c.value for c in page.caption)


def test_a_conflicting_save_is_refused_with_who_and_when() -> None:
    at = run(CODEBOOK)
    base = codebook_store.latest_codebook()
    # Someone else saves while this session is editing.
    codebook_store.save_version(
        base, who="Ben", base_version=base.version, note="other session", engine=store.get_engine()
    )
    at.radio(key="cb_action").set_value("rename").run()
    at.selectbox(key="cb_theme").set_value("medication").run()
    at.text_input(key="cb_new_label").set_value("Medicines").run()
    at.button(key="cb_save").click().run()
    assert not at.exception
    messages = [e.value.replace("\\", "") for e in at.error]
    assert any("saved by Ben" in m and "UTC" in m for m in messages), messages
    assert codebook_store.latest_codebook().get("medication").label != "Medicines"


def test_correcting_an_answer() -> None:
    at = run(CODEBOOK)
    rid = at.selectbox(key="corr_answer").value
    current = list(at.multiselect(key="corr_themes").value)
    wanted = ["medication"] if "medication" not in current else ["access"]
    at.multiselect(key="corr_themes").set_value(wanted).run()
    at.button(key="corr_save").click().run()
    assert not at.exception and not at.error
    dataset_id = store.dataset_id_by_name(config.DEMO_DATASET_NAME)
    saved = corrections_store.list_corrections(dataset_id).set_index("theme_id")
    assert bool(saved.loc[wanted[0], "present"]) is True
    for t in current:
        if t not in wanted:
            assert bool(saved.loc[t, "present"]) is False
    assert (saved["response_id"] == rid).all()
    # The re-classification used the correction: the answer now has the chosen theme.
    assert set(at.multiselect(key="corr_themes").value) == set(wanted)
    assert frames_with(at, "Agreement before learning", "Agreement after learning", "Change")
    saved_table = frames_with(at, "Answer id", "Corrected", "Verdict", "By")[0]
    assert "theme_id" not in saved_table.columns and (saved_table["Answer id"] == rid).any()


def test_search_results_become_a_new_theme() -> None:
    at = run(THEMES, "Search")
    at.text_input(key="search_q").set_value('"rang back" OR "call back"').run()
    assert at.text_area(key="search_theme_seeds").value == "rang back\ncall back"
    at.text_input(key="search_theme_label").set_value("Travel to appointments").run()
    at.button(key="search_make_theme").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    cb = codebook_store.latest_codebook()
    theme = next(t for t in cb.themes if t.label == "Travel to appointments")
    assert theme.seeds == ["rang back", "call back"]
    assert any("Saved codebook version" in s.value for s in at.success)


def test_headline_themes_for_the_overview() -> None:
    def script() -> None:
        import streamlit as st

        from ui.context import get_context
        from ui.themes import headline_themes

        st.dataframe(headline_themes(get_context(), n=3), key="headlines")

    at = AppTest.from_function(script, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert len(table) == 3
    assert {"theme", "share_pct", "change_pp", "mean_sentiment"} <= set(table.columns)
    assert table["share_pct"].is_monotonic_decreasing
    assert not set(table["theme_id"]) & set(config.SPECIAL_THEME_IDS)
    sub_themes = {t.id for t in codebook_store.latest_codebook().themes if t.parent}
    assert not set(table["theme_id"]) & sub_themes  # rolled up into their parents


def test_a_selection_of_few_people_shows_a_notice_not_themes() -> None:
    from analysis.core.filters import Filters, apply_filters
    from analysis.findings.theme_tables import count_respondents

    df = pd.read_csv(config.DEMO_RESPONSES, dtype=str, keep_default_na=False).replace("", pd.NA)
    small = None
    for (loc, svc), _ in df.groupby(["locality", "service"]):
        n = count_respondents(apply_filters(df, Filters(localities=(loc,), services=(svc,))))
        if 1 <= n < config.SUPPRESSION_THRESHOLD:
            small = (loc, svc)
            break
    assert small is not None
    at = AppTest.from_file(THEMES, default_timeout=TIMEOUT)
    at.session_state["f_localities"] = [small[0]]
    at.session_state["f_services"] = [small[1]]
    at.run()
    assert not at.exception
    assert any("fewer than 10 people" in i.value for i in at.info)
    assert not any("answers chosen" in c.value for c in at.caption)  # not even the count
    assert not frames_with(at, "answer")
    assert not at.get("plotly_chart")


def test_emerging_theme_is_adopted_in_one_step() -> None:
    at = run(THEMES, "Emerging themes")
    at.button(key="em_run").click().run()
    assert not at.exception
    examples = frames_with(at, "example answers (redacted)")
    assert examples, "no emerging themes were shown"
    # The caption counts the groups and the answers they cover, and says what was left out.
    caption = next(
        c.value for c in at.caption if "groups of answers that no theme covers" in c.value
    )
    groups = [t.value for t in at.text if t.value.startswith("Emerging theme ")]
    n_groups = int(caption.split(" ", 1)[0])
    assert len(groups) == min(n_groups, 8) and ("largest are shown" in caption) == (n_groups > 8)
    if n_groups <= 8:
        sizes = [int(g.rsplit("(", 1)[1].split(" ")[0].replace(",", "")) for g in groups]
        assert f"({sum(sizes):,} answers)" in caption
    assert "share only general words" in caption
    for value in _planted():
        assert not any(
            f["example answers (redacted)"].astype(str).str.contains(value, regex=False).any()
            for f in examples
        )
    before = codebook_store.latest_version()
    n_themes = len(codebook_store.latest_codebook().themes)
    at.button(key="em_adopt_0").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert codebook_store.latest_version() == before + 1
    assert len(codebook_store.latest_codebook().themes) == n_themes + 1
    assert "Adopted emerging theme" in codebook_store.list_versions().iloc[0]["note"]


def _answer_with_planted_data(at: AppTest) -> tuple[str, str]:
    """(response id, planted value) of a searched answer that carries personal data."""
    answers = frames_with(at, "answer", "why", "themes", "sentiment", "complex")[0]
    ids = set(answers["response_id"].astype(str))
    demo = store.load_dataset(store.dataset_id_by_name(config.DEMO_DATASET_NAME))
    for value in _planted():
        hits = demo[demo["text"].str.contains(value, regex=False) & demo["response_id"].isin(ids)]
        if len(hits):
            return str(hits["response_id"].iloc[0]), value
    raise AssertionError("no searched answer carries planted personal data")


def test_only_admins_can_read_an_answer_unredacted_and_it_is_logged() -> None:
    import sqlalchemy as sa

    at = AppTest.from_file(THEMES, default_timeout=TIMEOUT)
    at.session_state["role"] = "editor"
    at.session_state["th_tab"] = "Search"
    at.run()
    at.text_input(key="search_q").set_value("Dr OR nurse OR NHS OR email OR call").run()
    rid, value = _answer_with_planted_data(at)
    at.selectbox(key="search_answers_read").set_value(rid).run()
    assert "search_answers_unredacted" not in [t.key for t in at.toggle]  # editors never see it
    assert all(value not in t.value for t in at.text)

    at.session_state["role"] = "admin"
    at.run()
    at.toggle(key="search_answers_unredacted").set_value(True).run()
    assert not at.exception, at.exception
    assert any(value in t.value for t in at.text)
    with store.get_engine().connect() as conn:
        logged = conn.execute(sa.select(store.access_log.c.action, store.access_log.c.detail)).all()
    assert any(a == "view unredacted answer" and rid in d for a, d in logged)


def test_a_capped_answer_list_says_the_downloads_hold_every_answer(monkeypatch) -> None:
    from ui import themes as tu

    monkeypatch.setattr(tu, "SCREEN_ROWS", 20)  # AppTest runs the page in this process
    at = run(THEMES)
    at.selectbox(key="th_theme").set_value("unassigned").run()
    assert not at.exception
    counts = [c.value for c in at.caption if c.value.split(" ")[0].replace(",", "").isdigit()]
    capped = [c for c in counts if "are shown" in c]
    assert capped, counts  # more answers than the screen shows
    assert all("the downloads hold all of them" in c for c in capped)


def test_the_trend_tab_draws_a_theme_share_as_a_process_control_chart() -> None:
    at = run(THEMES, "Trend")
    box = at.selectbox(key="spc_theme")
    headers = [h.value for h in at.subheader]
    assert "A theme's share over time, as a process control chart" in headers
    # The demo's answers span 18 months: an XmR chart of the chosen theme, its rule in words and icons.
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # Markdown escapes
    assert f"% of answers raising {box.format_func(box.value)}" in captions
    assert "What this means" in captions
    icons = [e for e in at.get("html") if 'src="data:image/svg+xml' in e.proto.body]
    assert icons and "variation" in icons[0].proto.body
    assert "No assurance icon" in icons[0].proto.body  # a theme's share has no better direction
