"""`python -m analysis report (--input F | --dataset NAME) [--codebook CB] [--plan | --no-plan] --out pack.html`.

Writes the meeting pack (analysis.report.pack): one self-contained HTML file of the answers, with the
same optional filters as the app's sidebar. The codebook is the file given, else the newest stored
version (the default codebook seeds an empty store). The stored Improvement Plan (the demo plan seeds
an empty store) is attached only where it belongs: to a stored dataset linked to it, or to a file
given with --input when --plan asks for it; a file's answers are never assumed to be the plan's. The
benchmark is data/population_benchmark.csv unless another is given. Progress goes to stderr; errors a
user can fix are one line with exit code 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.cli.common import (
    CliError,
    ProgressBar,
    add_mapping_options,
    load_responses_arg,
    out_path,
    require_file,
)
from analysis.core import config
from analysis.core.filters import Filters, apply_filters, sorted_rounds

if TYPE_CHECKING:
    from analysis.privacy.selection import SelectionCheck
    from analysis.themes.codebook import Codebook
    from analysis.themes.pipeline import ThemeResult

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `report` command."""
    parser = subparsers.add_parser(
        "report",
        help="write the meeting pack (one self-contained HTML file)",
        description="Write the meeting pack: headline findings, theme, voices and Improvement Plan charts "
        "with their tables, redacted example answers and the suppression rules, in one HTML file that "
        "opens offline.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", help="CSV or XLSX survey export")
    source.add_argument("--dataset", help="name of a dataset saved in the store")
    parser.add_argument(
        "--codebook", help="codebook YAML/JSON (default: the newest stored version)"
    )
    parser.add_argument("--out", required=True, help="the HTML file to write")
    add_mapping_options(parser)
    parser.add_argument("--benchmark", default=str(config.POPULATION_BENCHMARK),
                        help="population benchmark CSV (default: the demo benchmark)")  # fmt: skip
    parser.add_argument(
        "--no-benchmark", action="store_true", help="leave out the comparison with the population"
    )
    plan = parser.add_mutually_exclusive_group()
    plan.add_argument(
        "--plan",
        action="store_true",
        help="attach the stored Improvement Plan to a file given with --input (a stored dataset "
        "has it when it is linked to the plan)",
    )
    plan.add_argument("--no-plan", action="store_true", help="leave out the Improvement Plan")
    parser.add_argument("--round-from", help='first survey round, e.g. "2024 Q1"')
    parser.add_argument("--round-to", help='last survey round, e.g. "2025 Q2"')
    parser.add_argument(
        "--type", action="append", default=[], dest="types", help="respondent type (repeatable)"
    )
    parser.add_argument(
        "--service", action="append", default=[], dest="services", help="service (repeatable)"
    )
    parser.add_argument(
        "--locality", action="append", default=[], dest="localities", help="locality (repeatable)"
    )
    parser.add_argument(
        "--threshold", type=int, default=config.SUPPRESSION_THRESHOLD,
        help=f"suppression threshold (default {config.SUPPRESSION_THRESHOLD}, never below "
        f"{config.MIN_SUPPRESSION_THRESHOLD})",
    )  # fmt: skip
    parser.set_defaults(func=run)


