"""Who counts as one person: the one definition every privacy rule and every count of people uses.

A person is a distinct respondent_id; an answer without one counts as one person of its own (its
response_id stands in), so a dataset without respondent ids counts every answer as a person. The
keys and their integer codes are memoised on the frame's identity (the app hands the same frame to
every rerun; see analysis.core.memo).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.memo import FrameMemo

_MEMO = FrameMemo(16)


def person_keys(responses: pd.DataFrame) -> pd.Series:
    """One key per answer naming its person: "p:<respondent_id>", else "a:<response_id>" (a copy)."""
    return _MEMO.get_or_compute((responses,), "keys", lambda: _person_keys(responses)).copy()


def _person_keys(responses: pd.DataFrame) -> pd.Series:
    rid = responses["response_id"].astype("string")
    if "respondent_id" not in responses:
        return ("a:" + rid).astype("string")
    person = responses["respondent_id"].astype("string")
    return ("p:" + person).where(person.notna(), "a:" + rid).astype("string")


def person_codes(responses: pd.DataFrame) -> np.ndarray:
    """Each answer's person as an integer code 0..people-1 (read-only; shared by callers)."""
    return _MEMO.get_or_compute((responses,), "codes", lambda: _person_codes(responses))


def _person_codes(responses: pd.DataFrame) -> np.ndarray:
    if len(responses) == 0:
        return np.zeros(0, dtype=np.int64)
    codes, _ = pd.factorize(
        _MEMO.get_or_compute((responses,), "keys", lambda: _person_keys(responses))
    )
    out = codes.astype(np.int64)
    out.flags.writeable = False
    return out


def count_people(responses: pd.DataFrame, mask: np.ndarray | None = None) -> int:
    """Distinct people among the answers (only those where `mask` is True, when given)."""
    codes = person_codes(responses)
    if mask is not None:
        codes = codes[np.asarray(mask, dtype=bool)]
    if codes.size == 0:
        return 0
    return int(np.count_nonzero(np.bincount(codes)))
