"""The meeting pack's sections: themes, example answers, voices, Improvement Plan, privacy rules.

Each section calls the same analysis functions as the app's pages (so every count is the page's
suppressed count), draws the page's figures, and returns escaped HTML plus its headline findings
as plain sentences. Nothing here reads respondent text except through analysis.findings.answers_view,
which redacts it first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from analysis.charts import plan as plan_charts
from analysis.charts import voices as voice_charts
from analysis.charts.themes import group_heatmap, theme_bar_chart, trend_chart
from analysis.core import config
from analysis.core.schema import ValidationError
from analysis.findings.answers_view import answers_table
from analysis.findings.group_comparison import available_group_columns, compare_groups
from analysis.findings.theme_summary import round_size_note, theme_summary, theme_trend
from analysis.plan import progress
from analysis.report import html_parts as h
from analysis.themes.codebook import Codebook
from analysis.themes.pipeline import ThemeResult
from analysis.voices import participation

log = logging.getLogger(__name__)

TOP_THEMES = 3  # themes named in the headline and given example answers
EXAMPLES_PER_THEME = 3
EXAMPLE_MIN_CHARS, EXAMPLE_MAX_CHARS = 30, 600  # long enough to say something, short enough to read
TREND_THEMES = 5
MAX_REPRESENTATION_FIGURES = 3
HISTORY_COLUMNS = ["milestone_id", "changed_at", "changed_by", "field", "old_value", "new_value"]

SUMMARY_COLUMNS = {
    "theme": "Theme",
    "answers": "Answers",
    "share_pct": "% of answers",
    "mean_sentiment": "Mean sentiment",
    "negative_pct": "% negative",
    "change_pp": "Change (points)",
    "previous_round": "Compared with",
    "change_significant": "Change beyond chance",
}
TREND_COLUMNS = {"round": "Round", "theme": "Theme", "answers": "Answers", "n": "Answers in round",
                 "share_pct": "% of answers"}  # fmt: skip
COMPARE_COLUMNS = {"theme": "Theme", "group": "Group", "respondents": "People", "answers": "Answers",
                   "share_pct": "% of group's answers", "rest_share_pct": "% of everyone else's",
                   "diff_pp": "Difference (points)", "q_value": "Chance by luck (allowing for many tests)", "direction": "Finding"}  # fmt: skip


@dataclass
class Pack:
    """What every section needs, and a counter that gives each figure a stable id."""

    responses: pd.DataFrame
    codebook: Codebook
    threshold: int
    generated_at: datetime
    period: str
    result: ThemeResult | None = None
    labels: dict[str, str] = field(default_factory=dict)
    theme_history: pd.DataFrame | None = None
    localities: list[str] | None = None
    figures: int = 0

    def figure(self, fig, caption: str) -> str:  # noqa: ANN001
        """The next figure's HTML (ids fig-1, fig-2 ... so the file is reproducible)."""
        self.figures += 1
        return h.figure(fig, f"fig-{self.figures}", caption)

    @property
    def today(self) -> date:
        """The day the pack is made (overdue and due dates are relative to it)."""
        return self.generated_at.date()


@dataclass
class Section:
    """A section's HTML and its findings in words."""

    html: str
    findings: list[str] = field(default_factory=list)


def _with_mark(frame: pd.DataFrame, hidden: pd.Series, columns: list[str]) -> pd.DataFrame:
    """Copy with `columns` shown as the suppressed mark on hidden rows."""
    out = frame.astype(object).copy()
    for col in columns:
        if col in out:
            out.loc[hidden.to_numpy(), col] = config.SUPPRESSED_MARK
    return out


# --- themes ------------------------------------------------------------------------------------


def theme_table(pack: Pack) -> pd.DataFrame:
    """The Themes page's summary table for the chosen answers (share order, specials last)."""
    return theme_summary(
        pack.responses,
        pack.result.assignments,
        labels=pack.labels,
        theme_ids=pack.codebook.theme_ids,
        history=pack.theme_history,
        sort_by="share",
    )


