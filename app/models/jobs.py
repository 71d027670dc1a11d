"""Background jobs: long work (a bulk award, a batch of checks) recorded in the database, so its
progress survives restarts and shows on any app instance, its failures are reported per row, and
it can be retried."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.models.base import CreatedAtMixin, Model, TenantOwned, UTCDateTime


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


JOB_STATUS_LABELS = {"queued": "Waiting to start", "running": "Running", "finished": "Finished", "failed": "Stopped"}
JOB_STATUS_COLOURS = {"queued": "grey", "running": "blue", "finished": "green", "failed": "red"}


class Job(TenantOwned, CreatedAtMixin, Model):
    """One piece of background work, started by a person in an organisation."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'finished', 'failed')", name="status"),
        Index("ix_jobs_created_by_status", "created_by_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # what runs it (app.services.jobs.registry)
    title: Mapped[str] = mapped_column(String(300))  # for people: "Award Data Analysis to 300 learners"
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)  # items that succeeded, across every attempt
    # Items that failed in the latest attempt: [{"row": n, "label": "...", "message": "..."}].
    failures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # What the work needs (the kind decides), and what it made so far (also what a retry skips).
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the person who started it saw it finished (until then it is a to-do on their dashboard).
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(500))  # why the whole job stopped, if it did
    # A file the job made (a PDF report), for its starter to download; loaded only when sent.
    output_name: Mapped[str | None] = mapped_column(String(255))
    output_type: Mapped[str | None] = mapped_column(String(100))
    output: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    created_by = relationship("User")

    @property
    def is_over(self) -> bool:
        return self.status in (JobStatus.FINISHED, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.is_over else 0
        return min(100, int(100 * (self.done + len(self.failures or [])) / self.total))

    @property
    def status_label(self) -> str:
        return JOB_STATUS_LABELS.get(self.status, self.status)

    @property
    def status_colour(self) -> str:
        return JOB_STATUS_COLOURS.get(self.status, "grey")

    @property
    def may_retry(self) -> bool:
        return self.is_over and (self.status == JobStatus.FAILED or bool(self.failures))

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status} {self.done}/{self.total}>"
