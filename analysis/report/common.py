"""What every meeting-pack section shares: the Pack it reads, the Section it returns, table columns."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from analysis.core import config
from analysis.report import html_parts as h
from analysis.themes.codebook import Codebook
from analysis.themes.pipeline import ThemeResult

log = logging.getLogger(__name__)

TOP_THEMES = 3  # themes named in the headline and given example answers
EXAMPLES_PER_THEME = 3
EXAMPLE_MIN_CHARS, EXAMPLE_MAX_CHARS = 30, 600  # long enough to say something, short enough to read
TREND_THEMES = 5
BODY_ROWS = 16  # a longer table goes to the appendix (the theme table, about 14 rows, stays)
APPENDIX_ROWS = 40  # and is capped there, pointing to the full download
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
    appendix: list[str] = field(default_factory=list)

    def table(
        self, frame: pd.DataFrame, caption: str, *, columns: dict[str, str] | None = None
    ) -> str:
        """A table in the body when short; a long one goes to the appendix (capped), with a pointer here.

        A board paper's body stays readable: more than BODY_ROWS rows is a reference table, and the
        appendix shows at most APPENDIX_ROWS of it and says where the whole table is.
        """
        if len(frame) <= BODY_ROWS:
            return h.table(frame, caption, columns=columns)
        number = len(self.appendix) + 1
        anchor = f"table-a{number}"
        capped = h.table(
            frame, f"Table A{number}. {caption}", columns=columns, max_rows=APPENDIX_ROWS
        )
        note = (
            f"The first {APPENDIX_ROWS:,} of {len(frame):,} rows are shown; the whole table is in the "
            "app's download on the matching page."
            if len(frame) > APPENDIX_ROWS
            else ""
        )
        self.appendix.append(
            f'<div id="{anchor}" class="appendix-table">{capped}{h.paragraph(note) if note else ""}</div>'
        )
        return h.paragraph_link(
            f"{caption}: {len(frame):,} rows, in the appendix as ", f"Table A{number}", anchor
        )

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


def with_mark(frame: pd.DataFrame, hidden: pd.Series, columns: list[str]) -> pd.DataFrame:
    """Copy with `columns` shown as the suppressed mark on hidden rows."""
    out = frame.astype(object).copy()
    for col in columns:
        if col in out:
            out.loc[hidden.to_numpy(), col] = config.SUPPRESSED_MARK
    return out
