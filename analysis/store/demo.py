"""The demo dataset the app opens on: loaded once from config.DEMO_RESPONSES into the store."""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine

from analysis import store
from analysis.core import config
from analysis.ingest.exports import load_responses

log = logging.getLogger(__name__)


def ensure_demo_dataset(engine: Engine | None = None) -> int:
    """Return the id of the demo dataset, loading and saving it first when the store lacks it."""
    engine = engine or store.get_engine()
    existing = store.dataset_id_by_name(config.DEMO_DATASET_NAME, engine=engine)
    if existing is not None:
        return existing
    responses, report = load_responses(config.DEMO_RESPONSES)
    if report.problems:
        log.warning("demo data: %s", "; ".join(report.problems))
    try:
        return store.save_dataset(
            config.DEMO_DATASET_NAME,
            responses,
            report=report.to_dict(),
            mapping=report.mapping,
            source_filename=config.DEMO_RESPONSES.name,
            created_by="demo",
            engine=engine,
        )
    except store.StoreError:
        # Another process (a second app session) may have saved it between our check and our save.
        existing = store.dataset_id_by_name(config.DEMO_DATASET_NAME, engine=engine)
        if existing is not None:
            return existing
        raise
