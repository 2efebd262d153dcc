"""Speed and peak memory: classify_responses (themes + clause-level sentiment) vs a plain
TF-IDF(1-2) + LinearSVC + whole-answer VADER pipeline, timed in the same run.

    .venv/bin/python bench/speed_classify.py            # 10k and 100k answers
    .venv/bin/python bench/speed_classify.py --million  # also 1M (takes a while)

Answers are made distinct (a real comment plus a second real comment's first clause), so the
text cache cannot hide the work; each size runs in a fresh process so peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "benchmarks" / "nhs-feedback-phase1" / "text_data.csv"
OUT = ROOT / "bench" / "out"


def make_texts(n: int) -> list[str]:
    """n distinct, realistic answers built from the benchmark's comments (seeded)."""
    import numpy as np
    import pandas as pd

    base = pd.read_csv(DATA, dtype=str, keep_default_na=False)["feedback"]
    base = [t for t in base if t.strip()]
    rng = np.random.default_rng(42)
    a = rng.integers(0, len(base), n)
    b = rng.integers(0, len(base), n)
    return [f"{base[i]} {base[j].split('.')[0]} ({k})" for k, (i, j) in enumerate(zip(a, b))]


def run_one(kind: str, n: int) -> dict:
    """Time one pipeline on n answers in this process; return seconds and peak RSS."""
    import numpy as np
    import pandas as pd

    texts = make_texts(n)
    t0 = time.perf_counter()
    if kind == "ours":
        from analysis.themes.codebook import default_codebook
        from analysis.themes.pipeline import classify_responses

        res = classify_responses(
            pd.DataFrame({"response_id": np.arange(n).astype(str), "text": texts}),
            default_codebook(),
        )
        assert len(res.answers) == n
    else:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        from analysis.text.sentiment import plain_vader_scores

        train = pd.read_csv(DATA, dtype=str, keep_default_na=False)
        vec = TfidfVectorizer(ngram_range=(1, 2))
        model = LinearSVC(random_state=42).fit(vec.fit_transform(train["feedback"]), train["label"])
        for lo in range(0, n, 50_000):
            chunk = texts[lo : lo + 50_000]
            model.predict(vec.transform(chunk))
            plain_vader_scores(chunk)
    secs = time.perf_counter() - t0
    # Forked classify workers (ours, on a multi-core machine) count too: parent peak + largest worker.
    peak_mb = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    ) / 1024
    return {"kind": kind, "n": n, "secs": secs, "per_sec": n / secs, "peak_mb": peak_mb}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--million", action="store_true")
    ap.add_argument("--sizes", default="")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child[0], int(args.child[1]))))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s] or [10_000, 100_000] + (
        [1_000_000] if args.million else []
    )
    rows = []
    for n in sizes:
        pair = {}
        for kind in ("peer", "ours"):
            out = subprocess.run(
                [sys.executable, __file__, "--child", kind, str(n)],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode:
                print(out.stderr[-2000:])
                return 1
            pair[kind] = json.loads(out.stdout.strip().splitlines()[-1])
            r = pair[kind]
            print(
                f"{kind:5s} n={n:>9,} {r['secs']:8.1f} s {r['per_sec']:9,.0f}/s peak {r['peak_mb']:7,.0f} MB",
                flush=True,
            )
        rows.append(pair)
    lines = [
        "# Classification speed (themes + sentiment)",
        "",
        f"CPU cores: {__import__('os').cpu_count()}",
        "",
        "| answers | ours s | ours answers/s | ours peak MB | peer s | peer answers/s | peer peak MB | ours / peer |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for p in rows:
        o, q = p["ours"], p["peer"]
        lines.append(
            f"| {o['n']:,} | {o['secs']:.1f} | {o['per_sec']:,.0f} | {o['peak_mb']:,.0f} | {q['secs']:.1f} | "
            f"{q['per_sec']:,.0f} | {q['peak_mb']:,.0f} | {o['secs'] / q['secs']:.2f}x |"
        )
    lines += [
        "",
        "Peer: TF-IDF(1-2) + LinearSVC trained on the benchmark, plus plain whole-answer NLTK VADER.",
        "Ours: zero-shot fit on the answers (sample of 40k), seed matching, themes, clause-level sentiment.",
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "speed_classify.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT / 'speed_classify.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
