"""Test set-up: an isolated store for the whole run, and a fixture for a fresh store per test."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property-test profiles: `quick` by default, `thorough` in CI (.ci/run); tests/property_budget.py scales
# each property's number of examples by the profile.
settings.register_profile("quick", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Before anything imports analysis.core.config: never touch a developer's real store.
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="feedback-tests-"))
os.environ["FEEDBACK_DB_PATH"] = str(_SESSION_DIR / "session.sqlite")
os.environ.pop("DATABASE_URL", None)
# A locked SQLite store is reported after 2 s in tests, not the deployed 15 s: the fault tests that
# lock the store on purpose then finish quickly. Two writers in these tests hold a lock far shorter.
os.environ.setdefault("FEEDBACK_SQLITE_TIMEOUT_S", "2")
# Pages classify in the page and wait (the same stored job, run there), so page and browser tests see
# themes on their first run; tests of background classification set "background" themselves.
os.environ.setdefault("FEEDBACK_CLASSIFY", "in-page")


def _clear_streamlit_caches() -> None:
    try:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
    except Exception:  # noqa: BLE001 - streamlit may not be importable in a minimal run
        pass


@pytest.fixture
def fresh_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new empty SQLite store for this test only; returns its SQLAlchemy URL."""
    path = tmp_path / "store.sqlite"
    monkeypatch.setenv("FEEDBACK_DB_PATH", str(path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    _clear_streamlit_caches()
    yield f"sqlite:///{path}"
    _clear_streamlit_caches()


def _worker_database(url: str) -> str:
    """The PostgreSQL URL for this test process: under pytest-xdist each worker has its own database.

    Tests empty their database (DROP SCHEMA public), so two workers on one database would empty each
    other's tables mid-test. The worker's database is made on first use (the test role may create one).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker:
        return url
    import sqlalchemy as sa

    base = sa.engine.make_url(url)
    name = f"{base.database}_{worker}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not found:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _reset_postgres(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """An empty store on SQLite and, in a second run of the test, on PostgreSQL; returns its URL.

    PostgreSQL comes from TEST_DATABASE_URL (`make test` starts Debian's server via .ci/postgres).
    In CI its absence is a failure, elsewhere the PostgreSQL run is skipped with the reason.
    """
    from analysis import store

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite'}"
        monkeypatch.setenv("FEEDBACK_DB_PATH", str(tmp_path / "store.sqlite"))
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        url = os.environ.get("TEST_DATABASE_URL", "")
        if not url:
            if os.environ.get("CI"):
                pytest.fail("TEST_DATABASE_URL is not set: PostgreSQL did not start in CI")
            pytest.skip(
                "PostgreSQL not available here (set TEST_DATABASE_URL or run `make test` as root)"
            )
        url = _worker_database(url)
        _reset_postgres(url)
        monkeypatch.setenv("DATABASE_URL", url)
    store.database._created.clear()  # tables must be created again in the emptied database
    _clear_streamlit_caches()
    yield url
    _clear_streamlit_caches()


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository root."""
    return ROOT


BENCHMARK_CSV = ROOT.parent / "shared" / "benchmarks" / "nhs-feedback-phase1" / "text_data.csv"
