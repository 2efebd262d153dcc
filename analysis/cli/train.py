"""`python -m analysis train --input F --text-column C (--label-column L)... --out M`.

Labels: one 0/1 column per theme (blank = 0), or one column of theme names joined by "|".
The model is saved as JSON + NPZ in a zip (no pickle), loadable with --model in classify.
"""

from __future__ import annotations

import argparse

import numpy as np

from analysis.cli._themes_io import check_columns, read_table
from analysis.cli.common import CliError, add_one_text_column, one_text_column


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `train` command."""
    p = subparsers.add_parser(
        "train",
        help="train a theme model on coded answers",
        description="Train a multi-label theme model on answers people have coded and save it.",
    )
    p.add_argument("--input", required=True, help="CSV, TSV or XLSX export with coded answers")
    add_one_text_column(p, "one column")
    p.add_argument(
        "--label-column",
        action="append",
        required=True,
        help="a 0/1 column per theme (repeat), or one column of names joined by '|'",
    )
    p.add_argument("--out", required=True, help="model file to write (e.g. model.zip)")
    p.set_defaults(func=run)


def labelled_data(args: argparse.Namespace) -> tuple[list[str], np.ndarray, list[str]]:
    """(texts, label matrix, label names) from --input, --text-column and --label-column."""
    from analysis.themes.trained import LabelError, labels_from_frame

    text_column = one_text_column(args, getattr(args, "command", None) or "this command")
    frame = read_table(args.input)
    check_columns(list(frame.columns), [text_column, *args.label_column], args.input)
    try:
        Y, names = labels_from_frame(frame, args.label_column)
    except LabelError as exc:
        raise CliError(str(exc)) from None
    texts = frame[text_column].astype(str).tolist()
    if len(texts) < 10:
        raise CliError(f"{len(texts)} labelled answers is too few to train on (need at least 10)")
    if Y.sum() == 0:
        raise CliError("no answer has any label")
    return texts, Y, names


def run(args: argparse.Namespace) -> int:
    """Train and save the model."""
    from analysis.themes.model_files import save_model
    from analysis.themes.trained import TrainedThemeClassifier

    texts, Y, names = labelled_data(args)
    model = TrainedThemeClassifier().fit(texts, Y, names)
    try:
        save_model(model, args.out)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    mode = "one label per answer" if model.exclusive_ else "multi-label"
    print(f"trained on {len(texts):,} answers, {len(names)} labels ({mode}) -> {args.out}")
    return 0
