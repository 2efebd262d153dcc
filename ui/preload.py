"""Import the app's modules while a freshly started server waits for its first visitor.

A restarted server imports nothing of the app until the first session runs app.py, so the first person
to open a page after a restart waited for pandas, scikit-learn, plotly, SQLAlchemy and the app's own
modules to be imported in their script run (about 2.5 s of the first Overview at 200,000 answers,
bench/profile_first_open.py). scripts/app_server.py runs `preload_when_serving` in a thread as the
server starts: the imports are done before anyone arrives, and a visitor who arrives sooner waits only
for what is left (Python's import lock makes the script run wait for a module being imported, never
import it twice).
"""

from __future__ import annotations

import ast
import importlib
import logging
import time
from pathlib import Path

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
_OWN_PACKAGES = ("ui", "analysis")


def page_modules(root: Path = ROOT) -> list[str]:
    """The app's own modules that app.py and the page scripts import (sorted, each once)."""
    names: set[str] = set()
    for script in [root / "app.py", *sorted((root / "app_pages").glob("*.py"))]:
        tree = ast.parse(script.read_text(encoding="utf-8"), filename=str(script))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.split(".")[0] in _OWN_PACKAGES:
                    names.add(node.module)
                    # `from ui import auth` names a module; `from ui.x import f` names a function
                    for alias in node.names:
                        if (root / node.module.replace(".", "/") / f"{alias.name}.py").exists():
                            names.add(f"{node.module}.{alias.name}")
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names if a.name.split(".")[0] in _OWN_PACKAGES)
    return sorted(names)


def preload(modules: list[str] | None = None) -> list[str]:
    """Import `modules` (default: page_modules()); return those that failed to import.

    A module that fails here is left for the page to import (and report) as it always did.
    """
    failed = []
    for name in modules if modules is not None else page_modules():
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page's own import will show the real error
            log.warning("preload: %s could not be imported", name, exc_info=True)
            failed.append(name)
    return failed


def preload_when_serving(wait_s: float = 30.0) -> None:
    """Once Streamlit's runtime exists (so cached functions bind to it quietly), import the app's
    modules; give up waiting after `wait_s` seconds (the page imports them as before)."""
    from streamlit import runtime

    deadline = time.monotonic() + wait_s
    while not runtime.exists():
        if time.monotonic() > deadline:
            return
        time.sleep(0.05)
    started = time.perf_counter()
    failed = preload()
    log.info(
        "app modules imported in %.1f s (%d failed)", time.perf_counter() - started, len(failed)
    )
