"""Start the app (what `make run` does): `streamlit run app.py` with the WebSocket host allow-list.

Streamlit checks every WebSocket's Host header against server.allowedHosts (DNS rebinding: a page on
another site whose name is made to point at this machine must not reach the app). .streamlit/config.toml
allows localhost only; this adds the host names in FEEDBACK_ALLOWED_HOSTS (a command-line option
replaces the config file's list, so the local names are passed again). Other arguments go to streamlit.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.core import settings  # noqa: E402 - after the project root is on the path
from analysis.core.errors import InputError  # noqa: E402


def streamlit_command(extra: list[str]) -> list[str]:
    """The streamlit command line: app.py, one --server.allowedHosts per allowed host, then `extra`."""
    hosts = [arg for host in settings.allowed_hosts() for arg in ("--server.allowedHosts", host)]
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), *hosts, *extra]


def main(argv: list[str]) -> int:
    """Replace this process with the app's server (never returns unless a setting is unusable)."""
    try:
        command = streamlit_command(argv)
    except InputError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    os.chdir(ROOT)  # streamlit reads .streamlit/config.toml from the working folder
    os.execv(sys.executable, command)
    return 0  # not reached


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
