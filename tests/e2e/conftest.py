"""Browser-test fixtures: a real `streamlit run` on a free localhost port and Debian's chromium.

Playwright drives Debian's /usr/bin/chromium; its own browser download is never used.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    """A free TCP port on localhost."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(
    env_extra: dict[str, str] | None = None,
    store_dir: Path | None = None,
    *,
    port: int | None = None,
    extra_args: list[str] | None = None,
    python: str | None = None,
    launcher: list[str] | None = None,
) -> tuple[subprocess.Popen, str, Path]:
    """Start `streamlit run app.py` on a free port with an isolated store; return (process, url, log).

    `python` runs it with another interpreter (e.g. a venv holding only the runtime requirements);
    `launcher` replaces `-m streamlit run app.py` (e.g. scripts/serve.py, what `make run` uses).
    """
    port = port or free_port()
    store_dir = store_dir or Path(tempfile.mkdtemp(prefix="feedback-e2e-"))
    env = dict(os.environ)
    env["FEEDBACK_DB_PATH"] = str(store_dir / "store.sqlite")
    env.pop("DATABASE_URL", None)
    env.update(env_extra or {})
    log_path = store_dir / "streamlit.log"
    log = open(log_path, "w")  # closed with the process
    proc = subprocess.Popen(
        [
            python or sys.executable,
            *(launcher or ["-m", "streamlit", "run", "app.py"]),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *(extra_args or []),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url, log_path
        except OSError:
            time.sleep(0.5)
    stop_app(proc)
    raise RuntimeError(f"streamlit did not answer within 90 s:\n{log_path.read_text()[-3000:]}")


def stop_app(proc: subprocess.Popen) -> None:
    """Stop a started app and its children."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def app_server() -> Iterator[tuple[str, Path]]:
    """One app for the whole browser-test session: (base URL, its log file)."""
    proc, url, log_path = start_app()
    yield url, log_path
    stop_app(proc)
    shutil.rmtree(log_path.parent, ignore_errors=True)  # its own store: special-category test data


@pytest.fixture(scope="session")
def app_url(app_server: tuple[str, Path]) -> str:
    """Base URL of the running app (shared by the session's browser tests)."""
    return app_server[0]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's headless chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh browser context and page per test (no shared cookies or session)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def wait_for_app(page, timeout: float = 120_000) -> None:
    """Wait until the app is connected and its script has finished running (twice in a row, since a
    widget change can start a new run right after the last one ended)."""
    idle = "[data-testid='stApp'][data-test-script-state='notRunning'][data-test-connection-state='CONNECTED']"
    deadline = time.time() + timeout / 1000
    quiet = 0
    while time.time() < deadline:
        if page.locator(idle).count() and page.locator("[data-testid='stSpinner']").count() == 0:
            quiet += 1
            if quiet >= 3:
                return
        else:
            quiet = 0
        time.sleep(0.25)
    raise TimeoutError("the app kept running")
