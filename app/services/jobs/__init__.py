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
from app.services.jobs.reports import (
    forget_old_files,
    in_background,
    now_or_later,
    report,
    start_report,
    still_there,
)

__all__ = [
    "JobError",
    "Progress",
    "finished_unseen_count",
    "forget_old_files",
    "in_background",
    "latest_unseen",
    "mark_seen",
    "now_or_later",
    "report",
    "retry",
    "run",
    "runner",
    "start_report",
    "still_there",
    "submit",
]
