"""A small memo for pure functions of large frames, keyed on the frames' identity.

The app hands the same frame objects to every rerun (the chosen answers and a classification are
shared, never changed in place: see ui/cache.py), and one page asks several tables for the same
join of those frames. Hashing 200,000 rows to build a key would cost as much as the join, so the
key is the frames' identity instead, held through weak references: an entry dies with its frames,
and an id reused by a new frame never matches an old entry.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")


class FrameMemo:
    """An LRU of results keyed on (identity of some frames, other hashable arguments); thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, tuple[tuple[weakref.ref, ...], object]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(
        self, frames: Sequence[object], extra: Hashable, compute: Callable[[], T]
    ) -> T:
        """The memoised result for these frames and `extra`, computing (and keeping) it on a miss."""
        key = (tuple(id(f) for f in frames), extra)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                refs, value = hit
                if all(r() is f for r, f in zip(refs, frames, strict=True)):
                    self._items.move_to_end(key)
                    return value  # type: ignore[return-value]
                del self._items[key]  # an id reused by a new object
        value = compute()
        try:
            refs = tuple(weakref.ref(f) for f in frames)
        except TypeError:  # not weak-referenceable: do not keep it
            return value
        with self._lock:
            self._items[key] = (refs, value)
            self._items.move_to_end(key)
            self._drop_dead_and_oldest()
        return value

    def _drop_dead_and_oldest(self) -> None:
        for key in [k for k, (refs, _v) in self._items.items() if any(r() is None for r in refs)]:
            del self._items[key]
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
