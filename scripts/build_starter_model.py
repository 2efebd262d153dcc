"""Build the starter model file (data/starter_model.json + .npz) from the open NHS feedback data.

Source: ../shared/benchmarks/nhs-feedback-phase1/text_data.csv, from the public repository
The-Strategy-Unit/pxtextmining (datasets/phase_1/text_data.csv), MIT licence, copyright 2021 NHS
England: 10,334 comments from three anonymised NHS trusts (2020-21), each coded by people with one
framework sub-category and a criticality score (-5..5). The data stays where it is; only the fitted
model (vocabularies, idf, coefficients, thresholds) is written, without pickle.

    .venv/bin/python scripts/build_starter_model.py [--data PATH] [--out data/starter_model.json]

The sub-category -> codebook theme mapping is data/starter_mapping.csv (edit it and rebuild); the
codebook's labels, descriptions and seeds (data/codebook.yaml) are added as training texts.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.text.normalise import is_contentless  # noqa: E402
from analysis.text.sentiment_model import train_sentiment  # noqa: E402
from analysis.text.starter_file import STARTER_JSON, write_starter_file  # noqa: E402
from analysis.themes.codebook import default_codebook  # noqa: E402
from analysis.themes.seed_match import SeedMatcher  # noqa: E402
from analysis.themes.starter import (  # noqa: E402
    MAPPING_PATH,
    load_mapping,
    mapped_labels,
    train_starter_themes,
)
from analysis.themes.zero_shot import _parent_matrix  # noqa: E402

DATA = ROOT.parent / "shared" / "benchmarks" / "nhs-feedback-phase1" / "text_data.csv"
SOURCE = (
    "The-Strategy-Unit/pxtextmining datasets/phase_1/text_data.csv "
    "(commit ba6c0a2f10ca9bb3b964b72afe6047b463095c75), MIT licence, copyright 2021 NHS England"
)


def _seed_hits(texts: list[str], codebook) -> np.ndarray:
    matcher = SeedMatcher(codebook)
    parents = _parent_matrix(codebook)
    out = np.zeros((len(texts), len(codebook.theme_ids)), dtype=np.int8)
    for i, t in enumerate(texts):
        if is_contentless(t):
            continue
        for m in matcher.match(t):
            out[i, [m.theme_index, *parents[m.theme_index]]] = 1
    return out


def build(data: Path, out: Path) -> dict:
    """Train both parts and write the file; returns a short summary."""
    raw = data.read_bytes()
    d = pd.read_csv(data, dtype=str, keep_default_na=False)
    d = d[d["feedback"].str.strip() != ""].reset_index(drop=True)
    cb = default_codebook()
    ids = cb.theme_ids
    texts = d["feedback"].tolist()
    y = mapped_labels(d["code"].tolist(), ids, load_mapping(), cb)
    themes = train_starter_themes(texts, y, cb, ids, seed_hits=_seed_hits(texts, cb))
    crit = pd.to_numeric(d["criticality"].str.strip(), errors="coerce")
    clean = crit.notna() & (crit % 1 == 0) & (crit.abs() <= 5)
    senti = train_sentiment(
        d.loc[clean, "feedback"].tolist(),
        crit[clean].to_numpy(),
        groups=d.loc[clean, "organization"].tolist(),  # trusts score on their own habits
    )
    meta_t, arr_t = themes.to_file_parts()
    meta_s, arr_s = senti.to_file_parts()
    meta = {
        "source": SOURCE,
        "source_md5": hashlib.md5(raw).hexdigest(),
        "n_comments": len(d),
        "n_sentiment": int(clean.sum()),
        "mapping_sha1": hashlib.sha1(MAPPING_PATH.read_bytes()).hexdigest(),
        "codebook_fingerprint": cb.fingerprint(),
        **meta_t,
        **meta_s,
    }
    write_starter_file(out, meta, {**arr_t, **arr_s})
    raised = [t for t, thr in zip(ids, themes.thresholds) if np.isfinite(thr)]
    return {"comments": len(d), "themes raised by the starter": raised}


def main() -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=STARTER_JSON)
    args = ap.parse_args()
    if not args.data.exists():
        print(f"open NHS data not found at {args.data}", file=sys.stderr)
        return 2
    summary = build(args.data, args.out)
    size = args.out.stat().st_size + args.out.with_suffix(".npz").stat().st_size
    print(f"wrote {args.out} (+ .npz), {size / 1e6:.1f} MB; {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
