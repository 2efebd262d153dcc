"""Background work: classification jobs recorded in the store and run by the task queue's workers.

`run.request_classification` records a job (and hands it to the queue; `run.current_job` only
looks it up), `run.run_job` runs one in a worker, `run.stored_result` reads a done job's results back
(`run.interim_result`: the last ones, with new judgements applied, while a job runs); `queue` is the
task queue (huey on the store's own database) and its worker loop.
"""

from analysis.jobs.run import (
    STALE_AFTER_S,
    Request,
    current_job,
    interim_base,
    interim_result,
    request_classification,
    run_job,
    stored_result,
    worker_name,
)

__all__ = [
    "STALE_AFTER_S",
    "Request",
    "current_job",
    "interim_base",
    "interim_result",
    "request_classification",
    "run_job",
    "stored_result",
    "worker_name",
]