def _real(summary: pd.DataFrame) -> pd.DataFrame:
    return summary[~summary["special"] & (summary["answers"] > 0)]


def theme_findings(summary: pd.DataFrame, threshold: int) -> list[str]:
    """Headline sentences: the most raised themes, the biggest change (with noise note), the most negative."""
    real = _real(summary)
    if real.empty:
        return ["No theme from the codebook was raised in these answers."]
    top = real.head(TOP_THEMES)
    named = [f"{r.theme} ({r.share_pct:.0f}% of answers)" for r in top.itertuples()]
    out = ["The most raised themes were " + _join(named) + "."]
    out.append(change_finding(summary))
    judged = real[(real["answers"] >= threshold) & real["negative_pct"].notna()]
    if not judged.empty:
        worst = judged.sort_values(["negative_pct", "answers"], ascending=False).iloc[0]
        out.append(
            f"The most negative theme was {worst['theme']}: {worst['negative_pct']:.0f}% of the "
            f"{int(worst['answers']):,} answers raising it read as negative."
        )
    return out


def change_finding(summary: pd.DataFrame) -> str:
    """The biggest change in a theme's share since the previous round, said honestly."""
    real = summary[~summary["special"]]
    latest = real["latest_round"].dropna()
    if latest.empty:
        return "There is only one survey round in these answers, so there is no change to report."
    latest_round = str(latest.iloc[0])
    previous = real["previous_round"].dropna()
    if previous.empty:
        return f"{latest_round} is the first round with these filters, so there is no earlier round to compare with."
    previous_round = str(previous.iloc[0])
    moved = real.dropna(subset=["change_pp"])
    if moved.empty:
        return (
            f"{latest_round} or {previous_round} had too few respondents to compare theme shares, "
            "so no change is reported."
        )
    caveat = round_size_note(summary)
    beyond = moved[moved["change_significant"].astype(bool)]
    if beyond.empty:
        # Never lead with a change that could be chance: say there is none beyond chance.
        top = moved.loc[moved["change_pp"].abs().idxmax()]
        sentence = (
            f"No theme's share changed beyond chance between {previous_round} and {latest_round} "
            f"(the largest move, {top['theme']} {top['change_pp']:+.1f} points, is within noise)."
        )
        return f"{sentence} {caveat}" if caveat else sentence
    top = beyond.loc[beyond["change_pp"].abs().idxmax()]
    verb = "rose" if top["change_pp"] > 0 else "fell"
    sentence = (
        f"{top['theme']} {verb} from {top['previous_share_pct']:.0f}% of answers in {previous_round} to "
        f"{top['latest_share_pct']:.0f}% in {latest_round} ({top['change_pp']:+.1f} points; n = "
        f"{int(top['previous_n']):,} and {int(top['latest_n']):,} answers), beyond what chance would give "
        "after allowing for testing every theme."
    )
    return f"{sentence} {caveat}" if caveat else sentence


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def themes_section(pack: Pack) -> Section:
    """Theme bars, trend and group comparison, each with its table."""
    summary = theme_table(pack)
    n = len(pack.responses)
    parts = [
        pack.figure(
            theme_bar_chart(summary), f"n = {n:,} answers, {pack.period}. Colour: mean sentiment."
        ),
        h.table(
            summary,
            "Themes: answers raising each theme, share, sentiment and change",
            columns=SUMMARY_COLUMNS,
        ),
    ]
    trend = theme_trend(
        pack.responses, pack.result.assignments, labels=pack.labels, threshold=pack.threshold
    )
    if trend["round"].nunique() >= 2:
        top = _real(summary)["theme_id"].head(TREND_THEMES).tolist()
        part = trend[trend["theme_id"].isin(top)].reset_index(drop=True)
        parts.append(
            pack.figure(
                trend_chart(part), f"The {len(top)} most raised themes; share of answers per round."
            )
        )
        shown = _with_mark(part, part["suppressed"].astype(bool), ["answers", "n"])
        parts.append(
            h.table(
                shown,
                "Theme share by round (rounds with too few respondents suppressed)",
                columns=TREND_COLUMNS,
            )
        )
    if "respondent_type" in available_group_columns(pack.responses):
        comp = compare_groups(
            pack.responses,
            pack.result.assignments,
            "respondent_type",
            labels=pack.labels,
            threshold=pack.threshold,
        )
        cells = comp.cells[~comp.cells["theme_id"].isin(config.SPECIAL_THEME_IDS)].reset_index(
            drop=True
        )
        parts.append(pack.figure(
            group_heatmap(comp),
            f"% of each respondent type's answers raising a theme; * = differs from everyone else after "
            f"false-discovery control at {comp.alpha:.0%}. Groups under {comp.threshold} people are blank.",
        ))  # fmt: skip
        shown = _with_mark(cells, cells["suppressed"].astype(bool), ["respondents", "answers"])
        parts.append(
            h.table(
                shown,
                "Themes by respondent type (suppressed groups marked)",
                columns=COMPARE_COLUMNS,
            )
        )
    return Section("".join(parts), theme_findings(summary, pack.threshold))


