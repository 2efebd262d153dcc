"""The identity memo behind memberships / people: hits for the same frames, misses for new ones, bounded."""

from __future__ import annotations

import gc

import pandas as pd

from analysis.core.memo import FrameMemo
from analysis.findings import theme_tables


def test_same_frames_hit_and_new_frames_miss() -> None:
    memo = FrameMemo(4)
    calls: list[int] = []
    a, b = pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [1]})  # equal content, different objects

    def compute(n: int):
        calls.append(n)
        return n

    assert memo.get_or_compute((a,), "k", lambda: compute(1)) == 1
    assert memo.get_or_compute((a,), "k", lambda: compute(2)) == 1  # a hit: not recomputed
    assert memo.get_or_compute((b,), "k", lambda: compute(3)) == 3  # another frame: computed
    assert memo.get_or_compute((a,), "other", lambda: compute(4)) == 4  # other arguments: computed
    assert calls == [1, 3, 4]


def test_entries_die_with_their_frames_and_the_size_is_bounded() -> None:
    memo = FrameMemo(2)
    frames = [pd.DataFrame({"x": [i]}) for i in range(5)]
    for i, f in enumerate(frames):
        memo.get_or_compute((f,), None, lambda i=i: i)
    assert len(memo) == 2  # only the newest two kept
    kept = frames[-1]
    del frames
    gc.collect()
    memo.get_or_compute((pd.DataFrame(),), None, lambda: "new")  # a store drops dead entries
    assert len(memo) == 2
    assert memo.get_or_compute((kept,), None, lambda: "recomputed") == 4


def test_memberships_callers_cannot_change_the_memoised_table() -> None:
    responses = pd.DataFrame({"response_id": ["r1", "r2"], "text": ["a", "b"]})
    assignments = pd.DataFrame(
        {
            "response_id": ["r1", "r2"],
            "theme_id": ["access", "staff"],
            "score": [1.0, 1.0],
            "sentiment": [0.1, -0.2],
            "evidence": ["", ""],
        }
    )
    first = theme_tables.memberships(responses, assignments)
    first.loc[0, "theme_id"] = "changed"
    first["extra"] = 1
    again = theme_tables.memberships(responses, assignments)
    assert list(again["theme_id"]) == ["access", "staff"]
    assert "extra" not in again
