"""Privacy in one import: redaction of personal data, small-number suppression, safe export.

Every quote shown anywhere goes through `redact_text` / `redact_series`; every selection of answers
is shown only when `check_selection` (the sidebar's filters) and `check_subset` (a page's narrowing,
e.g. a search) allow it; every count of people shown goes through `suppress_counts` (or
`rates_with_suppression` / `check_group_size`); every download goes through `safe_csv_bytes` /
`safe_xlsx_bytes`. See the modules for the rules.
"""

from __future__ import annotations

from analysis.privacy.people import count_people, person_codes, person_keys
from analysis.privacy.redaction import (
    PLACEHOLDERS,
    REDACTION_TYPES,
    Redaction,
    nhs_number_is_valid,
    redact_frame,
    redact_series,
    redact_series_with_counts,
    redact_text,
)
from analysis.privacy.safe_export import (
    neutralise_formula,
    safe_csv_bytes,
    safe_xlsx_bytes,
    sanitise_sheet_name,
)
from analysis.privacy.selection import SelectionCheck, check_selection, check_subset
from analysis.privacy.suppression import (
    SuppressedRates,
    SuppressedTable,
    rates_with_suppression,
    suppress_counts,
)
from analysis.privacy.suppression_display import format_suppressed, suppressed_share
from analysis.privacy.threshold import check_group_size, effective_threshold

__all__ = [
    "PLACEHOLDERS",
    "REDACTION_TYPES",
    "Redaction",
    "SelectionCheck",
    "SuppressedRates",
    "SuppressedTable",
    "check_group_size",
    "check_selection",
    "check_subset",
    "count_people",
    "effective_threshold",
    "format_suppressed",
    "neutralise_formula",
    "nhs_number_is_valid",
    "person_codes",
    "person_keys",
    "rates_with_suppression",
    "redact_frame",
    "redact_series",
    "redact_series_with_counts",
    "redact_text",
    "safe_csv_bytes",
    "safe_xlsx_bytes",
    "sanitise_sheet_name",
    "suppress_counts",
    "suppressed_share",
]
