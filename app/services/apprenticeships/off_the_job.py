"""The off-the-job log: entries, the rules that refuse a wrong one, confirmation by the assessor,
and the position (target, hours logged, hours expected to date).

A refused entry is never stored: every rule is checked before anything is written. A confirmed
entry is locked; a correction is a new entry that names it, and the old one stops counting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from app.domain import off_the_job as otj
from app.domain.calendar import LONDON, london_date
from app.extensions import db
from app.models import Apprenticeship, ApprenticeshipStatus, OffTheJobEntry, utcnow
from app.models.progress_reviews import ActivityType
from app.services.apprenticeships.errors import ApprenticeshipError
from app.services.apprenticeships.history import audit_both

DAY_MINUTES = 24 * 60


@dataclass
class EntryDetails:
    day: date
    activity: str
    description: str
    counts: bool = True
    not_counting_reason: str = ""
    starts_at: time | None = None
    ends_at: time | None = None
    duration_hours: str = ""
    corrects_id: int | None = None

    def minutes(self) -> int:
        if self.starts_at is not None or self.ends_at is not None:
            if self.starts_at is None or self.ends_at is None:
                raise ApprenticeshipError("Enter both the start and the end time, or just a duration.", field="ends_at")
            start = self.starts_at.hour * 60 + self.starts_at.minute
            end = self.ends_at.hour * 60 + self.ends_at.minute
            if end <= start:
                raise ApprenticeshipError("The end time must be after the start time.", field="ends_at")
            return end - start
        try:
            value = Decimal(self.duration_hours.strip())
        except InvalidOperation:
            raise ApprenticeshipError(
                "Enter a start and end time, or a duration in hours like 1.5.", field="duration_hours"
            ) from None
        minutes = int(value * 60) if value.is_finite() else 0
        if minutes < 1:
            raise ApprenticeshipError("The duration must be more than 0 hours.", field="duration_hours")
        if value > 24:
            raise ApprenticeshipError("A day has at most 24 hours.", field="duration_hours")
        return minutes


def live_entries(apprenticeship_id: int):
    """Entries that count towards the log: every entry not replaced by a correction."""
    corrected = select(OffTheJobEntry.corrects_id).where(OffTheJobEntry.corrects_id.is_not(None))
    return select(OffTheJobEntry).where(
        OffTheJobEntry.apprenticeship_id == apprenticeship_id, OffTheJobEntry.id.not_in(corrected)
    )


def _check_dates(apprenticeship: Apprenticeship, day: date, today: date) -> None:
    if day > today:
        raise ApprenticeshipError("An entry cannot be in the future.", field="day")
    if apprenticeship.status == ApprenticeshipStatus.PLANNED:
        raise ApprenticeshipError("The apprenticeship has not started yet.", field="day")
    if day < apprenticeship.start_date:
        raise ApprenticeshipError(
            f"The apprenticeship started on {london_date(apprenticeship.start_date)}; this date is before it.",
            field="day",
        )
    end = otj.expected_end(apprenticeship.otj_plan(), apprenticeship.otj_breaks(), today)
    finished = apprenticeship.status in (ApprenticeshipStatus.WITHDRAWN, ApprenticeshipStatus.COMPLETED)
    if finished:
        end = min(end, apprenticeship.status_changed_at.astimezone(LONDON).date())
    if day > end:
        raise ApprenticeshipError(f"The apprenticeship ends on {london_date(end)}; this date is after it.", field="day")
    for b in apprenticeship.breaks:
        if b.start_date <= day and (b.end_date is None or day <= b.end_date):
            raise ApprenticeshipError(
                f"{london_date(day)} is inside a break in learning, when no training is logged.", field="day"
            )


def log(actor, apprenticeship: Apprenticeship, details: EntryDetails, today: date) -> OffTheJobEntry:
    """Record an entry after checking every rule; nothing is stored if one refuses."""
    if details.activity not in set(ActivityType):
        raise ApprenticeshipError("Choose the type of activity.", field="activity")
    if not details.description.strip():
        raise ApprenticeshipError("Describe what the training was.", field="description")
    if not details.counts and not details.not_counting_reason.strip():
        raise ApprenticeshipError(
            "Say why this time does not count as off-the-job training.", field="not_counting_reason"
        )
    minutes = details.minutes()
    _check_dates(apprenticeship, details.day, today)
    corrected = _corrected(apprenticeship, details.corrects_id)
    same_day = [
        e
        for e in db.session.scalars(live_entries(apprenticeship.id).where(OffTheJobEntry.day == details.day))
        if corrected is None or e.id != corrected.id
    ]
    if details.starts_at is not None and details.ends_at is not None:
        for other in same_day:
            if (
                other.starts_at
                and other.ends_at
                and details.starts_at < other.ends_at
                and other.starts_at < details.ends_at
            ):
                raise ApprenticeshipError(
                    f"This overlaps another entry on {london_date(details.day)} ({other.times}, {other.activity_label}).",
                    field="starts_at",
                )
    if sum(e.minutes for e in same_day) + minutes > DAY_MINUTES:
        raise ApprenticeshipError(
            f"That would make more than 24 hours on {london_date(details.day)}.", field="duration_hours"
        )
    entry = OffTheJobEntry(
        apprenticeship_id=apprenticeship.id,
        day=details.day,
        starts_at=details.starts_at,
        ends_at=details.ends_at,
        minutes=minutes,
        activity=details.activity,
        description=details.description.strip()[:2000],
        counts=details.counts,
        not_counting_reason=None if details.counts else details.not_counting_reason.strip()[:1000],
        recorded_by_id=actor.id,
        corrects_id=corrected.id if corrected else None,
    )
    db.session.add(entry)
    db.session.flush()
    summary = f"Logged {otj.hours(minutes)} hours of off-the-job training on {london_date(details.day)}"
    if corrected is not None:
        summary += f", correcting the entry of {london_date(corrected.day)}"
    audit_both(actor, apprenticeship, "off_the_job.log", entry, summary)
    return entry


def _corrected(apprenticeship: Apprenticeship, entry_id: int | None) -> OffTheJobEntry | None:
    if entry_id is None:
        return None
    old = db.session.get(OffTheJobEntry, entry_id)
    if old is None or old.apprenticeship_id != apprenticeship.id:
        raise ApprenticeshipError("The entry to correct is not in this log.")
    if not old.is_confirmed:
        raise ApprenticeshipError("Only a confirmed entry needs a correction; remove this one and log it again.")
    if db.session.scalar(select(OffTheJobEntry.id).where(OffTheJobEntry.corrects_id == old.id)) is not None:
        raise ApprenticeshipError("That entry has already been corrected.")
    return old


def confirm(actor, apprenticeship: Apprenticeship, entry: OffTheJobEntry, refusal: str | None) -> None:
    """The assessor confirms an entry (`refusal` is the policy's answer); it is locked from now."""
    if refusal:
        raise ApprenticeshipError(refusal)
    entry.confirmed_by_id = actor.id
    entry.confirmed_at = utcnow()
    db.session.flush()
    audit_both(
        actor, apprenticeship, "off_the_job.confirm", entry, f"Confirmed off-the-job entry of {london_date(entry.day)}"
    )


def remove(actor, apprenticeship: Apprenticeship, entry: OffTheJobEntry) -> None:
    """Whoever recorded an unconfirmed entry may take it back."""
    if entry.is_confirmed:
        raise ApprenticeshipError("A confirmed entry is locked. Log a correction instead.")
    if entry.recorded_by_id != actor.id:
        raise ApprenticeshipError("Only the person who recorded this entry can remove it.")
    audit_both(
        actor,
        apprenticeship,
        "off_the_job.remove",
        entry,
        f"Removed an unconfirmed entry of {otj.hours(entry.minutes)} hours on {london_date(entry.day)}",
    )
    db.session.delete(entry)
    db.session.flush()


def entries_page(apprenticeship: Apprenticeship, page: int, per_page: int = 25):
    return db.paginate(
        live_entries(apprenticeship.id).order_by(OffTheJobEntry.day.desc(), OffTheJobEntry.starts_at.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )


@dataclass(frozen=True)
class Position:
    """Where the apprentice stands on off-the-job hours today (minutes)."""

    target: int
    logged: int
    confirmed: int
    expected: int

    @property
    def percent_of_target(self) -> int | None:
        return otj.percent_of(self.logged, self.target)

    @property
    def percent_of_expected(self) -> int | None:
        return otj.percent_of(self.logged, self.expected)

    def as_hours(self) -> dict:
        return {k: otj.hours(getattr(self, k)) for k in ("target", "logged", "confirmed", "expected")}


def logged_minutes(apprenticeship_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{apprenticeship id: (counting minutes logged, of which confirmed)} in one query."""
    if not apprenticeship_ids:
        return {}
    corrected = select(OffTheJobEntry.corrects_id).where(OffTheJobEntry.corrects_id.is_not(None))
    confirmed = func.sum(OffTheJobEntry.minutes).filter(OffTheJobEntry.confirmed_at.is_not(None))
    rows = db.session.execute(
        select(OffTheJobEntry.apprenticeship_id, func.sum(OffTheJobEntry.minutes), confirmed)
        .where(
            OffTheJobEntry.apprenticeship_id.in_(apprenticeship_ids),
            OffTheJobEntry.counts.is_(True),
            OffTheJobEntry.id.not_in(corrected),
        )
        .group_by(OffTheJobEntry.apprenticeship_id)
    )
    return {a: (int(total or 0), int(done or 0)) for a, total, done in rows}


def position_of(apprenticeship: Apprenticeship, today: date, logged: tuple[int, int] | None = None) -> Position:
    if logged is None:
        logged = logged_minutes([apprenticeship.id]).get(apprenticeship.id, (0, 0))
    plan, breaks = apprenticeship.otj_plan(), apprenticeship.otj_breaks()
    return Position(
        target=otj.target_minutes(plan),
        logged=logged[0],
        confirmed=logged[1],
        expected=otj.expected_minutes(plan, breaks, today) if apprenticeship.status != "planned" else 0,
    )


def unconfirmed_count(apprenticeship_ids: list[int]) -> int:
    if not apprenticeship_ids:
        return 0
    return (
        db.session.scalar(
            select(func.count(OffTheJobEntry.id)).where(
                OffTheJobEntry.apprenticeship_id.in_(apprenticeship_ids), OffTheJobEntry.confirmed_at.is_(None)
            )
        )
        or 0
    )
