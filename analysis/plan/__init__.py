"""The Improvement Plan: milestone fields, the milestone store and its history, progress over
time, "you said, we did", and import/export."""

__all__ = [
    "demo_dates",
    "fields",
    "history",
    "impact",
    "import_export",
    "milestone_schema",
    "milestone_store",
    "plan_datasets",
    "progress",
    "status",
]
