"""Every setting a deployment can change, declared once as data and read in one place.

Each setting is an environment variable with a default and a line of help; the README's "Settings"
table lists them all (tests/core/test_settings.py checks it does). Values are read when asked for, so
a test or a command can set the environment first.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.core.errors import InputError


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, default, type and what it is for."""

    env: str
    default: str
    kind: type
    help: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None


_DATA_HOME = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        "",
        str,
        "SQLAlchemy URL of a shared store, e.g. postgresql+psycopg://user:pw@host/db for a team; "
        "wins over FEEDBACK_DB_PATH",
    ),
    Setting(
        "FEEDBACK_DB_PATH",
        str(_DATA_HOME / "feedback-dashboard" / "store.sqlite"),
        str,
        "the SQLite store file used when DATABASE_URL is not set",
    ),
    Setting(
        "FEEDBACK_SQLITE_TIMEOUT_S",
        "15",
        float,
        "seconds a SQLite write waits for another writer's lock before the store says it is busy",
        minimum=0.1,
    ),
    Setting(
        "FEEDBACK_MAX_UPLOAD_MB",
        "200",
        int,
        "largest upload accepted, in MB (Streamlit's own server.maxUploadSize caps it too)",
        minimum=1,
    ),
    Setting(
        "FEEDBACK_LOCAL_ROLE",
        # The least role that lets one analyst work alone (upload, edit the codebook, plan and log);
        # deleting datasets and reading unredacted answers need admin, set on purpose.
        "editor",
        str,
        "the role of the one local user when no identity provider is configured",
        choices=("viewer", "editor", "admin"),
    ),
    Setting(
        "FEEDBACK_CLASSIFY",
        "background",
        str,
        "where answers are classified: background (a worker process, started by make run or by the "
        "app when none runs; pages show progress) or in-page (the page waits; for tests and trials)",
        choices=("background", "in-page"),
    ),
    Setting(
        "FEEDBACK_ALLOWED_HOSTS",
        "",
        str,
        "host names, besides localhost, that the app may be reached at (comma-separated, e.g. "
        "dashboard.trust.nhs.uk); a WebSocket from any other Host is refused (DNS rebinding)",
    ),
    Setting(
        "FEEDBACK_PREPARE_DATASETS",
        "2",
        int,
        "datasets whose answers and themes a started server reads before its first visitor, "
        "besides the default one: the most recently classified (0 for none; at most 3)",
        minimum=0,
    ),
)

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
_HOST = re.compile(
    r"^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)

_BY_ENV = {s.env: s for s in SETTINGS}


def setting(env: str) -> Setting:
    """The declaration of one setting (KeyError for a name that is not declared)."""
    return _BY_ENV[env]


def value(env: str) -> str | int | float:
    """The current value of a setting: the environment's when set and valid, else the default.

    Raises InputError naming the variable when its value cannot be used.
    """
    s = _BY_ENV[env]
    raw = os.environ.get(env, "").strip() or s.default
    if s.kind is str:
        out: str | int | float = raw.lower() if s.choices else raw
        if s.choices and out not in s.choices:
            raise InputError(f"{env} must be one of {', '.join(s.choices)} (it is {raw!r}).")
        return out
    try:
        out = s.kind(raw)
    except ValueError as exc:
        raise InputError(f"{env} must be a number (it is {raw!r}).") from exc
    if s.minimum is not None and out < s.minimum:
        raise InputError(f"{env} must be at least {s.minimum:g} (it is {raw!r}).")
    return out


def allowed_hosts() -> tuple[str, ...]:
    """The host names the app answers WebSockets for: localhost and FEEDBACK_ALLOWED_HOSTS.

    Raises InputError naming the variable for anything that is not a host name ("*.trust.nhs.uk" is
    allowed; "*" alone, ports, schemes and paths are not: they would switch the protection off).
    """
    extra = []
    for item in re.split(r"[,\s]+", str(value("FEEDBACK_ALLOWED_HOSTS")).strip().lower()):
        if not item:
            continue
        if not _HOST.match(item.rstrip(".")):
            raise InputError(
                f"FEEDBACK_ALLOWED_HOSTS must list host names such as dashboard.trust.nhs.uk "
                f"(without scheme, port or path; {item!r} is not one)."
            )
        extra.append(item.rstrip("."))
    return tuple(dict.fromkeys([*LOCAL_HOSTS, *extra]))


__all__ = ["LOCAL_HOSTS", "SETTINGS", "Setting", "allowed_hosts", "setting", "value"]
