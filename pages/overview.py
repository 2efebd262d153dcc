"""Overview: headline figures, answers per round by respondent type, and data quality."""

import streamlit as st

from analysis import overview
from analysis.charts.overview import answers_by_round_chart
from ui.context import get_context
from ui.widgets import chart_with_table

ctx = get_context()
st.title("Overview")
st.caption(f"Dataset: {ctx.dataset_name} · {ctx.filters.describe()} · {ctx.period_label}")

figures = overview.headline_figures(ctx.responses)
cols = st.columns(4)
cols[0].metric("Answers", f"{figures['answers']:,}")
cols[1].metric("Respondents", f"{figures['respondents']:,}")
cols[2].metric("Survey rounds", figures["rounds"])
cols[3].metric("Respondent types", figures["respondent_types"])

st.subheader("Answers per round")
table = overview.answers_by_round_and_type(ctx.responses)
chart_with_table(
    answers_by_round_chart(table),
    table.reset_index(),
    key="answers_by_round",
    caption=f"n = {figures['answers']:,} answers, {ctx.period_label}.",
)

st.subheader("Data quality")
report = ctx.meta.get("report_json")
st.dataframe(overview.data_quality(ctx.responses), hide_index=True, key="quality")
