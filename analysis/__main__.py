"""The command line: python -m analysis <command> ...

Each command lives in analysis/cli/<command>.py with `register(subparsers)`, which adds its parser
and sets `func(args) -> int`. Errors a user can fix print one line on stderr and exit 2; no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys

from analysis import cli as cli_package
from analysis.cli.common import CliError


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every command found in analysis/cli/."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis", description="Lived-experience feedback analysis."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(cli_package.__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "common":
            continue
        module = importlib.import_module(f"analysis.cli.{info.name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is "never a traceback"
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)
        print(f"error: {type(exc).__name__}: {str(exc)[:300]}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
