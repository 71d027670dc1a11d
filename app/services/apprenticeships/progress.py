"""Each apprentice's progress status with its reasons, worked out for a whole caseload at once.

`figures_where(condition, today)` reads every figure the status needs for the apprenticeships
matching a SQL condition in a fixed number of plain (tuple) queries, one per figure grouped by
apprenticeship, whatever the caseload's size: no ORM objects are built for apprentices who will
not be shown. `progress_of(apprenticeships, today)` pairs loaded apprenticeships with theirs.

The rule itself is `app.domain.progress.assess`; this module gathers its inputs, evidence
coverage among them: the share of the programme's KSBs with signed-off evidence, against the
share of the planned duration that has run.

Each apprenticeship also keeps its last status (`progress_status`), so "apprentices at risk" is
one query: it is worked out again before any commit that changed what it is judged on, and
daily for every active apprenticeship (`refresh_running`, run by Celery beat or cron).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.orm import InstanceState, Session

from app.domain import off_the_job as otj
from app.domain.calendar import london_today
from app.domain.progress import Assessment, Position, ProgressStatus, assess
from app.extensions import db
from app.models import (
    Apprenticeship,
    ApprenticeshipStatus,
    BreakInLearning,
    EvidenceClaim,
    EvidenceEntry,
    ModuleResult,
    OffTheJobEntry,
    PriorLearning,
    Programme,
    ProgressReview,
    ReviewAction,
)
from app.models.apprenticeships import training_plan
from app.services.apprenticeships.off_the_job import Position as Hours

S = ApprenticeshipStatus
REVIEWED = (S.ACTIVE, S.BREAK_IN_LEARNING, S.AT_GATEWAY)


@dataclass(frozen=True)
class Figures:
    """Everything the progress status of one apprenticeship is judged on, as of one day."""

    apprenticeship_id: int
    status: str
    hours: Hours
    next_review_due: date | None
    review_overdue_days: int
    overdue_actions: int
    failed_modules: int
    assessment: Assessment | None  # None unless the apprenticeship is active

    @property
    def progress(self) -> ProgressStatus | None:
        return self.assessment.status if self.assessment else None


@dataclass(frozen=True)
class Progress:
    """An apprenticeship with its figures, as pages and reports show it."""

    apprenticeship: Apprenticeship
    figures: Figures

    @property
    def hours(self) -> Hours:
        return self.figures.hours

    @property
    def next_review_due(self) -> date | None:
        return self.figures.next_review_due

    @property
    def review_overdue_days(self) -> int:
        return self.figures.review_overdue_days

    @property
    def overdue_actions(self) -> int:
        return self.figures.overdue_actions

    @property
    def failed_modules(self) -> int:
        return self.figures.failed_modules

    @property
    def assessment(self) -> Assessment | None:
        return self.figures.assessment

    @property
    def status(self) -> ProgressStatus | None:
        return self.figures.progress

    progress = status  # as Figures names it, so `counts` takes either

    @property
    def status_label(self) -> str:
        if self.assessment:
            return self.assessment.status.label
        if self.apprenticeship.status == S.BREAK_IN_LEARNING:
            return "Paused"
        return self.apprenticeship.status_label

    @property
    def status_colour(self) -> str:
        return self.assessment.status.colour if self.assessment else "grey"

    @property
    def reasons(self) -> tuple[str, ...]:
        if self.assessment:
            return self.assessment.reasons
        if self.apprenticeship.status == S.BREAK_IN_LEARNING:
            return ("break in learning: targets and the clock are paused",)
        if self.apprenticeship.status == S.PLANNED:
            return ("not started",)
        return ()


def _grouped(stmt) -> dict:
    return dict(db.session.execute(stmt).all())


def figures_where(condition, today: date) -> dict[int, Figures]:
    """{apprenticeship id: its figures} for every apprenticeship matching `condition`."""
    ids = select(Apprenticeship.id).where(condition).scalar_subquery()
    rows = db.session.execute(
        select(
            Apprenticeship.id,
            Apprenticeship.status,
            Apprenticeship.start_date,
            Apprenticeship.planned_end_date,
            Apprenticeship.weekly_minutes,
            Apprenticeship.programme_id,
        ).where(condition)
    ).all()
    if not rows:
        return {}
    programmes = {
        p.id: p
        for p in db.session.scalars(
            select(Programme)
            .where(Programme.id.in_({r.programme_id for r in rows}))
            .options(db.selectinload(Programme.outcomes), db.selectinload(Programme.modules))
        )
    }
    breaks: dict[int, list[otj.Break]] = {}
    for a, start, end in db.session.execute(
        select(BreakInLearning.apprenticeship_id, BreakInLearning.start_date, BreakInLearning.end_date).where(
            BreakInLearning.apprenticeship_id.in_(ids)
        )
    ):
        breaks.setdefault(a, []).append(otj.Break(start, end))
    recognised = _grouped(
        select(PriorLearning.apprenticeship_id, func.count(PriorLearning.id))
        .where(PriorLearning.apprenticeship_id.in_(ids))
        .group_by(PriorLearning.apprenticeship_id)
    )
    corrected = select(OffTheJobEntry.corrects_id).where(OffTheJobEntry.corrects_id.is_not(None))
    logged = {
        a: (int(total or 0), int(done or 0))
        for a, total, done in db.session.execute(
            select(
                OffTheJobEntry.apprenticeship_id,
                func.sum(OffTheJobEntry.minutes),
                func.sum(OffTheJobEntry.minutes).filter(OffTheJobEntry.confirmed_at.is_not(None)),
            )
            .where(
                OffTheJobEntry.apprenticeship_id.in_(ids),
                OffTheJobEntry.counts.is_(True),
                OffTheJobEntry.id.not_in(corrected),
            )
            .group_by(OffTheJobEntry.apprenticeship_id)
        )
    }
    due = _grouped(
        select(ProgressReview.apprenticeship_id, func.min(ProgressReview.due_date))
        .where(ProgressReview.apprenticeship_id.in_(ids), ProgressReview.locked_at.is_(None))
        .group_by(ProgressReview.apprenticeship_id)
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
    # KSBs with signed-off evidence, and whether any evidence has been submitted at all (until
    # then coverage is not judged: a portfolio that has not begun says nothing yet).
    covered = _grouped(
        select(EvidenceEntry.apprenticeship_id, func.count(func.distinct(EvidenceClaim.outcome_id)))
        .join(EvidenceClaim, EvidenceClaim.entry_id == EvidenceEntry.id)
        .where(EvidenceEntry.apprenticeship_id.in_(ids), EvidenceClaim.signed_off_at.is_not(None))
        .group_by(EvidenceEntry.apprenticeship_id)
    )
    started = set(
        db.session.scalars(
            select(EvidenceEntry.apprenticeship_id)
            .where(EvidenceEntry.apprenticeship_id.in_(ids), EvidenceEntry.status != "draft")
            .distinct()
        )
    )

    found = {}
    for r in rows:
        programme = programmes[r.programme_id]
        plan = training_plan(programme, r.start_date, r.planned_end_date, r.weekly_minutes, recognised.get(r.id, 0))
        spent, confirmed = logged.get(r.id, (0, 0))
        hours = Hours(
            target=otj.target_minutes(plan),
            logged=spent,
            confirmed=confirmed,
            expected=0 if r.status == S.PLANNED else otj.expected_minutes(plan, breaks.get(r.id, []), today),
        )
        # Reviews fall due only while the apprenticeship runs, and a break pauses them.
        next_due = due.get(r.id) if r.status in REVIEWED else None
        overdue = (today - next_due).days if next_due and next_due < today and r.status != S.BREAK_IN_LEARNING else 0
        assessment = None
        if r.status == S.ACTIVE:
            cover = None
            if r.id in started and programme.outcomes:
                ran = otj.active_days(plan, breaks.get(r.id, []), today) * 100 // plan.planned_days
                cover = (covered.get(r.id, 0) * 100 // len(programme.outcomes), ran)
            assessment = assess(
                Position(
                    logged_minutes=hours.logged,
                    expected_minutes=hours.expected,
                    review_overdue_days=overdue,
                    overdue_actions=actions.get(r.id, 0),
                    failed_modules=failed.get(r.id, 0),
                    coverage_percent=cover[0] if cover else None,
                    coverage_expected_percent=cover[1] if cover else None,
                ),
                programme.thresholds,
            )
        found[r.id] = Figures(
            r.id, r.status, hours, next_due, overdue, actions.get(r.id, 0), failed.get(r.id, 0), assessment
        )
    return found


def progress_of(apprenticeships: list[Apprenticeship], today: date) -> list[Progress]:
    """The progress of each loaded apprenticeship, in the same order."""
    if not apprenticeships:
        return []
    figures = figures_where(Apprenticeship.id.in_([a.id for a in apprenticeships]), today)
    return [Progress(a, figures[a.id]) for a in apprenticeships]


def counts(figures: Iterable[Figures]) -> dict[str, int]:
    """How many are on track, at risk and off track (active apprenticeships only)."""
    tally = {s.value: 0 for s in ProgressStatus}
    for f in figures:
        if f.progress is not None:
            tally[f.progress.value] += 1
    return tally


# ---- the stored status (for counts in one query) -------------------------------------------

REFRESH = "credwork_progress_to_refresh"
# What the status is judged on: a change to any of these works out its apprenticeship's again.
JUDGED_ON = (
    Apprenticeship,
    OffTheJobEntry,
    ProgressReview,
    ReviewAction,
    ModuleResult,
    BreakInLearning,
    PriorLearning,
    EvidenceEntry,
)


def store(figures: dict[int, Figures], today: date) -> int:
    """Keep each apprenticeship's status as assessed in ``figures`` (one UPDATE per 500)."""
    rows = [
        {"id": a, "progress_status": f.progress.value if f.progress else None, "progress_on": today}
        for a, f in figures.items()
    ]
    for start in range(0, len(rows), 500):
        db.session.execute(update(Apprenticeship), rows[start : start + 500])
    return len(rows)


