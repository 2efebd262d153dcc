"""Plotly figure builders: tidy tables in, go.Figure out, nothing rendered."""

__all__ = ["base", "overview", "plan", "spc", "themes", "voices"]
