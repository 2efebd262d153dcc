"""The server imports the app's modules as it starts (ui/preload.py, scripts/app_server.py).

Each check runs in a fresh interpreter, since this test session has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scripts import serve
from ui import preload

ROOT = Path(__file__).resolve().parents[2]


def _fresh(code: str) -> dict:
    """Run `code` in a new interpreter at the project root; the JSON it prints last."""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_page_modules_are_what_the_pages_import(tmp_path: Path) -> None:
    (tmp_path / "app_pages").mkdir()
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "widgets.py").write_text("")
    (tmp_path / "app.py").write_text(
        "import streamlit as st\nfrom ui import widgets, NOT_A_MODULE\n"
    )
    (tmp_path / "app_pages" / "one.py").write_text(
        "import pandas as pd\nfrom analysis.findings.spc import xmr\nimport analysis.charts.base\n"
        "def later():\n    from ui.themes import headline_themes\n"
    )
    assert preload.page_modules(tmp_path) == [
        "analysis.charts.base",
        "analysis.findings.spc",
        "ui",
        "ui.themes",
        "ui.widgets",
    ]


def test_the_real_pages_imports_are_covered() -> None:
    names = preload.page_modules()
    # what the Overview's first open spent its import time on (bench/profile_first_open.py)
    for name in ("ui.meeting_pack", "ui.auth", "ui.context", "ui.themes", "ui.cache"):
        assert name in names
    assert all(name.split(".")[0] in ("ui", "analysis") for name in names)


def test_preload_imports_every_page_module_in_a_fresh_process() -> None:
    result = _fresh(
        "import json, sys\n"
        "from ui import preload\n"
        "names = preload.page_modules()\n"
        "before = [n for n in names if n in sys.modules]\n"
        "failed = preload.preload()\n"
        "print(json.dumps({'before': before, 'failed': failed,\n"
        "  'missing': [n for n in names if n not in sys.modules]}))\n"
    )
    assert result == {"before": ["ui"], "failed": [], "missing": []}


def test_a_module_that_fails_is_reported_not_raised() -> None:
    assert preload.preload(["ui.no_such_module", "ui.widgets"]) == ["ui.no_such_module"]


def test_without_a_server_the_preload_gives_up_and_imports_nothing() -> None:
    result = _fresh(
        "import json, sys\n"
        "from ui import preload\n"
        "preload.preload_when_serving(wait_s=0.2)\n"
        "print(json.dumps({'imported': 'ui.meeting_pack' in sys.modules}))\n"
    )
    assert result == {"imported": False}


def test_make_run_starts_the_server_through_the_preloading_launcher() -> None:
    command = serve.streamlit_command(["--server.port", "8765"])
    assert command[1] == str(ROOT / "scripts" / "app_server.py")
    assert command[2:4] == ["run", str(ROOT / "app.py")]
    assert command[-2:] == ["--server.port", "8765"]


def test_the_chart_warm_up_loads_what_a_first_chart_would_in_a_fresh_process() -> None:
    """Plotly loads a trace's and an axis's classes when a chart first uses them: the warm-up does."""
    wanted = ["plotly.graph_objs._heatmap", "plotly.graph_objs.layout._xaxis"]
    result = _fresh(
        "import json, sys\n"
        "import plotly.graph_objects\n"
        "from analysis.charts.base import base_layout\n"
        "from ui import preload\n"
        f"wanted = {wanted!r}\n"
        "before = [n in sys.modules for n in wanted]\n"
        "preload.warm_charts()\n"
        "print(json.dumps([before, [n in sys.modules for n in wanted]]))\n"
    )
    assert result == [[False, False], [True, True]]


def test_once_serving_the_warm_ups_run_after_the_imports_and_a_failing_one_is_only_logged(
    monkeypatch, caplog
) -> None:
    from streamlit import runtime

    calls: list[str] = []
    monkeypatch.setattr(runtime, "exists", lambda: True)
    monkeypatch.setattr(preload, "preload", lambda: calls.append("imports") or [])

    def failing() -> None:
        calls.append("charts")
        raise RuntimeError("no plotly today")

    monkeypatch.setattr(preload, "warm_charts", failing)
    monkeypatch.setattr(preload, "warm_frames", lambda: calls.append("frames"))
    monkeypatch.setattr(preload, "warm_media", lambda: calls.append("media"))
    monkeypatch.setattr(preload, "prepare_demo", lambda: calls.append("demo"))
    monkeypatch.setattr(
        preload, "prepare_datasets", lambda: calls.append("datasets") or ([4, 7], 1)
    )
    with caplog.at_level("INFO", logger="ui.preload"):
        preload.preload_when_serving(wait_s=0.2)
    assert calls == ["imports", "media", "demo", "charts", "frames", "datasets"]
    assert "preload: failing failed" in caplog.text and "no plotly today" in caplog.text
    assert "app modules imported" in caplog.text
    assert "(0 imports and 1 warm-ups failed)" in caplog.text
    assert "datasets prepared for a first visitor: 4, 7 in" in caplog.text
    assert "(1 failed)" in caplog.text


def test_a_dataset_that_cannot_be_prepared_is_logged_and_the_rest_still_are(
    monkeypatch, caplog
) -> None:
    monkeypatch.setattr(preload, "datasets_to_prepare", lambda limit=None: [3, 5, 8])
    done: list[int] = []

    def prepare(dataset_id: int) -> bool:
        if dataset_id == 5:
            raise OSError("snapshot unreadable")
        done.append(dataset_id)
        return True

    monkeypatch.setattr(preload, "prepare_dataset", prepare)
    with caplog.at_level("WARNING", logger="ui.preload"):
        assert preload.prepare_datasets() == ([3, 8], 1)
    assert done == [3, 8]
    assert "dataset 5 could not be prepared" in caplog.text and "snapshot unreadable" in caplog.text


def test_a_store_that_cannot_list_its_datasets_prepares_none(monkeypatch, caplog) -> None:
    def broken(limit=None):
        raise RuntimeError("store offline")

    monkeypatch.setattr(preload, "datasets_to_prepare", broken)
    with caplog.at_level("WARNING", logger="ui.preload"):
        assert preload.prepare_datasets() == ([], 1)
    assert "could not be listed" in caplog.text and "store offline" in caplog.text


def test_the_demo_is_stored_once_by_the_preload(tmp_path: Path, monkeypatch) -> None:
    """A new store gets the demo dataset from the start-up work; a second start only finds it."""
    from analysis.core import config
    from analysis.store import database, datasets

    monkeypatch.setenv("FEEDBACK_DB_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    preload.prepare_demo()
    first = datasets.dataset_id_by_name(config.DEMO_DATASET_NAME)
    preload.prepare_demo()
    listed = datasets.list_datasets()
    assert first is not None
    assert listed["dataset_id"].tolist() == [first]
    assert database.engine_for().url.database == str(tmp_path / "store.sqlite")


def test_the_media_warm_up_reads_the_file_type_table_in_a_fresh_process() -> None:
    result = _fresh(
        "import json, mimetypes\n"
        "from ui import preload\n"
        "before = mimetypes.inited\n"
        "import sys\n"
        "pillow = 'PIL.PngImagePlugin' in sys.modules\n"
        "preload.warm_media()\n"
        "print(json.dumps([before, pillow, mimetypes.inited, 'PIL.PngImagePlugin' in sys.modules]))\n"
    )
    assert result == [False, False, True, True]  # the icon's format is loaded, as the page needs
