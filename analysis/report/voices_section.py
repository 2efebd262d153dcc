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
    r, t = pack.responses, pack.threshold
    who = participation.who_took_part(r, "respondent_type", threshold=t)
    findings: list[str] = []
    # With a benchmark, the missing-voices sentence names the columns the file lacks.
    lacking = (
        []
        if benchmark is not None
        else participation.unrecorded_columns(r, config.DEMOGRAPHIC_COLUMNS)
    )
    parts = [h.paragraph(participation.no_data_notice(lacking))] if lacking else []
    parts += [h.paragraph(who.notice or "")] if who.withheld else [
        pack.figure(voice_charts.who_took_part_figure(who, "respondent_type"),
                    f"n = {who.n_people:,} people. Groups under {t} people are hidden, with others where needed."),
        _people_table(who, "Who took part, by respondent type (people)"),
    ]  # fmt: skip
    if lacking:
        findings.append(participation.no_data_notice(lacking))
    if benchmark is None:
        note = benchmark_note or "No population benchmark was given."
        findings.append(f"Who is missing was not assessed. {note}")
        parts.append(h.paragraph(note))
    else:
        if benchmark_note:
            parts.append(h.paragraph(benchmark_note))
        dims = set(benchmark["dimension"])
        tables: dict[str, participation.PeopleTable] = {}
        for dim in participation.BENCHMARK_DIMENSIONS:
            if dim != "locality" and dim not in dims:
                continue
            try:
                tables[dim] = participation.representation(
                    r, benchmark, dim, localities=pack.localities, threshold=t
                )
            except (
                ValidationError
            ) as exc:  # the benchmark lacks this dimension: leave it out, say why
                log.info("representation by %s skipped: %s", dim, exc)
        sentence = (
            participation.missing_voices(tables)
            if tables
            else "The benchmark has no usable figures."
        )
        findings.append("Who is missing: " + sentence)
        parts.append(h.notice(sentence))
        under = [d for d, _ in participation.under_represented_groups(tables)]
        chosen = list(dict.fromkeys(under + (["ethnicity"] if "ethnicity" in tables else [])))
        for dim in chosen[:MAX_REPRESENTATION_FIGURES]:
            res = tables[dim]
            label = participation.dimension_label(dim)
            if res.no_data:
                parts.append(h.paragraph(res.notice or ""))
                continue
            if res.withheld or not res.table["ratio"].notna().any():
                parts.append(
                    h.paragraph(
                        f"Too few people with a recorded {label} to compare with the population."
                    )
                )
                continue
            parts.append(pack.figure(
                voice_charts.representation_figure(res, dim),
                f"Share of respondents ÷ share of population by {label} (1 = in line), with the range it likely lies in (95%); a group is "
                "called under- or over-represented only when that whole range is below or above 1.",
            ))  # fmt: skip
            parts.append(_people_table(res, f"Respondents against the population, by {label}"))
    rounds = participation.over_rounds(r, "respondent_type", threshold=t)
    if not rounds.withheld and len(rounds.table) >= 2:
        parts.append(pack.figure(voice_charts.over_rounds_figure(rounds, "respondent_type"),
                                 "People per round by respondent type; suppressed points are gaps."))  # fmt: skip
        parts.append(
            _people_table(rounds, "Who took part over rounds, by respondent type (people)")
        )
    return Section("".join(parts), findings)
