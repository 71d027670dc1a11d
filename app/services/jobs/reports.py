"""Reports over large data made in the background: a PDF that takes seconds to build (a cohort of
two hundred apprentices, a panel of fifty candidates) is a job whose file is kept on its record
for the person who asked, instead of a request that holds a web worker.

Each feature registers how to build its report (`@report("cohort_report")`: a function of the
job's params returning the file's bytes and name) and asks `now_or_later`, which builds it at once
when it covers few rows (`in_background` says when it is large) and otherwise records a job that
builds it with the same params.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import update

from app.extensions import db
from app.models import Job, utcnow
from app.services.jobs.queue import Progress, runner, submit

REPORT_JOB = "report"
Builder = Callable[[dict[str, Any]], tuple[bytes, str]]  # params -> (PDF bytes, file name)
BUILDERS: dict[str, Builder] = {}
KEEP_DAYS = 14  # a report's file is kept this long on its job


def report(name: str) -> Callable[[Builder], Builder]:
    """Register how to build the report ``name`` from a job's params."""

    def register(fn: Builder) -> Builder:
        BUILDERS[name] = fn
        return fn

    return register


def still_there(model, row_id, what: str):
    """The ``model`` row a report's params name, loaded by id (the route that started the job
    checked access); a report on something deleted since fails with "The <what> no longer exists"."""
    found = db.session.get(model, row_id)
    if found is None:
        raise LookupError(f"The {what} no longer exists")
    return found


def in_background(rows: int) -> bool:
    """Whether a report over ``rows`` rows (apprentices, candidates...) is made as a job."""
    return rows > int(current_app.config.get("REPORT_IN_BACKGROUND_OVER", 50))


def start_report(actor, org, name: str, title: str, params: dict[str, Any]) -> Job:
    """Make the report ``name`` in the background; its page offers the file when it is ready."""
    if name not in BUILDERS:
        raise ValueError(f"no report called {name!r}")
    return submit(actor, org, REPORT_JOB, title, {"report": name, **params}, total=1)


def now_or_later(actor, org, name: str, title: str, params: dict[str, Any], *, rows: int) -> tuple[bytes, str] | Job:
    """The report ``name`` as (bytes, file name) made now, or, over many ``rows``, the job making it."""
    if in_background(rows):
        return start_report(actor, org, name, title, params)
    return BUILDERS[name](params)


@runner(REPORT_JOB)
def _make_report(job: Job, progress: Progress) -> None:
    body, filename = BUILDERS[job.params["report"]](job.params)
    job.output, job.output_name, job.output_type = body, filename, "application/pdf"
    progress.succeeded()


def forget_old_files(days: int = KEEP_DAYS) -> int:
    """Drop the files of reports made more than ``days`` days ago (the job's record stays)."""
    result = db.session.execute(
        update(Job)
        .where(Job.output_name.is_not(None), Job.finished_at < utcnow() - timedelta(days=days))
        .values(output=None, output_name=None, output_type=None)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]  # an UPDATE's CursorResult
