"""Presentation mode's deck: five views that matter in a meeting, one per screen, each a link.

Steps: headline figures; top themes with their change; a chosen theme's redacted quotes; who is
missing; plan progress. Previous/Next buttons and the arrow keys move between them; `?present=1&step=N`
reopens a step. Every number comes from the same analysis functions as the pages (already redacted
and suppressed); nothing from the data is rendered as Markdown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from analysis.charts import plan as plan_charts
from analysis.charts import voices as voice_charts
from analysis.charts.themes import theme_bar_chart
from analysis.findings.overview import headline_figures
from analysis.plan import progress
from analysis.report.sections import change_finding, theme_findings
from analysis.voices import participation
from ui import deeplink, voices
from ui import plan as plan_ui
from ui import themes as tu
from ui.context import PageContext, get_context
from ui.widgets import chart_alt_text, headline_metrics, md_safe

log = logging.getLogger(__name__)

STEP_KEY = "deck_step"
THEME_KEY = "deck_theme"
CHART_HEIGHT = 400  # fits a 1280x720 screen with the step's heading, buttons and one sentence
TOP_THEMES = 6
QUOTES = 3

# Static script, never built from data: the arrow keys press the deck's own buttons.
_KEYS_JS = """
<script>
const doc = window.parent.document;
// Streamlit may insert this script again on any rerun: each copy replaces the previous listener.
if (doc.__deckKeys) doc.removeEventListener("keydown", doc.__deckKeys, true);
doc.__deckKeys = (e) => {
  const tag = (e.target && e.target.tagName) || "";
  if (["INPUT", "TEXTAREA", "SELECT"].includes(tag) || e.altKey || e.ctrlKey || e.metaKey) return;
  const key = e.key === "ArrowRight" ? "deck_next" : e.key === "ArrowLeft" ? "deck_prev" : null;
  if (!key) return;
  const button = doc.querySelector(".st-key-" + key + " button");
  if (button && !button.disabled) { e.preventDefault(); button.click(); }
};
// Capture: a focused widget may stop the key before it reaches the document.
doc.addEventListener("keydown", doc.__deckKeys, true);
</script>
"""


def _go(step: int) -> None:
    st.session_state[STEP_KEY] = step


def _leave() -> None:
    st.session_state[deeplink.PRESENT_KEY] = False


def _fit(fig: go.Figure) -> go.Figure:
    """The figure at the deck's height, with room for long labels (never cut)."""
    fig.update_layout(height=CHART_HEIGHT, margin={"t": 60, "b": 60})
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


def _chart(fig: go.Figure, key: str) -> None:
    fig = _fit(fig)
    st.plotly_chart(fig, key=key, config={"displaylogo": False, "displayModeBar": False},
                    alt=f"Chart: {chart_alt_text(fig)}")  # fmt: skip


def _themes(ctx: PageContext):  # noqa: ANN202 - (view, summary) or (None, None)
    if ctx.withheld or ctx.responses.empty:
        return None, None
    view = tu.theme_view(ctx)
    return view, tu.summary(ctx, view, "share")


def step_headline(ctx: PageContext) -> None:
    """Headline figures and the findings in words."""
    figures = headline_figures(ctx.responses)
    headline_metrics(figures, people="People")
    _, summary = _themes(ctx)
    if summary is not None:
        for sentence in theme_findings(summary, ctx.selection.threshold)[:2]:
            st.text(sentence)


def step_themes(ctx: PageContext) -> None:
    """The most raised themes, with the change since the previous round said honestly."""
    _, summary = _themes(ctx)
    real = summary[~summary["special"] & (summary["answers"] > 0)].head(TOP_THEMES)
    st.text(change_finding(summary))
    _chart(theme_bar_chart(real), "deck_themes")


