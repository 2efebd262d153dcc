"""The meeting-pack download: built only when asked, from the cached theme results and the plan.

Available to every role (viewers included): the pack holds only redacted, suppressed views. The
pack is a few MB, so it is made on a button press and cached briefly (bounded); session state holds
only what was asked for (the selection key and the time), never the document.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import TYPE_CHECKING

import streamlit as st

from analysis import privacy
from analysis.core import config
from analysis.report.pack import build_meeting_pack
from ui import plan as plan_ui
from ui import themes as tu
from ui import voices as voices_ui

if TYPE_CHECKING:
    import pandas as pd

    from ui.context import PageContext

log = logging.getLogger(__name__)

PACK_STATE = "pack_request"  # {"sel": selection key, "at": ISO time the user asked}


def file_name(dataset_name: str, when: datetime) -> str:
    """A safe download name: meeting-pack-<dataset>-<date>.html (letters, digits and dashes only)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", dataset_name).strip("-").lower()[:60] or "dataset"
    return f"meeting-pack-{slug}-{when:%Y-%m-%d}.html"


@st.cache_data(max_entries=2, ttl=900, show_spinner=False)
def _pack(
    view_key: str,
    sel_key: str,
    plan_token: str,
    bench_source: str,
    at: str,
    _ctx: PageContext,
    _view: tu.ThemeView | None,
    _plan: tuple[pd.DataFrame, pd.DataFrame],
    _bench: pd.DataFrame | None,
) -> str:
    """The pack's HTML; the named arguments are the cache key, the underscored ones its inputs."""
    del view_key, sel_key, plan_token  # cache key only

    milestones, history = _plan
    return build_meeting_pack(
        _ctx.responses,
        codebook=_view.codebook if _view is not None else tu.current_codebook(),
        theme_result=_view.result if _view is not None else None,
        milestones=milestones,
        history=history,
        benchmark=_bench,
        benchmark_note=bench_source,
        filters_description=_ctx.filters.describe(),
        dataset_name=_ctx.dataset_name,
        data_version=_ctx.data_version,
        generated_at=datetime.fromisoformat(at),
        threshold=privacy.effective_threshold(None),
        theme_history=tu.history_responses(_ctx),
        localities=list(_ctx.filters.localities) or None,
        selection=_ctx.selection,
    )


def _inputs(ctx: PageContext):  # noqa: ANN202
    """(theme view or None, plan token, (milestones, history), benchmark, its source)."""
    # The page's own themes, above the pack, already show a running job's progress.
    view = None if ctx.withheld or ctx.responses.empty else tu.theme_view(ctx, quiet=True)
    try:
        token = plan_ui.plan_token()
        # A dataset without a plan gets no plan section (never another dataset's plan).
        plan = (
            plan_ui.plan_tables(token)
            if plan_ui.dataset_uses_plan(ctx.dataset_id)
            else (None, None)
        )
        token = token if plan[0] is not None else "no plan"
    except Exception:  # noqa: BLE001 - the pack still has themes and voices without the plan
        log.warning("plan unavailable for the meeting pack", exc_info=True)
        token, plan = "none", (None, None)
    bench, source, error = voices_ui.benchmark(ctx)
    if error:
        log.info("meeting pack without a benchmark: %s", error)
    return view, token, plan, bench, source or "none"


def render_pack_download(ctx: PageContext) -> None:
    """A "Prepare meeting pack" button, then "Download meeting pack (HTML)" for the current view."""
    st.header("Meeting pack")
    st.caption(
        "One HTML file with the headline findings, the theme, voices and Improvement Plan charts and their "
        "tables, redacted example answers and the suppression rules. It opens offline and fetches nothing."
    )
    sel = tu.selection_key(ctx)
    request = st.session_state.get(PACK_STATE)
    if st.button("Prepare meeting pack", key="pack_prepare"):
        request = {"sel": sel, "at": datetime.now().astimezone().replace(microsecond=0).isoformat()}
        st.session_state[PACK_STATE] = request
    if not request or request.get("sel") != sel:
        return  # nothing asked for, or the filters changed since: prepare again
    view, token, plan, bench, source = _inputs(ctx)
    with st.spinner("Preparing the meeting pack…"):
        document = _pack(
            view.key if view else "none", sel, token, source, request["at"], ctx, view, plan, bench
        )
    when = datetime.fromisoformat(request["at"])
    st.download_button(
        "Download meeting pack (HTML)",
        document.encode("utf-8"),
        file_name=file_name(ctx.dataset_name, when),
        mime="text/html",
        key="pack_download",
        on_click="ignore",
    )
    st.caption(f"Prepared {when:%d %b %Y %H:%M}; suppression threshold {privacy.effective_threshold(None)} people"
               f" ({config.SUPPRESSED_MARK} marks hidden numbers).")  # fmt: skip
