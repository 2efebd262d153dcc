"""The meeting pack: one self-contained HTML file built from the analysis above it."""

__all__ = [
    "common",
    "html_parts",
    "pack",
    "plan_section",
    "privacy_section",
    "sections",
    "themes_section",
    "voices_section",
]