def examples_section(pack: Pack, summary: pd.DataFrame) -> Section:
    """A few redacted answers for each of the top themes (text escaped; never raw)."""
    a = pack.result.assignments
    ids_in_view = pack.responses["response_id"].astype(str)
    lengths = dict(zip(ids_in_view, pack.responses["text"].fillna("").astype(str).str.len()))
    order = {rid: i for i, rid in enumerate(ids_in_view)}
    parts = [h.paragraph(
        "Answers are chosen as the clearest examples of each theme (highest theme score). Personal details "
        "are replaced by placeholders such as [NAME] or [PHONE]; «marked» words are what raised the theme."
    )]  # fmt: skip
    for r in _real(summary).head(TOP_THEMES).itertuples():
        rows = a[(a["theme_id"] == r.theme_id) & a["response_id"].astype(str).isin(order)].copy()
        rows["rid"] = rows["response_id"].astype(str)
        rows["len"] = rows["rid"].map(lengths)
        rows = rows[rows["len"].between(EXAMPLE_MIN_CHARS, EXAMPLE_MAX_CHARS)]
        rows = rows.assign(pos=rows["rid"].map(order)).sort_values(
            ["score", "pos"], ascending=[False, True]
        )
        ids = rows["rid"].drop_duplicates().head(EXAMPLES_PER_THEME).tolist()
        parts.append(f"<h3>{h.text(r.theme)}</h3>")
        if not ids:
            parts.append(h.paragraph("No short answer to quote for this theme."))
            continue
        view = answers_table(pack.responses, pack.result.answers, a, ids, theme_id=r.theme_id,
                             labels=pack.labels, limit=EXAMPLES_PER_THEME)  # fmt: skip
        for q in view.itertuples():
            parts.append(
                f"<blockquote><p>{h.text(q.answer)}</p><footer>{h.text(q.round)} · {h.text(q.question)}</footer></blockquote>"
            )
    return Section("".join(parts))


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


# --- Improvement Plan ---------------------------------------------------------------------------


def plan_finding(milestones: pd.DataFrame, today: date) -> str:
    """Plan status in one sentence: milestones complete, on track, at risk, off track, overdue."""
    if milestones is None or milestones.empty:
        return "The Improvement Plan has no milestones yet."
    flagged = progress.flag_milestones(milestones, today)
    by = flagged["status"].value_counts()
    counts = ", ".join(
        f"{int(by.get(s, 0))} {s}"
        for s in ("complete", "on track", "at risk", "off track", "not started")
    )
    return (
        f"Improvement Plan: {len(flagged)} milestones ({counts}); {int(flagged['overdue'].sum())} overdue "
        f"as of {today:%d %B %Y}."
    )


