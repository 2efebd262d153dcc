"""Sign-in works in what `make run` builds: the app runs in a venv made from requirements.txt ALONE
(no test tool can pull a missing package in), and a person signs in through the local OpenID Connect
provider (oidc-provider-mock, run by the test venv) in the browser.

The venv is built once per content of requirements.txt and reused (tests/e2e/runtime_venv.py); the
first build installs from the package registry, as `make run` does.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.runtime_venv import runtime_venv
from tests.e2e.test_auth_browser import USERS, app_with_provider, sign_in
from tests.ui.test_auth_requirements import lazy_imports

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def runtime_python() -> str:
    """The python of the runtime-only venv (built on first use, then cached)."""
    python, _seconds = runtime_venv()
    return str(python)


def test_the_runtime_venv_holds_no_test_tools(runtime_python: str) -> None:
    # Otherwise this would prove nothing: the test venv's extras are exactly what hid the bug.
    out = subprocess.run(
        [runtime_python, "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    names = {p["name"].lower() for p in json.loads(out.stdout)}
    assert not names & {"pytest", "playwright", "oidc-provider-mock", "flask", "ruff"}
    assert "streamlit" in names


def test_every_sign_in_import_works_with_the_runtime_requirements(runtime_python: str) -> None:
    code = (
        "import json, sys\n"
        "import streamlit.web.server.starlette.starlette_auth_routes\n"
        "failed = []\n"
        "for s in json.loads(sys.argv[1]):\n"
        "    try:\n"
        "        exec(s)\n"
        "    except ImportError as exc:\n"
        "        failed.append(f'{s}: {exc}')\n"
        "print(json.dumps(failed))\n"
    )
    out = subprocess.run(
        [runtime_python, "-c", code, json.dumps(lazy_imports())],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert json.loads(out.stdout) == []


@pytest.fixture(scope="module")
def runtime_app(runtime_python: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by the runtime-only venv, configured for the local provider."""
    with app_with_provider(tmp_path_factory.mktemp("runtime-oidc"), python=runtime_python) as url:
        yield url


def test_sign_in_works_with_only_the_runtime_requirements(page, runtime_app: str) -> None:
    sign_in(page, runtime_app, USERS["editor"])
    assert page.get_by_text("(editor)").is_visible()
    assert page.get_by_text("Internal Server Error").count() == 0
