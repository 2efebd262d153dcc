"""`python -m analysis discover --input F [--text-column C ...] [--map FIELD=COLUMN ...] [--codebook CB]
[--all] --out clusters.csv`.

Classifies the answers with the codebook, then clusters the ones no theme covers ("unassigned"),
or every answer with --all, and writes one row per candidate theme with redacted examples. With one
--text-column the column is read as it is; with several (one answer per filled cell), none (the
suggested answer columns) or a --map, the export is read through ingest, as `classify` does.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.cli._themes_io import check_columns, load_codebook_arg, read_table
from analysis.cli.common import (
    CliError,
    ProgressBar,
    add_mapping_options,
    load_responses_arg,
    out_path,
    plain_text_column,
    require_file,
)
from analysis.core import config

if TYPE_CHECKING:
    from collections.abc import Callable

    from analysis.themes.codebook import Codebook
    from analysis.themes.discovery import DiscoveredTheme

log = logging.getLogger(__name__)

OUTPUT_COLUMNS = [
    "cluster_id",
    "name",
    "size",
    "sentiment",
    "sentiment_label",
    "top_phrases",
    "collocations",
    "suggested_theme_id",
    "proposed_seeds",
    "repeats_theme",
    "example_1",
    "example_2",
    "example_3",
]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `discover` command."""
    parser = subparsers.add_parser(
        "discover",
        help="find candidate new themes among answers the codebook does not cover",
        description="Classify answers with the codebook, cluster the unassigned ones (or all with --all) "
        "and write one row per cluster: name, size, sentiment, top phrases and redacted examples.",
    )
    parser.add_argument("--input", required=True, help="CSV, TSV or XLSX export")
    add_mapping_options(parser)
    parser.add_argument(
        "--codebook", help="codebook YAML/JSON (default: the project's default codebook)"
    )
    parser.add_argument(
        "--all", action="store_true", help="cluster every answer, not only unassigned ones"
    )
    parser.add_argument("--out", required=True, help="CSV file to write the clusters to")
    parser.add_argument(
        "--min-cluster-size",
        type=int,
        default=config.DISCOVERY_MIN_CLUSTER_SIZE,
        help=f"smallest cluster kept (default {config.DISCOVERY_MIN_CLUSTER_SIZE}; "
        f"at least {config.MIN_SUPPRESSION_THRESHOLD})",
    )
    parser.add_argument(
        "--max-clusters",
        type=int,
        default=config.DISCOVERY_MAX_CLUSTERS,
        help=f"largest number of clusters tried (default {config.DISCOVERY_MAX_CLUSTERS})",
    )
    parser.add_argument(
        "--progress", action="store_true", help="show the progress bar even when piped"
    )
    parser.set_defaults(func=run)


def _answer_texts(path: Path, args: argparse.Namespace) -> pd.Series:
    """The answers to discover in: one named column as it is, else the export read through ingest
    (several answer columns, the suggested ones, or a --map); CliError when unusable."""
    column = plain_text_column(args)
    if column is not None:
        return _read_texts(path, column)
    responses, _ = load_responses_arg(str(path), args)
    return responses["text"].reset_index(drop=True).astype(object)


def _read_texts(path: Path, column: str) -> pd.Series:
    """The text column of the export, via the ingest reader; CliError when unusable."""
    frame = read_table(str(path))
    check_columns(list(frame.columns), [column], str(path))
    texts = frame[column]
    if isinstance(texts, pd.DataFrame):  # duplicated header: take the first
        texts = texts.iloc[:, 0]
    if texts.empty:
        raise CliError(f"{path.name} has no rows")
    return texts.reset_index(drop=True).astype(object)


def unassigned_mask(
    texts: pd.Series, codebook: Codebook, progress: Callable[[float], None] | None = None
) -> pd.Series:
    """True where the codebook's classification leaves an answer "unassigned" (one pipeline call)."""
    try:
        from analysis.themes.pipeline import classify_responses
    except ImportError as exc:  # the theme engine is a separate module; say so rather than crash
        raise CliError("theme classification is not available in this build; use --all") from exc
    from analysis.themes.discovery import uncovered_mask

    responses = pd.DataFrame(
        {"response_id": [str(i) for i in range(len(texts))], "text": texts.values}
    )
    result = classify_responses(responses, codebook, progress=progress)
    answers = result.answers.set_index(result.answers["response_id"].astype(str))
    mask = uncovered_mask(answers).reindex(responses["response_id"]).fillna(False)
    return pd.Series(mask.to_numpy(dtype=bool), index=texts.index)


def clusters_frame(found: list[DiscoveredTheme]) -> pd.DataFrame:
    """One output row per discovered theme (discovery has redacted everything it says; the examples
    are redacted once more here, which changes nothing already redacted)."""
    from analysis.privacy import redact_text
    from analysis.text.sentiment import label_for

    rows = []
    for d in found:
        examples = [redact_text(e).text for e in d.examples[:3]]
        examples += [""] * (3 - len(examples))
        try:
            suggested = d.to_theme().id
        except ValueError:
            suggested = ""
        rows.append(
            {
                "cluster_id": d.id,
                "name": d.name,
                "size": d.size,
                "sentiment": round(d.sentiment, 3),
                "sentiment_label": label_for(d.sentiment),
                "top_phrases": "; ".join(d.top_phrases),
                "collocations": "; ".join(d.collocations),
                "suggested_theme_id": suggested,
                "proposed_seeds": "; ".join(d.proposed_seeds),
                "repeats_theme": f"{d.repeats.label} ({d.repeats.theme_id})" if d.repeats else "",
                "example_1": examples[0],
                "example_2": examples[1],
                "example_3": examples[2],
            }
        )
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS)


def run(args: argparse.Namespace) -> int:
    """Discover candidate themes and write them to --out; CliError (exit 2) on bad input."""
    from analysis.privacy import safe_csv_bytes
    from analysis.themes.discovery import discover_themes, set_aside

    path = require_file(args.input)
    out = out_path(args.out, args.input)
    if args.min_cluster_size < config.MIN_SUPPRESSION_THRESHOLD:
        raise CliError(
            f"--min-cluster-size must be at least {config.MIN_SUPPRESSION_THRESHOLD} "
            "(smaller groups could identify people)"
        )
    if args.max_clusters < 2:
        raise CliError("--max-clusters must be at least 2")
    codebook = load_codebook_arg(args.codebook)

    bar = ProgressBar(100, "discover", force=getattr(args, "progress", False))
    texts = _answer_texts(path, args)
    bar.update(10)
    if args.all:
        candidates = texts
        scope = "all"
    else:
        mask = unassigned_mask(texts, codebook, progress=lambda f: bar.update(10 + int(60 * f)))
        candidates = texts[mask]
        scope = "unassigned"
    bar.update(70)
    found = discover_themes(
        candidates,
        min_cluster_size=args.min_cluster_size,
        max_clusters=args.max_clusters,
        themes=codebook.active_themes,
    )
    bar.update(95)
    frame = clusters_frame(found)
    try:
        out.write_bytes(safe_csv_bytes(frame))
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    bar.update(100)
    bar.close()
    clustered = sum(d.size for d in found)
    left_out = sum(set_aside("" if pd.isna(t) else str(t)) for t in candidates)
    print(
        f"{len(candidates):,} {scope} answers of {len(texts):,} ({left_out:,} left out: blank, "
        f"no content, or only how good or bad things were); {len(found)} clusters "
        f"covering {clustered:,} answers written to {out}"
    )
    return 0
