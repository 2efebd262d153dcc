"""Pages never classify: while a dataset's job runs, the Overview shows its counts and the job's
progress (no exception, no endless spinner); once a worker has done the job, the themes appear."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import store
from analysis.jobs import run_job
from analysis.store import jobs
from analysis.themes import pipeline

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def background(fresh_store, monkeypatch):
    import ui.jobs

    monkeypatch.setenv("FEEDBACK_CLASSIFY", "background")
    started: list[bool] = []
    monkeypatch.setattr(ui.jobs, "ensure_worker", lambda: started.append(True))
    monkeypatch.setattr(
        pipeline, "classify_responses", lambda *a, **k: pytest.fail("a page classified")
    )
    return fresh_store, started


def test_the_overview_shows_counts_and_progress_until_the_job_is_done(background):
    url, started = background
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert [m.label for m in at.metric][:1] == ["Answers"]
    assert int(at.metric[0].value.replace(",", "")) > 1000  # what is known is shown
    bars = at.get("progress")
    assert bars and "Working out themes" in str(bars[0].proto.text)
    assert started  # a worker is made sure of
    assert not [d for d in at.dataframe if "% of answers" in d.value.columns]  # no themes yet
    (job,) = jobs.list_jobs(store.get_engine(url))
    assert job.state == jobs.QUEUED

    assert run_job(job.job_id, engine=store.get_engine(url)) == jobs.DONE  # the worker's part
    at.run()
    assert not at.exception, at.exception
    assert not at.get("progress")
    themes = [d.value for d in at.dataframe if "% of answers" in d.value.columns]
    assert themes and len(themes[0]) > 0


def test_while_a_judgement_is_learnt_the_page_keeps_its_themes_and_says_so(background):
    from analysis.themes import corrections_store

    url, _ = background
    engine = store.get_engine(url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    (job,) = jobs.list_jobs(engine)
    run_job(job.job_id, engine=engine)
    at.run()
    assert not at.get("progress")
    dataset_id = job.dataset_id
    answer = str(store.load_dataset(dataset_id, engine)["response_id"].iloc[0])
    corrections_store.save_corrections(
        dataset_id, [{"response_id": answer, "theme_id": "access", "present": True}], who="tester"
    )
    at.run()  # a new job learns the judgement; the page does not stop for it
    assert not at.exception, at.exception
    bars = at.get("progress")
    assert bars and "Learning from the latest judgements" in str(bars[0].proto.text)
    themes = [d.value for d in at.dataframe if "% of answers" in d.value.columns]
    assert themes and len(themes[0]) > 0  # the last themes stand in meanwhile
    at.button(key="pack_prepare").click().run()  # the pack uses the themes a second time
    assert not at.exception, at.exception
    assert len(at.get("progress")) == 1  # one bar says what is shown, not one per use
    assert [b for b in at.get("download_button") if "meeting pack" in str(b.proto.label)]
    learning = [j for j in jobs.list_jobs(engine) if j.state == jobs.QUEUED]
    assert len(learning) == 1
    run_job(learning[0].job_id, engine=engine)
    at.run()
    assert not at.exception, at.exception
    assert not at.get("progress")
    assert [d.value for d in at.dataframe if "% of answers" in d.value.columns]