def plan_section(
    pack: Pack, milestones: pd.DataFrame | None, history: pd.DataFrame | None
) -> Section:
    """Status by area, overdue milestones, timeline and progress against plan, each with its table."""
    if milestones is None or milestones.empty:
        return Section(h.paragraph("No Improvement Plan milestones were given for this pack."),
                       [plan_finding(milestones, pack.today)])  # fmt: skip
    history = history if history is not None else pd.DataFrame(columns=HISTORY_COLUMNS)
    today = pack.today
    counts = progress.status_counts(milestones)
    parts = [
        pack.figure(plan_charts.status_by_area_chart(counts),
                    f"n = {len(milestones)} milestones in {len(config.PLAN_AREAS)} areas."),
        h.table(progress.area_summary(milestones, today), "Milestones per area by status, overdue and due soon"),
    ]  # fmt: skip
    clash = progress.contradiction_sentence(progress.contradictions(milestones, today))
    if clash:
        parts.insert(0, h.notice(clash))
    overdue = progress.overdue_milestones(milestones, today)
    if overdue.empty:
        parts.append(h.paragraph(f"No milestone is overdue as of {today:%d %B %Y}."))
    else:
        parts.append(
            h.table(overdue, f"Overdue milestones as of {today:%d %B %Y}, most overdue first")
        )
    timeline = progress.milestone_timeline(milestones, history, today)
    parts.append(pack.figure(plan_charts.timeline_chart(timeline, pd.Timestamp(today)),
                             "Open circles: due dates (colour = status); filled: completion dates."))  # fmt: skip
    parts.append(h.table(timeline, "Milestone timeline: start, due, completed, overdue, days late", columns={
        "milestone_id": "Id", "area": "Area", "milestone": "Milestone", "status": "Status",
        "percent_complete": "% complete", "due_date": "Due", "completed_on": "Completed", "overdue": "Overdue",
        "days_late": "Days late"}))  # fmt: skip
    series = progress.percent_over_time(milestones, history, end=today)
    for area in config.PLAN_AREAS:
        if (series["area"] == area).any():
            parts.append(pack.figure(plan_charts.progress_chart(series, area),
                                     "Mean percent complete from the change history against the planned line."))  # fmt: skip
    if not series.empty:
        parts.append(h.table(series, "Percent complete over time by area: actual against planned"))
    return Section("".join(parts), [plan_finding(milestones, today)] + ([clash] if clash else []))


# --- privacy -----------------------------------------------------------------------------------


def privacy_section(threshold: int) -> Section:
    """The suppression and redaction rules applied to every number and quote in the pack."""
    rules = [
        f"Threshold: no count of fewer than {threshold} people (and more than none) is shown; it is "
        f"replaced by {config.SUPPRESSED_MARK} in tables and left out of charts.",
        "Secondary suppression: where a hidden number could be worked out from a total and the other "
        "numbers in its row or column, further numbers are hidden too.",
        "Percentages are worked out after suppression: a hidden number has no percentage, so it cannot "
        "be recovered from its share.",
        f"When the filters select fewer than {threshold} people, the pack gives no breakdowns at all. "
        f"Survey rounds with fewer than {threshold} respondents have no theme shares or changes.",
        "Quotes: every answer is redacted before it is shown. NHS numbers, phone numbers, email "
        "addresses, postcodes and names after a title or role (e.g. Dr, nurse) are replaced by "
        "[NHS NUMBER], [PHONE], [EMAIL], [POSTCODE] and [NAME]. A name with no title before it is not "
        "detected automatically: read the quotes before sharing the pack beyond the meeting.",
        "Changes between rounds and differences between groups are called real only when they survive "
        "a test with false-discovery control; anything else is described as within noise.",
    ]
    return Section(h.bullet_list(rules))
