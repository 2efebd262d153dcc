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
from analysis.report import board, sections
from analysis.report import html_parts as h
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


def _classify(pack: sections.Pack, theme_result: ThemeResult | None) -> None:
    """Give the pack its theme results (classified here when not given) and labels."""
    if theme_result is None:
        log.info("classifying %d answers for the meeting pack", len(pack.responses))
        theme_result = classify_responses(pack.responses[["response_id", "text"]], pack.codebook)
    pack.result = theme_result
    labels = dict(theme_result.labels or {})
    labels.update(theme_labels(pack.codebook))
    pack.labels = {k: str(h.neutral_label(v)) for k, v in labels.items()}


def _data_parts(
    pack: sections.Pack, benchmark: pd.DataFrame | None, benchmark_note: str | None
) -> list[board.Part]:
    """Themes, example answers and voices, each with the findings it gives the summary."""
    themes = sections.themes_section(pack)
    summary = sections.theme_table(pack)
    voices = sections.voices_section(pack, benchmark, benchmark_note)
    examples = sections.examples_section(pack, summary)
    top = board.top_theme_sentence(summary, len(pack.responses), pack.period)
    change = sections.change_finding(summary)
    return [
        board.Part("themes", "Themes: what people said", themes, [s for s in (top, change) if s]),
        board.Part("examples", "In their words (redacted)", examples),
        board.Part(
            "voices", "Voices: who took part and who is missing", voices, voices.findings[:1]
        ),
    ]


def _cover(
    dataset_name: str, filters: str, when: datetime, version: str, codebook: Codebook,
    threshold: int, period: str, answers: str,
) -> str:  # fmt: skip
    """The paper's title block: what it covers and how it was made."""
    return h.definition_list([
        ("Dataset", dataset_name), ("Period", period), ("Filters", filters), ("Answers", answers),
        ("Made", _made_at(when)), ("Data version", version),
        ("Codebook", f"{codebook.name}, version {codebook.version}"),
        ("Suppression threshold", f"{threshold} people"),
    ])  # fmt: skip


def _neutralised(
    responses: pd.DataFrame,
    theme_history: pd.DataFrame | None,
    milestones: pd.DataFrame | None,
    benchmark: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame | None]:
    """The inputs with their label columns neutralised, so they can carry no chart markup."""
    return (
        h.neutralise_columns(responses, RESPONSE_LABEL_COLUMNS),
        h.neutralise_columns(theme_history, RESPONSE_LABEL_COLUMNS),
        h.neutralise_columns(milestones, MILESTONE_LABEL_COLUMNS),
        h.neutralise_columns(benchmark, BENCHMARK_LABEL_COLUMNS),
    )


def _refusal(selection: privacy.SelectionCheck | None, threshold: int) -> str:
    """What the pack says instead of breakdowns: the privacy rule's reason, or too few people."""
    refusal = selection.message if selection is not None and selection.withheld else None
    return refusal or too_few_sentence(threshold)


def _parts(
    pack: sections.Pack,
    enough: bool,
    benchmark: pd.DataFrame | None,
    benchmark_note: str | None,
    milestones: pd.DataFrame | None,
    history: pd.DataFrame | None,
) -> list[board.Part]:
    """The paper's parts in order: data (only with enough people), the plan if any, the privacy rules."""
    parts: list[board.Part] = []
    if enough:
        parts += _data_parts(pack, benchmark, benchmark_note)
    if milestones is not None and not milestones.empty:  # a dataset without a plan has no plan part
        plan = sections.plan_section(pack, milestones, history)
        parts.append(board.Part("plan", "Improvement Plan", plan, plan.findings[:2]))
    rules = sections.privacy_section(pack.threshold)
    parts.append(board.Part("privacy", "How this paper protects people", rules))
    return parts


# Long for its documented signature only; the reason is in the docstring.
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

    Long only for its signature and the Args it documents (the body is about 40 lines): every input
    the pack prints is named here in one place.

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
    responses, theme_history, milestones, benchmark = _neutralised(
        responses, theme_history, milestones, benchmark
    )
    if selection is not None and selection.withheld:
        responses = responses.iloc[0:0]  # nothing about a withheld selection reaches any section
    n_people = count_respondents(responses)
    enough = n_people >= threshold and (selection is None or selection.allowed)
    refusal = _refusal(selection, threshold)
    pack = sections.Pack(
        responses=responses,
        codebook=codebook,
        threshold=threshold,
        generated_at=generated_at,
        period=period_label(responses),
        theme_history=theme_history,
        localities=[str(h.neutral_label(v)) for v in localities] if localities else None,
    )
    volume = refusal
    if enough:
        _classify(pack, theme_result)
        volume = f"{len(responses):,} answers from {n_people:,} people, {pack.period}."
    parts = _parts(pack, enough, benchmark, benchmark_note, milestones, history)
    cover = _cover(dataset_name, filters_description, generated_at, data_version, codebook,
                   threshold, pack.period if enough else "not shown",
                   f"{len(responses):,} answers from {n_people:,} people" if enough else "not shown")  # fmt: skip
    body = board.paper(cover, board.summary_findings(volume, parts), parts, pack,
                       "" if enough else h.notice(refusal))  # fmt: skip
    log.info("meeting pack: %d figures", pack.figures)
    return h.page(
        f"Meeting pack: {dataset_name}",
        f"Lived-experience feedback · {pack.period if enough else 'period not shown'} · made "
        f"{_made_at(generated_at)} · {filters_description}",
        body + '<footer class="end"><p>Made offline by the lived-experience feedback '
        "dashboard. Counts of people under the threshold are suppressed and quotes are redacted.</p></footer>",
        with_plotly=pack.figures > 0,
    )
