"""Links that reopen a view: the page's widgets <-> the URL's query parameters.

The URL is rewritten at the end of every run from the current widget state, so the browser's address
is always the shareable link. On a session's first run the URL's values are validated (analysis.core.view_state)
and put into the widgets; unknown values are ignored with a note, never an error page.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from analysis.core import view_state as deeplink

_BINDINGS = "_url_bindings"  # param -> (widget key, is_list), rebuilt on every run
_RESTORED = "_url_restored"  # params already taken from the URL in this session
_NOTES = "_url_notes"
PRESENT_KEY = "present"


def start_run() -> None:
    """Forget last run's bindings (each page registers its own while it runs)."""
    st.session_state[_BINDINGS] = {}
    st.session_state.setdefault(_RESTORED, set())
    st.session_state.setdefault(_NOTES, [])


def _first_time(param: str) -> bool:
    restored: set = st.session_state.setdefault(_RESTORED, set())
    if param in restored:
        return False
    restored.add(param)
    return True


def _note(param: str) -> None:
    st.session_state.setdefault(_NOTES, []).append(param)


def bind_list(param: str, key: str, options: Sequence[str]) -> None:
    """Tie a multiselect's key to a list parameter; call before creating the widget."""
    st.session_state.setdefault(_BINDINGS, {})[param] = (key, True)
    if _first_time(param) and param in st.query_params:
        kept, dropped = deeplink.clean_values(
            st.query_params.get_all(param), [str(o) for o in options]
        )
        if dropped:
            _note(param)
        st.session_state[key] = kept


def bind_value(param: str, key: str, options: Sequence, *, as_int: bool = False) -> None:
    """Tie a single-choice widget's key to a parameter; call before creating the widget."""
    st.session_state.setdefault(_BINDINGS, {})[param] = (key, False)
    if _first_time(param) and param in st.query_params:
        raw = st.query_params.get(param)
        if as_int:
            value, dropped = deeplink.clean_int(raw, [int(o) for o in options])
        else:
            value, dropped = deeplink.clean_single(raw, [str(o) for o in options])
            if value is not None:
                value = next(o for o in options if str(o) == value)
        if dropped:
            _note(param)
        if value is not None:
            st.session_state[key] = value


def bind_range(param_from: str, param_to: str, key: str, options: Sequence[str]) -> None:
    """Tie a two-ended select_slider's key to two parameters; call before creating the widget."""
    bindings = st.session_state.setdefault(_BINDINGS, {})
    bindings[param_from] = (key, "from")
    bindings[param_to] = (key, "to")
    first = _first_time(param_from) | _first_time(param_to)
    if first and (param_from in st.query_params or param_to in st.query_params):
        lo, d1 = deeplink.clean_single(st.query_params.get(param_from), options)
        hi, d2 = deeplink.clean_single(st.query_params.get(param_to), options)
        if d1 or d2:
            _note(param_from)
        lo = lo or options[0]
        hi = hi or options[-1]
        if options.index(lo) > options.index(hi):
            lo, hi = hi, lo
        st.session_state[key] = (lo, hi)


def bind_flag(param: str, key: str) -> None:
    """Tie a toggle/checkbox key to a "1" parameter; call before creating the widget."""
    st.session_state.setdefault(_BINDINGS, {})[param] = (key, "flag")
    if _first_time(param) and param in st.query_params:
        raw = st.query_params.get(param)
        if raw in ("1", "0", "true", "false"):
            st.session_state[key] = raw in ("1", "true")
        else:
            _note(param)


def show_notes() -> None:
    """Say once which link values were ignored (names only: the values themselves are never echoed)."""
    notes = st.session_state.get(_NOTES) or []
    if notes:
        names = ", ".join(sorted(set(notes)))
        st.info(
            f"Some values in the link were not recognised and were ignored ({names}).",
            icon=":material/link_off:",
        )
        st.session_state[_NOTES] = []


def write_url() -> None:
    """Rewrite the URL's query parameters from the bound widgets' current values."""
    state: dict[str, object] = {}
    for param, (key, kind) in st.session_state.get(_BINDINGS, {}).items():
        value = st.session_state.get(key)
        if kind == "from":
            value = value[0] if isinstance(value, (tuple, list)) and value else None
        elif kind == "to":
            value = value[1] if isinstance(value, (tuple, list)) and len(value) == 2 else None
        state[param] = value
    params = deeplink.encode_params(state)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = {k: (v if isinstance(v, list) else [v]) for k, v in params.items()}
    if current != wanted:
        st.query_params.from_dict(params)
