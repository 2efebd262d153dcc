"""Precision audit on real text: for each theme, 20 random answers of the open NHS data that the
product raises it on, for a person to read and score.

Each trust's answers are classified as the product does with no labels (zero-shot fitted on them,
seeds, and a starter model trained on the two other trusts only, so no answer is judged by a model
that saw it). The sample is seeded, so the same rows come back. With --keyed, every comment gets a
seeded random key and each theme takes its 20 raised answers with the smallest keys: two versions
of the product then draw the same answers wherever both raise the theme, so a before/after compares
like with like and only the answers that changed need reading twice.

    .venv/bin/python bench/precision_audit.py sample [--seed N] [--keyed] [--no-floors]  # to read
    .venv/bin/python bench/precision_audit.py score FILE    # FILE: row_index,theme_id,belongs

FILE may have a `version` column (e.g. before / after a change): each version is scored apart.
bench/precision_audit_judgements.csv is the audit with --seed 2026 --keyed (before and after the
short-answer rule and the waiting-time context); bench/precision_audit_judgements_discharge2027.csv
discharge planning alone with --seed 2027 --keyed (before and after its context rule, then with
the handover and aftercare contexts); bench/precision_audit_judgements_discharge2040.csv discharge
planning with --seed 2040 and --seed 2041 --keyed (each read blind, then after the rule its misses
prompted), --seed 2053 (read after all the rules, no rule since) and --seed 2061 (after the
going-home seeds);
bench/precision_audit_judgements_partnership.csv and ..._access.csv one theme each, --seed 2026 and
--seed 2031 keyed, without and with its starter floor (analysis/themes/starter.py THRESHOLD_FLOORS;
the "without" runs are `sample ... --no-floors`, and the seed-2026 "without" verdicts are those of
precision_audit_judgements.csv; the access file also holds both seeds with waiting times' floor,
--seed 2052 read blind, all three after the "home visits" seed's context, and --seed 2062 read
blind after the going-home and mental-health seeds);
bench/precision_audit_judgements_waiting.csv waiting times, --seed 2026 and 2031 keyed, without and
with its starter floor (the other floors in both);
bench/precision_audit_judgements_seed7.csv the audit before these (unkeyed, seed 7).

FILE holds only row ids, theme ids and 0/1 (the text stays in ../shared/); `score` prints, per
theme, how many of its sampled answers belong.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.themes.codebook import default_codebook  # noqa: E402
from analysis.themes.starter import load_mapping, mapped_labels, train_starter_themes  # noqa: E402
from bench.quality_heldout import TRUSTS, load, product_classify, seed_matrix  # noqa: E402

PER_THEME = 20


def raised(floors: dict[str, float] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Long table (row_index, theme_id, why, text) of every theme raised on every answer."""
    d = load()
    cb = default_codebook()
    ids = cb.theme_ids
    rows = []
    for test in TRUSTS:
        tr, te = d[d.organization != test], d[d.organization == test]
        tr_texts = tr["feedback"].tolist()
        y_tr = mapped_labels(tr["code"].tolist(), ids, load_mapping(), cb)
        starter = train_starter_themes(
            tr_texts, y_tr, cb, ids, seed_hits=seed_matrix(tr_texts, cb, ids), floors=floors
        )
        batch = product_classify(te["feedback"].tolist(), cb, starter)
        for i, (rid, text) in enumerate(zip(te["row_index"], te["feedback"])):
            for k in np.flatnonzero(batch.assigned[i]):
                why = "; ".join(batch.evidence[i].get(int(k), []))
                rows.append((rid, ids[k], why, text))
    return pd.DataFrame(rows, columns=["row_index", "theme_id", "why", "text"]), ids


def sample(
    seed: int = 7, keyed: bool = False, floors: dict[str, float] | None = None
) -> pd.DataFrame:
    """PER_THEME seeded random raised answers per theme (see the module's docstring for keyed);
    floors as train_starter_themes takes them ({} for none, None for the product's)."""
    long, ids = raised(floors)
    parts = []
    if keyed:
        keys = np.random.default_rng(seed).random(int(long["row_index"].astype(int).max()) + 1)
        long = long.assign(key=keys[long["row_index"].astype(int)])
    for tid in ids:
        sub = long[long.theme_id == tid]
        if keyed:
            parts.append(sub.nsmallest(PER_THEME, "key").drop(columns="key"))
        else:
            parts.append(sub.sample(min(PER_THEME, len(sub)), random_state=seed))
    return pd.concat(parts)


def main() -> int:
    """`sample` prints the rows to read; `score FILE` prints belongs / sampled per theme."""
    if len(sys.argv) >= 2 and sys.argv[1] == "score":
        j = pd.read_csv(sys.argv[2])
        versions = j.groupby("version", sort=False) if "version" in j else [("", j)]
        for version, part in versions:
            print(f"{version}: " if version else "", end="")
            scores = [
                f"{tid}: {int(g['belongs'].sum())}/{len(g)}"
                for tid, g in part.groupby("theme_id", sort=False)
            ]
            print(", ".join(scores))
        return 0
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 7
    floors = {} if "--no-floors" in sys.argv else None
    for r in sample(seed, "--keyed" in sys.argv, floors).itertuples():
        text = " ".join(str(r.text).split())[:220]
        print(f"{r.row_index},{r.theme_id} | {r.why} | {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
