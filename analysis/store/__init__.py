"""The store: the database connection, its schema migrations and the datasets held in it,
stored classification results (`store.results`) and the jobs that make them (`store.jobs`).

SQLite by default, PostgreSQL for a team. The tables are described in the submodules
(`store.datasets.responses`, `store.database.access_log`) and made only by the migrations in
`analysis/store/migrations` (`store.migrate` applies them at start-up or by command).
"""

from analysis.store import jobs, queue_tables, results, snapshots
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
from analysis.store.mappings import RememberedMapping, recall_mapping, remember_mapping
from analysis.store.migrate import (
    NewerStoreError,
    SchemaStatus,
    head_revision,
    schema_status,
    upgrade_store,
)

__all__ = [
    "METADATA",
    "NewerStoreError",
    "RememberedMapping",
    "SchemaStatus",
    "StoreError",
    "access_log",
    "content_hash",
    "dataset_id_by_name",
    "delete_dataset",
    "ensure_tables",
    "explain_failure",
    "get_dataset_meta",
    "get_engine",
    "head_revision",
    "jobs",
    "list_datasets",
    "load_dataset",
    "log_access",
    "now_utc",
    "queue_tables",
    "results",
    "recall_mapping",
    "remember_mapping",
    "run_in_store",
    "save_dataset",
    "schema_status",
    "snapshots",
    "store_failure",
    "upgrade_store",
]
