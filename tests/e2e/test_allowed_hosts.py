"""DNS rebinding: the app's WebSocket refuses a foreign Host and Origin and accepts its own names.

A raw WebSocket handshake (the `websockets` client streamlit itself depends on) is sent to the app on
127.0.0.1 with chosen Host and Origin headers, as a browser would after a rebinding page's name had
been pointed at this machine.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.e2e.conftest import free_port, start_app, stop_app

pytestmark = pytest.mark.e2e


def handshake(port: int, host: str) -> int:
    """Open the app's WebSocket as if reached at `host` (Host and Origin); the HTTP status it gets."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        with connect(
            f"ws://{host}:{port}/_stcore/stream",
            sock=sock,
            origin=f"http://{host}:{port}",
            subprotocols=["streamlit"],
            open_timeout=10,
        ):
            return 101
    except InvalidStatus as exc:
        return exc.response.status_code
    finally:
        sock.close()


@pytest.fixture(scope="module")
def plain_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The app as the e2e tests start it: `streamlit run app.py` with .streamlit/config.toml."""
    port = free_port()
    proc, _, _ = start_app(store_dir=tmp_path_factory.mktemp("hosts"), port=port)
    yield port
    stop_app(proc)


@pytest.fixture(scope="module")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The app as `make run` starts it (scripts/serve.py), with one extra allowed host."""
    port = free_port()
    proc, _, _ = start_app(
        env_extra={"FEEDBACK_ALLOWED_HOSTS": "dashboard.example.org"},
        store_dir=tmp_path_factory.mktemp("served"),
        port=port,
        launcher=["scripts/serve.py"],
    )
    yield port
    stop_app(proc)


def test_a_foreign_host_is_refused(plain_app: int) -> None:
    assert handshake(plain_app, "rebind.attacker.example") == 403
    assert handshake(plain_app, "dashboard.example.org") == 403  # not configured here


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_the_apps_own_names_are_accepted(plain_app: int, host: str) -> None:
    assert handshake(plain_app, host) == 101


def test_make_run_adds_the_configured_hosts(served_app: int) -> None:
    assert handshake(served_app, "dashboard.example.org") == 101
    assert handshake(served_app, "localhost") == 101
    assert handshake(served_app, "rebind.attacker.example") == 403
