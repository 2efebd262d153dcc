"""The pack's themes section and its headline sentences, and the redacted example answers."""

from __future__ import annotations

import logging

import pandas as pd

from analysis.charts.themes import group_heatmap, theme_bar_chart, trend_chart
from analysis.core import config
from analysis.core.filters import small_rounds_note
from analysis.findings.answers_view import answers_table
from analysis.findings.group_comparison import available_group_columns, compare_groups
from analysis.findings.theme_summary import round_size_note, theme_summary, theme_trend
from analysis.report import html_parts as h
from analysis.report.common import (
    COMPARE_COLUMNS,
    EXAMPLE_MAX_CHARS,
    EXAMPLE_MIN_CHARS,
    EXAMPLES_PER_THEME,
    SUMMARY_COLUMNS,
    TOP_THEMES,
    TREND_COLUMNS,
    TREND_THEMES,
    Pack,
    Section,
    with_mark,
)
from analysis.report.spc_section import over_time

log = logging.getLogger(__name__)


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
        if summary.loc[~summary["special"], "hidden"].any():
            return [
                f"Every theme raised in these answers was raised by fewer than {threshold} people "
                "(or by all but fewer than that), so none is reported, to protect their privacy."
            ]
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
    if moved.empty and real["latest_n"].notna().any():
        return (
            f"No theme was raised by enough people in both {previous_round} and {latest_round} to "
            "compare its share without revealing a small group, so no change is reported."
        )
    if moved.empty:
        return (
            f"{latest_round} or {previous_round} had too few respondents to compare theme shares, "
            "so no change is reported."
        )
    # Rounds of very different size, and a round far smaller than the rounds beside it.
    caveats = [round_size_note(summary)]
    if "round_note" in real and real["round_note"].notna().any():
        caveats.append(str(real["round_note"].dropna().iloc[0]))
    caveat = " ".join(c for c in caveats if c) or None
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
        pack.table(
            with_mark(summary, summary["hidden"].astype(bool), ["answers", "share_pct"]),
            "Themes: answers raising each theme, share, sentiment and change (a theme fewer than "
            f"{pack.threshold} people raised, or all but fewer than that, is marked suppressed)",
            columns=SUMMARY_COLUMNS,
        ),
    ]
    trend = theme_trend(
        pack.responses, pack.result.assignments, labels=pack.labels, threshold=pack.threshold
    )
    if trend["round"].nunique() >= 2:
        top = _real(summary)["theme_id"].head(TREND_THEMES).tolist()
        part = trend[trend["theme_id"].isin(top)].reset_index(drop=True)
        caption = f"The {len(top)} most raised themes; share of answers per round."
        if note := small_rounds_note(pack.responses):
            caption += f" {note}"
        parts.append(pack.figure(trend_chart(part), caption))
        shown = with_mark(part, part["suppressed"].astype(bool), ["answers", "n"])
        parts.append(
            pack.table(
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
            f"false-discovery control at {comp.alpha:.0%}. Groups under {comp.threshold} people are blank, and so "
            f"is a cell where fewer than {comp.threshold} people raised the theme or did not (with one more "
            "in its row, so it cannot be worked out).",
        ))  # fmt: skip
        shown = with_mark(cells, cells["suppressed"].astype(bool), ["respondents", "answers"])
        parts.append(
            pack.table(
                shown,
                "Themes by respondent type (suppressed groups marked)",
                columns=COMPARE_COLUMNS,
            )
        )
    parts.append(over_time(pack, summary))
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
