"""`python -m analysis evaluate --input F --text-column C (--label-column L)... [--codebook CB]`.

Trains on a seeded 80% and reports per-theme precision, recall, F1 and support on the other 20%,
with macro and micro F1. With --codebook and label columns named like codebook theme ids, the
codebook's zero-shot themes are evaluated instead (no training on the labels).
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from analysis.cli._themes_io import load_codebook_arg
from analysis.cli.common import CliError, add_one_text_column
from analysis.cli.train import labelled_data
from analysis.core import config


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `evaluate` command."""
    p = subparsers.add_parser(
        "evaluate",
        help="measure theme quality against coded answers",
        description="Per-theme precision/recall/F1/support and macro/micro F1 on a seeded held-out split.",
    )
    p.add_argument("--input", required=True)
    add_one_text_column(p, "one column")
    p.add_argument("--label-column", action="append", required=True)
    p.add_argument(
        "--codebook",
        help="evaluate this codebook's zero-shot themes (labels = theme ids)",
    )
    p.add_argument("--test-size", type=float, default=0.2, help="held-out share (default 0.2)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run)


def evaluation_report(Y_true: np.ndarray, Y_pred: np.ndarray, names: list[str]) -> dict:
    """Per-theme precision/recall/F1/support plus macro and micro F1."""
    p, r, f, s = precision_recall_fscore_support(Y_true, Y_pred, average=None, zero_division=0)
    micro = precision_recall_fscore_support(Y_true, Y_pred, average="micro", zero_division=0)[2]
    return {
        "themes": [
            {
                "theme": n,
                "precision": float(p[i]),
                "recall": float(r[i]),
                "f1": float(f[i]),
                "support": int(s[i]),
            }
            for i, n in enumerate(names)
        ],
        "macro_f1": float(np.mean(f)) if len(f) else 0.0,
        "micro_f1": float(micro),
    }


def _print(report: dict) -> None:
    width = max([len(t["theme"]) for t in report["themes"]] + [5])
    print(f"{'theme':<{width}}  precision  recall     f1  support")
    for t in report["themes"]:
        print(
            f"{t['theme']:<{width}}  {t['precision']:9.3f}  {t['recall']:6.3f}  {t['f1']:5.3f}  {t['support']:7d}"
        )
    print(
        f"macro F1 {report['macro_f1']:.3f}   micro F1 {report['micro_f1']:.3f}   "
        f"({report['mode']}, {report['n_test']} held-out answers, seed {config.RANDOM_SEED})"
    )


def run(args: argparse.Namespace) -> int:
    """Evaluate and print the report."""
    if not 0.05 <= args.test_size <= 0.5:
        raise CliError("--test-size must be between 0.05 and 0.5")
    texts, Y, names = labelled_data(args)
    rng = np.random.default_rng(config.RANDOM_SEED)
    order = rng.permutation(len(texts))
    n_test = max(int(round(args.test_size * len(texts))), 1)
    test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
    test_texts = [texts[i] for i in test]
    if args.codebook:
        codebook = load_codebook_arg(args.codebook)
        unknown = [n for n in names if n not in codebook.theme_ids]
        if unknown:
            raise CliError(
                f"label(s) {', '.join(unknown[:5])} are not theme ids of the codebook; "
                "name the label columns after theme ids, or drop --codebook to train and evaluate"
            )
        from analysis.themes.zero_shot import ZeroShotThemeClassifier

        model = ZeroShotThemeClassifier().fit(texts, codebook)  # labels are never seen
        batch = model.classify(test_texts, explain_model=False)
        Y_pred = batch.assigned[:, [model.theme_ids_.index(n) for n in names]].astype(int)
        mode = "zero-shot"
    else:
        from analysis.themes.trained import TrainedThemeClassifier

        model = TrainedThemeClassifier().fit([texts[i] for i in train], Y[train], names)
        Y_pred = model.predict_matrix(test_texts)
        mode = "trained"
    report = evaluation_report(Y[test], Y_pred, names)
    report.update(mode=mode, n_test=int(len(test)), n_train=int(len(train)))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print(report)
    return 0
