"""Data: upload a survey export, check its column mapping and validation report, save and manage datasets."""

import streamlit as st

from analysis import store
from analysis.store import uploads
from ui import auth, cache, data_upload
from ui.context import can_edit, request_dataset
from ui.jobs import start_classification
from ui.widgets import md_safe

st.title("Data")
st.caption(
    "Upload a survey export (CSV or XLSX), check how its columns map, and save it as a named dataset."
)

if "saved_message" in st.session_state:
    st.success(md_safe(st.session_state.pop("saved_message")))

if can_edit():
    st.header("Upload a survey export")
    uploaded = st.file_uploader(
        "CSV or XLSX file", type=["csv", "tsv", "txt", "xlsx"], key="upload_file"
    )
    if uploaded is not None:
        key = data_upload.upload_key(uploaded.getvalue())
        raw, error = data_upload.safe_read(uploaded.getvalue(), uploaded.name)
        if error:
            st.error(md_safe(f"This file cannot be used: {error}"))
        else:
            data_upload.describe_read(raw)
            choices = data_upload.upload_form(raw, key)
            preview = uploads.prepare_upload(raw, choices)
            data_upload.show_preview(preview)
            new_id = data_upload.save_form(raw, preview, uploaded.name)
            if new_id is not None:
                request_dataset(new_id)
                queued = start_classification(new_id)
                st.session_state["saved_message"] = (
                    f"Saved {preview.report.answers:,} answers as dataset {st.session_state['save_name']!r}; "
                    "its column mapping is remembered for the next file with the same or close columns. "
                    "It is now selected."
                    + (" Its themes are being worked out in the background." if queued else "")
                )
                st.rerun()
else:
    st.info("Your role can view datasets but not upload them.")

st.header("Datasets")
try:
    datasets = cache.dataset_list()
except store.StoreError as exc:
    st.error(md_safe(auth.problem_text(exc)))
    st.stop()
if datasets.empty:
    st.info("No datasets yet.")
else:
    shown = datasets[
        [
            "dataset_id",
            "name",
            "created_at",
            "created_by",
            "n_answers",
            "n_rejected",
            "source_filename",
        ]
    ]
    st.dataframe(
        shown.rename(columns={"n_answers": "answers", "n_rejected": "rejected rows"}),
        hide_index=True,
        key="datasets_table",
    )
    names = dict(zip(datasets["dataset_id"].astype(int), datasets["name"]))
    c1, c2 = st.columns(2)
    with c1:
        pick = st.selectbox(
            "Choose a dataset", options=list(names), format_func=names.get, key="data_pick"
        )
        if st.button("Use this dataset", key="data_use"):
            request_dataset(pick)
            st.rerun()
    if can_edit("manage_datasets"):
        with c2:
            victim = st.selectbox(
                "Delete a dataset",
                options=list(names),
                format_func=names.get,
                key="data_delete_pick",
            )
            confirm = st.checkbox("Yes, delete it and all its answers", key="data_delete_confirm")
            if st.button("Delete", disabled=not confirm, key="data_delete"):
                store.delete_dataset(int(victim))
                store.log_access(auth.editor_name(), "delete dataset", names[victim])
                st.session_state["saved_message"] = f"Deleted {names[victim]!r}."
                st.rerun()