def refresh(condition, today: date) -> int:
    """Work out again and keep the status of the apprenticeships matching ``condition``."""
    return store(figures_where(condition, today), today)


def refresh_running(today: date) -> int:
    """The daily refresh: time passing alone moves the status (hours expected grow, reviews fall
    due), so every active apprenticeship is assessed again, a thousand at a time (the others have
    no status, and any change to their stage is a change the commit hook sees)."""
    done, last = 0, 0
    while ids := list(
        db.session.scalars(
            select(Apprenticeship.id)
            .where(Apprenticeship.id > last, Apprenticeship.status == S.ACTIVE)
            .order_by(Apprenticeship.id)
            .limit(1000)
        )
    ):
        done += refresh(Apprenticeship.id.in_(ids), today)
        last = ids[-1]
    return done


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context) -> None:
    changed = session.info.setdefault(REFRESH, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, JUDGED_ON):  # read without loading anything (a deleted row cannot be)
            state: InstanceState = inspect(obj)
            changed.add(state.dict.get("id" if isinstance(obj, Apprenticeship) else "apprenticeship_id"))


@event.listens_for(Session, "before_commit")
def _refresh_changed(session: Session) -> None:
    if not session.info.get(REFRESH):
        return
    session.flush()  # what is still pending is noted too
    ids = {i for i in session.info.pop(REFRESH, ()) if i is not None}
    if ids:
        refresh(Apprenticeship.id.in_(ids), london_today())


@event.listens_for(Session, "after_soft_rollback")
def _forget_changes(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(REFRESH, None)
