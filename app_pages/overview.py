"""Overview: headline figures, answers per round by respondent type, headline themes, data quality."""

import streamlit as st

from analysis.charts.overview import answers_by_round_chart
from analysis.findings import overview, spc, spc_series
from ui import cache
from ui.context import get_context, show_withheld
from ui.meeting_pack import render_pack_download
from ui.spc_view import render_xmr
from ui.themes import headline_themes
from ui.widgets import chart_with_table, headline_metrics, link_to_page, md_safe

ctx = get_context()
st.title("Overview")
st.caption(md_safe(f"Dataset: {ctx.dataset_name} · {ctx.filters.describe()} · {ctx.period_label}"))
if show_withheld(ctx):  # no figure at all, not even the headline counts
    render_pack_download(ctx)
    st.stop()
tables = cache.overview_tables(ctx.dataset_id, str(ctx.meta["content_hash"]), ctx.filters)

figures = tables["figures"]
headline_metrics(figures)

st.header("Answers per round")
chart_with_table(
    answers_by_round_chart(tables["round_values"]),
    tables["round_display"],
    key="answers_by_round",
    caption=f"n = {figures['answers']:,} answers, {ctx.period_label}.",
)

st.header("Answers per month, as a process control chart")
x_title = spc_series.period_word(ctx.responses, ctx.selection.threshold)
render_xmr(spc.monthly_volume(ctx.responses, ctx.selection.threshold), "answers per month",
           "Answers", key="answers_per_month")  # fmt: skip

st.header("Mean rating over time, as a process control chart")
rating_target = st.number_input("Target mean rating (optional: gives the assurance icon)",
                                value=None, step=0.1, key="rating_target")  # fmt: skip
render_xmr(spc_series.rating_xmr(ctx.responses, ctx.selection.threshold), "mean rating",
           "Mean rating", key="rating_per_period", x_title=x_title, better="higher",
           target=rating_target)  # fmt: skip

st.header("What people raised most")
top = headline_themes(ctx)
for note in top["round_note"].dropna().unique():
    st.warning(md_safe(note))
st.dataframe(
    top.drop(columns=["theme_id", "round_note"]).rename(columns={
        "share_pct": "% of answers", "change_pp": "change since previous round (points)",
        "mean_sentiment": "mean sentiment (-1 to 1)", "negative_pct": "% negative",
        "sub_themes": "sub-themes included"}),
    hide_index=True, key="headline_themes",
)  # fmt: skip
st.caption(f"The five main themes raised in the most answers (each counts its sub-themes' answers), "
           f"{md_safe(ctx.period_label)}. Volume is not importance: "
           "sort by change or negativity, or open a theme's sub-themes, on the Themes page.")  # fmt: skip
link_to_page("app_pages/themes.py", "Explore every theme on the Themes page", ":material/category:")

st.header("Data quality")
st.caption(
    "How complete each column is for the selected answers, and what the upload check reported."
)
st.dataframe(
    overview.ingest_summary(ctx.meta.get("report_json")), hide_index=True, key="ingest_report"
)
st.dataframe(tables["quality"], hide_index=True, key="quality")

render_pack_download(ctx)
