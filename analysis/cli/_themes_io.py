"""Shared input helpers for the classify / train / evaluate commands (not a command itself)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.cli.common import CliError, require_file

if TYPE_CHECKING:
    from analysis.themes.classifier_base import ThemeClassifierBase
    from analysis.themes.codebook import Codebook

STREAM_BYTES = 50 * 1024 * 1024  # CSV files above this are streamed in chunks with pandas


def read_table(path: str) -> pd.DataFrame:
    """Any export the ingest reader handles (CSV/TSV/XLSX, any encoding) as a frame of strings."""
    from analysis.core.schema import ValidationError
    from analysis.ingest.exports import read_path

    p = require_file(path)
    try:
        raw = read_path(p)
    except ValidationError as exc:
        raise CliError(" ".join(str(exc).split())) from None
    frame = raw.frame
    frame.columns = [str(c) for c in frame.columns]
    return frame


def check_columns(frame_columns: list[str], wanted: list[str], path: str) -> None:
    """CliError naming the missing column and the columns there are."""
    for col in wanted:
        if col not in frame_columns:
            shown = ", ".join(repr(c) for c in frame_columns[:30]) + (
                " ..." if len(frame_columns) > 30 else ""
            )
            raise CliError(f"no column {col!r} in {Path(path).name}; columns are: {shown}")


def is_streamed(path: str) -> bool:
    """True for big delimited text files, which are read in chunks rather than all at once."""
    p = Path(path)
    return p.suffix.lower() in (".csv", ".txt", ".tsv") and p.stat().st_size > STREAM_BYTES


def iter_chunks(path: str, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Frames of at most chunk_rows rows: pandas chunks for big CSVs, else the ingest reader's table."""
    if not is_streamed(path):
        frame = read_table(path)
        for lo in range(0, max(len(frame), 1), chunk_rows):
            yield frame.iloc[lo : lo + chunk_rows]
        return
    sep = "\t" if Path(path).suffix.lower() == ".tsv" else ","
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            reader = pd.read_csv(
                path,
                sep=sep,
                dtype=str,
                keep_default_na=False,
                chunksize=chunk_rows,
                encoding=encoding,
                on_bad_lines="warn",
                engine="c",
            )
            first = True
            for chunk in reader:
                first = False
                chunk.columns = [str(c) for c in chunk.columns]
                yield chunk
            return
        except UnicodeDecodeError:
            if not first:
                raise CliError(
                    f"{Path(path).name} changes encoding part-way through; save it as UTF-8"
                ) from None
            continue
        except pd.errors.ParserError as exc:
            raise CliError(
                f"{Path(path).name} cannot be read as CSV: {str(exc).splitlines()[0][:200]}"
            ) from None
    raise CliError(f"{Path(path).name} is neither UTF-8 nor Windows-1252 text")


def count_rows(path: str) -> int:
    """Approximate data rows of a text file (newlines minus the header), for the progress bar."""
    n = 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 24):
            n += block.count(b"\n")
    return max(n - 1, 1)


def load_codebook_arg(path: str | None) -> Codebook:
    """The codebook from --codebook or the default one; CliError with the reason when invalid."""
    from analysis.themes.codebook import CodebookError, default_codebook, load_codebook

    try:
        if path:
            require_file(path)
            return load_codebook(path)
        return default_codebook()
    except CodebookError as exc:
        raise CliError(f"codebook: {exc}") from None


def load_model_arg(path: str) -> ThemeClassifierBase:
    """A saved model; CliError when missing or refused."""
    from analysis.themes.model_files import ModelFileError, load_model

    require_file(path)
    try:
        return load_model(path)
    except ModelFileError as exc:
        raise CliError(f"model: {exc}") from None
