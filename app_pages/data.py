"""Data: upload a survey export, check its column mapping and validation report, save and manage datasets."""

import streamlit as st

from analysis import ingest, store
from analysis.core.schema import ValidationError
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
        data = uploaded.getvalue()
        key = data_upload.upload_key(data)
        raw, error = data_upload.safe_read(data, uploaded.name)
        if error:
            st.error(md_safe(f"This file cannot be used: {error}"))
        else:
            st.text(
                f"Read {len(raw.frame):,} rows and {raw.frame.shape[1]} columns"
                + (f" (encoding {raw.encoding})" if raw.encoding else "")
                + (f" from sheet {raw.sheet!r}" if raw.sheet else "")
            )
            st.markdown("**Column mapping** (suggested; correct it if needed)")
            mapping = data_upload.mapping_editor(raw, key)
            try:
                df, report = ingest.to_responses(raw, mapping)
            except ValidationError as exc:
                df, report = None, None
                st.error(md_safe(exc))
            if report is not None:
                st.markdown("**Validation report**")
                c = st.columns(4)
                c[0].metric("Answers that will load", f"{report.answers:,}")
                c[1].metric("No content (blank, N/A...)", f"{report.no_content:,}")
                c[2].metric("Rows rejected", f"{report.rejected_rows:,}")
                c[3].metric("Duplicated rows (kept)", f"{report.duplicates:,}")
                problems, rows = data_upload.report_tables(report)
                if not problems.empty:
                    st.dataframe(problems, hide_index=True, key="upload_problems")
                if not rows.empty:
                    with st.expander(f"Row problems ({len(report.row_problems):,})"):
                        st.dataframe(rows, hide_index=True, key="upload_row_problems")
                with st.expander("Preview of the answers as they will be saved"):
                    st.dataframe(df.head(50), hide_index=True, key="upload_preview")
                with st.form("save_dataset"):
                    default_name = uploaded.name.rsplit(".", 1)[0][:80]
                    name = st.text_input(
                        "Dataset name", value=default_name, max_chars=200, key="save_name"
                    )
                    submitted = st.form_submit_button(
                        "Save dataset", type="primary", disabled=not report.usable
                    )
                if submitted:
                    try:
                        new_id = store.save_dataset(
                            name,
                            df,
                            report=report.to_dict(),
                            mapping=report.mapping,
                            source_filename=uploaded.name,
                            created_by=auth.editor_name(),
                        )
                    except store.StoreError as exc:
                        st.error(md_safe(exc))
                    else:
                        request_dataset(new_id)
                        queued = start_classification(new_id)
                        st.session_state["saved_message"] = (
                            f"Saved {report.answers:,} answers as dataset {name!r}. It is now selected."
                            + (
                                " Its themes are being worked out in the background."
                                if queued
                                else ""
                            )
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
