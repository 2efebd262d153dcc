"""`python -m analysis classify --input F [--text-column C ...] [--map FIELD=COLUMN ...] [--date-order O]
[--codebook CB] [--model M] [--corrections J.csv] --out OUT.csv`.

With one --text-column and no --map: writes every input column plus `themes` (ids joined by "|",
empty when none), `sentiment` (-1..1) and `sentiment_label`. Big CSVs are streamed in chunks, so a million answers fit in a few GB; the
zero-shot model is fitted once on the first chunk and reused for the rest. With several (or no)
--text-column, or a --map or --date-order, the export is read through ingest and the output has one
row per answer (the canonical columns) plus the same three; blank and placeholder answers are left out.
With --corrections (one --text-column only; people's judgements, response_id,text,theme_id,present)
the model learns from them, weighted above seeds, and every judged answer takes exactly the judged
themes.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.cli._themes_io import (
    check_columns,
    count_rows,
    is_streamed,
    iter_chunks,
    load_codebook_arg,
    load_model_arg,
    read_table,
)
from analysis.cli.common import (
    CliError,
    ProgressBar,
    add_mapping_options,
    load_responses_arg,
    out_path,
    plain_text_column,
    require_file,
)
from analysis.cli.review import add_id_and_judgement_args, answer_ids, load_judgements
from analysis.core import config

if TYPE_CHECKING:
    from analysis.themes.classifier_base import ThemeClassifierBase
    from analysis.themes.codebook import Codebook

log = logging.getLogger(__name__)
ADDED_COLUMNS = ("themes", "sentiment", "sentiment_label")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `classify` command."""
    p = subparsers.add_parser(
        "classify",
        help="add themes and sentiment to every answer of an export",
        description="Classify answers with the codebook (zero-shot) or a trained model and write the "
        "input columns plus themes, sentiment and sentiment_label.",
    )
    p.add_argument("--input", required=True, help="CSV, TSV or XLSX export")
    add_mapping_options(p)
    p.add_argument(
        "--codebook",
        help="codebook YAML/JSON (default: the project's default codebook)",
    )
    p.add_argument("--model", help="a model saved by `train` (its label names become the themes)")
    add_id_and_judgement_args(p)
    p.add_argument("--out", required=True, help="CSV file to write")
    p.add_argument(
        "--chunk-rows",
        type=int,
        default=config.CLASSIFY_CHUNK_ROWS,
        help=argparse.SUPPRESS,
    )
    p.add_argument("--progress", action="store_true", help="show the progress bar even when piped")
    p.set_defaults(func=run)


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as formulas get a leading apostrophe."""
    from analysis.privacy import neutralise_formula

    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(neutralise_formula)
    out.columns = [str(neutralise_formula(str(c))) for c in out.columns]
    return out


def _chunk_judgements(
    chunk: pd.DataFrame,
    responses: pd.DataFrame,
    judgements: pd.DataFrame | None,
    args: argparse.Namespace,
    done: int,
) -> pd.DataFrame | None:
    """The judgements about this chunk's answers, keyed by the chunk's row keys (response_id),
    plus (for the model to learn from) judged texts that are in no chunk seen so far."""
    if judgements is None or judgements.empty:
        return None
    from analysis.themes.judgements import match_judgements

    if args.id_column or "response_id" in chunk.columns:
        ids = answer_ids(chunk, args.id_column, args.input).tolist()
    else:
        ids = [str(done + i + 1) for i in range(len(chunk))]
    matched = match_judgements(
        pd.DataFrame({"response_id": ids, "text": responses["text"]}), judgements
    )
    rows: dict[str, list[str]] = {}
    for own, key in zip(ids, responses["response_id"], strict=True):
        rows.setdefault(own, []).append(key)
    out = []
    for rid, text, tid, present in matched.itertuples(index=False):
        for key in rows.get(rid, [rid]):
            out.append((key, text, tid, present))
    return pd.DataFrame(out, columns=list(matched.columns))


def run(args: argparse.Namespace) -> int:
    """Classify the input file chunk by chunk and write the output CSV."""
    target = _checked_out_path(args)
    model = load_model_arg(args.model) if args.model else None
    codebook = load_codebook_arg(args.codebook)
    judgements = load_judgements(getattr(args, "corrections", None), codebook)
    column = plain_text_column(args)
    if column is None:
        if judgements is not None and not judgements.empty:
            raise CliError("--corrections works with one --text-column and no --map")
        # Several answer columns, or a mapping: read through ingest, one row per answer.
        return _classify_mapped(args, codebook, model, target)
    args.text_column = column

    total, chunks = _input_chunks(args)
    bar = ProgressBar(total, "classify", force=args.progress)
    done = 0
    written = 0
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        for chunk in chunks:
            out, model = _classify_chunk(chunk, args, codebook, model, judgements, done)
            _safe(out).to_csv(fh, index=False, header=written == 0, lineterminator="\r\n")
            written += 1
            done += len(chunk)
            bar.update(done)
    bar.close()
    log.info("classified %d answers into %s", done, target)
    print(f"classified {done:,} answers -> {target}")
    return 0


def _checked_out_path(args: argparse.Namespace) -> Path:
    """The --out path, after checking the input exists and the options make sense."""
    require_file(args.input)
    if args.chunk_rows < 1:
        raise CliError("--chunk-rows must be at least 1")
    return out_path(args.out, args.input)


def _input_chunks(args: argparse.Namespace) -> tuple[int, Iterator[pd.DataFrame]]:
    """The number of input rows and the input in chunks of --chunk-rows (big CSVs streamed)."""
    if is_streamed(args.input):
        return count_rows(args.input), iter_chunks(args.input, args.chunk_rows)
    frame = read_table(args.input)
    check_columns(list(frame.columns), [args.text_column], args.input)
    total = len(frame)
    step = args.chunk_rows
    return total, (frame.iloc[lo : lo + step] for lo in range(0, max(total, 1), step))


def _classify_chunk(
    chunk: pd.DataFrame,
    args: argparse.Namespace,
    codebook: Codebook,
    model: ThemeClassifierBase | None,
    judgements: pd.DataFrame | None,
    done: int,
) -> tuple[pd.DataFrame, ThemeClassifierBase | None]:
    """The chunk with its themes and sentiment added, and the model (fitted on the first chunk)."""
    from analysis.themes.pipeline import classify_responses

    check_columns(list(chunk.columns), [args.text_column], args.input)
    clash = [c for c in ADDED_COLUMNS if c in chunk.columns]
    if clash:
        raise CliError(f"the input already has column(s) {', '.join(clash)}; rename them first")
    texts = chunk[args.text_column]
    if isinstance(texts, pd.DataFrame):
        texts = texts.iloc[:, 0]
    responses = pd.DataFrame(
        {
            "response_id": [str(done + i) for i in range(len(chunk))],
            "text": texts.to_numpy(),
        }
    )
    fixes = _chunk_judgements(chunk, responses, judgements, args, done)
    if model is None and len(responses):
        # Fit the zero-shot model once, on the first chunk (a sample of at most
        # ZERO_SHOT_MAX_FIT_TEXTS distinct answers), and reuse it for every later chunk.
        from analysis.themes.judgements import fit_with_judgements

        model = fit_with_judgements(responses["text"].tolist(), codebook, fixes)
    out = chunk.reset_index(drop=True).copy()
    if len(responses):
        res = classify_responses(responses, codebook, model=model, corrections=fixes)
        _add_results(out, res.answers)
    else:
        for c in ADDED_COLUMNS:
            out[c] = pd.Series(dtype=object)
    return out, model


def _add_results(out: pd.DataFrame, answers: pd.DataFrame) -> None:
    """Add the themes (empty for the special themes), rounded sentiment and its label to `out`."""
    themes = answers["themes"].where(~answers["themes"].isin(config.SPECIAL_THEME_IDS), "")
    out["themes"] = themes.to_numpy()
    out["sentiment"] = answers["sentiment"].round(4).to_numpy()
    out["sentiment_label"] = answers["sentiment_label"].to_numpy()


def _classify_mapped(args: argparse.Namespace, codebook, model, target: Path) -> int:  # noqa: ANN001
    """Classify the answers ingest reads with the given mapping; write them with their themes.

    One row per answer (a wide export's answer columns become rows with their question), blank and
    placeholder answers left out: they are never themed.
    """
    from analysis.themes.pipeline import classify_responses

    responses, _ = load_responses_arg(args.input, args)
    res = classify_responses(responses, codebook, model=model)
    out = responses.copy()
    _add_results(out, res.answers)
    _safe(out.astype(object).where(out.notna(), "")).to_csv(
        target, index=False, encoding="utf-8-sig", lineterminator="\r\n"
    )
    print(f"classified {len(out):,} answers -> {target}")
    return 0
