"""A virtual environment holding ONLY the runtime requirements (requirements.txt), for tests that must
prove the app works in what `make run` builds, not in the test venv with its extra packages.

It is built once per content of requirements.txt (and Python version) under a cache folder and reused
by later runs: ~/.cache/feedback-dashboard/runtime-venv-<hash>, or $FEEDBACK_TEST_CACHE/... when set.
Building needs the package registry (as `make run` does); a build in progress is guarded by a lock so two
test processes never build the same venv at once, and a half-built venv is never used.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements.txt"
# The venv's own installer, the same as the Makefile's set-up step.
SETUP_TOOLS = ROOT / "requirements-setup.txt"


def cache_root() -> Path:
    """Where runtime venvs are kept between test runs."""
    base = os.environ.get("FEEDBACK_TEST_CACHE") or Path.home() / ".cache" / "feedback-dashboard"
    return Path(base)


def _key() -> str:
    digest = hashlib.sha256()
    for path in (REQUIREMENTS, SETUP_TOOLS):
        if path.exists():
            digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def runtime_venv() -> tuple[Path, float]:
    """The runtime-only venv's python, building it when missing; returns (python, seconds spent building)."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    venv = root / f"runtime-venv-{_key()}"
    python = venv / "bin" / "python"
    done = venv / ".complete"
    with open(root / f".{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            done.touch()  # marks it as in use, so the clean-up below keeps it
            return python, 0.0
        started = time.monotonic()
        shutil.rmtree(venv, ignore_errors=True)  # a build that died half-way
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        if SETUP_TOOLS.exists():
            subprocess.run([*pip, "-r", str(SETUP_TOOLS)], check=True, cwd=ROOT)
        subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True, cwd=ROOT)
        done.write_text(time.strftime("%Y-%m-%d %H:%M:%S"))
        _remove_unused(root, keep=venv)
        return python, time.monotonic() - started


def _remove_unused(root: Path, keep: Path, days: float = 7) -> None:
    """Builds for other requirements not used for a week are dead weight (~1 GB each). Recent ones
    may belong to another checkout running its tests right now, so they stay."""
    cutoff = time.time() - days * 86400
    for old in root.glob("runtime-venv-*"):
        marker = old / ".complete"
        if old != keep and marker.exists() and marker.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)
