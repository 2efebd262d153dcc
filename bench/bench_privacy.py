"""Speed of the privacy core: redaction of many answers and suppression of large tables.

Run: .venv/bin/python bench/bench_privacy.py [--answers 100000]
Prints figures only; never part of the test run's pass/fail.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.privacy import redact_series, suppress_counts

TEMPLATES = [
    "The staff were kind and listened to me",
    "Waited {n} weeks for an appointment on ward 3",
    "Dr Smith was great but the ward was noisy",
    "call me on 07700 {n:06d} if you need more",
    "My care coordinator Sarah never rang back after {n} days",
    "my NHS number is 943 476 5919 and I live at M14 5RR",
    "nothing",
    "the nurse was kind but I waited in A&E for {n} hours and nobody explained anything",
]


def main(argv: list[str] | None = None) -> int:
    """Time redact_series on N distinct answers and suppress_counts on growing tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, default=100_000)
    args = parser.parse_args(argv)
    rng = random.Random(42)
    texts = pd.Series(
        [rng.choice(TEMPLATES).format(n=i % 1_000_000) + f" ({i})" for i in range(args.answers)]
    )
    start = time.perf_counter()
    redact_series(texts)
    took = time.perf_counter() - start
    print(
        f"redact_series: {args.answers:,} distinct answers in {took:.2f} s "
        f"({args.answers / took:,.0f} answers/s)"
    )
    gen = np.random.default_rng(42)
    for rows, cols in [(10, 13), (30, 13), (60, 20), (120, 13)]:
        table = pd.DataFrame(gen.choice([0, 1, 2, 3, 5, 8, 12, 20, 40, 80], size=(rows, cols)))
        start = time.perf_counter()
        result = suppress_counts(table)
        took = time.perf_counter() - start
        print(
            f"suppress_counts: {rows}x{cols} table in {took:.3f} s "
            f"({result.n_suppressed} of {rows * cols} cells hidden)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
