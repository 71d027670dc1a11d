"""Tripartite progress reviews: scheduled at the programme's interval from the start, recorded
(progress, the off-the-job position at the time, KSB ratings by each party, agreed actions,
wellbeing), then signed by the apprentice, the employer and the provider. The third signature
locks the review and schedules the next one.

Changing a recorded review clears any signatures already on it: a signature is always of the
review as it stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.domain import off_the_job as otj
from app.domain.calendar import london_date
from app.extensions import db
from app.models import Apprenticeship, Party, ProgressReview, ReviewAction, ReviewRating, ReviewSignature, utcnow
from app.models.progress_reviews import ReviewStatus
from app.services.apprenticeships.errors import ApprenticeshipError
from app.services.apprenticeships.history import audit_both


def interval(apprenticeship: Apprenticeship) -> timedelta:
    return timedelta(weeks=apprenticeship.programme.review_interval_weeks)


def schedule_first(apprenticeship: Apprenticeship, today: date) -> ProgressReview:
    """The first review falls due one interval after the start (or after the day the start was
    recorded, when that came later)."""
    began = max(apprenticeship.start_date, today)
    review = ProgressReview(apprenticeship_id=apprenticeship.id, number=1, due_date=began + interval(apprenticeship))
    db.session.add(review)
    db.session.flush()
    return review


def shift_for_break(apprenticeship: Apprenticeship, start: date, end: date) -> None:
    """A break stops the clock: each open review falls due later by the days of the break after
    the date it is counted from (the start, or the last review's meeting); a review scheduled
    from a meeting during the break moves only by the break days after that meeting."""
    for review in db.session.scalars(
        select(ProgressReview).where(
            ProgressReview.apprenticeship_id == apprenticeship.id, ProgressReview.locked_at.is_(None)
        )
    ):
        counted_from = max(start, review.due_date - interval(apprenticeship) + timedelta(days=1))
        if end >= counted_from:
            review.due_date += timedelta(days=(end - counted_from).days + 1)
    db.session.flush()


def reviews_of(apprenticeship: Apprenticeship) -> list[ProgressReview]:
    return list(
        db.session.scalars(
            select(ProgressReview)
            .where(ProgressReview.apprenticeship_id == apprenticeship.id)
            .order_by(ProgressReview.number)
        )
    )


def _editable(review: ProgressReview) -> None:
    if review.is_locked:
        raise ApprenticeshipError("This review has been signed by all three parties and is locked.")
    if review.apprenticeship.status not in ("active", "break_in_learning", "at_gateway"):
        raise ApprenticeshipError("Reviews are recorded while the apprenticeship is under way.")


def _clear_signatures(actor, review: ProgressReview) -> None:
    if review.signatures:
        for signature in list(review.signatures):
            db.session.delete(signature)
        db.session.flush()
        db.session.refresh(review, ["signatures"])
        audit_both(
            actor, review.apprenticeship, "review.unsign", review, f"Review {review.number} changed: signatures cleared"
        )


@dataclass
class ReviewRecord:
    held_on: date
    progress: str
    wellbeing: str


def record(actor, review: ProgressReview, given: ReviewRecord, position, today: date) -> None:
    """Record what was said at the review, with the off-the-job `position` as it is today."""
    _editable(review)
    if given.held_on > today:
        raise ApprenticeshipError("The review date cannot be in the future.", field="held_on")
    if given.held_on < review.apprenticeship.start_date:
        raise ApprenticeshipError("The review date is before the apprenticeship started.", field="held_on")
    if not given.progress.strip():
        raise ApprenticeshipError("Describe the progress since the last review.", field="progress")
    review.held_on = given.held_on
    review.progress = given.progress.strip()
    review.wellbeing = given.wellbeing.strip() or None
    review.otj_snapshot = {
        "target_minutes": position.target,
        "logged_minutes": position.logged,
        "expected_minutes": position.expected,
        "on": today.isoformat(),
    }
    _clear_signatures(actor, review)
    db.session.flush()
    audit_both(actor, review.apprenticeship, "review.record", review, f"Recorded review {review.number}")


def rate(actor, review: ProgressReview, party: Party, parties: set[Party], scores: dict[int, int]) -> None:
    """`party`'s ratings (1 to 5) of the programme's KSBs, given by someone who acts for it."""
    _editable(review)
    if party not in parties:
        raise ApprenticeshipError(f"You cannot rate for the {party.label.lower()}.")
    known = {o.id for o in review.apprenticeship.programme.outcomes}
    if any(k not in known or not 1 <= v <= 5 for k, v in scores.items()):
        raise ApprenticeshipError("Rate each KSB from 1 to 5.")
    existing = {(r.outcome_id, r.party): r for r in review.ratings}
    for outcome_id, score in scores.items():
        found = existing.get((outcome_id, party))
        if found is None:
            review.ratings.append(ReviewRating(outcome_id=outcome_id, party=party, score=score))
        else:
            found.score = score
    _clear_signatures(actor, review)
    db.session.flush()
    audit_both(
        actor,
        review.apprenticeship,
        "review.rate",
        review,
        f"Rated KSBs at review {review.number} as the {party.label.lower()}",
    )


def add_action(actor, review: ProgressReview, description: str, owner: str, due: date, today: date) -> ReviewAction:
    _editable(review)
    if not description.strip():
        raise ApprenticeshipError("Describe the action.", field="description")
    if owner not in set(Party):
        raise ApprenticeshipError("Choose who owns the action.", field="owner")
    if due < today:
        raise ApprenticeshipError("The due date cannot be in the past.", field="due_date")
    action = ReviewAction(
        apprenticeship_id=review.apprenticeship_id, description=description.strip()[:1000], owner=owner, due_date=due
    )
    review.actions.append(action)
    _clear_signatures(actor, review)
    db.session.flush()
    audit_both(
        actor,
        review.apprenticeship,
        "review.action",
        review,
        f"Agreed an action at review {review.number}: {action.description[:80]}",
    )
    return action


def complete_action(actor, action: ReviewAction, apprenticeship: Apprenticeship) -> None:
    """Mark an agreed action done (it may be on a locked review: doing it changes nothing signed)."""
    if action.done_at is not None:
        raise ApprenticeshipError("That action is already done.")
    action.done_at = utcnow()
    db.session.flush()
    audit_both(actor, apprenticeship, "review.action_done", action, f"Action done: {action.description[:80]}")


def sign(actor, review: ProgressReview, party: Party, parties: set[Party], today: date) -> None:
    """`actor` signs as `party`; the third signature locks the review and schedules the next."""
    _editable(review)
    if party not in parties:
        raise ApprenticeshipError(f"You cannot sign for the {party.label.lower()}: each party signs for itself.")
    if review.held_on is None:
        raise ApprenticeshipError("Record the review before signing it.")
    signed = {Party(s.party): s for s in review.signatures}
    if party in signed:
        raise ApprenticeshipError(f"The {party.label.lower()} has already signed this review.")
    if any(s.user_id == actor.id for s in review.signatures):
        raise ApprenticeshipError("You have already signed this review for another party.")
    review.signatures.append(ReviewSignature(party=party, user_id=actor.id, signed_at=utcnow()))
    db.session.flush()
    audit_both(
        actor,
        review.apprenticeship,
        "review.sign",
        review,
        f"Signed review {review.number} as the {party.label.lower()}",
    )
    if len(review.signatures) == len(Party):
        _lock(actor, review, today)


def _lock(actor, review: ProgressReview, today: date) -> None:
    review.locked_at = utcnow()
    review.status = ReviewStatus.SIGNED
    apprenticeship = review.apprenticeship
    audit_both(actor, apprenticeship, "review.lock", review, f"Review {review.number} signed by all three and locked")
    if apprenticeship.is_running:
        following = ProgressReview(
            apprenticeship_id=apprenticeship.id,
            number=review.number + 1,
            # The interval runs from the meeting itself, however late the last signature came.
            due_date=(review.held_on or today) + interval(apprenticeship),
        )
        db.session.add(following)
    db.session.flush()


def ratings_by_outcome(review: ProgressReview) -> dict[int, dict[str, int]]:
    """{outcome id: {party: score}} for the table and the radar chart."""
    found: dict[int, dict[str, int]] = {}
    for r in review.ratings:
        found.setdefault(r.outcome_id, {})[r.party] = r.score
    return found


def snapshot_words(review: ProgressReview) -> str:
    snap = review.otj_snapshot
    if not snap:
        return ""
    return (
        f"{otj.hours(snap['logged_minutes'])} hours logged of {otj.hours(snap['expected_minutes'])} expected "
        f"by {london_date(date.fromisoformat(snap['on']))} (target {otj.hours(snap['target_minutes'])})"
    )
