"""The app side of background classification: ask for a dataset's job, show its progress while it
runs (refreshing by itself), make sure a worker runs, and read the stored results once it is done.

Pages never classify: with FEEDBACK_CLASSIFY=background (the default) a worker process does it and
the page shows the job's progress and stops where the themes would begin, keeping what it already
drew (counts, charts that need no themes). FEEDBACK_CLASSIFY=in-page runs the same job in the page
and waits, for the test suite and quick trials.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.core import settings
from analysis.jobs import (
    interim_base,
    interim_result,
    request_classification,
    run_job,
    stored_result,
)
from analysis.jobs.queue import queue_for
from analysis.store import jobs
from analysis.themes.codebook import Codebook
from analysis.themes.pipeline import ThemeResult

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
_worker: subprocess.Popen | None = None
_worker_lock = threading.Lock()


def ensure_worker() -> None:
    """Start a worker process beside this app when none is running on its store (a fresh process
    from a clean interpreter: nothing of Streamlit's threads is forked). It exits with the app."""
    global _worker
    if queue_for().worker_running():
        return
    with _worker_lock:
        if _worker is not None and _worker.poll() is None:
            return
        log.info("no background worker seen: starting one")
        _worker = subprocess.Popen(
            [sys.executable, "-m", "analysis", "worker", "--parent", str(os.getpid())], cwd=ROOT
        )


def classified(
    dataset_id: int,
    responses: pd.DataFrame,
    codebook: Codebook,
    corrections: pd.DataFrame | None,
    *,
    quiet: bool = False,
) -> ThemeResult:
    """The stored themes of a dataset; while its job runs, show progress and stop the page here.

    `quiet`: draw no progress (a second use of the themes in one run, below the first, which did)."""
    background = settings.value("FEEDBACK_CLASSIFY") == "background"
    req = request_classification(
        dataset_id,
        codebook=codebook,
        corrections=corrections,
        enqueue=queue_for().enqueue if background else None,
    )
    job = req.job
    if job.state != jobs.DONE and not background:
        with st.status(f"Classifying {len(responses):,} answers…", expanded=False) as status:
            run_job(job.job_id)
            status.update(label=f"Classified {len(responses):,} answers", state="complete")
        job = jobs.get_job(job.job_id)
    if job.state == jobs.DONE:
        return stored_result(responses, job, codebook)
    if background:
        ensure_worker()
    base = interim_base(job) if job.state != jobs.FAILED else None
    if base is not None:
        # A judgement (or a correction) is being learnt: the page goes on with the last themes,
        # judged answers as judged, and says so; it reruns by itself once the job is done.
        if not quiet:
            job_progress(job.job_id, codebook.version, interim=True)
        return _interim(dataset_id, job.job_id, base.job_id, responses, job, base, codebook)
    if not quiet:
        job_progress(job.job_id, codebook.version)
    st.stop()
    raise AssertionError("not reached")  # st.stop() ends the script run


@st.cache_resource(max_entries=2, show_spinner=False)
def _interim(
    dataset_id: int,
    job_id: int,
    base_id: int,
    _responses: pd.DataFrame,
    _job: jobs.Job,
    _base: jobs.Job,
    _codebook: Codebook,
) -> ThemeResult:
    """Built once per running job (the page reruns on each key press while it runs)."""
    return interim_result(_responses, _job, _base, _codebook)


@st.fragment(run_every=2)
def job_progress(job_id: int, codebook_version: int | None, interim: bool = False) -> None:
    """The job's progress, redrawn every 2 s; the whole page reruns once the job is done.

    `interim`: the page shows the last themes meanwhile (the judged answers as judged), so the note
    says that instead of "themes appear here"."""
    job = jobs.get_job(job_id)
    if job is None:
        st.warning("The dataset was deleted while its themes were being worked out.")
        return
    if job.state == jobs.DONE:
        st.rerun()
    if job.state == jobs.FAILED:
        st.error(
            "Working out the themes failed. Reload the page to try again; if it fails again an "
            "administrator can find the details in the server's log."
        )
        st.text(f"Reason: {job.error or 'not recorded'}")
        return
    what = "waiting for a worker" if job.state == jobs.QUEUED else "in the background"
    if interim:
        st.progress(
            job.progress,
            text=(
                f"Learning from the latest judgements ({what}): {job.done_count:,} of "
                f"{job.total:,} answers re-themed."
            ),
        )
        st.caption(
            "Until this is done, the answers people judged show their judgements and every other "
            "answer keeps the themes last worked out; the page updates by itself."
        )
        return
    st.progress(
        job.progress,
        text=(
            f"Working out themes and sentiment with codebook version {codebook_version} ({what}): "
            f"{job.done_count:,} of {job.total:,} done."
        ),
    )
    st.caption(
        "The figures above are complete. Themes appear here when the work is done; you can use "
        "other pages meanwhile."
    )


def start_classification(dataset_id: int) -> bool:
    """Hand a newly saved dataset's job to the workers at once (background mode), so its themes are
    being worked out before anyone opens a page (True when queued); a failure here only delays that to
    the first page that needs the themes."""
    if settings.value("FEEDBACK_CLASSIFY") != "background":
        return False
    try:
        request_classification(dataset_id, enqueue=queue_for().enqueue)
        ensure_worker()
        return True
    except Exception:
        log.exception("could not queue the classification of dataset %d", dataset_id)
        return False
