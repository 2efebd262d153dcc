"""The store: the database connection and the datasets held in it (SQLite by default, PostgreSQL for a team).

The tables themselves are in the submodules (`store.datasets.responses`, `store.database.access_log`).
"""

from analysis.store.database import (
    METADATA,
    StoreError,
    access_log,
    ensure_tables,
    explain_failure,
    get_engine,
    log_access,
    now_utc,
    run_in_store,
    store_failure,
)
from analysis.store.datasets import (
    content_hash,
    dataset_id_by_name,
    delete_dataset,
    get_dataset_meta,
    list_datasets,
    load_dataset,
    save_dataset,
)

__all__ = [
    "METADATA",
    "StoreError",
    "access_log",
    "content_hash",
    "dataset_id_by_name",
    "delete_dataset",
    "ensure_tables",
    "explain_failure",
    "get_dataset_meta",
    "get_engine",
    "list_datasets",
    "load_dataset",
    "log_access",
    "now_utc",
    "run_in_store",
    "save_dataset",
    "store_failure",
]
