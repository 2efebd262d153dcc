"""The store's schema migrations: a store made before migrations upgrades in place with every row kept,
a new store equals the tables the code describes, a newer store is refused, upgrades are all or nothing
and two processes upgrading at once upgrade once. SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from analysis import store
from analysis.__main__ import main as cli_main
from analysis.store import migrate

FIXTURES = Path(__file__).with_name("fixtures")
LEGACY_SQLITE = FIXTURES / "store_b92d148.sqlite"
LEGACY_POSTGRES = FIXTURES / "store_b92d148.postgresql.sql"
ROOT = Path(__file__).resolve().parents[2]

# What build_legacy_store.py wrote with the code of b92d148 (rows per table).
EXPECTED = {
    "access_log": 1,
    "datasets": 2,
    "responses": 33,
    "codebook_versions": 3,
    "theme_corrections": 3,
    "theme_agreement_history": 1,
    "milestones": 31,
    "milestone_history": 286,
    "engagement_log": 41,
}


def _all_tables_described() -> sa.MetaData:
    """store.METADATA with every domain module's tables on it."""
    import analysis.plan.milestone_store
    import analysis.plan.plan_datasets
    import analysis.themes.codebook_store
    import analysis.themes.corrections_store
    import analysis.voices.engagement_store  # noqa: F401

    return store.METADATA


def _rows(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of every baseline table, sorted, as plain values (the baseline's columns only:
    later revisions may add columns, never remove a row or change a value)."""
    out = {}
    with engine.connect() as conn:
        for name in EXPECTED:
            columns = ", ".join(f'"{c}"' for c in _baseline_columns(name))
            rows = conn.execute(sa.text(f"SELECT {columns} FROM {name}")).all()
            out[name] = sorted(tuple(str(v) for v in r) for r in rows)
    return out


def _baseline_columns(table: str) -> list[str]:
    """The columns revision 0001_baseline gives `table`."""
    from importlib import import_module

    baseline = import_module("analysis.store.migrations.versions.0001_baseline")
    meta = sa.MetaData()
    baseline._tables(meta)
    return [c.name for c in meta.tables[table].columns]


def _legacy_sqlite(tmp_path: Path) -> str:
    path = tmp_path / "legacy.sqlite"
    shutil.copy(LEGACY_SQLITE, path)
    return f"sqlite:///{path}"


def _load_postgres_dump(url: str) -> None:
    """Recreate the PostgreSQL store b92d148 wrote (pg_dump --inserts), without psql meta-commands."""
    sql = "\n".join(
        line for line in LEGACY_POSTGRES.read_text().splitlines() if not line.startswith("\\")
    )
    engine = sa.create_engine(url)
    raw = engine.raw_connection()
    try:
        raw.cursor().execute(sql)  # no parameters: the dump's % signs are data, not placeholders
        raw.commit()
    finally:
        raw.close()
    engine.dispose()


@pytest.fixture
def legacy_store(any_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A store exactly as the code of b92d148 left it, on SQLite and on PostgreSQL; returns its URL."""
    if any_store.startswith("sqlite"):
        url = _legacy_sqlite(tmp_path)
        monkeypatch.setenv("FEEDBACK_DB_PATH", url.removeprefix("sqlite:///"))
        return url
    _load_postgres_dump(any_store)
    return any_store


def _status(url: str) -> migrate.SchemaStatus:
    return migrate.schema_status(store.database.engine_for(url))


def test_the_migrations_form_one_chain():
    assert migrate.head_revision() == migrate.script_directory().get_current_head()
    base = [s for s in migrate.script_directory().walk_revisions() if s.down_revision is None]
    assert [s.revision for s in base] == ["0001_baseline"]


def test_the_legacy_fixture_is_what_b92d148_wrote():
    con = sqlite3.connect(LEGACY_SQLITE)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in EXPECTED}
    finally:
        con.close()
    assert tables == set(EXPECTED)  # no alembic_version: made before migrations
    assert counts == EXPECTED


