"""The pack's voices section: who took part and who is missing."""

from __future__ import annotations

import logging

import pandas as pd

from analysis.charts import voices as voice_charts
from analysis.core import config
from analysis.core.schema import ValidationError
from analysis.report import html_parts as h
from analysis.report.common import (
    MAX_REPRESENTATION_FIGURES,
    Pack,
    Section,
)
from analysis.voices import participation

log = logging.getLogger(__name__)


# --- voices ------------------------------------------------------------------------------------


def _people_table(result: participation.PeopleTable, caption: str) -> str:
    return h.table(result.display(as_text=True), caption)


def voices_section(
    pack: Pack, benchmark: pd.DataFrame | None, benchmark_note: str | None = None
) -> Section:
    """Who took part, against the population (with the missing-voices sentence), and over rounds.

    `benchmark_note` says which benchmark is used and why (or why none is).
    """
    r = pack.responses
    findings: list[str] = []
    # With a benchmark, the missing-voices sentence names the columns the file lacks.
    lacking = (
        []
        if benchmark is not None
        else participation.unrecorded_columns(r, config.DEMOGRAPHIC_COLUMNS)
    )
    parts = [h.paragraph(participation.no_data_notice(lacking))] if lacking else []
    parts += _who_parts(pack)
    if lacking:
        findings.append(participation.no_data_notice(lacking))
    if benchmark is None:
        note = benchmark_note or "No population benchmark was given."
        findings.append(f"Who is missing was not assessed. {note}")
        parts.append(h.paragraph(note))
    else:
        if benchmark_note:
            parts.append(h.paragraph(benchmark_note))
        parts += _population_parts(pack, benchmark, findings)
    parts += _rounds_parts(pack)
    return Section("".join(parts), findings)


def _who_parts(pack: Pack) -> list[str]:
    """Who took part by respondent type: figure and table, or the withheld notice."""
    t = pack.threshold
    who = participation.who_took_part(pack.responses, "respondent_type", threshold=t)
    return [h.paragraph(who.notice or "")] if who.withheld else [
        pack.figure(voice_charts.who_took_part_figure(who, "respondent_type"),
                    f"n = {who.n_people:,} people. Groups under {t} people are hidden, with others where needed."),
        _people_table(who, "Who took part, by respondent type (people)"),
    ]  # fmt: skip


def _representation_tables(
    pack: Pack, benchmark: pd.DataFrame
) -> dict[str, participation.PeopleTable]:
    """Representation for every benchmark dimension the benchmark has, leaving out unusable ones."""
    dims = set(benchmark["dimension"])
    tables: dict[str, participation.PeopleTable] = {}
    for dim in participation.BENCHMARK_DIMENSIONS:
        if dim != "locality" and dim not in dims:
            continue
        try:
            tables[dim] = participation.representation(
                pack.responses, benchmark, dim, localities=pack.localities, threshold=pack.threshold
            )
        except ValidationError as exc:  # the benchmark lacks this dimension: leave it out, say why
            log.info("representation by %s skipped: %s", dim, exc)
    return tables


def _population_parts(pack: Pack, benchmark: pd.DataFrame, findings: list[str]) -> list[str]:
    """The missing-voices sentence (also added to `findings`) and the representation figures."""
    tables = _representation_tables(pack, benchmark)
    sentence = (
        participation.missing_voices(tables) if tables else "The benchmark has no usable figures."
    )
    findings.append("Who is missing: " + sentence)
    parts = [h.notice(sentence)]
    under = [d for d, _ in participation.under_represented_groups(tables)]
    chosen = list(dict.fromkeys(under + (["ethnicity"] if "ethnicity" in tables else [])))
    for dim in chosen[:MAX_REPRESENTATION_FIGURES]:
        parts += _representation_parts(pack, tables[dim], dim)
    return parts


def _representation_parts(pack: Pack, res: participation.PeopleTable, dim: str) -> list[str]:
    """One dimension's representation figure and table, or why it cannot be shown."""
    label = participation.dimension_label(dim)
    if res.no_data:
        return [h.paragraph(res.notice or "")]
    if res.withheld or not res.table["ratio"].notna().any():
        return [
            h.paragraph(f"Too few people with a recorded {label} to compare with the population.")
        ]
    return [
        pack.figure(
            voice_charts.representation_figure(res, dim),
            f"Share of respondents ÷ share of population by {label} (1 = in line), with the range it likely lies in (95%); a group is "
            "called under- or over-represented only when that whole range is below or above 1.",
        ),
        _people_table(res, f"Respondents against the population, by {label}"),
    ]


def _rounds_parts(pack: Pack) -> list[str]:
    """People per round by respondent type, when there are two rounds or more to show."""
    rounds = participation.over_rounds(pack.responses, "respondent_type", threshold=pack.threshold)
    if rounds.withheld or len(rounds.table) < 2:
        return []
    return [
        pack.figure(
            voice_charts.over_rounds_figure(rounds, "respondent_type"),
            "People per round by respondent type; suppressed points are gaps.",
        ),
        _people_table(rounds, "Who took part over rounds, by respondent type (people)"),
    ]
