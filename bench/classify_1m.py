"""Command-line classification at scale: 10k, 100k and 1,000,000 answers, wall time and peak memory.

    .venv/bin/python bench/classify_1m.py                       # 10k, 100k, 1M
    .venv/bin/python bench/classify_1m.py --sizes 10000 100000  # a quicker run

Each size is generated with scripts/generate_demo_responses.py into a temp folder (or reused with
--data-dir), then `python -m analysis classify --input F --text-column text --out OUT.csv` runs as
a subprocess. Peak memory is the child's maximum resident set size (/usr/bin/time -v when present,
else VmHWM polled from /proc). Target: 1,000,000 answers within 3 GB. Writes bench/out/classify_1m.md.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    ROOT,
    generate_answers,
    machine_note,
    markdown_table,
    peak_rss_mb,
    write_report,
)

TARGET_GB = 3.0
TIME_BIN = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def ensure_csv(rows: int, data_dir: Path) -> Path:
    """The generated CSV of `rows` answers in data_dir (generated when missing)."""
    path = data_dir / f"answers_{rows}.csv"
    if not path.exists():
        print(f"generating {rows:,} answers…", flush=True)
        generate_answers(rows, path)
    return path


def classify(csv_path: Path, out_path: Path) -> tuple[float, float, int]:
    """Run the classify command; return (wall seconds, peak RSS MiB, exit code)."""
    cmd = [
        sys.executable,
        "-m",
        "analysis",
        "classify",
        "--input",
        str(csv_path),
        "--text-column",
        "text",
        "--out",
        str(out_path),
    ]
    log_path = out_path.with_suffix(".log")
    if TIME_BIN:
        cmd = [TIME_BIN, "-v", *cmd]
    t = time.perf_counter()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        polled = 0.0
        while proc.poll() is None:  # also poll, in case /usr/bin/time is missing
            polled = max(polled, peak_rss_mb(proc.pid))
            time.sleep(0.5)
    wall = time.perf_counter() - t
    text = log_path.read_text(errors="replace")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    peak = int(m.group(1)) / 1024 if m else polled
    if proc.returncode:
        print(text[-3000:], file=sys.stderr)
    return wall, peak, proc.returncode


def _count_rows(path: Path) -> int:
    """Data rows in a CSV (quoted line breaks inside answers handled)."""
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def main(argv: list[str] | None = None) -> int:
    """Run the bench and write bench/out/classify_1m.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder with answers_<rows>.csv to reuse",
    )
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="feedback-classify-"))
    out_dir = Path(tempfile.mkdtemp(prefix="feedback-classify-out-"))
    rows = []
    for n in args.sizes:
        csv_path = ensure_csv(n, data_dir)
        out = out_dir / f"classified_{n}.csv"
        print(f"classifying {n:,} answers…", flush=True)
        wall, peak, code = classify(csv_path, out)
        n_out = _count_rows(out) if out.exists() and not code else 0
        rate = n / wall if wall else float("nan")
        ok = code == 0 and peak / 1024 <= TARGET_GB
        print(
            f"  {wall:.1f} s, {rate:,.0f} answers/s, peak {peak:,.0f} MiB, exit {code}",
            flush=True,
        )
        rows.append(
            [
                f"{n:,}",
                f"{wall:.1f}",
                f"{rate:,.0f}",
                f"{peak:,.0f}",
                code,
                f"{n_out:,}" if n_out else "-",
                "yes" if ok else "NO",
            ]
        )
    table = markdown_table(
        [
            "answers",
            "wall (s)",
            "answers/s",
            "peak RSS (MiB)",
            "exit",
            "rows written",
            f"within {TARGET_GB:g} GB",
        ],
        rows,
    )
    text = "\n".join(
        [
            "# Classifying from the command line (chunked)",
            "",
            "Command: `.venv/bin/python -m analysis classify --input answers_N.csv --text-column text --out OUT.csv`",
            f"Bench: `.venv/bin/python bench/classify_1m.py --sizes {' '.join(map(str, args.sizes))}`",
            f"Machine: {machine_note()} (at the end of the run); peak memory from "
            f"{'/usr/bin/time -v' if TIME_BIN else 'VmHWM polled from /proc'}",
            "",
            table,
            "",
        ]
    )
    print(text)
    print(f"wrote {write_report('classify_1m.md', text)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