def test_a_store_made_before_migrations_upgrades_with_every_row_kept(legacy_store):
    before_engine = sa.create_engine(legacy_store)
    before = _rows(before_engine)
    before_engine.dispose()
    assert {t: len(r) for t, r in before.items()} == EXPECTED
    assert _status(legacy_store).current == ()

    engine = store.get_engine(legacy_store)  # start-up upgrades it

    assert _status(legacy_store).current == (migrate.head_revision(),)
    assert _rows(engine) == before
    # The product reads the upgraded rows as before.
    from analysis.plan import milestone_store
    from analysis.themes import codebook_store, corrections_store
    from analysis.voices import engagement_store

    ds = store.list_datasets(engine)
    assert sorted(ds["name"]) == ["Carers' forum", "Survey 2024"]
    survey = store.dataset_id_by_name("Survey 2024", engine)
    answers = store.load_dataset(survey, engine)
    # 24 rows, 4 of them blank: those are kept to count who took part, never loaded as answers.
    assert len(answers) == 20 and "Café in the ward" in " ".join(answers["text"].dropna())
    assert len(store.load_dataset(survey, engine, with_no_content=True)) == 24
    # Blank answers the old store kept as empty text are marked as no content, nothing else is.
    with engine.connect() as conn:
        marks = conn.execute(
            sa.text("SELECT no_content, COUNT(*) FROM responses GROUP BY no_content")
        ).all()
    assert dict(marks) == {None: 27, "blank": 6}
    assert list(codebook_store.list_versions(engine)["version"]) == [3, 2, 1]
    assert len(corrections_store.list_corrections(survey, engine=engine)) == 3
    assert len(corrections_store.list_agreement(survey, engine=engine)) == 1
    assert len(milestone_store.load_milestones(engine)) == 31
    assert len(milestone_store.load_history(engine=engine)) == 286
    assert "Carers' café" in set(engagement_store.list_entries(engine)["title"])
    # ...and keeps writing: the serial counters carried over.
    store.log_access("ben@nhs.net", "viewed", "", engine=engine)
    new = store.save_dataset("After the upgrade", answers.head(3), engine=engine)
    assert new > survey


def test_an_upgraded_old_store_has_the_schema_of_a_new_one(legacy_store, tmp_path):
    old = store.get_engine(legacy_store)
    with old.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), _all_tables_described()) == []
    old_schema = _schema(old)
    assert set(old_schema) == {*_all_tables_described().tables, "alembic_version"}
    if legacy_store.startswith("sqlite"):  # on PostgreSQL the test has one database: compared above
        assert old_schema == _schema(store.get_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}"))


def _schema(engine: sa.Engine) -> dict:
    insp = sa.inspect(engine)
    out = {}
    for t in insp.get_table_names():
        out[t] = (
            [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(t)],
            insp.get_pk_constraint(t)["constrained_columns"],
            sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in insp.get_indexes(t)
            ),
            sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(t)),
            sorted(
                (tuple(f["constrained_columns"]), f["referred_table"])
                for f in insp.get_foreign_keys(t)
            ),
        )
    return out


def test_the_tables_the_code_describes_are_the_ones_the_migrations_make(any_store):
    """A table or column added to the code without a migration fails here, with the difference."""
    engine = store.get_engine(any_store)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), _all_tables_described())
    assert diff == []


def test_a_store_with_only_some_tables_gets_the_rest(tmp_path):
    url = _legacy_sqlite(tmp_path)
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    con.executescript(
        "DROP TABLE milestone_history; DROP TABLE milestones; DROP TABLE engagement_log;"
    )
    con.close()
    engine = store.get_engine(url)
    assert {*EXPECTED} <= set(sa.inspect(engine).get_table_names())
    rows = _rows(engine)
    assert len(rows["responses"]) == 33 and len(rows["codebook_versions"]) == 3
    assert rows["milestones"] == [] and rows["engagement_log"] == []


def test_a_store_from_a_newer_version_is_refused_untouched(any_store):
    engine = store.get_engine(any_store)
    store.save_dataset("kept", _tiny(), engine=engine)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0999_from_the_future'"))
    store.database._created.clear()  # as a new server process would start
    with pytest.raises(store.NewerStoreError, match="newer version of this dashboard") as err:
        store.get_engine(any_store)
    assert "0999_from_the_future" in str(err.value) and "Nothing was changed" in str(err.value)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == (
            "0999_from_the_future"
        )
        assert conn.execute(sa.text("SELECT count(*) FROM datasets")).scalar() == 1


def _tiny():
    import pandas as pd

    return pd.DataFrame({"response_id": ["a", "b"], "text": ["Kind staff", "Long wait"]})


