"""Write the Voices demo data: a population benchmark by GM borough and a demo engagement log.

    python scripts/generate_demo_voices.py [--out-dir data]

Deterministic (fixed seed, no clock): running it twice gives byte-identical files.

The benchmark is ILLUSTRATIVE. Borough totals are close to the ONS Census 2021 usual-resident
counts (rounded to the nearest hundred); the splits by age band, gender, ethnicity, disability,
sexual orientation and religion are shaped on the published Census 2021 tables for each borough
(TS007A, TS078, TS021, TS038, TS077, TS030) as best known, rounded and simplified to the demo's
categories. "Not answered" in the voluntary questions (sexual orientation, religion) is left out
and the remaining shares renormalised. They are not official figures: replace them with the real
tables (same long format) before using the comparison for decisions.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.core import config  # noqa: E402
from analysis.core.schema import ENGAGEMENT_COLUMNS  # noqa: E402

SEED = config.RANDOM_SEED
SOURCE = (
    "Illustrative, shaped on ONS Census 2021 (TS007A age, TS078 gender identity, TS021 ethnicity, "
    "TS038 disability, TS077 sexual orientation, TS030 religion), residents aged 16+; "
    "borough totals near Census 2021 — not official figures"
)

# Census 2021 usual residents, all ages, rounded to 100.
BOROUGH_TOTAL = {
    "Bolton": 296_000,
    "Bury": 193_800,
    "Manchester": 551_900,
    "Oldham": 242_100,
    "Rochdale": 223_800,
    "Salford": 270_800,
    "Stockport": 294_800,
    "Tameside": 231_100,
    "Trafford": 235_100,
    "Wigan": 329_300,
}
# Share aged 16+ (illustrative).
ADULT_SHARE = {
    "Bolton": 0.785, "Bury": 0.790, "Manchester": 0.800, "Oldham": 0.770, "Rochdale": 0.780,
    "Salford": 0.800, "Stockport": 0.805, "Tameside": 0.795, "Trafford": 0.790, "Wigan": 0.810,
}  # fmt: skip

AGE_BANDS = config.DEMOGRAPHIC_GROUPS["age_band"]
AGE_PROFILES = {
    "young": (2.7, 17.0, 22.5, 16.0, 12.7, 11.2, 6.6, 5.3),
    "typical": (3.0, 10.5, 16.5, 16.0, 16.2, 15.6, 12.0, 10.2),
    "older": (2.9, 8.6, 14.6, 15.6, 16.6, 16.9, 13.6, 11.2),
}
AGE_PROFILE_OF = {
    "Bolton": "typical", "Bury": "typical", "Manchester": "young", "Oldham": "typical",
    "Rochdale": "typical", "Salford": "young", "Stockport": "older", "Tameside": "typical",
    "Trafford": "older", "Wigan": "older",
}  # fmt: skip

GENDERS = config.DEMOGRAPHIC_GROUPS["gender"]
GENDER_SHARES = (50.9, 48.9, 0.1, 0.1)

ETHNICITIES = config.DEMOGRAPHIC_GROUPS["ethnicity"]
# Percent, in ETHNICITIES order; "Other ethnic group" takes the rest (other Asian, Chinese, Arab,
# other Black, any other).
ETHNICITY_SHARES = {
    "Bolton": (69.5, 3.5, 9.5, 7.6, 0.6, 3.0, 0.4, 2.4),
    "Bury": (79.0, 4.0, 6.8, 1.5, 0.5, 1.2, 0.3, 2.3),
    "Manchester": (48.7, 8.1, 11.8, 2.5, 1.9, 8.6, 1.6, 5.3),
    "Oldham": (66.5, 3.0, 13.5, 0.8, 7.6, 2.6, 0.3, 2.4),
    "Rochdale": (72.0, 3.5, 14.0, 0.9, 2.4, 1.8, 0.3, 2.2),
    "Salford": (72.5, 7.5, 1.7, 1.1, 0.4, 5.6, 0.5, 3.1),
    "Stockport": (84.0, 4.0, 3.4, 1.5, 0.5, 0.8, 0.3, 2.4),
    "Tameside": (82.5, 3.5, 3.3, 2.2, 3.0, 1.2, 0.3, 2.2),
    "Trafford": (72.0, 7.0, 6.6, 3.3, 0.4, 2.0, 1.3, 3.7),
    "Wigan": (92.5, 2.5, 0.3, 0.5, 0.1, 1.2, 0.1, 1.3),
}
# Disabled under the Equality Act, percent of residents aged 16+ (illustrative).
DISABLED_PCT = {
    "Bolton": 21.5, "Bury": 21.0, "Manchester": 19.5, "Oldham": 22.0, "Rochdale": 22.5,
    "Salford": 21.0, "Stockport": 20.0, "Tameside": 22.5, "Trafford": 17.5, "Wigan": 22.5,
}  # fmt: skip
SEXUAL_ORIENTATIONS = config.DEMOGRAPHIC_GROUPS["sexual_orientation"]
SEXUAL_ORIENTATION_SHARES = {
    "Manchester": (92.0, 3.6, 3.4, 1.0),
    "Salford": (94.8, 2.3, 2.2, 0.7),
    "default": (96.6, 1.6, 1.4, 0.4),
}
RELIGIONS = config.DEMOGRAPHIC_GROUPS["religion"]
# Percent excluding "Not answered" (renormalised on use).
RELIGION_SHARES = {
    "Bolton": (50, 16, 27, 4),
    "Bury": (52, 11, 29, 7),
    "Manchester": (36, 22, 32, 4),
    "Oldham": (45, 24, 25, 1),
    "Rochdale": (48, 19, 27, 1),
    "Salford": (47, 4, 36, 6),
    "Stockport": (52, 4, 37, 2),
    "Tameside": (52, 6, 36, 2),
    "Trafford": (52, 8, 31, 4),
    "Wigan": (62, 1, 31, 1),
}


def _split(total: int, shares: tuple[float, ...] | list[float]) -> list[int]:
    """Split `total` by `shares` into integers that sum to `total` (largest remainder)."""
    w = np.asarray(shares, dtype=float)
    raw = total * w / w.sum()
    out = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - out), kind="stable")[: total - int(out.sum())]:
        out[i] += 1
    return [int(v) for v in out]


def benchmark_table() -> pd.DataFrame:
    """The long benchmark table: locality, dimension, group, population, source."""
    rows: list[tuple[str, str, str, int, str]] = []
    for borough in config.GM_BOROUGHS:
        adults = int(round(BOROUGH_TOTAL[borough] * ADULT_SHARE[borough], -2))
        eth = list(ETHNICITY_SHARES[borough])
        eth.append(round(100.0 - sum(eth), 1))
        dims = {
            "age_band": (AGE_BANDS, AGE_PROFILES[AGE_PROFILE_OF[borough]]),
            "gender": (GENDERS, GENDER_SHARES),
            "ethnicity": (ETHNICITIES, eth),
            "disability": (("Yes", "No"), (DISABLED_PCT[borough], 100 - DISABLED_PCT[borough])),
            "sexual_orientation": (
                SEXUAL_ORIENTATIONS,
                SEXUAL_ORIENTATION_SHARES.get(borough, SEXUAL_ORIENTATION_SHARES["default"]),
            ),
            "religion": (RELIGIONS, RELIGION_SHARES[borough]),
        }
        for dim in config.DEMOGRAPHIC_COLUMNS:
            groups, shares = dims[dim]
            for group, n in zip(groups, _split(adults, shares)):
                rows.append((borough, dim, group, n, SOURCE))
    return pd.DataFrame(rows, columns=["locality", "dimension", "group", "population", "source"])


ACTIVITY_TITLES = {
    "survey": ("Lived-experience survey round", "Carers' experience survey", "Crisis line feedback survey"),
    "group interview": ("Community group interview", "Young adults' group interview", "Peer support group interview"),
    "forum": ("Service user forum", "Carers' forum", "Community mental health forum"),
    "panel": ("Lived-experience advisory panel", "Quality and safety panel", "Reader panel for patient leaflets"),
    "event": ("Co-production Week event", "World Mental Health Day event", "Community drop-in event"),
    "interview panel": ("Interview panel: ward manager", "Interview panel: peer support workers", "Interview panel: consultant psychiatrist"),
    "workshop": ("Discharge planning workshop", "Crisis pathway redesign workshop", "Improvement Plan priorities workshop"),
}  # fmt: skip
# Typical level and participant range per type (why: an event informs many, a panel co-produces with few).
TYPE_PROFILE = {
    "survey": (("consult",), (80, 400), (0.6, 0.9)),
    "group interview": (("consult", "involve"), (6, 15), (0.7, 1.0)),
    "forum": (("consult", "involve"), (12, 40), (0.6, 0.95)),
    "panel": (("involve", "co-produce"), (5, 14), (0.6, 1.0)),
    "event": (("inform", "consult"), (40, 150), (0.4, 0.8)),
    "interview panel": (("involve", "co-produce"), (2, 5), (0.4, 0.8)),
    "workshop": (("involve", "co-produce"), (10, 35), (0.5, 0.9)),
}


def engagement_log(n: int = 40) -> pd.DataFrame:
    """A demo engagement log of `n` activities in 2024-2025 (columns schema.ENGAGEMENT_COLUMNS)."""
    rng = np.random.default_rng(SEED)
    types = list(TYPE_PROFILE)
    weights = np.array([0.12, 0.12, 0.16, 0.16, 0.14, 0.12, 0.18])
    start, span = date(2024, 1, 8), (date(2025, 12, 15) - date(2024, 1, 8)).days
    days = np.sort(rng.integers(0, span, size=n))
    places = list(config.GM_BOROUGHS) + ["Greater Manchester-wide"] * 3
    rows = []
    for i, day in enumerate(days):
        kind = str(rng.choice(types, p=weights / weights.sum()))
        levels, (lo, hi), (le_lo, le_hi) = TYPE_PROFILE[kind]
        # Later activities lean towards co-production: the trust's stated direction of travel.
        level = levels[-1] if (len(levels) > 1 and rng.random() < 0.35 + 0.4 * i / n) else levels[0]
        participants = int(rng.integers(lo, hi + 1))
        lived = min(participants, int(round(participants * rng.uniform(le_lo, le_hi))))
        carers = (
            int(round((participants - lived) * rng.uniform(0.3, 0.7)))
            if kind != "interview panel"
            else 0
        )
        staff = participants - lived - carers
        parts = [f"service users {lived}"]
        if carers:
            parts.append(f"carers {carers}")
        if staff:
            parts.append(f"staff {staff}")
        make_up = ", ".join(parts) if rng.random() < 0.85 else ""
        rows.append(
            {
                "activity_id": f"ENG-{i + 1:03d}",
                "date": (start + timedelta(days=int(day))).isoformat(),
                "activity_type": kind,
                "title": str(rng.choice(ACTIVITY_TITLES[kind])),
                "level": level,
                "participants": participants,
                "lived_experience": lived,
                "locality": str(rng.choice(places)),
                "make_up": make_up,
            }
        )
    return pd.DataFrame(rows, columns=list(ENGAGEMENT_COLUMNS))


def main(argv: list[str] | None = None) -> int:
    """Write population_benchmark.csv and demo_engagement_log.csv."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", default=str(config.DATA_DIR))
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    benchmark_table().to_csv(
        out / config.POPULATION_BENCHMARK.name, index=False, lineterminator="\n"
    )
    engagement_log().to_csv(out / config.DEMO_ENGAGEMENT_LOG.name, index=False, lineterminator="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
