"""`python -m analysis participation --input F --by COLUMN [--benchmark B] [--json]`.

Prints the Voices page's table: people by one column (suppressed cells marked), or, with
--benchmark, each group's share against the population with the representation ratio and its
interval, followed by the missing-voices sentence.
"""

from __future__ import annotations

import argparse
import json

from analysis.cli.check import safe_line
from analysis.cli.common import CliError, load_responses_arg, require_file
from analysis.core import config
from analysis.core.schema import ValidationError
from analysis.voices import participation


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `participation` command."""
    parser = subparsers.add_parser(
        "participation",
        help="who took part (suppressed), optionally against a population benchmark",
        description="Count the people who took part by one column, with small numbers suppressed. "
        "With --benchmark, compare each group's share with its population share.",
    )
    parser.add_argument("--input", required=True, help="CSV or XLSX survey export")
    parser.add_argument(
        "--by",
        required=True,
        help=f"column to break down by: {', '.join(participation.PERSON_COLUMNS)}",
    )
    parser.add_argument(
        "--benchmark", help="population benchmark CSV/XLSX (locality, dimension, group, population)"
    )
    parser.add_argument(
        "--threshold", type=int, default=config.SUPPRESSION_THRESHOLD,
        help=f"suppression threshold (default {config.SUPPRESSION_THRESHOLD}, never below "
        f"{config.MIN_SUPPRESSION_THRESHOLD})",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def _load(args: argparse.Namespace):  # noqa: ANN202
    return load_responses_arg(args.input, with_no_content=True)[0]  # everyone who took part


def run(args: argparse.Namespace) -> int:
    """Print the table; 2 on a user error."""
    if args.by not in participation.PERSON_COLUMNS:
        raise CliError(
            f"--by must be one of: {', '.join(participation.PERSON_COLUMNS)} (got {args.by!r})"
        )
    if args.threshold < config.MIN_SUPPRESSION_THRESHOLD:
        raise CliError(f"--threshold cannot be below {config.MIN_SUPPRESSION_THRESHOLD}")
    benchmark = None
    if args.benchmark:
        if args.by not in participation.BENCHMARK_DIMENSIONS:
            raise CliError(
                f"a benchmark compares {', '.join(participation.BENCHMARK_DIMENSIONS)}; not {args.by!r}"
            )
        bench_path = require_file(args.benchmark)
        try:
            benchmark = participation.load_benchmark(bench_path.read_bytes(), bench_path.name)
        except ValidationError as exc:
            raise CliError(f"{bench_path.name}: {exc}") from None
    responses = _load(args)
    sentence = ""
    try:
        if benchmark is not None:
            result = participation.representation(
                responses, benchmark, args.by, threshold=args.threshold
            )
            sentence = participation.missing_voices({args.by: result})
        else:
            result = participation.who_took_part(responses, args.by, threshold=args.threshold)
    except ValidationError as exc:
        raise CliError(str(exc)) from None
    shown = result.display()
    if args.json:
        payload = {
            "title": result.title,
            "by": args.by,
            "threshold": result.threshold,
            "withheld": result.withheld,
            "notice": result.notice,
            "suppressed_mark": config.SUPPRESSED_MARK,
            "rows": json.loads(shown.to_json(orient="records")) if not result.withheld else [],
            "summary": sentence or None,
        }
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    print(safe_line(result.title))
    if result.withheld:
        print(safe_line(result.notice or ""))
        return 0
    print(f"Threshold: {result.threshold} ({config.SUPPRESSED_MARK} = too few people to show)")
    print(
        "\n".join(safe_line(line) for line in shown.fillna("").to_string(index=False).splitlines())
    )
    if sentence:
        print()
        print(safe_line(sentence))
    return 0
