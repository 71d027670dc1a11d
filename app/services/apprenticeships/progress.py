"""Each apprentice's progress status with its reasons, worked out for a whole list at once in a
fixed number of queries (one per figure, grouped by apprenticeship), whatever its length.

The rule itself is `app.domain.progress.assess`; this module gathers its inputs. Evidence
coverage joins them through `COVERAGE_SOURCES` once the evidence portfolio records it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.domain.progress import Assessment, Position, ProgressStatus, assess
from app.extensions import db
from app.models import Apprenticeship, ApprenticeshipStatus, ModuleResult, ProgressReview, ReviewAction
from app.services.apprenticeships import off_the_job

REVIEWED = (ApprenticeshipStatus.ACTIVE, ApprenticeshipStatus.BREAK_IN_LEARNING, ApprenticeshipStatus.AT_GATEWAY)

# Functions (apprenticeship ids, today) -> {id: (coverage %, expected %)}; empty until evidence exists.
COVERAGE_SOURCES: list[Callable[[list[int], date], dict[int, tuple[int, int]]]] = []


@dataclass(frozen=True)
class Progress:
    apprenticeship: Apprenticeship
    hours: off_the_job.Position
    next_review_due: date | None
    review_overdue_days: int
    overdue_actions: int
    failed_modules: int
    assessment: Assessment | None  # None unless the apprenticeship is active

    @property
    def status(self) -> ProgressStatus | None:
        return self.assessment.status if self.assessment else None

    @property
    def status_label(self) -> str:
        if self.assessment:
            return self.assessment.status.label
        if self.apprenticeship.status == ApprenticeshipStatus.BREAK_IN_LEARNING:
            return "Paused"
        return self.apprenticeship.status_label

    @property
    def status_colour(self) -> str:
        return self.assessment.status.colour if self.assessment else "grey"

    @property
    def reasons(self) -> tuple[str, ...]:
        if self.assessment:
            return self.assessment.reasons
        if self.apprenticeship.status == ApprenticeshipStatus.BREAK_IN_LEARNING:
            return ("break in learning: targets and the clock are paused",)
        if self.apprenticeship.status == ApprenticeshipStatus.PLANNED:
            return ("not started",)
        return ()


def _grouped(stmt) -> dict[int, int]:
    return {key: int(value or 0) for key, value in db.session.execute(stmt)}


def progress_of(apprenticeships: list[Apprenticeship], today: date) -> list[Progress]:
    """The progress of each apprenticeship, in the same order."""
    ids = [a.id for a in apprenticeships]
    if not ids:
        return []
    logged = off_the_job.logged_minutes(ids)
    due = dict(
        db.session.execute(
            select(ProgressReview.apprenticeship_id, func.min(ProgressReview.due_date))
            .where(ProgressReview.apprenticeship_id.in_(ids), ProgressReview.locked_at.is_(None))
            .group_by(ProgressReview.apprenticeship_id)
        ).all()
    )
    actions = _grouped(
        select(ReviewAction.apprenticeship_id, func.count(ReviewAction.id))
        .where(ReviewAction.apprenticeship_id.in_(ids), ReviewAction.done_at.is_(None), ReviewAction.due_date < today)
        .group_by(ReviewAction.apprenticeship_id)
    )
    failed = _grouped(
        select(ModuleResult.apprenticeship_id, func.count(ModuleResult.id))
        .where(ModuleResult.apprenticeship_id.in_(ids), ModuleResult.result == "failed")
        .group_by(ModuleResult.apprenticeship_id)
    )
    coverage: dict[int, tuple[int, int]] = {}
    for source in COVERAGE_SOURCES:
        coverage.update(source(ids, today))
    found = []
    for a in apprenticeships:
        hours = off_the_job.position_of(a, today, logged.get(a.id, (0, 0)))
        # Reviews only fall due while the apprenticeship runs; a break pauses them.
        next_due = due.get(a.id) if a.status in REVIEWED else None
        overdue = (today - next_due).days if next_due and next_due < today and a.status != "break_in_learning" else 0
        assessment = None
        if a.status == ApprenticeshipStatus.ACTIVE:
            cover = coverage.get(a.id)
            assessment = assess(
                Position(
                    logged_minutes=hours.logged,
                    expected_minutes=hours.expected,
                    review_overdue_days=overdue,
                    overdue_actions=actions.get(a.id, 0),
                    failed_modules=failed.get(a.id, 0),
                    coverage_percent=cover[0] if cover else None,
                    coverage_expected_percent=cover[1] if cover else None,
                ),
                a.programme.thresholds,
            )
        found.append(Progress(a, hours, next_due, overdue, actions.get(a.id, 0), failed.get(a.id, 0), assessment))
    return found


def counts(progress: list[Progress]) -> dict[str, int]:
    """How many are on track, at risk and off track (active apprenticeships only)."""
    tally = {s.value: 0 for s in ProgressStatus}
    for p in progress:
        if p.status is not None:
            tally[p.status.value] += 1
    return tally
