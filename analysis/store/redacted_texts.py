"""Each dataset's distinct answers redacted once, by the background worker, for the Themes search.

Search runs on the redacted text (analysis.findings.answer_search). Redacting every distinct answer of a
200,000-answer dataset takes several seconds of one core (6.2 s for 110,354 distinct answers at load
average 2.4), which the first search in each server process used to wait for. The worker does it once,
after a dataset's job, and keeps the (text, redacted) pairs as a snapshot; a page seeds its search from
them and redacts only what they lack.

The key names the dataset's content hash and a fingerprint of the redaction code and name lists, so a
snapshot made by other redaction rules is never read (an upgrade that changes them makes a new one).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Engine

from analysis import privacy
from analysis.store import snapshots
from analysis.store.database import get_engine

log = logging.getLogger(__name__)
_PRIVACY = Path(privacy.__file__).resolve().parent
# What decides a redaction: the rules and the name lists (first names are read from Faker).
_RULE_FILES = ("redaction.py", "names.py", "first_names.py")
_fp: str | None = None


def redaction_fingerprint() -> str:
    """A hash of the redaction code and its name lists."""
    global _fp
    if _fp is None:
        h = hashlib.sha1()
        for name in _RULE_FILES:
            h.update((_PRIVACY / name).read_bytes())
        try:
            h.update(importlib.metadata.version("Faker").encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(b"no Faker")
        _fp = h.hexdigest()[:16]
    return _fp


def redacted_key(dataset_id: int, content_hash: str) -> str:
    """The snapshot key of a dataset's redacted answers under today's redaction rules."""
    return snapshots.dataset_key(dataset_id, content_hash, f"redacted:{redaction_fingerprint()}")


def snapshot_redacted(
    dataset_id: int, content_hash: str, answers: pd.DataFrame, engine: Engine | None = None
) -> bool:
    """Redact the dataset's distinct answers and keep them, unless already kept; True when made now."""
    engine = engine or get_engine()
    key = redacted_key(dataset_id, content_hash)
    if snapshots.has_frame(key, engine):
        return False
    texts = pd.Series(answers["text"].astype("string").dropna().unique(), dtype="string")
    frame = pd.DataFrame({"text": texts, "redacted": privacy.redact_series(texts).astype("string")})
    snapshots.save_frame(key, frame, engine)
    log.info("dataset %d: %d distinct answers redacted for search", dataset_id, len(frame))
    return True


def load_redacted(
    dataset_id: int, content_hash: str, engine: Engine | None = None
) -> pd.DataFrame | None:
    """The dataset's (text, redacted) pairs under today's rules, or None when not made yet."""
    return snapshots.load_frame(redacted_key(dataset_id, content_hash), engine or get_engine())
