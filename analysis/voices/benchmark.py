"""The population benchmark: reading, checking and summing it (long format: locality, dimension,
group, population[, source])."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import config
from analysis.core.schema import ValidationError

BENCHMARK_COLUMNS: tuple[str, ...] = ("locality", "dimension", "group", "population")
BENCHMARK_DIMENSIONS: tuple[str, ...] = (*config.DEMOGRAPHIC_COLUMNS, "locality")


def load_benchmark(
    source: str | Path | bytes | None = None, filename: str | None = None
) -> pd.DataFrame:
    """Read and check a benchmark table (long format: locality, dimension, group, population[, source]).

    `source` is a path, the bytes of an upload (with `filename`), or None for the demo benchmark.
    Raises schema.ValidationError with a plain reason when it cannot be used.
    """
    if source is None:
        source = config.POPULATION_BENCHMARK
    if isinstance(source, (bytes, bytearray)):
        from analysis import ingest  # imported late: ingest is optional for the CLI's own files

        frame = ingest.read_upload(bytes(source), filename or "benchmark.csv").frame
    else:
        path = Path(source)
        if not path.is_file():
            raise ValidationError(f"No benchmark file at {path}.")
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise ValidationError(
                f"The benchmark file could not be read as CSV: {str(exc)[:120]}"
            ) from exc
    return validate_benchmark(frame)


def validate_benchmark(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a benchmark table's columns and values; return it tidy (population as int)."""
    cols = {str(c).strip().lower(): c for c in frame.columns}
    missing = [c for c in BENCHMARK_COLUMNS if c not in cols]
    if missing:
        raise ValidationError(
            f"The benchmark needs columns {', '.join(BENCHMARK_COLUMNS)}; missing: {', '.join(missing)}."
        )
    out = pd.DataFrame({c: frame[cols[c]].astype(str).str.strip() for c in BENCHMARK_COLUMNS})
    out["source"] = frame[cols["source"]].astype(str).str.strip() if "source" in cols else ""
    pop = pd.to_numeric(out["population"].str.replace(",", "", regex=False), errors="coerce")
    bad = pop.isna() | (pop < 0) | (pop != pop.round())
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0]) + 2  # +1 header, +1 one-based
        raise ValidationError(f"Row {first}: population must be a whole number of 0 or more.")
    out["population"] = pop.astype("int64")
    if (out[["locality", "dimension", "group"]] == "").any(axis=None):
        raise ValidationError("Every benchmark row needs a locality, a dimension and a group.")
    if out.empty:
        raise ValidationError("The benchmark has no rows.")
    dupes = out.duplicated(["locality", "dimension", "group"])
    if dupes.any():
        first = int(np.flatnonzero(dupes.to_numpy())[0]) + 2
        raise ValidationError(f"Row {first}: the same locality, dimension and group appear twice.")
    return out.reset_index(drop=True)


def benchmark_shares(
    benchmark: pd.DataFrame, dimension: str, localities: list[str] | None = None
) -> pd.Series:
    """Population by group for `dimension` over `localities` (all when None); "locality" = borough sizes.

    Locality sizes come from the age_band rows (the whole population counted once).
    """
    b = benchmark
    if localities:
        b = b[b["locality"].isin(localities)]
    if dimension == "locality":
        base = b[b["dimension"] == "age_band"]
        if base.empty:
            base = b[b["dimension"] == b["dimension"].iloc[0]] if not b.empty else b
        return base.groupby("locality", sort=False)["population"].sum()
    rows = b[b["dimension"] == dimension]
    return rows.groupby("group", sort=False)["population"].sum()
