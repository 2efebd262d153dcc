"""Frame operations a filter change runs, on Python-object strings against Arrow-backed strings.

    .venv/bin/python bench/bench_frames.py                 # 200,000 generated answers
    .venv/bin/python bench/bench_frames.py --rows 20000    # a quick run

The app stores text columns as Arrow-backed strings (analysis/__init__.py); this bench shows why, on
the same generated answers held both ways: missing-value checks, distinct values, group-bys,
stripping, a filter, and the id membership test behind every theme table (pandas' own isin, and
analysis.core.frames.isin_many). Each figure is the best of --repeat runs. Writes bench/out/bench_frames.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

from bench._common import generate_answers, machine_note, markdown_table, write_report


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """The fastest of `repeat` runs of fn, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def with_storage(df: pd.DataFrame, storage: str) -> pd.DataFrame:
    """A copy of df with every string column in the given storage ("python" or "pyarrow")."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.StringDtype):
            out[col] = out[col].astype(pd.StringDtype(storage))
    return out


def operations(df: pd.DataFrame) -> dict[str, Callable[[], object]]:
    """The operations timed, each a closure over one frame."""
    from analysis.core.frames import isin_many

    localities = df["locality"].dropna().unique()[:2].tolist()
    chosen_ids = df["response_id"].iloc[::2]
    return {
        "missing values in every column (data quality)": lambda: df.isna().sum(),
        "distinct localities": lambda: df["locality"].unique(),
        "answers per locality (group-by)": lambda: df.groupby("locality").size(),
        "strip a demographic column": lambda: df["age_band"].str.strip(),
        "filter two localities": lambda: df.loc[
            df["locality"].isin(localities).fillna(False).astype(bool)
        ],
        "ids among half the ids: pandas isin": lambda: df["response_id"].isin(chosen_ids),
        "ids among half the ids: analysis.core.frames.isin_many": lambda: isin_many(
            df["response_id"], chosen_ids
        ),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the bench and write bench/out/bench_frames.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from analysis.ingest.exports import load_responses

    with tempfile.TemporaryDirectory(prefix="feedback-frames-") as tmp:
        csv_path = Path(tmp) / "answers.csv"
        generate_answers(args.rows, csv_path)
        df, _report = load_responses(csv_path)
    frames = {storage: with_storage(df, storage) for storage in ("python", "pyarrow")}
    timed = {
        storage: {k: best_of(args.repeat, f) for k, f in operations(frame).items()}
        for storage, frame in frames.items()
    }
    rows = []
    for name in timed["python"]:
        py, arrow = timed["python"][name], timed["pyarrow"][name]
        rows.append(
            [
                name,
                f"{py * 1000:.1f}",
                f"{arrow * 1000:.1f}",
                f"{py / arrow:.1f}x" if arrow else "-",
            ]
        )
        print(f"  {name}: python {py * 1000:.1f} ms, arrow {arrow * 1000:.1f} ms", flush=True)
    table = markdown_table(
        ["operation", "Python strings (ms)", "Arrow strings (ms)", "speed-up"], rows
    )
    text = "\n".join(
        [
            f"# Frame operations on {args.rows:,} answers: Python-object against Arrow-backed strings",
            "",
            f"Command: `.venv/bin/python bench/bench_frames.py --rows {args.rows} --repeat {args.repeat}`",
            f"Machine: {machine_note()}",
            "",
            table,
            "",
        ]
    )
    write_report("bench_frames.md", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
