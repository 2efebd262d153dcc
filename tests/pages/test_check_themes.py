"""AppTest of the Codebook page's "Check themes" view: judge an answer, it is saved and its themes change."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from analysis import store
from analysis.core import config
from analysis.themes import corrections_store
from tests.pages.test_themes import CODEBOOK, TIMEOUT


@pytest.fixture(scope="module", autouse=True)
def module_store(tmp_path_factory: pytest.TempPathFactory):
    """One store for this module (the demo data is imported and classified once)."""
    import streamlit as st

    old = os.environ.get("FEEDBACK_DB_PATH")
    os.environ["FEEDBACK_DB_PATH"] = str(tmp_path_factory.mktemp("check-themes") / "store.sqlite")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    if old is None:
        os.environ.pop("FEEDBACK_DB_PATH", None)
    else:
        os.environ["FEEDBACK_DB_PATH"] = old


def _texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_judging_an_answer_saves_it_with_who_and_changes_its_themes() -> None:
    at = AppTest.from_file(CODEBOOK, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    at.button(key="chk_start").click().run()
    assert not at.exception, at.exception
    asked = next(t for t in _texts(at) if t.startswith("Does this answer raise"))
    n_themes = int(asked.rsplit(" of ", 1)[1].rstrip(")"))
    rid = at.session_state["chk_queue"][0][0]
    # Say no to every theme: the answer then raises none of the asked themes.
    for _ in range(n_themes):
        at.button(key="chk_no").click().run()
        assert not at.exception, at.exception
    saved = corrections_store.list_corrections(store.dataset_id_by_name(config.DEMO_DATASET_NAME))
    mine = saved[saved["response_id"] == rid]
    assert len(mine) == n_themes and not mine["present"].any()
    assert set(mine["who"]) == {mine["who"].iloc[0]} and mine["who"].iloc[0]
    assert any("1 answer judged" in s.value for s in at.success)
    assert at.session_state["chk_pos"] == (1, 0)
    quality = [d.value for d in at.dataframe if "precision" in getattr(d.value, "columns", [])]
    assert quality and quality[0]["judged answers"].sum() >= 1
