"""Import the app's modules while a freshly started server waits for its first visitor.

A restarted server imports nothing of the app until the first session runs app.py, so the first person
to open a page after a restart waited for pandas, scikit-learn, plotly, SQLAlchemy and the app's own
modules to be imported in their script run (about 2.5 s of the first Overview at 200,000 answers,
bench/profile_first_open.py). scripts/app_server.py runs `preload_when_serving` in a thread as the
server starts: the imports are done before anyone arrives, and a visitor who arrives sooner waits only
for what is left (Python's import lock makes the script run wait for a module being imported, never
import it twice). It then stores the demo dataset if the store lacks it (prepare_demo), reads the
system's file-type table (warm_media), draws a small chart and runs a few table operations on a few
rows (warm_charts, warm_frames): plotly, pandas and pyarrow set each kind of work up the first time
it runs, which cost the first Overview at 200,000 answers about 0.7 s more than the next one.
Last, it reads the datasets a first visitor is likely to open (the most recently classified and the
default one) into the shared caches, with the tables their first pages show with no filter
(prepare_datasets): at 200,000 answers that was about 2.5 s of the first Overview's script.
"""

from __future__ import annotations

import ast
import importlib
import logging
import threading
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


def warm_charts() -> None:
    """Build and serialise one small chart of each kind the pages draw, as they are built.

    Plotly imports each property's validator the first time it is set: the first chart a restarted
    server drew took about 0.2 s more than the next one, on the first visitor's page."""
    import plotly.graph_objects as go

    from analysis.charts.base import base_layout

    fig = go.Figure()
    fig.add_scatter(x=["2025-01", "2025-02"], y=[3, 4], mode="lines+markers", name="a")
    fig.add_bar(x=["2025-01"], y=[2], name="b", text=["2"], textposition="outside")
    fig.add_trace(go.Heatmap(z=[[1, 2]], x=["a", "b"], y=["c"], colorscale="Blues"))
    fig.add_hline(y=3, line_dash="dash")
    fig.add_vline(x=0.5, line_dash="dot")
    fig.add_annotation(x=0, y=1, text="a note", showarrow=False)
    base_layout(fig, "A chart", x_title="x", y_title="y")
    fig.to_json()


def warm_frames() -> None:
    """Run, on a few rows, the table operations a first page runs on a whole dataset.

    pandas and pyarrow set up each kind of operation (a string column's distinct values, a group's
    distinct count, a parquet read) the first time it runs: on the first Overview of a restarted
    server, the text column's distinct count alone took 0.24 s the first time and 0.03 s after."""
    import io

    import pandas as pd

    from analysis.core.frames import isin_many, positions_in

    text = pd.array(["waited weeks", "kind staff", None, "kind staff"], dtype="string[pyarrow]")
    frame = pd.DataFrame(
        {
            "id": pd.array(["1", "2", "3", "4"], dtype="string[pyarrow]"),
            "text": text,
            "when": pd.to_datetime(["2025-01-03", "2025-02-04", None, "2025-02-05"]),
            "rating": pd.array([1.0, None, 3.0, 4.0], dtype="Float64"),
        }
    )
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    frame = pd.read_parquet(io.BytesIO(buffer.getvalue()))
    frame["text"].nunique()
    frame["text"].str.strip()
    frame.groupby("text")["id"].nunique()
    frame.drop_duplicates(["id", "text"])
    pd.factorize(frame["text"])
    frame["id"].isin(["1"])
    isin_many(frame["id"], frame["text"])
    positions_in(frame["id"], frame["text"])
    pd.crosstab(frame["text"], frame["id"])
    frame["when"].dt.to_period("M")
    frame.merge(frame[["id"]], on="id")
    frame.groupby("id")["rating"].mean()


def warm_media() -> None:
    """Read the system's file-type table and open the app's icon now: Streamlit looks up the favicon's
    file type, and opens it with Pillow, on the first page of a restarted server (Python reads the
    whole table then, 0.15 s of that page; Pillow loads its image formats, 0.04-0.2 s)."""
    import mimetypes

    from PIL import Image

    mimetypes.init()
    with Image.open(ROOT / "ui" / "static" / "icon.png") as icon:
        icon.load()


def prepare_demo() -> None:
    """Store the demo dataset now when the store lacks it (a new store, a first start), as the first
    page would otherwise do while its visitor waits (about 1 s); a store that has it is only asked."""
    from analysis.store.demo import ensure_demo_dataset

    ensure_demo_dataset()