def _step(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _load_input(path_text: str, args: argparse.Namespace) -> tuple[pd.DataFrame, str, str]:
    """(answers, dataset name, data version) from a file."""
    from analysis import store

    responses, path = load_responses_arg(path_text, args)
    return responses, path.name, store.content_hash(responses)[:12]


def _load_dataset(name: str) -> tuple[pd.DataFrame, str, str, int]:
    """(answers, name, data version, dataset id) from the store."""
    from analysis import store

    try:
        dataset_id = store.dataset_id_by_name(name)
        if dataset_id is None:
            raise CliError(f'no dataset called "{name}" in the store')
        meta = store.get_dataset_meta(dataset_id) or {}
        responses = store.load_dataset(dataset_id)
    except store.StoreError as exc:
        raise CliError(exc.operator_message()) from None
    return responses, name, str(meta.get("content_hash", ""))[:12], dataset_id


def _codebook(path_text: str | None):  # noqa: ANN202
    from analysis.store import StoreError
    from analysis.themes import codebook_store
    from analysis.themes.codebook import CodebookError, default_codebook, load_codebook

    if path_text:
        try:
            return load_codebook(require_file(path_text))
        except CodebookError as exc:
            raise CliError(f"{Path(path_text).name}: {exc}") from None
    try:
        return codebook_store.latest_codebook()
    except StoreError as exc:
        _step(f"note: the store is not available ({exc}); using the default codebook")
        return default_codebook()


def _wants_plan(args: argparse.Namespace, dataset_id: int | None) -> bool:
    """Whether the pack gets the plan: never with --no-plan; a file (--input) only with --plan; a stored
    dataset only when it is linked to the plan (asking with --plan for one that is not is an error)."""
    if args.no_plan:
        return False
    if dataset_id is None:
        if not args.plan:
            _step("note: no Improvement Plan attached (a file has none unless --plan is given)")
        return bool(args.plan)
    from analysis.plan import plan_datasets

    if plan_datasets.uses_plan(dataset_id):
        return True
    if args.plan:
        raise CliError(
            f'dataset "{args.dataset}" does not use the Improvement Plan; link it on the '
            "Improvement Plan page first"
        )
    _step("note: this dataset does not use the Improvement Plan, so the pack has no plan section")
    return False


def _plan(skip: bool) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    if skip:
        return None, None
    from analysis.plan import milestone_store as plan_store
    from analysis.store import StoreError

    try:
        plan_store.ensure_demo_plan()
        return plan_store.load_milestones(), plan_store.load_history()
    except StoreError as exc:
        _step(f"note: the Improvement Plan could not be read ({exc}); the pack has no plan numbers")
        return None, None


def _benchmark(args: argparse.Namespace) -> pd.DataFrame | None:
    if args.no_benchmark:
        return None
    from analysis.core.schema import ValidationError
    from analysis.voices import participation

    path = require_file(args.benchmark)
    try:
        return participation.load_benchmark(path)
    except ValidationError as exc:
        raise CliError(f"{path.name}: {exc}") from None


def _benchmark_for_area(
    args: argparse.Namespace, benchmark: pd.DataFrame | None, responses: pd.DataFrame
) -> tuple[pd.DataFrame | None, str | None]:
    """The demo benchmark only where it covers the answers' area; a named one as given."""
    if benchmark is None:
        return None, "No population benchmark was used (--no-benchmark)."
    if Path(args.benchmark).resolve() != config.POPULATION_BENCHMARK.resolve():
        return benchmark, f"Population: {Path(args.benchmark).name} (given with --benchmark)."
    from analysis.voices.benchmark_match import match_benchmark

    match = match_benchmark(
        responses, benchmark, "the demo benchmark for Greater Manchester (illustrative)"
    )
    if not match.fits:
        _step(f"note: {match.sentence}")
    return match.applied_to(benchmark), match.sentence


def _filters(args: argparse.Namespace, responses: pd.DataFrame) -> Filters:
    rounds = sorted_rounds(responses["round"])
    for flag, value in (("--round-from", args.round_from), ("--round-to", args.round_to)):
        if value and value not in rounds:
            raise CliError(
                f"{flag} {value!r} is not a round in the answers ({', '.join(rounds) or 'none'})"
            )
    return Filters(
        round_from=args.round_from,
        round_to=args.round_to,
        respondent_types=tuple(args.types),
        services=tuple(args.services),
        localities=tuple(args.localities),
    )


def _write(out: Path, document: str) -> None:
    """Write atomically: a reader never sees half a pack."""
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".pack-", suffix=".html")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(document)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CliError(f"could not write {out}: {exc.strerror or exc}") from None


