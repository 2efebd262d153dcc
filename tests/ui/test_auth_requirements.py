"""Sign-in must start in what `make run` installs: every package the st.login path imports is in the
closure of requirements.txt (the runtime pins and what they require), not pulled in by a test tool.

Streamlit imports its sign-in packages lazily, inside functions (Authlib's Starlette client, which needs
httpx; authlib.jose; itsdangerous; Starlette's session middleware), so importing streamlit proves nothing.
This test reads those lazy import statements from streamlit's own sign-in modules, runs them in a fresh
interpreter, maps every module they load to the distribution that ships it, and checks each distribution
is reachable from requirements.txt. The browser test tests/e2e/test_auth_runtime_browser.py then signs in
for real with a venv built from requirements.txt alone.
"""

from __future__ import annotations

import importlib.metadata as md
import json
import re
import subprocess
import sys
from pathlib import Path

import streamlit
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
ST = Path(streamlit.__file__).parent
# Streamlit's modules on the path from the "Sign in" button to a signed-in session (streamlit 1.67).
SIGN_IN_MODULES = [
    ST / "auth_util.py",
    ST / "user_info.py",
    *sorted((ST / "web" / "server" / "starlette").glob("starlette_*.py")),
]
_LAZY_IMPORT = re.compile(r"^\s+(from\s+[\w.]+\s+import\s+[\w, ]+|import\s+[\w.]+)\s*(#.*)?$")


def lazy_imports() -> list[str]:
    """The import statements streamlit's sign-in modules run inside functions (indented ones)."""
    found: set[str] = set()
    for path in SIGN_IN_MODULES:
        for line in path.read_text(encoding="utf-8").splitlines():
            m = _LAZY_IMPORT.match(line)
            if m and "streamlit" not in m.group(1).split()[1]:
                found.add(m.group(1).strip().rstrip(","))
    return sorted(found)


_PROBE = """
import importlib.abc, importlib.metadata as md, json, sys

blocked = set(json.loads(sys.argv[2]))


class Absent(importlib.abc.MetaPathFinder):
    # Behaves as if these packages were not installed, as in a venv built from requirements.txt alone.
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Absent())
before = set(sys.modules)
import streamlit.web.server.starlette.starlette_auth_routes
import streamlit.web.server.starlette.starlette_app
failed = []
for statement in json.loads(sys.argv[1]):
    try:
        exec(statement)
    except ImportError as exc:
        failed.append(f"{statement}: {exc}")
tops = {name.split(".")[0] for name in set(sys.modules) - before}
dists = md.packages_distributions()
print(json.dumps({"dists": sorted({d for t in tops for d in dists.get(t, [])}), "failed": failed}))
"""


def _probe(blocked: set[str] = frozenset()) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(lazy_imports()), json.dumps(sorted(blocked))],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout)


def sign_in_distributions() -> set[str]:
    """Distributions whose modules the sign-in path loads, found in a fresh interpreter."""
    return {canonicalize_name(d) for d in _probe()["dists"]}


def top_level_modules(dists: set[str]) -> set[str]:
    """The importable top-level names the given distributions provide."""
    return {
        top
        for top, owners in md.packages_distributions().items()
        if any(canonicalize_name(o) in dists for o in owners)
    }


def imports_failing_without(dists: set[str]) -> list[str]:
    """The sign-in path's import statements that fail when `dists` are not installed.

    Streamlit and its libraries import some packages only when present (joserfc before authlib.jose,
    rich for nicer errors); those are optional, and only a failing import means a missing requirement.
    """
    return _probe(top_level_modules(dists))["failed"]


def runtime_closure(path: Path = ROOT / "requirements.txt") -> set[str]:
    """Every distribution requirements.txt installs: its pins and, recursively, what they require."""
    todo: list[tuple[str, frozenset[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            todo.append((req.name, frozenset(req.extras)))
    seen: set[str] = set()
    while todo:
        name, extras = todo.pop()
        key = canonicalize_name(name)
        if key in seen and not extras:
            continue
        seen.add(key)
        try:
            requires = md.distribution(name).requires or []
        except md.PackageNotFoundError:
            continue  # not for this platform (its marker excluded it), so nothing imports it here
        for spec in map(Requirement, requires):
            wanted = (
                [spec.marker.evaluate({"extra": e}) for e in (extras or {""})]
                if spec.marker
                else [True]
            )
            if any(wanted):
                todo.append((spec.name, frozenset(spec.extras)))
    return seen


def test_the_probe_finds_streamlits_lazy_sign_in_imports() -> None:
    # Guards the probe itself: if streamlit moves these imports, the check must notice, not pass empty.
    statements = lazy_imports()
    assert any("authlib.integrations" in s for s in statements), statements
    assert any("authlib.jose" in s for s in statements), statements
    assert {"authlib", "httpx"} <= sign_in_distributions()


def test_every_package_the_sign_in_path_imports_is_a_runtime_requirement() -> None:
    absent = sign_in_distributions() - runtime_closure()
    failing = imports_failing_without(absent)
    assert not failing, (
        f"Without {sorted(absent)} (not installed by requirements.txt) the sign-in path fails: "
        f"{failing}. Sign-in then answers 'Internal Server Error' in what `make run` builds: pin them."
    )


def test_the_absence_probe_catches_a_missing_package() -> None:
    # Blocking httpx must break Authlib's Starlette client, or the check above could never fail.
    assert any("starlette_client" in f for f in imports_failing_without({"httpx"}))


def test_the_closure_follows_extras_and_markers(tmp_path: Path) -> None:
    # streamlit[auth] brings Authlib and httpx; plain streamlit does not.
    plain, extra = tmp_path / "plain.txt", tmp_path / "extra.txt"
    plain.write_text("streamlit  # the app\n")
    extra.write_text("streamlit[auth]\n")
    assert "httpx" not in runtime_closure(plain)
    assert {"httpx", "authlib", "h11"} <= runtime_closure(extra)
