"""Faults: a process killed mid-save, a missing/locked/corrupt store, and two editors racing.

Each fault must leave the store consistent (all or nothing), give a plain message with a way
forward (never a traceback), and never silently lose an edit (the later editor is told).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st_module
from streamlit.testing.v1 import AppTest

from analysis import store
from analysis.core.errors import ConflictError
from analysis.plan import milestone_store as plan_store
from analysis.themes import codebook_store
from analysis.themes.codebook import Theme

ROOT = Path(__file__).resolve().parents[2]
APP_TIMEOUT = 120
KILL_ROWS = 200_000

# A child process that builds a big canonical frame and saves it; it says when the save starts.
_SAVE_DATASET_CHILD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    import numpy as np, pandas as pd
    from analysis import store
    n = {rows}
    rng = np.random.default_rng(1)
    df = pd.DataFrame({{
        "response_id": [f"r{{i}}" for i in range(n)],
        "respondent_id": [f"p{{i // 3}}" for i in range(n)],
        "submitted": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 500, n), unit="D"),
        "round": "2024 Q1",
        "respondent_type": rng.choice(["service user", "carer", "staff"], n),
        "service": "Crisis team",
        "locality": rng.choice(["Oldham", "Bury", "Salford"], n),
        "question": "What could we do better?",
        "text": [f"answer number {{i}} about waiting times and staff attitudes" for i in range(n)],
        "rating": rng.integers(1, 6, n).astype(float),
    }})
    engine = store.get_engine()
    print("SAVING", flush=True)
    store.save_dataset("big upload", df, engine=engine)
    print("DONE", flush=True)
    """
)

# A child that saves codebook versions, then stalls inside the transaction of one more save.
_SAVE_CODEBOOK_CHILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from analysis.themes import codebook_store
    from analysis.themes.codebook import Theme
    base = codebook_store.latest_version()
    for i in range(3):
        cb = codebook_store.latest_codebook()
        cb.themes.append(Theme(id=f"extra_{{i}}", label=f"Extra {{i}}", description="d", seeds=["x"],
                               parent=None, plan_area=None))
        base = codebook_store.save_version(cb, who="child", base_version=base, note=f"save {{i}}").version
    real_insert = codebook_store._insert
    def stalled_insert(*args, **kwargs):
        saved = real_insert(*args, **kwargs)   # the row is written, the transaction is still open
        print("INSIDE", flush=True)
        time.sleep(120)
        return saved
    codebook_store._insert = stalled_insert
    cb = codebook_store.latest_codebook()
    cb.themes.append(Theme(id="never", label="Never saved", description="d", seeds=["y"], parent=None,
                           plan_area=None))
    codebook_store.save_version(cb, who="child", base_version=base, note="killed")
    print("DONE", flush=True)
    """
)


def _clear_caches() -> None:
    st_module.cache_data.clear()
    st_module.cache_resource.clear()


def _child_env(db_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["FEEDBACK_DB_PATH"] = str(db_path)
    env.pop("DATABASE_URL", None)
    return env


def _spawn(code: str, db_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=_child_env(db_path),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_line(proc: subprocess.Popen, marker: str, timeout: float) -> None:
    """Read the child's stdout until `marker` (fail with its stderr if it dies first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if marker in line:
            return
        if not line and proc.poll() is not None:
            pytest.fail(f"child exited before {marker!r}: {proc.stderr.read()[-2000:]}")
    proc.kill()
    pytest.fail(f"child never printed {marker!r}")


