"""Showing suppressed tables: percentages after suppression, and the display mark for hidden cells.

Kept apart from analysis.privacy.suppression (which decides what is hidden) because these only present a
decision already made. Both are re-exported by analysis.privacy.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.core import config
from analysis.privacy.suppression import SuppressedTable


def suppressed_share(
    table: SuppressedTable | pd.DataFrame | pd.Series,
    totals: pd.Series | float | None = None,
    *,
    decimals: int = 1,
) -> pd.DataFrame | pd.Series:
    """Percentages computed after suppression: each shown count as a share of its column total.

    With a SuppressedTable the denominators are its true column totals (or grand total for one
    column); a hidden total gives NA for the whole column. With plain values (NaN = suppressed)
    pass `totals`, otherwise the denominator is the sum of the shown cells. A suppressed cell
    never gets a number: its share is NA.
    """
    if isinstance(table, SuppressedTable):
        cols = table.value_columns or list(table.values.columns)
        vals = table.values[cols].astype(float)
        if table.column_totals is not None:
            denom = table.column_totals.reindex(cols).astype(float)
        elif len(cols) == 1:
            denom = pd.Series([table.total if table.total is not None else np.nan], index=cols)
        else:  # one row: each cell is its own column total
            denom = vals.iloc[0]
        if totals is not None:
            denom = totals if isinstance(totals, pd.Series) else pd.Series(totals, index=cols)
        return _shares(vals, denom, decimals)
    if isinstance(table, pd.Series):
        vals = table.astype(float)
        denom = float(totals) if totals is not None else float(vals.sum(skipna=True))
        pct = vals / denom * 100 if denom and not math.isnan(denom) else vals * np.nan
        return pct.round(decimals)
    vals = table.select_dtypes("number").astype(float)
    if totals is None:
        denom = vals.sum(axis=0, skipna=True)
    elif isinstance(totals, pd.Series):
        denom = totals.reindex(vals.columns).astype(float)
    else:
        denom = pd.Series(float(totals), index=vals.columns)
    return _shares(vals, denom, decimals)


def _shares(vals: pd.DataFrame, denom: pd.Series, decimals: int) -> pd.DataFrame:
    denom = denom.where(denom > 0)  # a hidden or zero total gives NA, never a division by zero
    return (vals.div(denom, axis=1) * 100).round(decimals)


def format_suppressed(
    table: SuppressedTable | pd.DataFrame | pd.Series, mark: str = config.SUPPRESSED_MARK
) -> pd.DataFrame | pd.Series:
    """Display copy: suppressed (NaN) counts become `mark`, whole numbers lose their ".0"."""
    if isinstance(table, SuppressedTable):
        mask = table.suppressed
        frame = table.values
    elif isinstance(table, pd.Series):
        return format_suppressed(table.to_frame(), mark).iloc[:, 0]
    else:
        frame = table
        mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
        for c in frame.columns:
            if pd.api.types.is_numeric_dtype(frame[c]):
                mask[c] = frame[c].isna()
    out = frame.astype(object).copy()
    for c in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[c]):
            continue
        col = []
        for v, hide in zip(frame[c].tolist(), mask[c].tolist(), strict=True):
            if hide:
                col.append(mark)
            elif isinstance(v, float) and not math.isnan(v) and v == int(v):
                col.append(int(v))
            else:
                col.append(v)
        out[c] = pd.Series(col, index=frame.index, dtype=object)
    return out