def _load_answers(
    args: argparse.Namespace,
) -> tuple[pd.DataFrame, str, str, int | None, pd.DataFrame | None]:
    """The answers from --input or --dataset: (answers, name, version, dataset id, corrections)."""
    if args.input:
        require_file(args.input)
        _step(f"Reading {args.input}")
        all_responses, name, version = _load_input(args.input, args)
        return all_responses, name, version, None, None
    _step(f'Loading dataset "{args.dataset}" from the store')
    all_responses, name, version, dataset_id = _load_dataset(args.dataset)
    from analysis.themes import corrections_store

    corrections = corrections_store.corrections_for_classifier(dataset_id)
    return all_responses, name, version, dataset_id, corrections


def _choose(
    all_responses: pd.DataFrame, filters: Filters, threshold: int
) -> tuple[pd.DataFrame, pd.DataFrame, SelectionCheck]:
    """The chosen answers (none when the selection is withheld), their history across rounds, and
    the selection check."""
    from analysis.privacy import check_selection

    selection = check_selection(all_responses, filters, threshold)
    responses = apply_filters(all_responses, filters)
    history = apply_filters(all_responses, replace(filters, round_from=None, round_to=None))
    if selection.withheld:
        # The pack may be handed on: it and this log say why, never how many.
        responses = responses.iloc[0:0]
        _step(f"Selection withheld ({filters.describe()}): {selection.message}")
    else:
        _step(f"{len(responses):,} of {len(all_responses):,} answers chosen ({filters.describe()})")
    return responses, history, selection


def _themes(
    responses: pd.DataFrame,
    all_responses: pd.DataFrame,
    codebook: Codebook,
    corrections: pd.DataFrame | None,
    selection: SelectionCheck,
    threshold: int,
) -> ThemeResult | None:
    """Themes of all the answers, or None when the chosen answers are withheld or too few people."""
    from analysis.findings.theme_tables import count_respondents
    from analysis.privacy import effective_threshold
    from analysis.themes.pipeline import classify_responses

    if selection.withheld or count_respondents(responses) < effective_threshold(threshold):
        return None  # the pack has no themes
    _step(
        f"Finding themes in {len(all_responses):,} answers with codebook version {codebook.version}"
    )
    bar = ProgressBar(1000, "themes")
    result = classify_responses(
        all_responses[["response_id", "text"]], codebook, corrections=corrections,
        progress=lambda f: bar.update(int(1000 * f)),
    )  # fmt: skip
    bar.close()
    return result


def run(args: argparse.Namespace) -> int:
    """Build and write the pack; 2 on a user error."""
    from analysis.report.pack import build_meeting_pack

    if args.threshold < config.MIN_SUPPRESSION_THRESHOLD:
        raise CliError(f"--threshold cannot be below {config.MIN_SUPPRESSION_THRESHOLD}")
    out = out_path(args.out)
    benchmark = _benchmark(args)
    codebook = _codebook(args.codebook)
    all_responses, name, version, dataset_id, corrections = _load_answers(args)
    filters = _filters(args, all_responses)
    benchmark, benchmark_note = _benchmark_for_area(args, benchmark, all_responses)
    responses, history, selection = _choose(all_responses, filters, args.threshold)
    result = _themes(responses, all_responses, codebook, corrections, selection, args.threshold)
    milestones, plan_history = _plan(not _wants_plan(args, dataset_id))
    _step("Writing the meeting pack")
    document = build_meeting_pack(
        responses,
        codebook=codebook,
        theme_result=result,
        milestones=milestones,
        history=plan_history,
        benchmark=benchmark,
        benchmark_note=benchmark_note,
        filters_description=filters.describe(),
        dataset_name=name,
        data_version=version,
        generated_at=datetime.now().astimezone(),
        threshold=args.threshold,
        theme_history=history,
        localities=list(filters.localities) or None,
        selection=selection,
    )
    _write(out, document)
    _step(f"Wrote {out} ({len(document.encode('utf-8')) / 1e6:.1f} MB)")
    return 0
