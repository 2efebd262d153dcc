"""AppTest of the Codebook page's "Check themes" view: judge an answer, it is saved and its themes change."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analysis import store
from analysis.core import config
from analysis.themes import corrections_store
from analysis.themes.codebook import default_codebook
from tests.pages.page_store import own_store
from tests.pages.test_themes import CODEBOOK, TIMEOUT


@pytest.fixture(scope="module", autouse=True)
def module_store(tmp_path_factory: pytest.TempPathFactory):
    """One store for this module (the demo data is imported and classified once)."""
    with own_store(tmp_path_factory.mktemp("check-themes")):
        yield


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


def test_agreeing_with_the_rest_saves_the_products_answers_to_the_questions_left() -> None:
    at = AppTest.from_file(CODEBOOK, default_timeout=TIMEOUT)
    at.run()
    at.button(key="chk_start").click().run()
    assert not at.exception, at.exception
    start = at.session_state["chk_pos"][0]
    rid, asked, suggested = at.session_state["chk_queue"][start]
    assert len(asked) >= 2  # one answered by hand, the rest agreed with
    left = next(
        t for t in _texts(at) if t.startswith("The product's answers to the questions left")
    )
    assert left.count("“") == len(asked)
    first = asked[0]
    at.button(key="chk_yes" if first not in suggested else "chk_no").click().run()  # disagree once
    assert not at.exception, at.exception
    left = next(
        t for t in _texts(at) if t.startswith("The product's answers to the questions left")
    )
    assert left.count("“") == len(asked) - 1
    at.button(key="chk_agree").click().run()
    assert not at.exception, at.exception
    saved = corrections_store.list_corrections(store.dataset_id_by_name(config.DEMO_DATASET_NAME))
    mine = saved[saved["response_id"] == rid].set_index("theme_id")["present"].astype(bool)
    expected = {t: t in suggested for t in asked}
    expected[first] = first not in suggested
    # the one said by hand, then the product's answers for the rest
    assert {t: bool(mine[t]) for t in asked} == expected
    assert at.session_state["chk_pos"] == (start + 1, 0)
    raised = next(t for t in _texts(at) if t.startswith("The answer judged last now raises"))
    raised = {x.strip() for x in raised.split(": ", 1)[1].split(",")}
    labels = default_codebook().labels()
    assert {labels[t] for t, present in expected.items() if present} <= raised
    assert not {labels[t] for t, present in expected.items() if not present} & raised


def test_correcting_an_answers_sentiment_saves_it_with_who_and_the_answer_takes_it() -> None:
    at = AppTest.from_file(CODEBOOK, default_timeout=TIMEOUT)
    at.run()
    at.button(key="chk_start").click().run()
    assert not at.exception, at.exception
    rid = at.session_state["chk_queue"][0][0]
    now = next(t for t in _texts(at) if t.startswith("Sentiment now:"))
    label = "negative" if "negative" not in now else "positive"
    at.button(key=f"chk_feel_{label}").click().run()
    assert not at.exception, at.exception
    saved = corrections_store.list_corrections(store.dataset_id_by_name(config.DEMO_DATASET_NAME))
    mine = saved[(saved["response_id"] == rid) & (saved["theme_id"] == f"sentiment:{label}")]
    assert len(mine) == 1 and mine["who"].iloc[0]
    assert f"Sentiment now: {label}." in " ".join(_texts(at))  # final for the answer corrected


def test_themes_table_rolls_up_to_main_themes_and_drills_down_to_sub_themes() -> None:
    from tests.pages.test_themes import THEMES, frames_with

    at = AppTest.from_file(THEMES, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    top = frames_with(at, "Theme", "Sub-themes")[0]
    assert "Waiting times" not in set(top["Theme"]) and "Access to support" in set(top["Theme"])
    access = top.set_index("Theme").loc["Access to support"]
    assert access["Sub-themes"] >= 1
    at.selectbox(key="th_level").set_value("access").run()
    assert not at.exception, at.exception
    down = frames_with(at, "Theme", "Answers")[0]
    assert "Waiting times" in set(down["Theme"]) and "Access to support" not in set(down["Theme"])
    assert down["Answers"].max() <= access["Answers"]  # a sub-theme's answers are in its parent's


def test_a_viewer_sees_the_judged_quality_but_cannot_judge() -> None:
    AppTest.from_file(CODEBOOK, default_timeout=TIMEOUT).run()  # loads the demo data
    demo = store.dataset_id_by_name(config.DEMO_DATASET_NAME)
    rid = str(store.load_dataset(demo)["response_id"].iloc[0])
    corrections_store.save_corrections(
        demo, [{"response_id": rid, "theme_id": "access", "present": True}], who="ed"
    )
    at = AppTest.from_file(CODEBOOK, default_timeout=TIMEOUT)
    at.session_state["role"] = "viewer"
    at.run()
    assert not at.exception, at.exception
    assert "Check themes" in [h.value for h in at.header]
    assert not [b for b in at.button if b.key in ("chk_start", "chk_yes", "chk_no")]
    quality = [d.value for d in at.dataframe if "precision" in getattr(d.value, "columns", [])]
    assert quality and quality[0]["judged answers"].sum() >= 1


def test_the_codebook_shows_each_themes_judged_precision_and_recall() -> None:
    AppTest.from_file(CODEBOOK, default_timeout=TIMEOUT).run()  # loads the demo data
    demo = store.dataset_id_by_name(config.DEMO_DATASET_NAME)
    rids = store.load_dataset(demo)["response_id"].astype(str).iloc[:3].tolist()
    corrections_store.save_corrections(
        demo,
        [{"response_id": r, "theme_id": "medication", "present": False} for r in rids],
        who="ed",
    )
    at = AppTest.from_file(CODEBOOK, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    table = next(
        d.value for d in at.dataframe if "answers judged" in getattr(d.value, "columns", [])
    ).set_index("id")
    assert table.loc["medication", "answers judged"] >= 3
    assert table.loc["medication", "recall (95% interval)"] == "not yet"  # nobody said yes
    assert table.loc["medication", "more judgements for ±10 points"] > 0
    unjudged = table[table["answers judged"] == 0]
    assert len(unjudged) and (unjudged["precision (95% interval)"] == "").all()
    at.radio(key="cb_action").set_value("rename").run()
    at.selectbox(key="cb_theme").set_value("medication").run()
    assert not at.exception, at.exception
    said = " ".join(_texts(at))
    assert "answers people judged" in said and "more judgements would narrow" in said