def test_a_failing_migration_leaves_the_store_as_it_was(any_store, tmp_path, monkeypatch):
    engine = store.get_engine(any_store)
    store.save_dataset("kept", _tiny(), engine=engine)
    head = migrate.head_revision()
    broken = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, broken, ignore=shutil.ignore_patterns("__pycache__"))
    (broken / "versions" / "9999_broken.py").write_text(
        textwrap.dedent(
            f"""
            import sqlalchemy as sa
            from alembic import op
            revision = "9999_broken"
            down_revision = "{head}"
            def upgrade():
                op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
                op.add_column("datasets", sa.Column("extra", sa.Text))
                raise RuntimeError("the migration failed halfway")
            """
        ).replace("{head}", head)
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", broken)
    store.database._created.clear()
    with pytest.raises(RuntimeError, match="halfway"):
        store.get_engine(any_store)
    insp = sa.inspect(engine)
    assert "half_done" not in insp.get_table_names()
    assert "extra" not in {c["name"] for c in insp.get_columns("datasets")}
    assert _status(any_store).current == (head,)
    assert len(store.list_datasets(engine)) == 1


_UPGRADE_CHILD = """
import sys
sys.path.insert(0, {root!r})
from analysis import store
store.get_engine({url!r})
print("UP", flush=True)
"""


@pytest.mark.parametrize("legacy", [False, True], ids=["empty", "legacy"])
def test_two_processes_starting_together_upgrade_once(any_store, tmp_path, legacy):
    url = any_store
    if legacy and url.startswith("sqlite"):
        url = _legacy_sqlite(tmp_path)
    elif legacy:
        _load_postgres_dump(url)
    env = {**os.environ, "FEEDBACK_SQLITE_TIMEOUT_S": "30"}
    code = _UPGRADE_CHILD.format(root=str(ROOT), url=url)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [o[1][-800:] for o in outs]
    engine = store.database.engine_for(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [
            migrate.head_revision()
        ]
    if legacy:
        assert {t: len(r) for t, r in _rows(engine).items()} == EXPECTED


def test_upgrade_and_status_commands(tmp_path, capsys):
    url = _legacy_sqlite(tmp_path)
    assert cli_main(["store", "status", "--url", url]) == 0
    out = capsys.readouterr().out
    assert "made before migrations" in out and "pending:        0001_baseline" in out
    assert cli_main(["store", "upgrade", "--url", url]) == 0
    assert "applied: 0001_baseline" in capsys.readouterr().out
    assert cli_main(["store", "upgrade", "--url", url]) == 0
    assert "up to date" in capsys.readouterr().out
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    assert con.execute("SELECT count(*) FROM milestone_history").fetchone()[0] == 286
    con.close()


def test_status_of_a_newer_store_and_a_bad_revision_id(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    store.get_engine(url)
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    con.execute("UPDATE alembic_version SET version_num='0999_future'")
    con.commit()
    con.close()
    assert cli_main(["store", "status", "--url", url]) == 2
    assert "newer version" in capsys.readouterr().out
    assert cli_main(["store", "upgrade", "--url", url]) == 2
    assert "newer version" in capsys.readouterr().err
    assert cli_main(["store", "revision", "-m", "x", "--id", "Bad id"]) == 2


def test_a_new_revision_is_written_after_the_newest(tmp_path, monkeypatch):
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)
    newest = migrate.head_revision()
    path = migrate.new_revision("remembered mappings", "0099_remembered_mappings")
    text = path.read_text()
    assert path == copy / "versions" / "0099_remembered_mappings.py"
    assert 'revision: str = "0099_remembered_mappings"' in text
    assert f'down_revision: str | None = "{newest}"' in text
    assert migrate.head_revision() == "0099_remembered_mappings"
    # As written it refuses to run, so an empty migration is never applied by mistake.
    url = f"sqlite:///{tmp_path / 'n.sqlite'}"
    with pytest.raises(NotImplementedError):
        store.get_engine(url)


def test_the_plan_belongs_only_to_the_demo_dataset_after_the_upgrade(legacy_store):
    from analysis.plan import plan_datasets

    engine = store.get_engine(legacy_store)
    # The legacy store holds two uploads and a plan, but no demo dataset: no dataset uses the plan.
    assert plan_datasets.linked_datasets(engine) == []
    survey = store.dataset_id_by_name("Survey 2024", engine)
    plan_datasets.set_uses_plan(survey, True, by="lead@nhs.net", engine=engine)
    assert plan_datasets.uses_plan(survey, engine) and plan_datasets.linked_datasets(engine) == [
        survey
    ]
    plan_datasets.set_uses_plan(survey, False, by="lead@nhs.net", engine=engine)
    assert not plan_datasets.uses_plan(survey, engine)
