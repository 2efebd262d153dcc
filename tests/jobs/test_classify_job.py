"""Classification jobs: their states, results equal to a full run and stored for every later process,
partial re-theming after a codebook edit, resumption after a kill, and one run per job across
processes (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import privacy, store
from analysis.jobs import classify as job_classify
from analysis.jobs import request_classification, run_job, stored_result
from analysis.jobs import run as job_run
from analysis.store import jobs
from analysis.themes import codebook_store, pipeline
from analysis.themes.zero_shot import ZeroShotThemeClassifier

ROOT = Path(__file__).resolve().parents[2]


def _answers(n: int = 400) -> pd.DataFrame:
    df = pd.read_csv(ROOT / "data" / "demo_responses.csv", dtype=str).head(n)
    return df


def _full_run(df: pd.DataFrame, cb, corrections=None) -> pipeline.ThemeResult:
    pipeline.clear_cache()
    return pipeline.classify_responses(df[["response_id", "text"]], cb, corrections=corrections)


def _same(a: pipeline.ThemeResult, b: pipeline.ThemeResult) -> None:
    pd.testing.assert_frame_equal(a.answers, b.answers)
    pd.testing.assert_frame_equal(a.assignments, b.assignments)


def _saved(engine, n: int = 400) -> tuple[int, pd.DataFrame]:
    dataset_id = store.save_dataset("Survey", _answers(n), engine=engine)
    return dataset_id, store.load_dataset(dataset_id, engine)


def test_a_job_goes_queued_running_done_and_equals_a_full_run(fresh_store):
    engine = store.get_engine(fresh_store)
    dataset_id, df = _saved(engine)
    queued: list[int] = []
    req = request_classification(dataset_id, engine=engine, enqueue=queued.append)
    assert req.created and queued == [req.job.job_id] and req.job.state == jobs.QUEUED
    seen: list[tuple[str, int]] = []
    real = jobs.heartbeat

    def watch(conn, job_id, worker, done_count, total=None):
        ok = real(conn, job_id, worker, done_count, total)
        seen.append((jobs.get_job(job_id, engine).state, done_count))
        return ok

    jobs.heartbeat, saved = watch, jobs.heartbeat
    try:
        assert run_job(req.job.job_id, engine=engine) == jobs.DONE
    finally:
        jobs.heartbeat = saved
    assert seen and all(state == jobs.RUNNING for state, _ in seen)
    job = jobs.get_job(req.job.job_id, engine)
    assert job.state == jobs.DONE and job.progress == 1.0 and job.attempts == 1
    # Asking again is the same job; running it again does nothing.
    again = request_classification(dataset_id, engine=engine, enqueue=queued.append)
    assert not again.created and again.job.job_id == job.job_id and len(queued) == 1
    assert run_job(job.job_id, engine=engine) == "skipped"
    _same(stored_result(df, job, req.codebook, engine), _full_run(df, req.codebook))


def test_snapshots_give_what_the_rows_give_and_go_with_their_dataset(fresh_store):
    import sqlalchemy as sa

    from analysis.store.snapshots import frame_snapshots

    engine = store.get_engine(fresh_store)
    dataset_id, from_rows = _saved(engine)
    everyone_from_rows = store.load_dataset(dataset_id, engine, with_no_content=True)
    req = request_classification(dataset_id, engine=engine)
    run_job(req.job.job_id, engine=engine)
    job = jobs.get_job(req.job.job_id, engine)
    with engine.connect() as conn:
        keys = conn.execute(sa.select(frame_snapshots.c.key)).scalars().all()
    # the answers, every row (who took part), the job's two result tables, the answers redacted
    assert len(keys) == 5 and sum(k.endswith(":everyone") for k in keys) == 1, keys
    assert sum(":redacted:" in k for k in keys) == 1, keys
    pd.testing.assert_frame_equal(store.load_dataset(dataset_id, engine), from_rows)
    everyone = store.load_dataset(dataset_id, engine, with_no_content=True)
    pd.testing.assert_frame_equal(everyone, everyone_from_rows)
    from_snapshot = stored_result(from_rows, job, req.codebook, engine)
    answers, assignments = job_run._result_frames(from_rows, job, req.codebook, engine)
    pd.testing.assert_frame_equal(from_snapshot.answers, answers)
    pd.testing.assert_frame_equal(from_snapshot.assignments, assignments)
    store.delete_dataset(dataset_id, engine)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(frame_snapshots)).scalar() == 0


def test_a_job_spread_over_processes_equals_a_full_run(fresh_store, monkeypatch):
    engine = store.get_engine(fresh_store)
    dataset_id, df = _saved(engine)
    monkeypatch.setattr(job_classify, "POOL_MIN_TEXTS", 0)  # fork even for these few answers
    monkeypatch.setattr(job_classify.os, "cpu_count", lambda: 2)
    req = request_classification(dataset_id, engine=engine)
    assert run_job(req.job.job_id, engine=engine) == jobs.DONE
    job = jobs.get_job(req.job.job_id, engine)
    _same(stored_result(df, job, req.codebook, engine), _full_run(df, req.codebook))


def test_a_job_that_fails_records_why_and_can_be_retried(fresh_store, monkeypatch):
    engine = store.get_engine(fresh_store)
    dataset_id, _ = _saved(engine, 50)
    req = request_classification(dataset_id, engine=engine)
    monkeypatch.setattr(
        job_run, "answer_texts", lambda df: (_ for _ in ()).throw(MemoryError("out of memory"))
    )
    assert run_job(req.job.job_id, engine=engine) == jobs.FAILED
    job = jobs.get_job(req.job.job_id, engine)
    assert job.state == jobs.FAILED and "out of memory" in job.error
    # Asked for again, a failed job is queued again (a retry), not duplicated.
    retry = request_classification(dataset_id, engine=engine)
    assert retry.created and retry.job.job_id == job.job_id and retry.job.state == jobs.QUEUED


def test_stored_results_are_read_back_after_a_restart_without_classifying(fresh_store):
    engine = store.get_engine(fresh_store)
    dataset_id, df = _saved(engine)
    req = request_classification(dataset_id, engine=engine)
    run_job(req.job.job_id, engine=engine)
    expected = _full_run(df, req.codebook)
    # A new server process: its caches are empty; a classification there would fail this test.
    code = f"""
