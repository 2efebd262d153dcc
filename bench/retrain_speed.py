"""Retrain after judgements at 100,000 answers: fitting from scratch with the judgements (before)
against retraining the already-fitted model (analysis.themes.retrain), and how far their decisions
differ.

Answers are bench/speed_classify.make_texts (real comments of ../shared/benchmarks made distinct).
Judgements: `--answers` answers picked by `review` from the model without judgements, each judged
on three themes (its suggested ones, then the most doubtful), yes or no drawn at random (seeded):
what the Check themes view produces, with a reviewer who disagrees often. Timed:
  - fit from scratch with the judgements (fit_with_judgements without a base; the figure before);
  - retrain of the fitted model (fit_with_judgements with base=; what the app and review use now);
  - the app's retrain_with_corrections (a held-out probe plus the final model), both ways.
Decisions of the two final models are compared on a seeded sample of the answers. Prints figures;
asserts nothing about time.

    .venv/bin/python bench/retrain_speed.py [--n 100000] [--answers 200] [--skip-scratch]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from speed_classify import DATA, make_texts  # noqa: E402

from analysis.core import config  # noqa: E402
from analysis.themes.checking import MAX_THEMES_ASKED  # noqa: E402
from analysis.themes.codebook import default_codebook  # noqa: E402
from analysis.themes.corrections import retrain_with_corrections  # noqa: E402
from analysis.themes.judgements import fit_with_judgements, judgement_matrix  # noqa: E402
from analysis.themes.retrain import retrain  # noqa: E402
from analysis.themes.review import doubt_margins, pick_for_review  # noqa: E402
from analysis.themes.zero_shot import ZeroShotThemeClassifier  # noqa: E402


def judgements_for(model: ZeroShotThemeClassifier, texts: list[str], count: int) -> pd.DataFrame:
    """`count` review-picked answers, three themes each, yes/no at random (seeded)."""
    rng = np.random.default_rng(7)
    picked = pick_for_review(model, texts, count)
    chosen = [texts[i] for i in picked]
    assigned = model.classify(chosen, explain_model=False).assigned
    margins = doubt_margins(model, chosen)
    ids = list(model.theme_ids_)
    rows = []
    for j, i in enumerate(picked):
        order = list(np.flatnonzero(assigned[j])) + [
            k for k in np.argsort(margins[j], kind="stable") if not assigned[j, k]
        ]
        for k in order[: min(3, MAX_THEMES_ASKED)]:
            rows.append((str(i), texts[i], ids[k], int(rng.random() < 0.5)))
    return pd.DataFrame(rows, columns=["response_id", "text", "theme_id", "present"])


def timed(label: str, fn):
    """Run fn(), print wall and CPU seconds (CPU: of this process's threads, steadier than wall
    time on a machine shared with other work) and return (result, wall seconds)."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"  {label}: {secs:.1f} s ({cpu:.1f} s of CPU)", flush=True)
    return out, secs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="answers (default 100,000)")
    ap.add_argument("--answers", type=int, default=200, help="answers judged (default 200)")
    ap.add_argument("--skip-scratch", action="store_true", help="time only the retrain paths")
    ap.add_argument("--epochs", type=int, default=config.RETRAIN_EPOCHS,
                    help="passes a retrain makes (default config.RETRAIN_EPOCHS)")  # fmt: skip
    args = ap.parse_args()
    config.RETRAIN_EPOCHS = args.epochs
    if not DATA.exists():
        print(f"no benchmark data at {DATA}; nothing measured")
        return 0
    texts = make_texts(args.n)
    cb = default_codebook()
    print(
        f"{args.n:,} answers, retrain passes {args.epochs}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    base, _ = timed("fit without judgements (the model the pages already have)",
                    lambda: ZeroShotThemeClassifier().fit(texts, cb))  # fmt: skip
    frame = judgements_for(base, texts, args.answers)
    print(f"  {len(frame)} judgements on {frame['response_id'].nunique()} answers, "
          f"{frame['theme_id'].nunique()} themes judged")  # fmt: skip
    fast, _ = timed("retrain (first: the starter reads the fitted answers once)",
                    lambda: fit_with_judgements(texts, cb, frame, base=base))  # fmt: skip
    fast, _ = timed("retrain (again, as after each judged answer)",
                    lambda: fit_with_judgements(texts, cb, frame, base=base))  # fmt: skip
    _, jtexts, y = judgement_matrix(frame, list(base.theme_ids_))
    cold, _ = timed("retrain, each judged theme fitted from zero (15 passes)",
                    lambda: retrain(base, y, jtexts, warm_start=False))  # fmt: skip
    responses = pd.DataFrame({"response_id": [str(i) for i in range(len(texts))], "text": texts})
    timed("app path: retrain_with_corrections (probe + final), retraining",
          lambda: retrain_with_corrections(responses, cb, frame, base=base))  # fmt: skip
    print(f"  load average now {os.getloadavg()[0]:.1f}")
    if args.skip_scratch:
        return 0
    slow, _ = timed("fit from scratch with the judgements (before)",
                    lambda: fit_with_judgements(texts, cb, frame))  # fmt: skip
    sample = [texts[i] for i in np.random.default_rng(3).choice(len(texts), 10_000, replace=False)]
    b = slow.classify(sample, explain_model=False).assigned
    print(f"  on 10,000 answers, against the fit from scratch ({int(b.sum()):,} themes raised):")
    for name, model in (("retrain", fast), ("retrain from zero", cold), ("untaught", base)):
        a = model.classify(sample, explain_model=False).assigned
        print(f"    {name}: {int(a.sum()):,} themes raised; answers with any difference "
              f"{int((a != b).any(axis=1).sum()):,}; answer-theme cells differing "
              f"{int((a != b).sum()):,}")  # fmt: skip
    print(f"  load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
