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
if overview.too_few_people(ctx.responses):
    st.info("These filters select fewer people than the smallest group we show, so there is no breakdown.")
    st.stop()
values, display = overview.answers_by_round_suppressed(ctx.responses)
chart_with_table(
    answers_by_round_chart(values),
    display,
    key="answers_by_round",
    caption=f"n = {figures['answers']:,} answers, {ctx.period_label}.",
)

st.subheader("Data quality")
st.caption("How complete each column is for the selected answers, and what the upload check reported.")
st.dataframe(overview.ingest_summary(ctx.meta.get("report_json")), hide_index=True, key="ingest_report")
st.dataframe(overview.data_quality(ctx.responses), hide_index=True, key="quality")
