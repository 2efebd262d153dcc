"""Shared widgets: a chart with its numbers, safe download buttons."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st


def chart_with_table(
    fig: go.Figure, table: pd.DataFrame, key: str, caption: str | None = None, table_label: str = "The numbers"
) -> None:
    """Render a figure and, under it, the same numbers as a table (accessibility; report in words)."""
    st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False})
    if caption:
        st.caption(caption)
    with st.expander(table_label, expanded=False):
        st.dataframe(table, hide_index=True, key=f"table_{key}")
