"""The meeting pack: one self-contained HTML file built from the analysis above it."""

__all__ = ["html_parts", "pack", "sections"]
