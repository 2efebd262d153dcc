"""Voices: who took part, who is missing against the population, what seldom-heard groups say,
and co-production activity beyond surveys."""

from collections.abc import Callable

import streamlit as st

from ui import voices
from ui.context import PageContext, can_edit, get_context
from ui.widgets import md_safe, render_tabs

ctx = get_context()
st.title("Voices")
st.text(f"Dataset: {ctx.dataset_name} · {ctx.filters.describe()} · {ctx.period_label}")

check = voices.enough_people(ctx)
bench, source, bench_error = voices.benchmark(ctx)


def tables() -> dict:
    """The population comparisons (computed only when an open tab needs them)."""
    if check.withheld or bench is None:
        return {}
    return voices.representation_all(
        ctx.dataset_id, str(ctx.meta["content_hash"]), ctx.filters, bench
    )


def population_tab() -> None:
    if check.withheld:
        st.warning(md_safe(check.notice))
    elif bench_error:
        st.error(md_safe(bench_error))
    elif bench is None:
        st.info(md_safe(source))
    else:
        voices.render_population(ctx, tables(), source)
    if can_edit():
        voices.render_benchmark_upload()


def groups_tab() -> None:
    if check.withheld:
        st.warning(md_safe(check.notice))
    elif bench is None:
        st.info(md_safe(source or bench_error))
    else:
        voices.render_group_voices(ctx, tables())


def unless_withheld(render: Callable[[PageContext], None]) -> Callable[[], None]:
    """A tab that shows the notice (and no figure) when the selection is withheld."""

    def tab() -> None:
        if check.withheld:
            st.warning(md_safe(check.notice))
        else:
            render(ctx)

    return tab


render_tabs(
    "vo_tab",
    [
        ("Who took part", unless_withheld(voices.render_who)),
        ("Against the population", population_tab),
        ("Over rounds", unless_withheld(voices.render_rounds)),
        ("Intersections", unless_withheld(voices.render_intersections)),
        ("What they raise", groups_tab),
        ("Engagement log", lambda: voices.render_engagement(can_edit())),
    ],
)
if not check.withheld:
    voices.download_all(ctx, bench)
