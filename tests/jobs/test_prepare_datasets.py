"""A started server reads the datasets a first visitor is likely to open before anyone arrives
(ui/preload.py prepare_datasets): their answers, their stored themes and the tables a first page
shows with no filter go into the shared caches under the keys pages ask for, so the first page after
a restart reads no answers from the store and works out no theme table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.cache
import ui.themes
from analysis import store
from analysis.jobs import current_job, request_classification, run_job
from analysis.store import jobs
from analysis.store.demo import ensure_demo_dataset
from analysis.themes import corrections_store, pipeline
from ui import preload

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def background(fresh_store, monkeypatch):
    """A store whose pages classify in the background (no worker started, none classifying)."""
    import ui.jobs

    monkeypatch.setenv("FEEDBACK_CLASSIFY", "background")
    monkeypatch.setattr(ui.jobs, "ensure_worker", lambda: None)
    monkeypatch.setattr(
        pipeline, "classify_responses", lambda *a, **k: pytest.fail("a page classified")
    )
    return fresh_store


def _classified_demo(url: str) -> int:
    """The demo dataset with its job done, as a worker leaves it."""
    engine = store.get_engine(url)
    dataset_id = ensure_demo_dataset(engine)
    job = request_classification(dataset_id, engine=engine).job
    assert run_job(job.job_id, engine=engine) == jobs.DONE
    return dataset_id


def _restart() -> None:
    """What a server restart forgets: every shared cache of the app."""
    st.cache_data.clear()
    st.cache_resource.clear()


def _forbid_first_page_work(monkeypatch) -> list[str]:
    """Make reading a dataset's answers, its stored themes or working out a theme table or the data
    quality table fail; returns the list each such call is named in."""
    calls: list[str] = []

    def forbidden(name: str):
        def call(*_a, **_k):
            calls.append(name)
            raise AssertionError(f"the first page ran {name}, which the start-up had done")

        return call

    monkeypatch.setattr(ui.cache.store, "load_dataset", forbidden("load_dataset"))
    monkeypatch.setattr(ui.themes, "classified", forbidden("classified"))
    monkeypatch.setattr(ui.themes, "theme_summary", forbidden("theme_summary"))
    monkeypatch.setattr(ui.cache.overview, "data_quality", forbidden("data_quality"))
    return calls


def _theme_tables(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if "% of answers" in d.value.columns]


def test_after_preparing_the_first_overview_reads_no_answers_and_works_out_no_theme_table(
    background, monkeypatch
) -> None:
    dataset_id = _classified_demo(background)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    before = _theme_tables(at)
    assert before and len(before[0]) > 0
    _restart()

    assert preload.prepare_datasets() == ([dataset_id], 0)
    calls = _forbid_first_page_work(monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert calls == []
    assert int(at.metric[0].value.replace(",", "")) > 1000
    assert not at.get("progress")
    after = _theme_tables(at)
    assert after and after[0].equals(before[0])  # exactly what the page worked out itself


def test_without_preparing_the_same_first_overview_does_that_work(background, monkeypatch) -> None:
    """The check above can fail: a restarted server's first page reads the answers itself."""
    _classified_demo(background)
    _restart()
    calls = _forbid_first_page_work(monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert at.exception
    assert calls == ["load_dataset"]  # the sidebar's first need, before any page


def test_a_dataset_whose_job_is_not_done_gets_its_answers_but_no_themes_or_job(background) -> None:
    engine = store.get_engine(background)
    dataset_id = ensure_demo_dataset(engine)
    assert preload.prepare_dataset(dataset_id) is False
    assert jobs.list_jobs(engine) == []  # preparing never asks for a job: a page does
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    bars = at.get("progress")
    assert bars and "Working out themes" in str(bars[0].proto.text)


def test_themes_whose_agreement_is_not_yet_recorded_are_left_to_the_first_page(background) -> None:
    """The agreement history names who first saw a re-classification: a page, never the start-up."""
    url = background
    engine = store.get_engine(url)
    dataset_id = _classified_demo(url)
    answer = str(store.load_dataset(dataset_id, engine)["response_id"].iloc[0])
    corrections_store.save_corrections(
        dataset_id, [{"response_id": answer, "theme_id": "access", "present": True}], who="tester"
    )
    learnt = request_classification(
        dataset_id,
        engine=engine,
        corrections=corrections_store.corrections_for_classifier(dataset_id),
    ).job
    assert run_job(learnt.job_id, engine=engine) == jobs.DONE
    assert jobs.get_job(learnt.job_id, engine).agreement
    _restart()

    assert preload.prepare_dataset(dataset_id) is False
    assert corrections_store.list_agreement(dataset_id).empty
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert len(corrections_store.list_agreement(dataset_id)) == 1  # recorded by the page

    _restart()  # seen before this restart: the start-up may now prepare it
    assert preload.prepare_dataset(dataset_id) is True
    assert len(corrections_store.list_agreement(dataset_id)) == 1


def test_the_most_recently_classified_datasets_come_first_then_the_default_one(background) -> None:
    url = background
    engine = store.get_engine(url)
    demo = ensure_demo_dataset(engine)
    rows = store.load_dataset(demo, engine).head(300)
    a = store.save_dataset("Trust A", rows, engine=engine)
    b = store.save_dataset("Trust B", rows, engine=engine)
    c = store.save_dataset("Trust C", rows, engine=engine)
    assert preload.datasets_to_prepare(2) == [demo]  # nothing classified yet: the default only
    for dataset_id in (demo, b, a):
        assert run_job(request_classification(dataset_id, engine=engine).job.job_id) == jobs.DONE
    assert preload.datasets_to_prepare(2) == [a, b, demo]
    assert preload.datasets_to_prepare(3) == [a, b, demo]  # the demo once
    assert preload.datasets_to_prepare(0) == [demo]
    assert preload.datasets_to_prepare(50) == [a, b, demo]  # c has no done job
    store.delete_dataset(demo, engine)
    assert preload.datasets_to_prepare(1) == [a, c]  # the newest is the default without the demo


def test_current_job_looks_up_the_job_a_page_would_ask_for_and_never_records_one(
    any_store,
) -> None:
    engine = store.get_engine(any_store)
    dataset_id = ensure_demo_dataset(engine)
    assert current_job(dataset_id, engine=engine) is None
    assert jobs.list_jobs(engine) == []
    requested = request_classification(dataset_id, engine=engine).job
    assert current_job(dataset_id, engine=engine) == requested
    with pytest.raises(KeyError):
        current_job(dataset_id + 99, engine=engine)


def test_recently_classified_orders_datasets_by_their_latest_done_job(any_store) -> None:
    engine = store.get_engine(any_store)
    demo = ensure_demo_dataset(engine)
    rows = store.load_dataset(demo, engine).head(200)
    other = store.save_dataset("Other", rows, engine=engine)
    assert jobs.recently_classified(5, engine) == []
    run_job(request_classification(demo, engine=engine).job.job_id, engine=engine)
    request_classification(other, engine=engine)  # queued, never run
    assert jobs.recently_classified(5, engine) == [demo]
    run_job(request_classification(other, engine=engine).job.job_id, engine=engine)
    assert jobs.recently_classified(5, engine) == [other, demo]
    assert jobs.recently_classified(1, engine) == [other]
    assert jobs.recently_classified(0, engine) == []
