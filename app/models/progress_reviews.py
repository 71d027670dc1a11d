"""The off-the-job log and tripartite progress reviews.

A confirmed off-the-job entry and a signed (locked) review never change: the services refuse,
and a correction is a new entry that refers to the old one.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.off_the_job import hours
from app.models.base import CreatedAtMixin, Model, UTCDateTime


class ActivityType(StrEnum):
    TAUGHT_LEARNING = "taught_learning"
    PRACTICAL_TRAINING = "practical_training"
    SHADOWING = "shadowing"
    MENTORING = "mentoring"
    ASSIGNMENTS = "assignments"
    INDUSTRY_VISITS = "industry_visits"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ACTIVITY_LABELS[self]


ACTIVITY_LABELS = {
    ActivityType.TAUGHT_LEARNING: "Taught learning",
    ActivityType.PRACTICAL_TRAINING: "Practical training",
    ActivityType.SHADOWING: "Shadowing",
    ActivityType.MENTORING: "Mentoring",
    ActivityType.ASSIGNMENTS: "Assignments",
    ActivityType.INDUSTRY_VISITS: "Industry visits",
    ActivityType.OTHER: "Other",
}


class OffTheJobEntry(CreatedAtMixin, Model):
    """Time spent on off-the-job training on one day: a start and end time, or just a duration."""

    __tablename__ = "off_the_job_entries"
    __table_args__ = (
        CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes_range"),
        CheckConstraint("counts OR not_counting_reason IS NOT NULL", name="reason_when_not_counting"),
        Index("ix_off_the_job_entries_apprenticeship_day", "apprenticeship_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    apprenticeship_id: Mapped[int] = mapped_column(ForeignKey("apprenticeships.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[time | None] = mapped_column(Time)
    ends_at: Mapped[time | None] = mapped_column(Time)
    minutes: Mapped[int] = mapped_column()
    activity: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(2000))
    counts: Mapped[bool] = mapped_column(default=True)
    not_counting_reason: Mapped[str | None] = mapped_column(String(1000))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A correction of a confirmed entry: the old entry stays, and stops counting.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("off_the_job_entries.id"), unique=True)

    recorded_by = relationship("User", foreign_keys=[recorded_by_id], lazy="joined")
    confirmed_by = relationship("User", foreign_keys=[confirmed_by_id])
    corrects = relationship("OffTheJobEntry", remote_side=[id], foreign_keys=[corrects_id])

    @property
    def activity_label(self) -> str:
        return ACTIVITY_LABELS.get(ActivityType(self.activity), self.activity)

    @property
    def hours(self) -> str:
        return hours(self.minutes)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def times(self) -> str:
        if self.starts_at and self.ends_at:
            return f"{self.starts_at:%H:%M} to {self.ends_at:%H:%M}"
        return ""


class ReviewStatus(StrEnum):
    SCHEDULED = "scheduled"
    SIGNED = "signed"


class ProgressReview(CreatedAtMixin, Model):
    """A tripartite progress review: due on a date, held, recorded, then signed by all three
    parties, which locks it."""

    __tablename__ = "progress_reviews"
    __table_args__ = (
        UniqueConstraint("apprenticeship_id", "number"),
        Index("ix_progress_reviews_due", "apprenticeship_id", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    apprenticeship_id: Mapped[int] = mapped_column(ForeignKey("apprenticeships.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.SCHEDULED)
    held_on: Mapped[date | None] = mapped_column(Date)
    progress: Mapped[str | None] = mapped_column(Text)
    wellbeing: Mapped[str | None] = mapped_column(Text)
    # The off-the-job position when the review was recorded: target, logged, expected (minutes).
    otj_snapshot: Mapped[dict | None] = mapped_column(JSON)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    apprenticeship = relationship("Apprenticeship", lazy="joined")
    ratings = relationship("ReviewRating", cascade="all, delete-orphan")
    actions = relationship("ReviewAction", cascade="all, delete-orphan", order_by="ReviewAction.id")
    signatures = relationship("ReviewSignature", order_by="ReviewSignature.signed_at")

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def overdue_days(self, today: date) -> int:
        if self.is_locked or today <= self.due_date:
            return 0
        return (today - self.due_date).days

    @property
    def status_label(self) -> str:
        return "Signed" if self.is_locked else ("Recorded" if self.held_on else "Scheduled")

    @property
    def status_colour(self) -> str:
        return "green" if self.is_locked else ("blue" if self.held_on else "grey")


class ReviewRating(Model):
    """One party's rating (1 to 5) of one KSB at one review."""

    __tablename__ = "review_ratings"
    __table_args__ = (
        UniqueConstraint("review_id", "outcome_id", "party"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("progress_reviews.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("programme_outcomes.id"))
    party: Mapped[str] = mapped_column(String(20))
    score: Mapped[int] = mapped_column()


class ReviewAction(Model):
    """An action agreed at a review: what, whose, by when."""

    __tablename__ = "review_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("progress_reviews.id", ondelete="CASCADE"), index=True)
    apprenticeship_id: Mapped[int] = mapped_column(ForeignKey("apprenticeships.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(1000))
    owner: Mapped[str] = mapped_column(String(20))  # a Party
    due_date: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def is_overdue(self, today: date) -> bool:
        return self.done_at is None and self.due_date < today


class ReviewSignature(Model):
    """One party's signature on a review, by the signer themself."""

    __tablename__ = "review_signatures"
    __table_args__ = (UniqueConstraint("review_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("progress_reviews.id", ondelete="CASCADE"), index=True)
    party: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user = relationship("User", lazy="joined")


class CalendarFeed(CreatedAtMixin, Model):
    """A person's private calendar address for their review dates. Only the token's digest is
    kept; revoking it makes the address stop working."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User", lazy="joined")
