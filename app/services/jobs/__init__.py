"""Background jobs: long work recorded in the database (progress, per-row failures, retries),
run on Celery workers when a broker is configured and in this process otherwise."""

from app.services.jobs.queue import (
    JobError,
    Progress,
    finished_unseen_count,
    latest_unseen,
    mark_seen,
    retry,
    run,
    runner,
    submit,
)

__all__ = [
    "JobError",
    "Progress",
    "finished_unseen_count",
    "latest_unseen",
    "mark_seen",
    "retry",
    "run",
    "runner",
    "submit",
]
