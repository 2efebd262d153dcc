"""Participation in words: labels, notices, and the sentence naming who is missing.

The finding words (`UNDER`, `OVER`, `IN_LINE`) and the confidence level are defined here so the tables
(analysis.voices.representation) and the sentences use the same ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.core import config

if TYPE_CHECKING:
    from analysis.voices.people_counts import PeopleTable

CONFIDENCE = 0.95
UNDER, OVER, IN_LINE = "under-represented", "over-represented", "in line (interval includes 1)"
TOO_FEW, NOT_IN_BENCHMARK = "too few to report", "not in benchmark"
TOTAL_LABEL = "All respondents"
DIMENSION_LABELS = {
    "respondent_type": "respondent type",
    "service": "service",
    "locality": "locality",
    "round": "round",
    "age_band": "age band",
    "gender": "gender",
    "ethnicity": "ethnicity",
    "disability": "disability",
    "sexual_orientation": "sexual orientation",
    "religion": "religion",
}


def dimension_label(column: str) -> str:
    """A column name in words ("age_band" -> "age band")."""
    return DIMENSION_LABELS.get(column, column.replace("_", " "))


def withheld_notice(threshold: int) -> str:
    """The notice shown instead of numbers when the filters select too few people."""
    return (
        f"Fewer than {threshold} people match the current filters, so no breakdown is shown: numbers "
        "this small could identify someone. Widen the filters to see who took part."
    )


def no_data_notice(columns: list[str] | tuple[str, ...]) -> str:
    """The sentence for columns the file does not record (demographics: representation cannot be assessed)."""
    names = ", ".join(dimension_label(c) for c in columns)
    if any(c in config.DEMOGRAPHIC_COLUMNS for c in columns):
        return f"This file has no {names} data: representation cannot be assessed."
    return f"This file has no {names} data, so people cannot be counted by it."


def _none_under_represented(tables: dict[str, PeopleTable]) -> str:
    """The sentence when no group is clearly under-represented, naming what it was judged on when a
    dimension is not in the file, and "too few people to tell" only when a group was that small."""
    why = "for every group shown, the interval around its share of respondents includes its population share"
    small = any(
        r.table is not None
        and {"ratio", "population_pct"} <= set(r.table.columns)
        and (r.table["population_pct"].notna() & r.table["ratio"].isna()).any()
        for r in tables.values()
        if not r.no_data and not r.withheld
    )
    why += ", or there were too few people to tell." if small else "."
    if any(r.no_data for r in tables.values()):
        # Only some dimensions were assessed: never a blanket "no group" over what is missing.
        assessed = ", ".join(dimension_label(d) for d, r in tables.items() if not r.no_data)
        return f"By {assessed}, no group is clearly under-represented: {why}"
    return f"No group is clearly under-represented: {why}"


def missing_voices(tables: dict[str, PeopleTable], *, max_groups: int = 4) -> str:
    """A plain sentence naming the groups furthest below their population share (supported only).

    `tables` maps a dimension to its `representation` result. Only groups whose interval lies wholly
    below 1 are named; suppressed groups are never named.
    """
    found = []
    withheld = False
    no_data = [dim for dim, result in tables.items() if result.no_data]
    for dim, result in tables.items():
        if result.no_data:
            continue
        if result.withheld:
            withheld = True
            continue
        t = result.table
        under = t[(t["finding"] == UNDER) & t["ratio"].notna()]
        for _, r in under.iterrows():
            found.append((float(r["ratio_high"]), float(r["ratio"]), dim, str(r["group"]), r))
    lacking = no_data_notice(no_data) if no_data else ""
    if no_data and len(no_data) == len(tables):
        return lacking
    if withheld and not found:
        return next(t for t in tables.values() if not t.no_data).notice or ""
    if not found:
        return _join(lacking, _none_under_represented(tables))
    found.sort(key=lambda f: (f[1], f[0]))
    parts = []
    localities = [f for f in found if f[2] == "locality"]
    groups = [f for f in found if f[2] != "locality"]
    for _, ratio, dim, group, r in groups[:max_groups]:
        parts.append(
            f"{group} ({dimension_label(dim)}: {r['respondent_pct']:.1f}% of respondents against "
            f"{r['population_pct']:.1f}% of the population, ratio {ratio:.2f}, "
            f"{int(CONFIDENCE * 100)}% CI {r['ratio_low']:.2f} to {r['ratio_high']:.2f})"
        )
    sentences = []
    if parts:
        sentences.append("Furthest below their population share: " + "; ".join(parts) + ".")
    if localities:
        locs = [
            f"{group} (ratio {ratio:.2f}, CI {r['ratio_low']:.2f} to {r['ratio_high']:.2f})"
            for _, ratio, _, group, r in localities[:max_groups]
        ]
        sentences.append(
            "Localities furthest below their population share: " + "; ".join(locs) + "."
        )
    more = len(groups) - min(len(groups), max_groups)
    if more > 0:
        sentences.append(f"{more} more group(s) are also under-represented (see the tables).")
    return _join(lacking, " ".join(sentences))


def _join(first: str, second: str) -> str:
    return f"{first} {second}".strip()


def under_represented_groups(tables: dict[str, PeopleTable]) -> list[tuple[str, str]]:
    """(dimension, group) pairs found under-represented, lowest ratio first (suppressed excluded)."""
    found = []
    for dim, result in tables.items():
        if result.withheld:
            continue
        t = result.table
        for _, r in t[(t["finding"] == UNDER) & t["ratio"].notna()].iterrows():
            found.append((float(r["ratio"]), dim, str(r["group"])))
    return [(d, g) for _, d, g in sorted(found)]