import sys; sys.path.insert(0, {str(ROOT)!r})
from analysis.themes import zero_shot
def refuse(*a, **k): raise SystemExit("classified again")
zero_shot.ZeroShotThemeClassifier.fit = refuse
zero_shot.ZeroShotThemeClassifier.classify = refuse
from analysis import privacy, store
from analysis.jobs import request_classification, stored_result
engine = store.get_engine({fresh_store!r})
req = request_classification({dataset_id}, engine=engine, enqueue=lambda j: sys.exit("queued"))
res = stored_result(store.load_dataset({dataset_id}, engine), req.job, req.codebook, engine)
res.answers.to_pickle(sys.argv[1]); res.assignments.to_pickle(sys.argv[2])
"""
    out = [
        str(Path(fresh_store.removeprefix("sqlite:///")).with_name(n)) for n in ("a.pkl", "b.pkl")
    ]
    done = subprocess.run([sys.executable, "-c", code, *out], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-800:]
    pd.testing.assert_frame_equal(pd.read_pickle(out[0]), expected.answers)
    pd.testing.assert_frame_equal(pd.read_pickle(out[1]), expected.assignments)


def _edited(cb):
    """The codebook with one more seed on its first theme (a change that moves the model)."""
    themes = list(cb.themes)
    themes[0] = dataclasses.replace(themes[0], seeds=[*themes[0].seeds, "phone"])
    return dataclasses.replace(cb, themes=themes)


def test_a_codebook_edit_rescores_only_what_changed_and_equals_a_full_run(fresh_store, monkeypatch):
    engine = store.get_engine(fresh_store)
    dataset_id, df = _saved(engine)
    first = request_classification(dataset_id, engine=engine)
    run_job(first.job.job_id, engine=engine)
    v1 = first.codebook
    # A description edit does not change what decides themes: the same results, no new job.
    described = dataclasses.replace(
        v1, themes=[dataclasses.replace(v1.themes[0], description="new words"), *v1.themes[1:]]
    )
    saved = codebook_store.save_version(described, who="t", base_version=v1.version, engine=engine)
    same = request_classification(dataset_id, engine=engine)
    assert same.codebook.version == saved.version and same.job.job_id == first.job.job_id

    saved = codebook_store.save_version(
        _edited(v1), who="t", base_version=saved.version, engine=engine
    )
    calls = {"whole": 0, "clauses": 0}
    from analysis.text import sentiment, sentiment_model

    real_whole, real_answer = sentiment_model.answer_scores, sentiment.answer_sentiment

    def count_whole(texts):
        calls["whole"] += len(texts)
        return real_whole(texts)

    def count_answer(text, evidence, whole=None):
        calls["clauses"] += 1
        return real_answer(text, evidence, whole=whole)

    monkeypatch.setattr(sentiment_model, "answer_scores", count_whole)
    monkeypatch.setattr(sentiment, "answer_sentiment", count_answer)
    second = request_classification(dataset_id, engine=engine)
    assert second.job.previous_model_key == first.job.model_key
    assert run_job(second.job.job_id, engine=engine) == jobs.DONE
    distinct = df["text"].fillna("").map(pipeline.text_key).nunique()
    assert calls["whole"] == 0  # every text's own score is the first job's
    assert 0 < calls["clauses"] < distinct / 4  # only answers whose evidence changed
    monkeypatch.setattr(sentiment_model, "answer_scores", real_whole)
    monkeypatch.setattr(sentiment, "answer_sentiment", real_answer)
    job = jobs.get_job(second.job.job_id, engine)
    _same(stored_result(df, job, second.codebook, engine), _full_run(df, second.codebook))


def test_corrections_make_a_new_job_equal_to_a_full_run(fresh_store):
    engine = store.get_engine(fresh_store)
    dataset_id, df = _saved(engine)
    cb = codebook_store.latest_codebook(engine)
    corrections = pd.DataFrame(
        {"response_id": df["response_id"].head(3), "theme_id": cb.theme_ids[0], "present": True}
    )
    req = request_classification(dataset_id, engine=engine, corrections=corrections)
    run_job(req.job.job_id, engine=engine)
    job = jobs.get_job(req.job.job_id, engine)
    assert job.state == jobs.DONE and job.agreement is not None
    _same(stored_result(df, job, cb, engine), _full_run(df, cb, corrections))


_CHILD = """
import os, sys, time
sys.path.insert(0, {root!r})
from analysis.jobs import classify, run
classify.CHUNK_TEXTS = run.CHUNK_TEXTS = {chunk}
pause = float(os.environ.get("PAUSE_AFTER_CHUNK", "0"))
if pause:  # after each stored chunk (its transaction committed), wait before the next one
    real = classify.entries_for
    calls = []
    def slow(*a, **k):
        if calls:
            print("CHUNK", flush=True); time.sleep(pause)
        calls.append(1)
        return real(*a, **k)
    classify.entries_for = slow
