"""Generate the demo survey responses (data/demo_responses.csv), deterministically from a seed.

    python scripts/generate_demo_responses.py                      # data/demo_responses.csv, seed 42
    python scripts/generate_demo_responses.py --seed 7 --out /tmp/x.csv
    python scripts/generate_demo_responses.py --rows 1000000 --out /tmp/bench_1m.csv   # benchmarks

Everything is invented. The survey: six quarterly rounds (2024 Q1 to 2025 Q2) of a Greater
Manchester lived-experience survey answered by service users, carers and staff, three free-text
questions in long format (one row per answer; answers of one person share respondent_id), an
optional Friends and Family Test style rating (5 = very good ... 1 = very poor, blank when not
given) and equality-monitoring demographics with "Prefer not to say" distinct from blank.

Patterns planted on purpose (so the dashboard has something true to find):
  * carers raise carers_family and partnership_working far more than others;
  * crisis team / home treatment answers raise crisis_care and access;
  * access complaints in Oldham are frequent through 2024 and fall from 2025 Q1 (a new single
    point of access), with more positive access comments after;
  * discharge_planning rises round by round in inpatient wards;
  * CAMHS transition answers raise discharge_planning (transition); the eating disorders service
    has very few carers (a small cell for suppression), as do minority groups in some boroughs;
  * some answers are about nothing in the codebook (parking, benefits, the website, faith and food,
    interpreters, LGBTQ+ awareness, digital appointments) for theme discovery.

Personal data planted in about 1.5% of answers uses only never-issued or reserved values (NHS
numbers 999xxxxxxx that pass the Modulus 11 check, Ofcom drama phone numbers, example.org/com
e-mails); planted_pii(seed) lists them. A few hostile-but-harmless answers exercise escaping.

Demographic weights are illustrative approximations of Greater Manchester's population (Census
2021, rounded) with the usual survey skews applied; they are not a population benchmark.
"""

from __future__ import annotations

