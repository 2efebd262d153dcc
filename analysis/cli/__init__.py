"""Command-line commands, one module each (see analysis/__main__.py)."""

__all__ = [
    "check",
    "classify",
    "common",
    "discover",
    "evaluate",
    "participation",
    "report",
    "review",
    "store",
    "train",
]
