"""The app as `make run` starts it imports its modules before the first visitor, and pages still work.

scripts/serve.py starts the server through scripts/app_server.py, whose preload thread imports every
module the pages import (ui/preload.py). Cached functions imported that way must work in real sessions:
this opens the Overview and the Themes page after the preload has finished and checks their content.
The preload also stores the demo dataset in a new store, so the first visitor does not wait for it,
and reads it into the shared caches (tests/jobs/test_prepare_datasets.py checks what that saves a page).
"""

from __future__ import annotations

import sqlite3
import time

import pytest

from analysis.core import config
from tests.e2e.conftest import start_app, stop_app, wait_for_app

pytestmark = pytest.mark.e2e


def test_pages_work_after_the_server_preloaded_them(page, tmp_path) -> None:
    proc, url, log = start_app(
        store_dir=tmp_path,
        env_extra={"FEEDBACK_CLASSIFY": "in-page"},
        launcher=["scripts/serve.py"],
    )
    try:
        deadline = time.time() + 120
        while "datasets prepared for a first visitor" not in log.read_text():
            assert time.time() < deadline, log.read_text()[-2000:]
            time.sleep(0.25)
        lines = log.read_text().splitlines()
        line = next(s for s in lines if "app modules imported" in s)
        assert "(0 imports and 0 warm-ups failed)" in line
        # The demo, the dataset a link without one opens, is read before anyone opens a page.
        line = next(s for s in lines if "datasets prepared for a first visitor" in s)
        assert "visitor: 1 in" in line and "(0 failed)" in line
        # The demo data is stored before anyone opens a page (the first page only finds it).
        with sqlite3.connect(tmp_path / "store.sqlite") as conn:
            names = [r[0] for r in conn.execute("SELECT name FROM datasets")]
        assert names == [config.DEMO_DATASET_NAME]
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("heading", name="What people raised most").wait_for()
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator("[data-testid='stMetricValue']").count() == 4
        page.goto(f"{url}/themes")
        wait_for_app(page)
        page.get_by_role("heading", name="Themes", exact=True).wait_for()
        assert page.locator("[data-testid='stException']").count() == 0
        assert "No runtime found" not in log.read_text()
        # Reading the datasets at start-up has no page for a loader's spinner: no warning about it.
        assert "Thread 'preload': missing ScriptRunContext" not in log.read_text()
    finally:
        stop_app(proc)
