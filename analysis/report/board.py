"""The meeting pack laid out as a board paper: cover, contents, a one-page summary of the findings
that matter, sections each led by its finding, then an appendix of the long tables (capped).

Sections are built by the section modules; this module only orders them and writes the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.report import html_parts as h
from analysis.report.common import Pack, Section

MAX_SUMMARY = 5  # a board summary names three to five findings


@dataclass
class Part:
    """One section of the paper: its id, heading, content and findings (the first one leads it)."""

    id: str
    heading: str
    section: Section
    in_summary: list[str] = field(default_factory=list)

    def html(self) -> str:
        """The section, opened by its lead finding (and its other findings, briefly)."""
        first, rest = self.section.findings[:1], self.section.findings[1:]
        opening = (h.lead(first[0]) if first else "") + (
            h.bullet_list(rest, "findings") if rest else ""
        )
        return h.section(self.id, self.heading, opening + self.section.html)


def top_theme_sentence(summary: pd.DataFrame, n_answers: int, period: str) -> str | None:
    """The most raised theme with its count, the number of answers and the period."""
    real = summary[~summary["special"] & (summary["answers"] > 0)]
    if real.empty or not n_answers:
        return None
    top = real.iloc[0]
    return (
        f"{top['theme']} was the most raised theme: {int(top['answers']):,} of {n_answers:,} answers "
        f"({top['share_pct']:.0f}%), {period}."
    )


def summary_findings(volume: str, parts: list[Part]) -> list[str]:
    """Three to five sentences: the volume, then each section's summary findings in order."""
    out = [volume]
    for part in parts:
        out += part.in_summary
    return out[:MAX_SUMMARY]


def paper(cover: str, summary: list[str], parts: list[Part], pack: Pack, notice: str = "") -> str:
    """The body of the document: cover, contents, summary, sections, appendix."""
    entries = [("summary", "Summary")] + [(p.id, p.heading) for p in parts]
    if pack.appendix:
        entries.append(("appendix", "Appendix: long tables"))
    body = [
        h.section("about", "About this paper", cover),
        h.section("contents", "Contents", h.contents(entries)),
        h.section("summary", "Summary", h.bullet_list(summary, "findings") + notice),
    ]
    body += [p.html() for p in parts]
    if pack.appendix:
        intro = h.paragraph(
            "Tables too long for the body of the paper, each capped; the app's downloads hold them whole."
        )
        body.append(h.section("appendix", "Appendix: long tables", intro + "".join(pack.appendix)))
    return "".join(body)
