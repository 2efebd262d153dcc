"""Validate view state carried in a link's query parameters (pure: no streamlit).

Links carry only ids and values chosen from known lists: never free text, never identifiers of people.
Anything not in the allowed values is dropped and reported, so a hostile or stale link cannot break a
page or smuggle text onto the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

MAX_PARAM_CHARS = 200
MAX_VALUES = 50


def clean_values(raw: Iterable[str], allowed: Sequence[str]) -> tuple[list[str], int]:
    """Keep the values that are allowed (in order, no repeats); return (kept, number dropped)."""
    allowed_set = set(allowed)
    kept: list[str] = []
    dropped = 0
    for value in list(raw)[:MAX_VALUES]:
        v = str(value)[:MAX_PARAM_CHARS]
        if v in allowed_set and v not in kept:
            kept.append(v)
        else:
            dropped += 1
    return kept, dropped


def clean_single(raw: str | None, allowed: Sequence[str]) -> tuple[str | None, bool]:
    """One allowed value or None; the flag says whether something was dropped."""
    if raw is None:
        return None, False
    kept, dropped = clean_values([raw], allowed)
    return (kept[0] if kept else None), bool(dropped or not kept)


def clean_int(raw: str | None, allowed: Iterable[int]) -> tuple[int | None, bool]:
    """An allowed integer id or None; the flag says whether something was dropped."""
    if raw is None:
        return None, False
    try:
        value = int(str(raw)[:20])
    except ValueError:
        return None, True
    return (value, False) if value in set(allowed) else (None, True)


def encode_params(state: Mapping[str, object]) -> dict[str, list[str] | str]:
    """State -> query parameters: lists stay lists, empty values are left out, bools become 1."""
    out: dict[str, list[str] | str] = {}
    for key, value in state.items():
        if value is None or value == "" or value == [] or value == () or value is False:
            continue
        if value is True:
            out[key] = "1"
        elif isinstance(value, (list, tuple)):
            out[key] = [str(v) for v in value]
        else:
            out[key] = str(value)
    return out
