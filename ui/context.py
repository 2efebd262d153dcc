"""The shared sidebar (dataset and filters) and the context every page reads.

Widget state lives in st.session_state under the keys in `KEYS`; pages call `get_context()` and so
honour the same dataset and filters. A page run on its own (AppTest) falls back to the demo dataset.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis.core.filters import Filters, period_label
from analysis.core.memo import FrameMemo
from analysis.privacy import SelectionCheck
from analysis.store import StoreError
from ui import auth, cache, deeplink
from ui.widgets import md_safe

# The period caption of a shared selection, worked out once per selection (not on every rerun).
_PERIODS = FrameMemo(16)

KEY_DATASET = "f_dataset"
KEY_ROUNDS = "f_rounds"
KEY_TYPES = "f_types"
KEY_SERVICES = "f_services"
KEY_LOCALITIES = "f_localities"
KEYS = (KEY_DATASET, KEY_ROUNDS, KEY_TYPES, KEY_SERVICES, KEY_LOCALITIES)


@dataclass
class PageContext:
    """What a page needs: the chosen dataset, its filtered answers, and how they were chosen."""

    dataset_id: int
    dataset_name: str
    meta: dict
    all_responses: pd.DataFrame
    responses: pd.DataFrame
    filters: Filters
    period_label: str
    data_version: str
    selection: SelectionCheck  # whether anything about the chosen answers may be shown

    @property
    def withheld(self) -> bool:
        """True when the privacy rule withholds the selection (then `responses` has no rows)."""
        return self.selection.withheld


def can_edit(permission: str = "upload") -> bool:
    """True when the current role allows `permission` (an editing action) and we are not presenting.

    A page script run on its own (AppTest) has no role yet and is treated as an editor.
    """
    from analysis.core.roles import allowed

    role = st.session_state.get("role", "editor")
    return allowed(role, permission) and not st.session_state.get("present", False)


def can_view_unredacted() -> bool:
    """Only admins may see unredacted answers (and each view is logged by the caller)."""
    from analysis.core.roles import allowed

    return allowed(
        st.session_state.get("role", "viewer"), "view_unredacted"
    ) and not st.session_state.get("present", False)


def _datasets() -> pd.DataFrame:
    cache.demo_dataset_id()
    return cache.dataset_list()


def chosen_dataset_id(datasets: pd.DataFrame) -> int:
    """The dataset the sidebar chose, or the demo (or newest) when none or a stale one is chosen."""
    ids = [int(i) for i in datasets["dataset_id"]]
    chosen = st.session_state.get(KEY_DATASET)
    if chosen in ids:
        return int(chosen)
    return default_dataset_id(datasets)


def default_dataset_id(datasets: pd.DataFrame) -> int:
    """The dataset a visitor who chose none sees: the demo, or the newest when it was deleted."""
    ids = [int(i) for i in datasets["dataset_id"]]
    demo_id = cache.demo_dataset_id()
    return demo_id if demo_id in ids else ids[0]


KEY_PENDING_DATASET = "_pending_dataset"


def request_dataset(dataset_id: int) -> None:
    """Ask the sidebar to select a dataset on the next run (a widget's key cannot be set after it renders)."""
    st.session_state[KEY_PENDING_DATASET] = int(dataset_id)


def render_sidebar() -> None:
    """The dataset picker, filters and presentation switch shared by every page."""
    deeplink.bind_flag(deeplink.PRESENT_KEY, deeplink.PRESENT_KEY)
    st.sidebar.toggle(
        "Presentation mode",
        key=deeplink.PRESENT_KEY,
        help="Large type, one finding per screen, editing and uploads hidden. The link keeps it on.",
    )
    pending = st.session_state.pop(KEY_PENDING_DATASET, None)
    if pending is not None:
        st.session_state[KEY_DATASET] = pending
    try:
        datasets = _datasets()
    except StoreError as exc:
        st.sidebar.error(md_safe(auth.problem_text(exc)))
        return
    if datasets.empty:
        st.sidebar.info("No datasets yet: upload one on the Data page.")
        return
    names = dict(zip(datasets["dataset_id"].astype(int), datasets["name"]))
    deeplink.bind_value("ds", KEY_DATASET, list(names), as_int=True)
    current = chosen_dataset_id(datasets)
    if st.session_state.get(KEY_DATASET) not in names:
        st.session_state[KEY_DATASET] = current
    st.sidebar.selectbox(
        "Dataset", options=list(names), format_func=lambda i: names.get(i, str(i)), key=KEY_DATASET
    )
    meta = datasets.loc[datasets["dataset_id"] == st.session_state[KEY_DATASET]].iloc[0]
    options = cache.filter_options(int(meta["dataset_id"]), str(meta["content_hash"]))
    st.sidebar.caption("Filters apply to every page.")
    rounds = options["round"]
    if len(rounds) >= 2:
        deeplink.bind_range("from", "to", KEY_ROUNDS, rounds)
        value = st.session_state.get(KEY_ROUNDS)
        if not (
            isinstance(value, (tuple, list)) and len(value) == 2 and all(v in rounds for v in value)
        ):
            st.session_state[KEY_ROUNDS] = (rounds[0], rounds[-1])
        st.sidebar.select_slider("Survey rounds", options=rounds, key=KEY_ROUNDS)
    for key, label, col, param in (
        (KEY_TYPES, "Respondent type", "respondent_type", "type"),
        (KEY_SERVICES, "Service", "service", "service"),
        (KEY_LOCALITIES, "Locality", "locality", "locality"),
    ):
        choices = options[col]
        if not choices:
            continue
        deeplink.bind_list(param, key, choices)
        kept = [v for v in st.session_state.get(key, []) or [] if v in choices]
        st.session_state[key] = kept
        st.sidebar.multiselect(label, options=choices, key=key, placeholder="All")


def current_filters(rounds: list[str]) -> Filters:
    """The sidebar's filters as a Filters value (defaults when the sidebar has not run)."""
    chosen = st.session_state.get(KEY_ROUNDS)
    round_from = round_to = None
    if isinstance(chosen, (tuple, list)) and len(chosen) == 2 and rounds:
        lo, hi = chosen
        if lo in rounds and hi in rounds and (lo, hi) != (rounds[0], rounds[-1]):
            round_from, round_to = lo, hi
    return Filters(
        round_from=round_from,
        round_to=round_to,
        respondent_types=tuple(st.session_state.get(KEY_TYPES) or ()),
        services=tuple(st.session_state.get(KEY_SERVICES) or ()),
        localities=tuple(st.session_state.get(KEY_LOCALITIES) or ()),
    )


def get_context() -> PageContext:
    """The chosen dataset and its filtered answers; stops the page with a message when unusable."""
    try:
        datasets = _datasets()
    except StoreError as exc:
        st.error(md_safe(auth.problem_text(exc)))
        st.stop()
    if datasets.empty:
        st.info("There is no dataset yet. Upload one on the Data page.")
        st.stop()
    dataset_id = chosen_dataset_id(datasets)
    meta = datasets.loc[datasets["dataset_id"] == dataset_id].iloc[0].to_dict()
    try:
        cache.responses_for(dataset_id, str(meta["content_hash"]))
    except StoreError as exc:
        st.error(md_safe(auth.problem_text(exc)))
        st.stop()
    return build_context(
        meta, current_filters(cache.filter_options(dataset_id, str(meta["content_hash"]))["round"])
    )


def build_context(meta: dict, filters: Filters) -> PageContext:
    """The context of one dataset (a row of the store's dataset list) under `filters`, from the
    shared caches: what a page with those sidebar choices reads (StoreError when the store fails)."""
    dataset_id = int(meta["dataset_id"])
    content = str(meta["content_hash"])
    all_responses = cache.responses_for(dataset_id, content)
    selection = cache.selection_check(dataset_id, content, filters)
    responses = cache.filtered_responses(dataset_id, content, filters)
    return PageContext(
        dataset_id=dataset_id,
        dataset_name=str(meta["name"]),
        meta=meta,
        all_responses=all_responses,
        responses=responses,
        filters=filters,
        # The rounds a withheld selection spans are a fact about it too: not shown.
        period_label="period not shown"
        if selection.withheld
        else _PERIODS.get_or_compute((responses,), "period", lambda: period_label(responses)),
        data_version=str(meta["content_hash"])[:12],
        selection=selection,
    )


def show_withheld(ctx: PageContext) -> bool:
    """When the privacy rule withholds the selection: say so (no figure) and return True."""
    if not ctx.withheld:
        return False
    st.info(ctx.selection.message)
    return True
