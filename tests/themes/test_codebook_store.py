"""Codebook versions in the store: seed, save, list, load, restore, and refused concurrent saves."""

from __future__ import annotations

import pytest

from analysis import store
from analysis.core.errors import ConflictError
from analysis.themes.codebook import CodebookError, default_codebook
from analysis.themes.codebook_edit import add_theme, rename_theme
from analysis.themes.codebook_store import (
    latest_codebook,
    latest_version,
    list_versions,
    load_version,
    restore_version,
    save_version,
)


@pytest.fixture
def engine(fresh_store: str):
    return store.get_engine(fresh_store)


def test_empty_store_is_seeded_with_default(engine) -> None:
    cb = latest_codebook(engine)
    assert cb.version == 1
    assert cb.theme_ids == default_codebook().theme_ids
    versions = list_versions(engine)
    assert len(versions) == 1 and versions.iloc[0]["saved_by"] == "system"


def test_save_creates_new_version_with_who_when_note(engine) -> None:
    cb = latest_codebook(engine)
    edited = add_theme(cb, "Parking", ["car park"])
    saved = save_version(
        edited, who="Asha", base_version=cb.version, note="added parking", engine=engine
    )
    assert saved.version == 2 and saved.saved_by == "Asha"
    assert "parking" in latest_codebook(engine).theme_ids
    versions = list_versions(engine)
    assert list(versions["version"]) == [2, 1]
    assert versions.iloc[0]["note"] == "added parking" and versions.iloc[0]["base_version"] == 1
    assert versions.iloc[0]["saved_at"] is not None


def test_load_old_version_and_missing_version(engine) -> None:
    cb = latest_codebook(engine)
    save_version(rename_theme(cb, "access", "Getting help"), who="A", base_version=1, engine=engine)
    assert load_version(1, engine).get("access").label != "Getting help"
    assert load_version(2, engine).get("access").label == "Getting help"
    with pytest.raises(KeyError, match="no codebook version 9"):
        load_version(9, engine)


def test_restore_makes_a_new_version(engine) -> None:
    cb = latest_codebook(engine)
    original_label = cb.get("access").label
    save_version(rename_theme(cb, "access", "Getting help"), who="A", base_version=1, engine=engine)
    saved = restore_version(1, who="B", base_version=2, engine=engine)
    assert saved.version == 3
    assert latest_codebook(engine).get("access").label == original_label
    versions = list_versions(engine)
    assert (
        versions.iloc[0]["restored_from"] == 1 and versions.iloc[0]["note"] == "Restored version 1"
    )
    assert len(versions) == 3  # history is kept


def test_conflicting_save_is_refused_naming_who_and_when(engine) -> None:
    cb = latest_codebook(engine)
    save_version(add_theme(cb, "Parking", ["car park"]), who="Asha", base_version=1, engine=engine)
    with pytest.raises(
        ConflictError, match=r"version 2 of the codebook was saved by Asha at .*UTC"
    ):
        save_version(add_theme(cb, "Food", ["meals"]), who="Ben", base_version=1, engine=engine)
    assert latest_version(engine) == 2
    assert "food" not in latest_codebook(engine).theme_ids


def test_invalid_codebook_writes_nothing(engine) -> None:
    cb = latest_codebook(engine)
    for t in cb.themes:
        t.retired = True
    with pytest.raises(CodebookError):
        save_version(cb, who="A", base_version=1, engine=engine)
    assert latest_version(engine) == 1


def test_who_is_cleaned(engine) -> None:
    cb = latest_codebook(engine)
    saved = save_version(add_theme(cb, "X", ["x"]), who="  \n ", base_version=1, engine=engine)
    assert saved.saved_by == "local user"
