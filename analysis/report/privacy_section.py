"""The pack's statement of how it protects people."""

from __future__ import annotations

import logging

from analysis.core import config
from analysis.report import html_parts as h
from analysis.report.common import (
    Section,
)

log = logging.getLogger(__name__)


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
        f"A theme raised by fewer than {threshold} people (or by all but fewer than that) is listed "
        "without figures and none of its answers is quoted; the same holds for a theme within one "
        "round or one group, and for two themes raised together.",
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
