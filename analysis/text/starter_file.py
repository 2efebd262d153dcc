"""The starter model file that ships with the product: data/starter_model.json (parameters,
vocabularies, theme ids, provenance) beside data/starter_model.npz (idf, coefficients, thresholds).

Both the starter themes (analysis.themes.starter) and the learned answer sentiment
(analysis.text.sentiment_model) live in it. It is built by scripts/build_starter_model.py from the
open NHS data and read without pickle (allow_pickle=False), so loading it can never run code.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from analysis.core import config

STARTER_JSON = config.DATA_DIR / "starter_model.json"
FORMAT = "feedback-starter-model"
FORMAT_VERSION = 1

_lock = threading.Lock()
_cache: dict[str, tuple[float, tuple[dict, dict[str, np.ndarray]] | None]] = {}
_built: dict[tuple[str, int], object] = {}  # (part, id of the arrays read) -> the model built

T = TypeVar("T")


def npz_path(json_path: Path) -> Path:
    """The arrays file that goes with a starter JSON file."""
    return json_path.with_suffix(".npz")


def write_starter_file(json_path: Path, meta: dict, arrays: dict[str, np.ndarray]) -> None:
    """Write the JSON and NPZ halves of a starter model."""
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, **meta}
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(meta, ensure_ascii=False, indent=0), encoding="utf-8")
    np.savez_compressed(npz_path(json_path), **{k: np.asarray(v) for k, v in arrays.items()})


def read_starter_file(json_path: Path | None = None) -> tuple[dict, dict[str, np.ndarray]] | None:
    """(meta, arrays) of the starter model, or None when the file is absent or unusable
    (the product then works from the codebook's seeds and the lexicon alone). Cached by mtime."""
    p = Path(json_path or STARTER_JSON)
    try:
        mtime = p.stat().st_mtime + npz_path(p).stat().st_mtime
    except OSError:
        return None
    with _lock:
        hit = _cache.get(str(p))
        if hit is not None and hit[0] == mtime:
            return hit[1]
    value: tuple[dict, dict[str, np.ndarray]] | None
    try:
        meta = json.loads(p.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("format_version") != FORMAT_VERSION:
            raise ValueError("not a starter model file of this version")
        with np.load(npz_path(p), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        value = (meta, arrays)
    except (OSError, ValueError, KeyError) as exc:
        import logging

        logging.getLogger(__name__).warning("starter model %s not used: %s", p, exc)
        value = None
    with _lock:
        _cache[str(p)] = (mtime, value)
    return value


def load_part(
    json_path: Path | None,
    part: str,
    needs: str,
    build: Callable[[dict, dict[str, np.ndarray]], T],
) -> T | None:
    """One model held in the starter file (`part`, e.g. "themes"), built once per reading of the file.

    None when the file is absent or unusable, or has no `needs` entry (an older file without that part).
    """
    parts = read_starter_file(json_path)
    if parts is None or needs not in parts[0]:
        return None
    key = (part, id(parts[1]))
    with _lock:
        hit = _built.get(key)
    if hit is None:
        hit = build(*parts)
        with _lock:
            for old in [k for k in _built if k[0] == part]:
                del _built[old]
            _built[key] = hit
    return hit  # type: ignore[return-value]