from analysis import privacy, store
print("STATE", run.run_job({job_id}, engine=store.get_engine({url!r})), flush=True)
"""


def _child(url: str, job_id: int, chunk: int, pause: float = 0.0) -> subprocess.Popen:
    env = {**os.environ, "PAUSE_AFTER_CHUNK": str(pause), "FEEDBACK_SQLITE_TIMEOUT_S": "30"}
    code = _CHILD.format(root=str(ROOT), chunk=chunk, job_id=job_id, url=url)
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_job_killed_midway_resumes_where_it_stopped(any_store):
    engine = store.get_engine(any_store)
    dataset_id, df = _saved(engine)
    req = request_classification(dataset_id, engine=engine)
    proc = _child(any_store, req.job.job_id, chunk=100, pause=30)
    assert proc.stdout.readline().strip() == "CHUNK"  # one chunk stored, then killed
    proc.kill()
    proc.wait()
    job = jobs.get_job(req.job.job_id, engine)
    assert job.state == jobs.RUNNING and job.done_count == 100 < job.total
    # Still held (its heartbeat is fresh): nobody else takes it yet...
    assert run_job(job.job_id, engine=engine) == "skipped"
    # ...once it is stale, the next worker finishes only what is left.
    stored_before = store.results.count_entries(job.model_key, engine)
    real = job_classify.entries_for
    classified: list[int] = []
    job_classify.entries_for = lambda m, part, prev: classified.append(len(part)) or real(
        m, part, prev
    )
    try:
        assert run_job(job.job_id, engine=engine, stale_after_s=0) == jobs.DONE
    finally:
        job_classify.entries_for = real
    assert stored_before == 100 and sum(classified) == job.total - 100
    job = jobs.get_job(job.job_id, engine)
    assert job.attempts == 2
    _same(stored_result(df, job, req.codebook, engine), _full_run(df, req.codebook))


def test_two_processes_never_run_the_same_job(any_store):
    engine = store.get_engine(any_store)
    dataset_id, _ = _saved(engine)
    req = request_classification(dataset_id, engine=engine)
    procs = [_child(any_store, req.job.job_id, chunk=100, pause=0.2) for _ in range(2)]
    outs = [p.communicate(timeout=180) for p in procs]
    states = sorted(o[0].strip().splitlines()[-1] for o in outs)
    assert states == ["STATE done", "STATE skipped"], [o[1][-500:] for o in outs]
    job = jobs.get_job(req.job.job_id, engine)
    assert job.state == jobs.DONE and job.attempts == 1
    assert store.results.count_entries(job.model_key, engine) == job.total


def test_zero_shot_is_not_refitted_when_results_are_stored(fresh_store, monkeypatch):
    engine = store.get_engine(fresh_store)
    dataset_id, df = _saved(engine, 60)
    req = request_classification(dataset_id, engine=engine)
    run_job(req.job.job_id, engine=engine)
    monkeypatch.setattr(ZeroShotThemeClassifier, "fit", lambda *a, **k: pytest.fail("fitted"))
    job = jobs.get_job(req.job.job_id, engine)
    assert len(stored_result(df, job, req.codebook, engine).answers) == len(df)


def test_the_stored_results_key_changes_with_the_judgements():
    from analysis.themes.codebook import default_codebook

    cb = default_codebook()
    said = pd.DataFrame({"response_id": ["a"], "theme_id": ["access"], "present": [1]})
    key = job_classify.model_key
    none = key("h", cb, job_classify.corrections_json(None))
    yes = key("h", cb, job_classify.corrections_json(said))
    no = key("h", cb, job_classify.corrections_json(said.assign(present=[0])))
    assert len({none, yes, no}) == 3
    assert yes == key("h", cb, job_classify.corrections_json(said.copy()))


def test_the_worker_redacts_a_datasets_answers_once_for_search(fresh_store, monkeypatch):
    from analysis.store import redacted_texts

    engine = store.get_engine(fresh_store)
    dataset_id, df = _saved(engine)
    req = request_classification(dataset_id, engine=engine)
    run_job(req.job.job_id, engine=engine)
    content = str(store.get_dataset_meta(dataset_id, engine)["content_hash"])
    pairs = redacted_texts.load_redacted(dataset_id, content, engine)
    texts = df["text"].astype("string").dropna().unique()
    assert pairs is not None and sorted(pairs["text"]) == sorted(texts)
    by_text = dict(zip(pairs["text"], pairs["redacted"], strict=True))
    sample = list(texts[:50])
    assert [by_text[t] for t in sample] == [privacy.redact_text(t).text for t in sample]
    # A later job (a codebook edit) does not redact them again.
    made: list[int] = []
    monkeypatch.setattr(job_run, "snapshot_redacted", lambda *a, **k: made.append(1))
    edited = _edited(req.codebook)
    codebook_store.save_version(
        edited, who="test", base_version=req.codebook.version, engine=engine
    )
    again = request_classification(dataset_id, engine=engine)
    assert again.created and run_job(again.job.job_id, engine=engine) == jobs.DONE
    assert made == []


def test_while_a_judgement_is_learnt_the_last_themes_stand_in_with_the_judgement_applied(
    fresh_store,
):
    engine = store.get_engine(fresh_store)
    dataset_id, df = _saved(engine)
    cb = codebook_store.latest_codebook(engine)
    first = request_classification(dataset_id, engine=engine)
    run_job(first.job.job_id, engine=engine)
    done = stored_result(df, jobs.get_job(first.job.job_id, engine), cb, engine)
    # A person says the first answer raises a theme it did not, and not one it did.
    answer = str(df["response_id"].iloc[0])
    had = set(done.assignments.loc[done.assignments["response_id"] == answer, "theme_id"])
    added = next(t for t in cb.theme_ids if t not in had)
    judged = [{"response_id": answer, "theme_id": added, "present": True}]
    judged += [
        {"response_id": answer, "theme_id": t, "present": False} for t in had if t in cb.theme_ids
    ]
    corrections = pd.DataFrame(judged)
    second = request_classification(dataset_id, engine=engine, corrections=corrections)
    assert second.job.state == jobs.QUEUED
    base = job_run.interim_base(second.job, engine)
    assert base is not None and base.job_id == first.job.job_id
    interim = job_run.interim_result(df, second.job, base, cb, engine)
    assert interim.model_info["interim"] is True
    themes = interim.assignments.groupby("response_id")["theme_id"].apply(set)
    assert themes[answer] == {added}  # the judged answer, exactly as judged
    others = done.assignments[done.assignments["response_id"] != answer]
    pd.testing.assert_frame_equal(  # every other answer keeps its last themes
        interim.assignments[interim.assignments["response_id"] != answer].reset_index(drop=True),
        others.reset_index(drop=True),
    )
    # Once the job is done, its own results, equal to a full run with the judgement.
    run_job(second.job.job_id, engine=engine)
    final = jobs.get_job(second.job.job_id, engine)
    assert job_run.interim_base(final, engine) is None  # done jobs need no stand-in
    _same(stored_result(df, final, cb, engine), _full_run(df, cb, corrections))


def test_no_stand_in_from_another_codebook_or_for_a_first_job(fresh_store):
    engine = store.get_engine(fresh_store)
    dataset_id, df = _saved(engine)
    first = request_classification(dataset_id, engine=engine)
    assert job_run.interim_base(first.job, engine) is None  # nothing was worked out yet
    run_job(first.job.job_id, engine=engine)
    other = dataclasses.replace(first.job, model_key="another", codebook_version=99)
    assert job_run.interim_base(other, engine) is None  # another codebook's themes
    same = dataclasses.replace(first.job, model_key="another")
    assert job_run.interim_base(same, engine).job_id == first.job.job_id
