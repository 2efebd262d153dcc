"""Voices: who took part, who is missing against the population, what seldom-heard groups say,
and co-production activity beyond surveys."""

import streamlit as st

from ui import voices
from ui.context import can_edit, get_context

ctx = get_context()
st.title("Voices")
st.text(f"Dataset: {ctx.dataset_name} · {ctx.filters.describe()} · {ctx.period_label}")

who, population, rounds, crossed, groups, log = st.tabs(
    ["Who took part", "Against the population", "Over rounds", "Intersections", "What they raise",
     "Engagement log"]
)  # fmt: skip
check = voices.enough_people(ctx)
bench, source, bench_error = voices.benchmark()
tables = {}
if not check.withheld and bench is not None:
    tables = voices.representation_all(ctx.dataset_id, str(ctx.meta["content_hash"]), ctx.filters, bench)

with who:
    voices.render_who(ctx)
with population:
    if check.withheld:
        st.warning(check.notice)
    elif bench_error:
        st.error(bench_error)
    else:
        voices.render_population(ctx, tables, source)
    if can_edit():
        voices.render_benchmark_upload()
with rounds:
    voices.render_rounds(ctx)
with crossed:
    voices.render_intersections(ctx)
with groups:
    if check.withheld:
        st.warning(check.notice)
    else:
        voices.render_group_voices(ctx, tables)
with log:
    voices.render_engagement(can_edit())
if not check.withheld:
    voices.download_all(ctx, tables)
