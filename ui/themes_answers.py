"""The Themes page's answer list: a capped table, a full-text reader (admins: the unredacted original,
logged) and downloads of every selected answer.

Respondent text is shown only through st.dataframe and st.text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from analysis import privacy, store
from analysis.findings.answers_view import export_frame
from ui import auth
from ui.context import can_view_unredacted
from ui.widgets import XLSX_MIME, download_later

if TYPE_CHECKING:
    from ui.context import PageContext

ANSWER_CONFIG = {
    "response_id": st.column_config.TextColumn("Answer id", width="small"),
    "answer": st.column_config.TextColumn("Answer (redacted; «theme words» marked)", width="large"),
    "why": st.column_config.TextColumn("Why (words that raised the theme)"),
    "sentiment": st.column_config.NumberColumn("Sentiment", format="%.2f"),
    "feeling": st.column_config.TextColumn("Feeling"),
    "complex": st.column_config.CheckboxColumn("Complex"),
}


def download_buttons(
    frame: pd.DataFrame, name: str, key: str, full: Callable[[], pd.DataFrame] | None = None
) -> None:
    """CSV and Excel of `frame`, or of `full()` (built at the click) when given."""
    cols = st.columns(2)
    whole = full or (lambda: frame)
    download_later(
        "Download CSV",
        lambda: privacy.safe_csv_bytes(whole()),
        f"{name}.csv",
        "text/csv",
        f"{key}_csv",
        cols[0],
    )
    download_later(
        "Download Excel",
        lambda: privacy.safe_xlsx_bytes(whole()),
        f"{name}.xlsx",
        XLSX_MIME,
        f"{key}_xlsx",
        cols[1],
    )


def show_answers(
    table: pd.DataFrame,
    total: int,
    key: str,
    ctx: PageContext | None = None,
    everything: Callable[[], pd.DataFrame] | None = None,
) -> None:
    """Answers as a table (text never rendered), a full-text reader for one, and downloads.

    The screen caps the table; the downloads hold every selected answer when `everything` (built
    only at the click) is given, else they say how many are left out.
    """
    if table.empty:
        st.info("No answers in this selection.")
        return
    shown = len(table)
    note = ""
    if shown < total:
        note = f"; the first {shown:,} are shown" + (
            ", the downloads hold all of them"
            if everything is not None
            else f" and downloaded ({total - shown:,} left out: narrow the selection to get them)"
        )
    st.caption(f"{total:,} answers{note}")
    st.dataframe(
        table, hide_index=True, column_config=ANSWER_CONFIG, key=f"{key}_table", width="stretch"
    )
    ids = table["response_id"].astype(str).tolist()
    chosen = st.selectbox("Read one answer in full", ids, key=f"{key}_read")
    if chosen is not None:
        row = table.loc[table["response_id"].astype(str) == chosen].iloc[0]
        st.text(str(row["answer"]))
        st.text(
            f"Themes: {row['themes']}  ·  Why: {row['why'] or '-'}  ·  Feeling: {row['feeling']}"
        )
        if ctx is not None and can_view_unredacted():
            _unredacted(ctx, chosen, key)
    full = (
        (lambda: export_frame(everything())) if everything is not None and shown < total else None
    )
    download_buttons(export_frame(table), f"answers-{key}", key, full)


def _unredacted(ctx: PageContext, response_id: str, key: str) -> None:
    """Admins only: the stored original of one answer, on request, with the access logged."""
    if st.toggle(
        "Show this answer unredacted (admins only; the access is logged)", key=f"{key}_unredacted"
    ):
        original = ctx.all_responses.loc[
            ctx.all_responses["response_id"].astype(str) == response_id, "text"
        ]
        store.log_access(auth.editor_name(), "view unredacted answer",
                         f"dataset {ctx.dataset_id}, answer {response_id}")  # fmt: skip
        st.text(str(original.iloc[0]) if len(original) else "(answer not found)")
