"""Starting, running and retrying background jobs.

`submit` records a Job and starts it once the request's transaction commits (so the worker finds
the row): on a Celery worker when `CELERY_BROKER_URL` (or `REDIS_URL`) is set, otherwise in this
process (`JOBS_IN_PROCESS`: a thread, or "inline", at once inside the request, for tests). The same
`run` does the work everywhere. A runner reports each item to its `Progress`, which commits every
`JOB_CHUNK` items, together with what the runner recorded in `job.result`: so progress is visible
from any instance while it runs, and a retry after a failure or a crash skips what was committed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.domain import DomainError
from app.extensions import celery, db
from app.models import Job, JobStatus, utcnow
from app.services import audit

logger = logging.getLogger(__name__)
PENDING = "credwork_jobs_to_start"

Runner = Callable[[Job, "Progress"], None]
RUNNERS: dict[str, Runner] = {}


class JobError(DomainError):
    """A job cannot be started or retried (message is for the person)."""


def runner(kind: str) -> Callable[[Runner], Runner]:
    """Register the function that does the work of jobs of ``kind``."""

    def register(fn: Runner) -> Runner:
        RUNNERS[kind] = fn
        return fn

    return register


def _inline() -> bool:
    return not current_app.config.get("CELERY_BROKER_URL") and current_app.config.get("JOBS_IN_PROCESS") == "inline"


class Progress:
    """What a runner reports to: each item's outcome; saved every JOB_CHUNK items."""

    def __init__(self, job: Job, inline: bool):
        self.job = job
        self.inline = inline  # inside a request: its transaction is committed by the request
        self.chunk = max(1, int(current_app.config.get("JOB_CHUNK", 25)))
        self.since_save = 0
        self.after_save: list[Callable[[], Any]] = []

    def succeeded(self, then: Callable[[], Any] | None = None) -> None:
        """One item done; ``then`` runs once it is committed (an email about it, say)."""
        self.job.done += 1
        if then is not None:
            self.after_save.append(then)
        self._tick()

    def failed(self, row: int, label: str, message: str) -> None:
        self.job.failures = [*(self.job.failures or []), {"row": row, "label": label[:200], "message": message[:500]}]
        self._tick()

    def _tick(self) -> None:
        self.since_save += 1
        if self.since_save >= self.chunk:
            self.save()

    def save(self) -> None:
        if self.inline:
            db.session.flush()
        else:
            db.session.commit()
        self.since_save = 0
        waiting, self.after_save = self.after_save, []
        for then in waiting:
            then()
        if waiting and not self.inline:
            db.session.commit()  # what the follow-ups wrote (an emailed link's digest, say)


def submit(actor, org, kind: str, title: str, params: dict[str, Any], total: int) -> Job:
    """Record a job of ``kind`` and start it when this transaction commits."""
    if kind not in RUNNERS:
        raise ValueError(f"no runner for jobs of kind {kind!r}")
    job = Job(
        organisation_id=org.id,
        kind=kind,
        title=title[:300],
        created_by_id=getattr(actor, "id", None),
        total=total,
        params=params,
        result={},
        failures=[],
    )
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "job.started", job, f"Started: {job.title}", organisation=org)
    _start_after_commit(job)
    return job


def retry(actor, job: Job) -> None:
    """Run the job again: items that succeeded before are skipped (each runner keeps them in
    `job.result`), so a retried bulk award never issues twice."""
    if not job.may_retry:
        raise JobError("Only a job that stopped or had failed items can be retried")
    job.status = JobStatus.QUEUED
    job.finished_at = job.seen_at = None
    db.session.flush()
    audit.record(actor, "job.retried", job, f"Retried: {job.title}", organisation=job.organisation_id)
    _start_after_commit(job)


def _start_after_commit(job: Job) -> None:
    if _inline():
        run(job.id, inline=True)
        return
    db.session.info.setdefault(PENDING, []).append(job.id)


@event.listens_for(Session, "after_commit")
def _start_pending(session: Session) -> None:
    ids = session.info.pop(PENDING, None)
    for job_id in ids or []:
        _start(job_id)


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(PENDING, None)


def _start(job_id: int) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # LocalProxy's own method
    if app.config.get("CELERY_BROKER_URL"):
        celery.send_task("credwork.run_job", args=[job_id])  # app/services/jobs/tasks.py
    else:
        threading.Thread(target=run_in_app, args=(app, job_id), name=f"credwork-job-{job_id}", daemon=True).start()


def run_in_app(app, job_id: int) -> None:
    """Run a job in its own application context (a thread, a Celery task)."""
    with app.app_context():
        try:
            run(job_id)
        finally:
            db.session.remove()


def run(job_id: int, *, inline: bool = False) -> None:
    """Do the work of job ``job_id`` (nothing if it is unknown or already over), committing as it
    goes; ``inline`` (inside a request) only flushes, and the request commits."""
    job = db.session.get(Job, job_id)
    if job is None or job.is_over:
        return
    job.status = JobStatus.RUNNING
    job.started_at = utcnow()
    job.attempts += 1
    job.failures = []
    job.error = None
    progress = Progress(job, inline)
    progress.save()
    try:
        RUNNERS[job.kind](job, progress)
    except Exception as exc:  # the whole job stops; what was saved stays (and a retry skips it)
        logger.exception("job %s failed", job_id)
        if not progress.inline:
            db.session.rollback()
            job = db.session.get(Job, job_id) or job
        job.status = JobStatus.FAILED
        job.error = (str(exc) or type(exc).__name__)[:500]
    else:
        job.status = JobStatus.FINISHED
    job.finished_at = utcnow()
    progress.job = job
    progress.save()


# ---- reading jobs -------------------------------------------------------------------------


def mark_seen(job: Job) -> None:
    if job.is_over and job.seen_at is None:
        job.seen_at = utcnow()
        db.session.flush()


def finished_unseen_count(user) -> int:
    """Jobs ``user`` started that ended and that they have not looked at since: one query."""
    return (
        db.session.scalar(
            select(func.count(Job.id)).where(
                Job.created_by_id == user.id,
                Job.status.in_((JobStatus.FINISHED, JobStatus.FAILED)),
                Job.seen_at.is_(None),
            )
        )
        or 0
    )


def latest_unseen(user) -> Job | None:
    return db.session.scalar(
        select(Job)
        .where(
            Job.created_by_id == user.id,
            Job.status.in_((JobStatus.FINISHED, JobStatus.FAILED)),
            Job.seen_at.is_(None),
        )
        .order_by(Job.finished_at.desc(), Job.id.desc())
        .limit(1)
    )
