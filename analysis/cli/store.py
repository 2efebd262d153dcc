"""`python -m analysis store upgrade|status|revision`: the store's schema version by hand.

The app upgrades the store by itself at start-up; `upgrade` is for doing it ahead of a deployment
(or from a script), `status` says where a store stands, and `revision` starts a new migration file.
"""

from __future__ import annotations

import argparse
import re

from analysis.cli.common import CliError
from analysis.core.errors import StoreError


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `store` command and its sub-commands."""
    p = sub.add_parser("store", help="the store's schema: upgrade, status, new revision")
    actions = p.add_subparsers(dest="store_action", metavar="ACTION")
    up = actions.add_parser("upgrade", help="apply every pending migration to the store")
    up.add_argument("--url", help="SQLAlchemy URL (default: DATABASE_URL or FEEDBACK_DB_PATH)")
    st = actions.add_parser("status", help="the store's schema revision and what is pending")
    st.add_argument("--url", help="SQLAlchemy URL (default: DATABASE_URL or FEEDBACK_DB_PATH)")
    rv = actions.add_parser("revision", help="write a new, empty migration after the newest")
    rv.add_argument("-m", "--message", required=True, help="what the migration changes")
    rv.add_argument("--id", required=True, help="revision id, e.g. 0002_remembered_mappings")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the chosen action; StoreError becomes a one-line CliError."""
    action = getattr(args, "store_action", None)
    if action is None:
        raise CliError("choose an action: upgrade, status or revision")
    try:
        if action == "revision":
            return _revision(args)
        return _upgrade(args) if action == "upgrade" else _status(args)
    except StoreError as exc:
        raise CliError(exc.operator_message()) from None


def _engine(args: argparse.Namespace):  # noqa: ANN202 - an Engine, imported lazily
    """The store's engine without the automatic upgrade: this command decides when to upgrade."""
    from analysis.store.database import engine_for

    return engine_for(args.url)


def _upgrade(args: argparse.Namespace) -> int:
    from analysis.store.migrate import upgrade_store

    applied = upgrade_store(_engine(args))
    print(f"applied: {', '.join(applied)}" if applied else "the store is up to date")
    return 0


def _status(args: argparse.Namespace) -> int:
    from analysis.store.migrate import schema_status

    s = schema_status(_engine(args))
    print(f"store revision: {', '.join(s.current) or '(none: made before migrations, or empty)'}")
    print(f"newest known:   {s.head}")
    if s.unknown:
        print("this store was upgraded by a newer version of the dashboard")
        return 2
    print(f"pending:        {', '.join(s.pending) or '(none)'}")
    return 0


def _revision(args: argparse.Namespace) -> int:
    from analysis.store.migrate import new_revision

    if not re.fullmatch(r"\d{4}_[a-z0-9_]{1,40}", args.id):
        raise CliError("--id must look like 0002_remembered_mappings (four digits, _, lower case)")
    print(new_revision(args.message, args.id))
    return 0
