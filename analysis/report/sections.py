"""The meeting pack's sections: themes, example answers, voices, Improvement Plan, privacy rules.

Each section calls the same analysis functions as the app's pages (so every count is the page's
suppressed count), draws the page's figures, and returns escaped HTML plus its headline findings
as plain sentences. Nothing here reads respondent text except through analysis.findings.answers_view,
which redacts it first.
"""

from __future__ import annotations

from analysis.report.common import Pack, Section
from analysis.report.plan_section import plan_finding, plan_section
from analysis.report.privacy_section import privacy_section
from analysis.report.themes_section import (
    change_finding,
    examples_section,
    theme_findings,
    theme_table,
    themes_section,
)
from analysis.report.voices_section import voices_section

__all__ = [
    "Pack",
    "Section",
    "change_finding",
    "examples_section",
    "plan_finding",
    "plan_section",
    "privacy_section",
    "theme_findings",
    "theme_table",
    "themes_section",
    "voices_section",
]
