"""Start the app (what `make run` does): `streamlit run app.py` with the WebSocket host allow-list.

The server is started through scripts/app_server.py, which imports the app's modules while it waits for
the first visitor (ui/preload.py), so the first page after a restart does not wait for them.

Streamlit checks every WebSocket's Host header against server.allowedHosts (DNS rebinding: a page on
another site whose name is made to point at this machine must not reach the app). .streamlit/config.toml
allows localhost only; this adds the host names in FEEDBACK_ALLOWED_HOSTS (a command-line option
replaces the config file's list, so the local names are passed again). Other arguments go to streamlit.

It also starts the background worker (`python -m analysis worker`) that classifies uploads, so their
themes are worked out outside the app's script threads, on every core; the worker stops with the app.
With FEEDBACK_CLASSIFY=in-page no worker is started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.core import settings  # noqa: E402 - after the project root is on the path
from analysis.core.errors import InputError  # noqa: E402


def streamlit_command(extra: list[str]) -> list[str]:
    """The streamlit command line: app.py, one --server.allowedHosts per allowed host, then `extra`."""
    hosts = [arg for host in settings.allowed_hosts() for arg in ("--server.allowedHosts", host)]
    # scripts/app_server.py is `python -m streamlit` that also imports the app's modules as it starts.
    server = str(ROOT / "scripts" / "app_server.py")
    return [sys.executable, server, "run", str(ROOT / "app.py"), *hosts, *extra]


def worker_command() -> list[str]:
    """The background worker's command line: it exits by itself when this process ends."""
    return [sys.executable, "-m", "analysis", "worker", "--parent", str(os.getpid())]


def main(argv: list[str]) -> int:
    """Run the app's server and its background worker until the server stops."""
    try:
        command = streamlit_command(argv)
        in_page = settings.value("FEEDBACK_CLASSIFY") == "in-page"
    except InputError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    os.chdir(ROOT)  # streamlit reads .streamlit/config.toml from the working folder
    if in_page:
        os.execv(sys.executable, command)
    worker = subprocess.Popen(worker_command())
    app = subprocess.Popen(command)

    def forward(sig: int, _frame: object) -> None:
        app.send_signal(sig)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        return app.wait()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