def step_quotes(ctx: PageContext) -> None:
    """A chosen theme's redacted answers (text only, never Markdown)."""
    view, summary = _themes(ctx)
    real = summary[~summary["special"] & (summary["answers"] > 0)]
    labels = dict(zip(real["theme_id"], real["theme"], strict=True))
    if not labels:
        st.info("No theme was raised in these answers.")
        return
    deeplink.bind_value("theme", THEME_KEY, list(labels))
    theme_id = st.selectbox("Theme", list(labels), format_func=labels.get, key=THEME_KEY)
    ids = tu.theme_response_ids(ctx, view, theme_id)
    table = tu.answers(ctx, view, ids, theme_id=theme_id, limit=200)
    short = table[table["answer"].str.len().between(30, 400)].head(QUOTES)
    for quote in short["answer"]:
        with st.container(border=True):
            st.text(str(quote).replace("«", "").replace("»", ""))
    st.caption(f"{len(ids):,} answers raise this theme; personal details are removed.")


def step_missing(ctx: PageContext) -> None:
    """Who is missing against the population, or why it cannot be assessed."""
    bench, note, error = voices.benchmark(ctx)
    if bench is None:
        st.info(md_safe(error or note))
        return
    tables = voices.representation_all(
        ctx.dataset_id, str(ctx.meta["content_hash"]), ctx.filters, bench
    )
    st.text(participation.missing_voices(tables, max_groups=2))
    under = [d for d, _ in participation.under_represented_groups(tables)]
    dim = (under or ["ethnicity"])[0]
    if dim in tables and not tables[dim].withheld:
        _chart(voice_charts.representation_figure(tables[dim], dim), "deck_missing")


def step_plan(ctx: PageContext) -> None:
    """Plan progress: status by area, overdue, and any past-due milestone still "on track"."""
    token = plan_ui.plan_token()
    if not plan_ui.dataset_uses_plan(ctx.dataset_id):
        st.info("This dataset has no Improvement Plan.")
        return
    milestones, _ = plan_ui.plan_tables(token)
    if milestones.empty:
        st.info("This dataset has no Improvement Plan.")
        return
    today = date.today()
    clash = progress.contradiction_sentence(progress.contradictions(milestones, today))
    flagged = progress.flag_milestones(milestones, today)
    done = int((flagged["status"] == "complete").sum())
    st.text(f"{done} of {len(flagged)} milestones complete; {int(flagged['overdue'].sum())} overdue "
            f"as of {today:%d %B %Y}.")  # fmt: skip
    if clash:
        st.warning(md_safe(clash))
    _chart(plan_charts.status_by_area_chart(progress.status_counts(milestones)), "deck_plan")


STEPS: tuple[tuple[str, Callable[[PageContext], None]], ...] = (
    ("Headline figures", step_headline),
    ("Top themes and their change", step_themes),
    ("In their words", step_quotes),
    ("Who is missing", step_missing),
    ("Improvement Plan progress", step_plan),
)


def render() -> None:
    """The deck: the current step, Previous/Next, arrow keys, and a way out of presentation mode."""
    numbers = list(range(1, len(STEPS) + 1))
    deeplink.bind_value("step", STEP_KEY, numbers, as_int=True)
    step = st.session_state.get(STEP_KEY)
    if step not in numbers:
        step = st.session_state[STEP_KEY] = 1
    title, draw = STEPS[step - 1]
    nav = st.columns([1, 1, 4, 2], vertical_alignment="center")
    nav[0].button("Previous", key="deck_prev", on_click=_go, args=(step - 1,), disabled=step == 1,
                  icon=":material/arrow_back:")  # fmt: skip
    nav[1].button("Next", key="deck_next", on_click=_go, args=(step + 1,), disabled=step == len(STEPS),
                  icon=":material/arrow_forward:")  # fmt: skip
    nav[2].caption(
        f"Step {step} of {len(STEPS)} · arrow keys move · the address is this step's link"
    )
    nav[3].button("Leave presentation", key="deck_leave", on_click=_leave)
    st.title(title)
    ctx = get_context()
    if ctx.withheld and step < len(STEPS):
        st.warning(md_safe(ctx.selection.message))
    else:
        draw(ctx)
    st.html(_KEYS_JS, unsafe_allow_javascript=True)
