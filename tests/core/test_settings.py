"""Settings are declared once, read from the environment, checked, and all documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.core import config, settings
from analysis.core.errors import InputError

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_in_the_readme_settings_table() -> None:
    text = README.read_text()
    section = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.M))
    assert documented == {s.env for s in settings.SETTINGS}


def test_the_environment_wins_over_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEEDBACK_SQLITE_TIMEOUT_S", "3.5")
    assert settings.value("FEEDBACK_SQLITE_TIMEOUT_S") == 3.5
    monkeypatch.delenv("FEEDBACK_SQLITE_TIMEOUT_S")
    assert settings.value("FEEDBACK_SQLITE_TIMEOUT_S") == 15.0


def test_a_blank_value_means_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEEDBACK_MAX_UPLOAD_MB", "  ")
    assert settings.value("FEEDBACK_MAX_UPLOAD_MB") == 200


@pytest.mark.parametrize(
    ("env", "raw", "message"),
    [
        ("FEEDBACK_MAX_UPLOAD_MB", "lots", "FEEDBACK_MAX_UPLOAD_MB must be a number"),
        ("FEEDBACK_MAX_UPLOAD_MB", "0", "at least 1"),
        ("FEEDBACK_LOCAL_ROLE", "superuser", "must be one of viewer, editor, admin"),
    ],
)
def test_an_unusable_value_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: str, raw: str, message: str
) -> None:
    monkeypatch.setenv(env, raw)
    with pytest.raises(InputError, match=message):
        settings.value(env)


def test_choices_are_read_case_insensitively(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEEDBACK_LOCAL_ROLE", "Editor")
    assert settings.value("FEEDBACK_LOCAL_ROLE") == "editor"


def test_the_store_url_comes_from_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("FEEDBACK_DB_PATH", str(tmp_path / "s.sqlite"))
    assert config.database_url() == f"sqlite:///{tmp_path / 's.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:p@db/x")
    assert config.database_url() == "postgresql+psycopg://u:p@db/x"