def _sqlite_integrity(db_path: Path) -> str:
    con = sqlite3.connect(db_path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def _fresh_engine(url: str) -> sa.engine.Engine:
    """An engine that reopens the file from scratch (as a restarted app would)."""
    old = store.database._engines.pop(url, None)
    if old is not None:
        old.dispose()
    store.database._created.clear()
    return store.get_engine(url)


# --------------------------------------------------------------------------------------------
# Killed mid-save


def test_upload_killed_mid_save_leaves_the_dataset_all_or_nothing(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    url = f"sqlite:///{db}"
    wal = Path(f"{db}-wal")
    proc = _spawn(_SAVE_DATASET_CHILD.format(root=str(ROOT), rows=KILL_ROWS), db)
    try:
        _wait_for_line(proc, "SAVING", timeout=60)
        # The insert spills pages into the WAL long before it commits: kill once a few MB are there.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if wal.exists() and wal.stat().st_size > 4_000_000:
                break
            time.sleep(0.02)
        finished_before_kill = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not finished_before_kill, "the save finished before it could be killed; raise KILL_ROWS"

    assert _sqlite_integrity(db) == "ok"
    engine = _fresh_engine(url)
    listed = store.list_datasets(engine)
    big = listed[listed["name"] == "big upload"]
    with engine.connect() as conn:
        orphans = conn.execute(
            sa.text(
                "SELECT count(*) FROM responses WHERE dataset_id NOT IN (SELECT dataset_id FROM datasets)"
            )
        ).scalar_one()
    assert orphans == 0, "answers were left behind without their dataset"
    if len(big):  # the commit won the race with the kill: then every answer must be there
        n = int(big.iloc[0]["n_answers"])
        assert n == KILL_ROWS
        assert len(store.load_dataset(int(big.iloc[0]["dataset_id"]), engine)) == n
    # Either way the store is usable again: the same name can be saved.
    import pandas as pd

    small = pd.DataFrame({"response_id": ["a"], "text": ["fine"]})
    if not len(big):
        store.save_dataset("big upload", small, engine=engine)
        assert store.list_datasets(engine)["n_answers"].tolist() == [1]


def test_codebook_save_killed_mid_transaction_keeps_a_consistent_version_list(
    tmp_path: Path,
) -> None:
    db = tmp_path / "store.sqlite"
    url = f"sqlite:///{db}"
    proc = _spawn(_SAVE_CODEBOOK_CHILD.format(root=str(ROOT)), db)
    try:
        _wait_for_line(proc, "INSIDE", timeout=60)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()

    assert _sqlite_integrity(db) == "ok"
    engine = _fresh_engine(url)
    versions = codebook_store.list_versions(engine)
    assert sorted(versions["version"].tolist()) == [
        1,
        2,
        3,
        4,
    ]  # seed + three saves, not the killed one
    assert "killed" not in versions["note"].tolist()
    for v in versions["version"]:
        codebook_store.load_version(int(v), engine)  # every listed version loads
    latest = codebook_store.latest_codebook(engine)
    assert latest.version == 4
    assert {"extra_0", "extra_1", "extra_2"} <= {t.id for t in latest.themes}
    assert "never" not in {t.id for t in latest.themes}
    # No stale lock survives the crash: the next save goes straight through.
    saved = codebook_store.save_version(latest, who="after crash", base_version=4, engine=engine)
    assert saved.version == 5


# --------------------------------------------------------------------------------------------
# Missing, locked and corrupt store files: StoreError in the library, st.error in the app


@pytest.fixture
def app_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Point the app at a given store file, with every cache and engine reset around the test."""

    def use(path: Path) -> None:
        monkeypatch.setenv("FEEDBACK_DB_PATH", str(path))
        monkeypatch.delenv("DATABASE_URL", raising=False)

    _clear_caches()
    store.database._created.clear()
    yield use
    _clear_caches()
    store.database._created.clear()


def _not_a_folder(tmp_path: Path) -> Path:
    """A store path whose parent cannot be created (a file is in the way; works as root too)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    return blocker / "sub" / "store.sqlite"


def _corrupt(tmp_path: Path) -> Path:
    bad = tmp_path / "corrupt.sqlite"
    bad.write_bytes(b"this is not a database" * 200)
    return bad


def _app_errors(at: AppTest) -> list[str]:
    # Messages are Markdown-escaped (backslashes before punctuation); compare the text a person reads.
    return [e.value.replace("\\", "") for e in [*at.error, *at.sidebar.error]]


def test_missing_store_folder_gives_store_error(tmp_path: Path) -> None:
    path = _not_a_folder(tmp_path)
    with pytest.raises(store.StoreError, match="Set FEEDBACK_DB_PATH to a writable location"):
        store.get_engine(f"sqlite:///{path}")


def test_corrupt_store_gives_store_error_with_a_way_forward(tmp_path: Path) -> None:
    bad = _corrupt(tmp_path)
    with pytest.raises(store.StoreError, match="damaged.*Move it aside"):
        store.get_engine(f"sqlite:///{bad}")


def test_locked_store_refuses_a_save_clearly_and_writes_nothing(tmp_path: Path) -> None:
    import pandas as pd

    db = tmp_path / "store.sqlite"
    url = f"sqlite:///{db}"
    engine = _fresh_engine(url)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        # WAL readers are not blocked by a writer: the app keeps showing data while someone writes.
        assert store.list_datasets(engine).empty
        with pytest.raises(store.StoreError, match="locked by another program.*try again"):
            store.save_dataset(
                "blocked", pd.DataFrame({"response_id": ["a"], "text": ["x"]}), engine=engine
            )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.list_datasets(engine).empty  # nothing half-written
    store.save_dataset(
        "blocked", pd.DataFrame({"response_id": ["a"], "text": ["x"]}), engine=engine
    )


@pytest.mark.parametrize("page", ["app.py", "app_pages/themes.py", "app_pages/data.py"])
def test_app_shows_damaged_store_message_not_a_traceback(
    page: str, tmp_path: Path, app_store
) -> None:
    app_store(_corrupt(tmp_path))
    at = AppTest.from_file(str(ROOT / page), default_timeout=APP_TIMEOUT).run()
    assert not at.exception, at.exception
    errors = _app_errors(at)
    assert errors and any("damaged" in e and "FEEDBACK_DB_PATH" in e for e in errors), errors


@pytest.mark.parametrize("content", [b"", b"\x00" * 4096, b"SQLite format 2\x00" + b"x" * 100])
def test_an_empty_or_damaged_store_file_is_never_overwritten(
    tmp_path: Path, content: bytes
) -> None:
    # A zero-byte store (a full disk, a bad copy) once became a fresh store with demo data, hiding the loss.
    bad = tmp_path / "store.sqlite"
    bad.write_bytes(content)
    with pytest.raises(store.StoreError, match="damaged.*Nothing has been changed") as caught:
        _fresh_engine(f"sqlite:///{bad}")
    assert bad.read_bytes() == content
    assert str(bad) not in str(caught.value)  # the message is for every role
    assert caught.value.where == str(bad)  # where it is, for admins and the command line
    assert str(bad) in caught.value.operator_message()


def test_a_new_store_is_created_whole(tmp_path: Path) -> None:
    path = tmp_path / "new" / "store.sqlite"
    _fresh_engine(f"sqlite:///{path}")
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".new")] == []


