"""The meeting pack: one self-contained HTML file of the current dataset and filters.

It opens offline and fetches nothing (plotly.js inlined once, a strict Content-Security-Policy),
states when it was made, from which filters, data version and codebook version, writes the headline
findings in words, and carries the theme, voices and Improvement Plan charts (interactive), each
with its table. Every number comes from the analysis functions the pages use (already suppressed),
every quote is redacted and escaped, and when the filters select too few people there are no
breakdowns at all. Sections live in analysis.report.sections; HTML primitives in analysis.report.html_parts.
"""

from __future__ import annotations

import logging
from datetime import datetime

import pandas as pd

from analysis import privacy
from analysis.core import config
from analysis.core.filters import period_label
from analysis.findings.theme_tables import count_respondents, theme_labels
from analysis.report import html_parts as h
from analysis.report import sections
from analysis.themes.codebook import Codebook
from analysis.themes.pipeline import ThemeResult, classify_responses
from analysis.voices.participation import PERSON_COLUMNS

log = logging.getLogger(__name__)

# Label columns that end up in chart labels: neutralised so they can carry no chart markup.
RESPONSE_LABEL_COLUMNS = tuple(dict.fromkeys((*PERSON_COLUMNS, "round", "question")))
MILESTONE_LABEL_COLUMNS = ("milestone_id", "milestone", "owner", "evidence", "themes")
BENCHMARK_LABEL_COLUMNS = ("locality", "group")


def too_few_sentence(threshold: int) -> str:
    """What the pack says instead of breakdowns when the filters select too few people."""
    return privacy.SelectionCheck(False, "small", threshold).message


def _made_at(when: datetime) -> str:
    zone = when.strftime("%Z")
    return when.strftime("%d %B %Y at %H:%M") + (f" {zone}" if zone else "")


def build_meeting_pack(
    responses: pd.DataFrame,
    *,
    codebook: Codebook,
    theme_result: ThemeResult | None = None,
    milestones: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    benchmark: pd.DataFrame | None = None,
    benchmark_note: str | None = None,
    filters_description: str,
    dataset_name: str,
    data_version: str,
    generated_at: datetime,
    threshold: int = config.SUPPRESSION_THRESHOLD,
    theme_history: pd.DataFrame | None = None,
    localities: list[str] | None = None,
    selection: privacy.SelectionCheck | None = None,
) -> str:
    """The meeting pack for the chosen (filtered) answers as one self-contained HTML document.

    Args:
        responses: the chosen canonical answers (the filters already applied).
        codebook: the codebook the themes come from (its name and version are printed).
        theme_result: a ThemeResult covering `responses` (e.g. the app's cached one); classified
            here when None.
        milestones, history: the Improvement Plan (analysis.plan.milestone_store tables); no plan section
            numbers when None.
        benchmark: population benchmark (participation.load_benchmark); without it, who is missing
            is not assessed.
        benchmark_note: which benchmark is used and why, or why none is (printed in the pack).
        filters_description: the filters in words (Filters.describe()).
        dataset_name, data_version: what the answers are (name, content hash).
        generated_at: when the pack is made (also "today" for overdue milestones).
        threshold: suppression threshold (never below config.MIN_SUPPRESSION_THRESHOLD).
        theme_history: answers with the same filters over every round, so "change since the
            previous round" can look before the chosen rounds (default: `responses`).
        localities: the locality filter, so the benchmark covers the same places (default: all).
        selection: the privacy rule's verdict on the filters (analysis.privacy.check_selection);
            when it withholds the selection the pack has no figure about it, only the reason.
            Without it, the pack checks the size of `responses` alone.
    """
    missing = [c for c in ("response_id", "text") if c not in responses]
    if missing:
        raise ValueError(f"The answers need columns {', '.join(missing)} to make a meeting pack.")
    threshold = privacy.effective_threshold(threshold)
    responses = h.neutralise_columns(responses, RESPONSE_LABEL_COLUMNS)
    theme_history = h.neutralise_columns(theme_history, RESPONSE_LABEL_COLUMNS)
    milestones = h.neutralise_columns(milestones, MILESTONE_LABEL_COLUMNS)
    benchmark = h.neutralise_columns(benchmark, BENCHMARK_LABEL_COLUMNS)
    if selection is not None and selection.withheld:
        responses = responses.iloc[0:0]  # nothing about a withheld selection reaches any section
    n_people = count_respondents(responses)
    enough = n_people >= threshold and (selection is None or selection.allowed)
    refusal = selection.message if selection is not None and selection.withheld else None
    refusal = refusal or too_few_sentence(threshold)
    pack = sections.Pack(
        responses=responses,
        codebook=codebook,
        threshold=threshold,
        generated_at=generated_at,
        period=period_label(responses),
        theme_history=theme_history,
        localities=[str(h.neutral_label(v)) for v in localities] if localities else None,
    )
    findings: list[str] = []
    body: list[str] = []
    if enough:
        if theme_result is None:
            log.info("classifying %d answers for the meeting pack", len(responses))
            theme_result = classify_responses(responses[["response_id", "text"]], codebook)
        pack.result = theme_result
        labels = dict(theme_result.labels or {})
        labels.update(theme_labels(codebook))
        pack.labels = {k: str(h.neutral_label(v)) for k, v in labels.items()}
        findings.append(f"{len(responses):,} answers from {n_people:,} people, {pack.period}.")
        themes = sections.themes_section(pack)
        summary = sections.theme_table(pack)
        voices = sections.voices_section(pack, benchmark, benchmark_note)
        examples = sections.examples_section(pack, summary)
        findings += themes.findings + voices.findings
        body += [
            h.section("themes", "Themes: what people said", themes.html),
            h.section("examples", "Example answers (redacted)", examples.html),
            h.section("voices", "Voices: who took part and who is missing", voices.html),
        ]
    else:
        findings.append(refusal)
    plan = sections.plan_section(pack, milestones, history)
    findings += plan.findings
    body.append(h.section("plan", "Improvement Plan", plan.html))
    body.append(
        h.section(
            "privacy", "How this pack protects people", sections.privacy_section(threshold).html
        )
    )
    about = h.definition_list(
        [
            ("Made", _made_at(generated_at)),
            ("Dataset", dataset_name),
            ("Filters", filters_description),
            ("Answers", f"{len(responses):,} answers from {n_people:,} people" if enough
             else "not shown (see below)"),
            ("Period", pack.period if enough else "not shown"),
            ("Data version", data_version),
            ("Codebook", f"{codebook.name}, version {codebook.version}"),
            ("Suppression threshold", f"{threshold} people"),
        ]
    )  # fmt: skip
    headline = h.bullet_list(findings, "findings") + ("" if enough else h.notice(refusal))
    top = h.section("about", "About this pack", about) + h.section(
        "headlines", "Headline findings", headline
    )
    log.info("meeting pack: %d figures", pack.figures)
    return h.page(
        f"Meeting pack: {dataset_name}",
        f"Lived-experience feedback · made {_made_at(generated_at)} · {filters_description}",
        top
        + "".join(body)
        + '<footer class="end"><p>Made offline by the lived-experience feedback '
        "dashboard. Counts of people under the threshold are suppressed and quotes are redacted.</p></footer>",
        with_plotly=pack.figures > 0,
    )
