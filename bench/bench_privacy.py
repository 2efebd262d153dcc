"""Speed of the privacy core: redaction, the selection rule, search on redacted text, suppression;
and the quality of bare-name redaction on tests/privacy/data/bare_names.tsv.

Run: .venv/bin/python bench/bench_privacy.py [--answers 100000] [--dataset 200000]
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

from analysis.core.filters import Filters
from analysis.findings.answer_search import search_answers, searchable_texts
from analysis.privacy import check_selection, redact_series, redact_text, suppress_counts
from analysis.privacy import redaction as redaction_module

TEMPLATES = [
    "The staff were kind and listened to me",
    "Waited {n} weeks for an appointment on ward 3",
    "Dr Smith was great but the ward was noisy",
    "call me on 07700 {n:06d} if you need more",
    "My care coordinator Sarah never rang back after {n} days",
    "my NHS number is 943 476 5919 and I live at M14 5RR",
    "nothing",
    "the nurse was kind but I waited in A&E for {n} hours and nobody explained anything",
    "Sarah said the team would ring within {n} days but Will never did",
    "Hope is what kept me going; thanks to Tian and Mark for everything",
    "I hope the new service will help, my mood rose to {n} out of 10",
]
NAMES_TSV = Path(__file__).resolve().parent.parent / "tests" / "privacy" / "data" / "bare_names.tsv"


def _time(label: str, run) -> float:
    start = time.perf_counter()
    run()
    took = time.perf_counter() - start
    print(f"{label}: {took:.2f} s")
    return took


def bench_redaction(texts: pd.Series) -> None:
    """redact_series on distinct answers, with and without the bare-first-name pass."""
    real = redaction_module.sub_first_names
    redaction_module.sub_first_names = lambda text, words: (text, 0)
    try:
        without = _time(f"redact_series, {len(texts):,} distinct answers, no bare names",
                        lambda: redact_series(texts))  # fmt: skip
    finally:
        redaction_module.sub_first_names = real
    redact_text("warm up the name list")  # the list is read from Faker once per process
    took = _time(f"redact_series, {len(texts):,} distinct answers, with bare names",
                 lambda: redact_series(texts))  # fmt: skip
    print(f"  per 100k distinct answers: {took / len(texts) * 1e5:.2f} s "
          f"(without bare names {without / len(texts) * 1e5:.2f} s)")  # fmt: skip


def bench_names_quality() -> None:
    """Recall and false redactions of bare first names on the project's own test set."""
    found = expected = false_sentences = clean = 0
    for line in NAMES_TSV.read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "names\t")) or "\t" not in line:
            continue
        names, sentence = line.split("\t", 1)
        out = redact_text(sentence).text
        wanted = [n for n in names.split("|") if n]
        expected += len(wanted)
        found += sum(1 for n in wanted if n not in out.replace("[NAME]", " "))
        if not wanted:
            clean += 1
            false_sentences += "[NAME]" in out
    print(f"bare names: recall {found}/{expected} ({100 * found / expected:.1f}%); "
          f"sentences without a name given a [NAME]: {false_sentences}/{clean} "
          f"({100 * false_sentences / clean:.1f}%)")  # fmt: skip


def bench_dataset(rows: int, rng: random.Random) -> None:
    """The selection rule and search on a dataset of `rows` answers (half of them distinct)."""
    localities = [f"Place {i}" for i in range(10)] + ["Tinytown"]
    weights = [10] * 10 + [0.01]
    frame = pd.DataFrame({
        "response_id": [f"r{i}" for i in range(rows)],
        "respondent_id": [f"p{i // 2}" for i in range(rows)],
        "round": [f"2024 Q{1 + i % 4}" for i in range(rows)],
        "respondent_type": [rng.choice(["service user", "carer", "staff"]) for _ in range(rows)],
        "service": [rng.choice(["Crisis", "Community", "Inpatient"]) for _ in range(rows)],
        "locality": rng.choices(localities, weights, k=rows),
        "text": [rng.choice(TEMPLATES).format(n=i % 1000) + f" ({i % (rows // 2)})"
                 for i in range(rows)],
    })  # fmt: skip
    for col in frame:
        frame[col] = frame[col].astype("string[pyarrow]")
    for filters in (
        Filters(),
        Filters(localities=("Place 1", "Place 2")),
        Filters(localities=tuple(localities[:-1])),
        Filters(localities=("Place 1",), respondent_types=("carer",), round_from="2024 Q2"),
    ):
        _time(f"check_selection, {rows:,} answers, {filters.describe()}",
              lambda f=filters: check_selection(frame, f, None))  # fmt: skip
    _time(f"search: redact and prepare {rows:,} answers once", lambda: searchable_texts(frame))
    for query in ('"943 476 5919"', "kind AND listened", "wait* OR rang", "Tian"):
        _time(f"search {query!r} over {rows:,} answers",
              lambda q=query: search_answers(frame, q, dataset=frame))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Time redaction, the selection rule, search and suppress_counts; measure bare-name quality."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--dataset", type=int, default=200_000)
    args = parser.parse_args(argv)
    rng = random.Random(42)
    texts = pd.Series(
        [rng.choice(TEMPLATES).format(n=i % 1_000_000) + f" ({i})" for i in range(args.answers)]
    )
    bench_names_quality()
    bench_redaction(texts)
    bench_dataset(args.dataset, rng)
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