@pytest.mark.parametrize(
    ("role", "sees_path"), [("editor", False), ("viewer", False), ("admin", True)]
)
def test_a_zero_byte_store_is_reported_not_recreated_and_only_admins_see_its_path(
    tmp_path: Path, app_store, monkeypatch: pytest.MonkeyPatch, role: str, sees_path: bool
) -> None:
    empty = tmp_path / "store.sqlite"
    empty.write_bytes(b"")
    monkeypatch.setenv("FEEDBACK_LOCAL_ROLE", role)
    app_store(empty)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT).run()
    assert not at.exception, at.exception
    errors = _app_errors(at)
    assert any("damaged" in e and "Move it aside" in e for e in errors), errors
    assert any(str(empty) in e for e in errors) is sees_path, errors
    assert empty.stat().st_size == 0  # no demo data, no tables: the file is untouched
    assert not [p for p in tmp_path.iterdir() if p.name != "store.sqlite"]


def test_app_shows_missing_store_message_not_a_traceback(tmp_path: Path, app_store) -> None:
    app_store(_not_a_folder(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT).run()
    assert not at.exception, at.exception
    assert any("writable location" in e for e in _app_errors(at)), _app_errors(at)


def test_app_shows_locked_store_message_not_a_traceback(tmp_path: Path, app_store) -> None:
    # A store in rollback-journal mode (e.g. copied from elsewhere) held EXCLUSIVE blocks readers too.
    db = tmp_path / "store.sqlite"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("CREATE TABLE other_tool (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        app_store(db)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT).run()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not at.exception, at.exception
    assert any("locked by another program" in e for e in _app_errors(at)), _app_errors(at)


# --------------------------------------------------------------------------------------------
# Two editors at once: nothing lost, the later one told


def _race(n: int, work: Callable[[int], object]) -> list[object]:
    """Run work(i) in n threads released together; return each result or the exception raised."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each editor was told
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.parametrize("round_no", range(3))
def test_two_editors_on_one_milestone_lose_nothing(any_store: str, round_no: int) -> None:
    engine = store.get_engine(any_store)
    mid = plan_store.add_milestone(
        {
            "area": "Patient Safety",
            "milestone": "72-hour follow-up",
            "status": "on track",
            "percent_complete": 10,
        },
        by="Plan office",
        engine=engine,
    )
    editors = [("Alice", 40, "at risk"), ("Bob", 60, "off track")]

    results = _race(
        2,
        lambda i: plan_store.update_milestone(
            mid,
            {"percent_complete": editors[i][1], "status": editors[i][2]},
            expected_version=1,
            by=editors[i][0],
            engine=engine,
        ),
    )

    wins = [i for i, r in enumerate(results) if r == 2]
    told = [i for i, r in enumerate(results) if isinstance(r, ConflictError)]
    assert len(wins) == 1 and len(told) == 1, results
    winner, loser = editors[wins[0]], editors[told[0]]
    assert winner[0] in str(results[told[0]])  # the later editor is told who changed it
    row = plan_store.load_milestones(engine).set_index("milestone_id").loc[mid]
    assert (row["percent_complete"], row["status"], row["updated_by"], row["version"]) == (
        winner[1],
        winner[2],
        winner[0],
        2,
    )
    hist = plan_store.load_history(mid, engine=engine)
    changes = hist[hist["field"] != "created"]
    assert set(changes["changed_by"]) == {winner[0]}
    assert sorted(changes["field"]) == ["percent_complete", "status"]
    # The refused editor reloads and saves on top: both edits are then in the history.
    plan_store.update_milestone(
        mid, {"evidence": f"{loser[0]} re-applied"}, expected_version=2, by=loser[0], engine=engine
    )
    assert set(plan_store.load_history(mid, engine=engine)["changed_by"]) == {
        "Plan office",
        winner[0],
        loser[0],
    }


@pytest.mark.parametrize("round_no", range(3))
def test_editors_saving_one_codebook_at_once_lose_nothing(any_store: str, round_no: int) -> None:
    engine = store.get_engine(any_store)
    base = codebook_store.latest_version(engine)
    n = 4

    def save(i: int) -> object:
        cb = codebook_store.load_version(base, engine)
        cb.themes.append(
            Theme(
                id=f"new_theme_{i}",
                label=f"New theme {i}",
                description="d",
                seeds=[f"seed {i}"],
                parent=None,
                plan_area=None,
            )
        )
        return codebook_store.save_version(cb, who=f"editor {i}", base_version=base, engine=engine)

    results = _race(n, save)
    saved = [r for r in results if isinstance(r, codebook_store.SavedVersion)]
    told = [r for r in results if isinstance(r, ConflictError)]
    assert len(saved) == 1 and len(told) == n - 1, results
    assert all("Reload the codebook" in str(r) for r in told)
    versions = codebook_store.list_versions(engine)
    assert versions["version"].tolist() == [
        base + 1,
        base,
    ]  # one new version, no gaps or duplicates
    latest = codebook_store.latest_codebook(engine)
    winner = saved[0].saved_by.removeprefix("editor ")
    assert f"new_theme_{winner}" in {t.id for t in latest.themes}
    assert sum(t.id.startswith("new_theme_") for t in latest.themes) == 1
