"""Which population benchmark a dataset uses: one that covers its area, or none (never the demo's
Greater Manchester figures under a file from elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core import config
from analysis.voices.participation import canonical_labels, people, unrecorded_columns


@dataclass(frozen=True)
class BenchmarkMatch:
    """Whether a benchmark covers a dataset's area, and the sentence saying so."""

    fits: bool
    sentence: str
    # When the file covers under half of the benchmark's localities: those it covers, the only
    # ones to compare with (empty: compare with the whole benchmark).
    localities: tuple[str, ...] = ()

    def applied_to(self, benchmark: pd.DataFrame) -> pd.DataFrame | None:
        """The benchmark to compare with: None when it does not fit, else restricted when said."""
        if not self.fits:
            return None
        if not self.localities:
            return benchmark
        return benchmark[benchmark["locality"].isin(self.localities)].reset_index(drop=True)


def match_benchmark(
    responses: pd.DataFrame, benchmark: pd.DataFrame, name: str, *, min_share: float = 0.5
) -> BenchmarkMatch:
    """Does `benchmark` (called `name`) cover the area of `responses`?

    It fits when at least `min_share` of the people with a recorded locality live in one of its
    localities; a file that records no locality cannot be matched to any area.
    """
    areas = sorted(set(benchmark["locality"]))
    covers = f"{name} (covers {len(areas)} localities: {', '.join(areas[:4])}{', ...' if len(areas) > 4 else ''})"
    if unrecorded_columns(responses, ("locality",)):
        return BenchmarkMatch(
            False,
            f"No population benchmark is used: this file records no locality, so {covers} cannot be "
            "matched to its area.",
        )
    p = people(responses)
    recorded = canonical_labels(p["locality"], areas)
    recorded = recorded[~recorded.isin([config.NOT_RECORDED, config.PREFER_NOT_TO_SAY])]
    inside = float(recorded.isin(areas).mean()) if len(recorded) else 0.0
    if inside >= min_share:
        sentence = (f"Population: {covers}; {inside:.0%} of people with a recorded locality live in its "
                    "area.")  # fmt: skip
        covered = sorted(set(recorded) & set(areas))
        if len(covered) < len(areas) / 2:
            # A file from a few of the area's localities is not a survey of the whole area: the
            # others would read as missing voices (ratio 0) when the survey never reached them.
            others = [a for a in areas if a not in covered]
            sentence += (
                f" This file covers only {', '.join(covered)}, so the comparison is with the "
                f"population of {'that locality' if len(covered) == 1 else 'those localities'}; "
                f"no one from the other {len(others)} ({', '.join(others[:4])}"
                f"{', ...' if len(others) > 4 else ''}) is in it."
            )
            return BenchmarkMatch(True, sentence, tuple(covered))
        return BenchmarkMatch(True, sentence)
    return BenchmarkMatch(
        False,
        f"No population benchmark is used: {covers} does not cover this file's area ({inside:.0%} of "
        "people with a recorded locality live in it). Upload a benchmark for its area.",
    )
