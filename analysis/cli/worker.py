"""`python -m analysis worker`: run the background classification jobs of the store (what `make run`
starts beside the app; run one per app server, or more on other machines sharing the store)."""

from __future__ import annotations

import argparse
import logging
import os

from analysis.cli.common import CliError
from analysis.core.errors import StoreError


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `worker` command."""
    p = sub.add_parser("worker", help="run background classification jobs until stopped")
    p.add_argument("--url", help="SQLAlchemy URL (default: DATABASE_URL or FEEDBACK_DB_PATH)")
    p.add_argument(
        "--poll", type=float, default=1.0, help="seconds between looks at an empty queue"
    )
    p.add_argument(
        "--stale-after",
        type=float,
        default=None,
        help="seconds without a heartbeat before a job is taken over",
    )
    p.add_argument("--parent", type=int, help="stop when the process with this id ends (the app)")
    p.set_defaults(func=run)


def _orphaned(parent: int | None):  # noqa: ANN202 - () -> bool, or None
    """A stop test: true once the parent process is gone (this worker was re-parented)."""
    if not parent:
        return None
    return lambda: os.getppid() != parent


def run(args: argparse.Namespace) -> int:
    """Run the worker loop until SIGTERM or Ctrl-C."""
    from analysis.jobs.queue import work

    logging.getLogger("analysis").setLevel(logging.INFO)
    try:
        work(
            args.url, poll_s=args.poll, stale_after_s=args.stale_after, stop=_orphaned(args.parent)
        )
    except StoreError as exc:
        raise CliError(exc.operator_message()) from None
    return 0
