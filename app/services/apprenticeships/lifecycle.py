"""How an apprenticeship moves: planned -> active -> (break in learning <-> active) -> at
gateway -> completed, or withdrawn. TRANSITIONS is the one table of what may follow what and
what each step asks for; `change` is the one way a status changes, and it writes the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.calendar import london_date
from app.extensions import db
from app.models import Apprenticeship, ApprenticeshipStatus, BreakInLearning, utcnow
from app.services.apprenticeships import history, reviews
from app.services.apprenticeships.errors import ApprenticeshipError

S = ApprenticeshipStatus
MIN_BREAK_DAYS = 28  # a break in learning lasts at least four weeks


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[S, ...]
    target: S
    needs_reason: bool = True
    needs_date: bool = False
    date_label: str = ""
    style: str = "secondary"  # the button: primary, secondary or warning
    # False: a consequence of something else (gateway confirmed by both sides, an end-point
    # assessment result), taken by the service that decides it through `move`, never a button.
    manual: bool = True


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("start", "Start the apprenticeship", (S.PLANNED,), S.ACTIVE, needs_reason=False, style="primary"),
        Transition(
            "pause",
            "Record a break in learning",
            (S.ACTIVE,),
            S.BREAK_IN_LEARNING,
            needs_date=True,
            date_label="First day of the break",
        ),
        Transition(
            "resume",
            "Return from the break",
            (S.BREAK_IN_LEARNING,),
            S.ACTIVE,
            needs_reason=False,
            needs_date=True,
            date_label="Last day of the break",
            style="primary",
        ),
        Transition("gateway", "Gateway confirmed", (S.ACTIVE,), S.AT_GATEWAY, manual=False),
        Transition("complete", "End-point assessment passed", (S.AT_GATEWAY,), S.COMPLETED, manual=False),
        Transition("resit", "End-point assessment to be resat", (S.AT_GATEWAY,), S.ACTIVE, manual=False),
        Transition(
            "withdraw",
            "Withdraw",
            (S.PLANNED, S.ACTIVE, S.BREAK_IN_LEARNING, S.AT_GATEWAY),
            S.WITHDRAWN,
            style="warning",
        ),
    )
}


def offered(apprenticeship: Apprenticeship) -> list[Transition]:
    """The steps open from the apprenticeship's current status."""
    return [t for t in TRANSITIONS.values() if t.manual and apprenticeship.status in t.sources]


MANUAL_STEPS = [name for name, t in TRANSITIONS.items() if t.manual]


def change(
    actor, apprenticeship: Apprenticeship, name: str, *, reason: str = "", on: date | None = None, today: date
) -> None:
    """Take step `name`, with the reason (and date) it asks for; refuses steps not open now."""
    step = TRANSITIONS.get(name)
    if step is None or not step.manual or apprenticeship.status not in step.sources:
        raise ApprenticeshipError("That change is not possible at this stage.")
    reason = (reason or "").strip()
    if step.needs_reason and not reason:
        raise ApprenticeshipError("Give the reason for this change.", field="reason")
    if step.needs_date and on is None:
        raise ApprenticeshipError(f"Enter the {step.date_label.lower()}.", field="on")
    if name == "start" and not apprenticeship.plan_accepted:
        raise ApprenticeshipError(
            "The training plan must be accepted by the apprentice, the employer and the provider first."
        )
    if name == "pause":
        assert on is not None
        _open_break(actor, apprenticeship, on, reason, today)
    if name == "start" and not reviews.reviews_of(apprenticeship):
        reviews.schedule_first(apprenticeship, today)
    if name == "resume":
        assert on is not None
        reason = _close_break(apprenticeship, on)
    _apply(actor, apprenticeship, step, reason)


def move(actor, apprenticeship: Apprenticeship, name: str, *, reason: str) -> None:
    """A step that follows from something another service decided (gateway, a result)."""
    step = TRANSITIONS[name]
    if step.manual or apprenticeship.status not in step.sources:
        raise ApprenticeshipError("That change is not possible at this stage.")
    _apply(actor, apprenticeship, step, reason)


def _apply(actor, apprenticeship: Apprenticeship, step: Transition, reason: str) -> None:
    before = apprenticeship.status
    apprenticeship.status = step.target
    apprenticeship.status_changed_at = utcnow()
    db.session.flush()
    history.note(
        actor,
        apprenticeship,
        "status",
        f"{step.label}: {S(before).label} to {step.target.label}",
        reason=reason or None,
        from_status=before,
        to_status=step.target,
    )


def _open_break(actor, apprenticeship: Apprenticeship, start: date, reason: str, today: date) -> None:
    if start < apprenticeship.start_date:
        raise ApprenticeshipError("A break cannot start before the apprenticeship.", field="on")
    if start > today:
        raise ApprenticeshipError("Record a break from the day it starts, not in advance.", field="on")
    last = max((b.end_date for b in apprenticeship.breaks if b.end_date), default=None)
    if last is not None and start <= last:
        raise ApprenticeshipError(f"The break must start after the last one ended ({london_date(last)}).", field="on")
    apprenticeship.breaks.append(
        BreakInLearning(start_date=start, reason=reason, recorded_by_id=getattr(actor, "id", None))
    )


def _close_break(apprenticeship: Apprenticeship, last_day: date) -> str:
    current = apprenticeship.open_break
    if current is None:
        raise ApprenticeshipError("There is no break to return from.")
    if last_day < current.start_date:
        raise ApprenticeshipError("The break cannot end before it started.", field="on")
    days = (last_day - current.start_date).days + 1
    if days < MIN_BREAK_DAYS:
        raise ApprenticeshipError(
            f"A break in learning lasts at least {MIN_BREAK_DAYS // 7} weeks; this one would be {days} days.",
            field="on",
        )
    current.end_date = last_day
    db.session.flush()
    reviews.shift_for_break(apprenticeship, current.start_date, last_day)
    return f"Break of {days} days ({london_date(current.start_date)} to {london_date(last_day)}); the planned end moves by {days} days"
