"""Building blocks every domain uses: settings and constants, the canonical tables, filters, frame
helpers, memos, proportions, roles and view state. Imports nothing else from analysis/."""

__all__ = [
    "config",
    "filters",
    "frames",
    "memo",
    "proportions",
    "roles",
    "schema",
    "view_state",
    "words",
]