def warm_up() -> int:
    """Run every warm-up after the imports, in the order a first page needs them; return how many
    failed (each failure is logged, never raised: a page does the same work, a little later)."""
    failed = 0
    for warm in (warm_media, prepare_demo, warm_charts, warm_frames):
        try:
            warm()
        except Exception:  # noqa: BLE001
            log.warning("preload: %s failed", warm.__name__, exc_info=True)
            failed += 1
    return failed


MAX_PREPARED = 3  # the answer cache keeps four datasets (ui/cache.py): one stays free for a visitor


def datasets_to_prepare(limit: int | None = None) -> list[int]:
    """The datasets a first visitor is likely to open: the `limit` most recently classified
    (FEEDBACK_PREPARE_DATASETS), newest first, then the default one (what a link without a dataset
    shows: usually the small demo)."""
    from analysis.core import settings
    from analysis.store import jobs
    from ui import cache, context

    if limit is None:
        limit = int(settings.value("FEEDBACK_PREPARE_DATASETS"))
    datasets = cache.dataset_list()
    if datasets.empty:
        return []
    known = {int(i) for i in datasets["dataset_id"]}
    recent = [i for i in jobs.recently_classified(min(limit, MAX_PREPARED)) if i in known]
    return list(dict.fromkeys([*recent, context.default_dataset_id(datasets)]))


def prepare_dataset(dataset_id: int) -> bool:
    """Read one dataset's answers and, when its job is done, its themes into the shared caches, and
    work out what a first page shows of it with no filter (the Overview's tables, the theme table):
    the keys are those a page asks for, so its first visitor after a restart finds them ready.
    Returns True when its themes were ready too (False: a page shows the job's progress as before).
    """
    from analysis.core.filters import Filters
    from ui import cache, context, themes

    datasets = cache.dataset_list()
    meta = datasets.loc[datasets["dataset_id"] == dataset_id].iloc[0].to_dict()
    content, everything = str(meta["content_hash"]), Filters()
    cache.filter_options(dataset_id, content)
    ctx = context.build_context(meta, everything)
    if ctx.withheld or ctx.responses.empty:
        return False  # pages show no figure of it: nothing more to work out
    cache.overview_tables(dataset_id, content, everything)
    view = themes.prepared_theme_view(ctx)
    if view is None:
        return False
    themes.summary(ctx, view, "share")
    return True


class _NoPageHere(logging.Filter):
    """Drops Streamlit's "missing ScriptRunContext" warning for one thread: a cached loader's
    spinner has no page to show on at start-up, which is expected there, not a fault."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.thread == self.thread and "ScriptRunContext" in record.getMessage())


_NO_CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


def prepare_datasets(limit: int | None = None) -> tuple[list[int], int]:
    """prepare_dataset for each of datasets_to_prepare(limit); (ids prepared, how many failed).
    A failure is logged, never raised: the page reads the same data, as it always did."""
    quiet = _NoPageHere()
    logging.getLogger(_NO_CONTEXT_LOGGER).addFilter(quiet)
    try:
        return _prepare_each(limit)
    finally:
        logging.getLogger(_NO_CONTEXT_LOGGER).removeFilter(quiet)


def _prepare_each(limit: int | None) -> tuple[list[int], int]:
    prepared, failed = [], 0
    try:
        ids = datasets_to_prepare(limit)
    except Exception:  # noqa: BLE001
        log.warning("preload: the datasets to prepare could not be listed", exc_info=True)
        return [], 1
    for dataset_id in ids:
        try:
            prepare_dataset(dataset_id)
            prepared.append(dataset_id)
        except Exception:  # noqa: BLE001
            log.warning("preload: dataset %d could not be prepared", dataset_id, exc_info=True)
            failed += 1
    return prepared, failed


def preload_when_serving(wait_s: float = 30.0) -> None:
    """Once Streamlit's runtime exists (so cached functions bind to it quietly), import the app's
    modules, warm up charts and tables, then read the likely datasets (a warm-up or a dataset that
    fails is logged, never raised); give up waiting after `wait_s` seconds (the page imports them as
    before)."""
    from streamlit import runtime

    deadline = time.monotonic() + wait_s
    while not runtime.exists():
        if time.monotonic() > deadline:
            return
        time.sleep(0.05)
    started = time.perf_counter()
    failed = preload()
    warm_failed = warm_up()
    log.info(
        "app modules imported (and the demo data, first charts and tables prepared) in %.1f s "
        "(%d imports and %d warm-ups failed)",
        time.perf_counter() - started,
        len(failed),
        warm_failed,
    )
    started = time.perf_counter()
    prepared, data_failed = prepare_datasets()
    log.info(
        "datasets prepared for a first visitor: %s in %.1f s (%d failed)",
        ", ".join(map(str, prepared)) or "none",
        time.perf_counter() - started,
        data_failed,
    )