import argparse
import csv
import functools
import logging
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for _p in (str(_HERE), str(_HERE.parent)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import demo_text_bank as bank  # noqa: E402
from demo_pii import is_valid_nhs_number, nhs_check_digit, pii_value  # noqa: E402
from demo_survey_design import (  # noqa: E402
    ACCESS_BOROUGH,
    ACCESS_CHANGE_ROUND,
    AGE_BANDS,
    AGE_WEIGHTS,
    BLANK,
    BOROUGH_POPULATION,
    ETHNICITIES,
    ETHNICITY_POPULATION,
    ETHNICITY_SKEW,
    GENDER_WEIGHTS,
    GENDERS,
    MOOD_SERVICE_FACTORS,
    MOOD_WEIGHTS,
    ORIENTATIONS,
    PII_KINDS,
    PII_RATE,
    PNTS,
    Q_BETTER,
    QUESTION_P,
    QUESTIONS,
    RATING_BY_MOOD,
    RELIGION_BY_ETHNICITY,
    RELIGION_DEFAULT,
    RELIGIONS,
    ROUND_ROWS,
    ROUNDS,
    SERVICE_THEME_FACTORS,
    SERVICE_WEIGHTS,
    SERVICES,
    THEME_WEIGHTS,
    TYPE_WEIGHTS,
    TYPES,
    VOICE,
    Weighted,
)
from demo_text_compose import THEME_IDS, AnswerWriter, cap, relative_slots  # noqa: E402

from analysis.core import config  # noqa: E402
from analysis.core.schema import RESPONSE_COLUMNS  # noqa: E402

__all__ = [
    "generate_frame",
    "generate_rows",
    "is_valid_nhs_number",
    "nhs_check_digit",
    "planted_pii",
    "planted_pii_records",
    "write_csv",
]

log = logging.getLogger(__name__)

DEFAULT_OUT = config.DEMO_RESPONSES


# --- the generator -------------------------------------------------------------------------------
class DemoGenerator:
    """Draws respondents and their answers from one seeded random.Random."""

    def __init__(self, seed: int = config.RANDOM_SEED) -> None:
        self.rng = random.Random(seed)
        self.writer = AnswerWriter(self.rng)
        self.boroughs = Weighted(BOROUGH_POPULATION, BOROUGH_POPULATION.values())
        self.services = Weighted(SERVICES, SERVICE_WEIGHTS.values())
        self.types = {s: Weighted(TYPES, w) for s, w in TYPE_WEIGHTS.items()}
        self.ages = {k: Weighted(AGE_BANDS, w) for k, w in AGE_WEIGHTS.items()}
        self.genders = {k: Weighted(GENDERS, w) for k, w in GENDER_WEIGHTS.items()}
        self.ethnicities = {
            b: Weighted(ETHNICITIES, [p * f for p, f in zip(pop, ETHNICITY_SKEW)])
            for b, pop in ETHNICITY_POPULATION.items()
        }
        self.religions = {e: Weighted(RELIGIONS, w) for e, w in RELIGION_BY_ETHNICITY.items()}
        self.religion_default = Weighted(RELIGIONS, RELIGION_DEFAULT)
        self.ratings = {m: Weighted((1, 2, 3, 4, 5), w) for m, w in RATING_BY_MOOD.items()}
        self._theme_cache: dict[tuple, Weighted] = {}
        self.pii_counter = 0

    # demographics ------------------------------------------------------------------------------
    def _missing_or(self, value_fn, p_pnts: float, p_blank: float) -> str:
        r = self.rng.random()
        if r < p_pnts:
            return PNTS
        if r < p_pnts + p_blank:
            return BLANK
        return value_fn()

    def _demographics(self, voice: str, service: str, borough: str) -> dict[str, str]:
        rng = self.rng
        keys = config.DEMOGRAPHIC_COLUMNS
        if rng.random() < (0.08 if voice == "staff" else 0.04):  # skipped the whole section
            return dict.fromkeys(keys, BLANK)
        age_w = self.ages.get(f"{voice}:{service}", self.ages[voice])
        gen_w = self.genders.get(f"{voice}:{service}", self.genders[voice])
        ethnicity = self._missing_or(lambda: self.ethnicities[borough].pick(rng), 0.025, 0.025)
        young = False
        age = self._missing_or(lambda: age_w.pick(rng), 0.02, 0.03)
        young = age in ("16-17", "18-24")
        disability_yes = {"su": 0.5, "carer": 0.24, "staff": 0.13}[voice]
        lgb = 2.5 if young else 1.0
        orientation_w = Weighted(ORIENTATIONS, (86, 3.5 * lgb, 4 * lgb, 1.2))
        rel_w = self.religions.get(ethnicity, self.religion_default)
        return {
            "age_band": age,
            "gender": self._missing_or(lambda: gen_w.pick(rng), 0.03, 0.025),
            "ethnicity": ethnicity,
            "disability": self._missing_or(
                lambda: "Yes" if rng.random() < disability_yes else "No", 0.04, 0.04
            ),
            "sexual_orientation": self._missing_or(lambda: orientation_w.pick(rng), 0.06, 0.03),
            "religion": self._missing_or(lambda: rel_w.pick(rng), 0.04, 0.035),
        }

    # themes ------------------------------------------------------------------------------------
    def _theme_weights(self, voice: str, service: str, borough: str, round_idx: int) -> Weighted:
        key = (voice, service, borough == ACCESS_BOROUGH, round_idx)
        cached = self._theme_cache.get(key)
        if cached is not None:
            return cached
        weights = dict(THEME_WEIGHTS[voice])
        for theme, factor in SERVICE_THEME_FACTORS.get(service, {}).items():
            weights[theme] *= factor
        if service == "Inpatient ward":  # discharge planning concerns grow round by round
            weights["discharge_planning"] *= 1.0 + 0.7 * round_idx
        if borough == ACCESS_BOROUGH:
            weights["access"] *= 3.5 if round_idx < ACCESS_CHANGE_ROUND else 0.5
        result = Weighted(THEME_IDS, [weights[t] for t in THEME_IDS])
        self._theme_cache[key] = result
        return result

    # respondents ---------------------------------------------------------------------------------
    def respondent(self, number: int, round_idx: int) -> dict:
        """Draw one respondent: who, where, when, mood, writing style and the themes they care about."""
        rng = self.rng
        borough = self.boroughs.pick(rng)
        service = self.services.pick(rng)
        rtype = self.types[service].pick(rng)
        voice = VOICE[rtype]
        mood_w = MOOD_WEIGHTS[voice]
        f = MOOD_SERVICE_FACTORS.get(service, (1, 1, 1))
        access_improved = borough == ACCESS_BOROUGH and round_idx >= ACCESS_CHANGE_ROUND
        mood = Weighted(("pos", "mixed", "neg"), [w * x for w, x in zip(mood_w, f)]).pick(rng)
        year, q = int(ROUNDS[round_idx][:4]), int(ROUNDS[round_idx][-1])
        start = date(year, 3 * q - 2, 1)
        end = date(year + (q == 4), (3 * q) % 12 + 1, 1)
        submitted = start + timedelta(days=rng.randrange((end - start).days))
        demo = self._demographics(voice, service, borough)
        young = demo["age_band"] in ("16-17", "18-24")
        weights = self._theme_weights(voice, service, borough, round_idx)
        main: list[str] = []
        while len(main) < 2:
            t = weights.pick(rng)
            if t not in main:
                main.append(t)
        rating = BLANK if rng.random() < 0.08 else str(self.ratings[mood].pick(rng))
        slots = {
            "team": (team := rng.choice(bank.TEAM_NAMES[service])),
            "Team_cap": cap(team),
            "place": borough,
        }
        if voice == "carer":
            slots.update(relative_slots(service, rng))
        else:  # su/staff fragments never use relative slots, but a few generic ones might
            slots.update(relative_slots("Community Mental Health Team", rng))
        return {
            "respondent_id": f"R{number:06d}",
            "submitted": submitted.isoformat(),
            "round": ROUNDS[round_idx],
            "respondent_type": rtype,
            "service": service,
            "locality": borough,
            "rating": rating,
            **demo,
            "voice": voice,
            "mood": mood,
            "main": main,
            "weights": weights,
            "slots": slots,
            "access_improved": access_improved,
            "style": {
                "texting": rng.random() < (0.3 if young else 0.06),
                "typos": rng.random() < 0.14,
                "curly": rng.random() < 0.1,
                "shouty": rng.random() < 0.15,
            },
        }

    def rows(self, total: int | None = None, with_labels: bool = False) -> Iterator[dict]:
        """Yield answer rows; `total` answers in all (default: the demo file's ROUND_ROWS).

        Kept whole: the order of its random draws fixes the committed demo file byte for byte.
        """
        rng = self.rng
        if total is None:
            quotas = list(ROUND_ROWS)
        else:
            base = sum(ROUND_ROWS)
            quotas = [total * n // base for n in ROUND_ROWS]
            quotas[-1] += total - sum(quotas)
        grand_total = sum(quotas)
        hostile_at = dict(
            zip(
                sorted(rng.sample(range(grand_total), min(len(bank.HOSTILE_ANSWERS), grand_total))),
                bank.HOSTILE_ANSWERS,
            )
        )
        row_no = 0
        number = 0
        for round_idx, quota in enumerate(quotas):
            made = 0
            while made < quota:
                number += 1
                person = self.respondent(number, round_idx)
                answered = [q for q, p in zip(QUESTIONS, QUESTION_P) if rng.random() < p]
                if not answered:
                    answered = [Q_BETTER]
                for qi, question in enumerate(QUESTIONS):
                    if question not in answered or made >= quota:
                        continue
                    text, labels = self.writer.answer(question, person)
                    pii = ""
                    if row_no in hostile_at:
                        text, labels = hostile_at[row_no], ["hostile"]
                    elif rng.random() < PII_RATE:
                        kind = PII_KINDS[self.pii_counter % len(PII_KINDS)]
                        pii = pii_value(kind, rng, nth=self.pii_counter // len(PII_KINDS))
                        self.pii_counter += 1
                        sentence = rng.choice(bank.PII_TEMPLATES[kind]).format(value=pii)
                        if rng.random() < 0.7:
                            text = f"{text}{'' if text[-1:] in '.!?' else '.'} {sentence}"
                        else:
                            text = f"{sentence} {text}"
                        labels = [*labels, f"pii:{kind}"]
                    row = {
                        "response_id": f"{person['respondent_id']}-{qi + 1}",
                        "respondent_id": person["respondent_id"],
                        "submitted": person["submitted"],
                        "round": person["round"],
                        "respondent_type": person["respondent_type"],
                        "service": person["service"],
                        "locality": person["locality"],
                        "question": question,
                        "text": text,
                        "rating": person["rating"],
                        "age_band": person["age_band"],
                        "gender": person["gender"],
                        "ethnicity": person["ethnicity"],
                        "disability": person["disability"],
                        "sexual_orientation": person["sexual_orientation"],
                        "religion": person["religion"],
                    }
                    if with_labels:
                        row["_labels"] = "|".join(labels)
                        row["_pii"] = pii
                        row["_mood"] = person["mood"]
                    made += 1
                    row_no += 1
                    yield row


# --- public API ----------------------------------------------------------------------------------
def generate_rows(
    seed: int = config.RANDOM_SEED,
    rows: int | None = None,
    *,
    with_labels: bool = False,
) -> Iterator[dict]:
    """Yield demo answers as dicts of strings (canonical columns; `_labels`, `_pii`, `_mood` if asked).

    `_labels` lists the theme ids the answer was built from ("|"-joined), plus "no_content",
    "other:<topic>" (outside the codebook), "hostile" and "pii:<kind>" markers.
    """
    return DemoGenerator(seed).rows(rows, with_labels=with_labels)


def generate_frame(
    seed: int = config.RANDOM_SEED,
    rows: int | None = None,
    *,
    with_labels: bool = False,
):
    """The demo answers as a pandas DataFrame of strings ("" for blanks), as written to the CSV."""
    import pandas as pd

    return pd.DataFrame(list(generate_rows(seed, rows, with_labels=with_labels)))


def write_csv(path: str | Path, seed: int = config.RANDOM_SEED, rows: int | None = None) -> int:
    """Write the demo answers to `path` (UTF-8, comma, "\\n" line ends), streaming; return rows written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    # What a survey tool exports: the no-content mark is worked out at ingest, never in a file.
    columns = [c for c in RESPONSE_COLUMNS if c != "no_content"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        batch: list[list[str]] = []
        for row in generate_rows(seed, rows):
            batch.append([row[c] for c in columns])
            if len(batch) >= 10_000:
                writer.writerows(batch)
                n += len(batch)
                batch.clear()
        writer.writerows(batch)
        n += len(batch)
    return n


@functools.lru_cache(maxsize=8)
def _planted(seed: int, rows: int | None) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (r["response_id"], r["_labels"].rsplit("pii:", 1)[1], r["_pii"])
        for r in generate_rows(seed, rows, with_labels=True)
        if r["_pii"]
    )


def planted_pii_records(
    seed: int = config.RANDOM_SEED, rows: int | None = None
) -> list[tuple[str, str, str]]:
    """(response_id, kind, planted string) for every answer given personal data, in file order."""
    return list(_planted(seed, rows))


def planted_pii(seed: int = config.RANDOM_SEED, rows: int | None = None) -> list[str]:
    """The exact personal-data strings planted in the demo answers (unique, in file order).

    Names are returned with the title that makes them identifying ("Dr Smith", "nurse Jane",
    "care coordinator Sarah"): none of these strings may appear in the app or an export.
    """
    return list(dict.fromkeys(value for _, _, value in _planted(seed, rows)))


def main(argv: list[str] | None = None) -> int:
    """Command line: write the demo file (or a big benchmark file with --rows)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seed", type=int, default=config.RANDOM_SEED, help="random seed (default 42)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help=f"output CSV (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=None,
        help="answers to write, for benchmark files (written outside data/; default: the demo's ~3,000)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.rows is not None and args.rows < 1:
        parser.error("--rows must be at least 1")
    out = args.out
    if out is None:
        out = (
            DEFAULT_OUT
            if args.rows is None
            else Path(tempfile.gettempdir()) / f"demo_responses_{args.rows}.csv"
        )
    if args.rows is not None and out.resolve().is_relative_to(config.DATA_DIR.resolve()):
        parser.error("benchmark files (--rows) are never committed: write them outside data/")
    started = time.perf_counter()
    n = write_csv(out, args.seed, args.rows)
    log.info("wrote %d answers to %s in %.1fs", n, out, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
