"""Private calendar feeds: each person can subscribe their calendar to the dates of the progress
reviews they are a party to. The address holds a random token; only its digest is stored, and
revoking it (or making a new one) makes the old address stop working at once.
"""

from __future__ import annotations

from datetime import date

from icalendar import Calendar, Event
from sqlalchemy import and_, or_, select

from app.extensions import db
from app.models import (
    Apprenticeship,
    CalendarFeed,
    Membership,
    MembershipStatus,
    Programme,
    ProgressReview,
    User,
    utcnow,
)
from app.security import tokens
from app.security.policy import party_conditions
from app.services import audit
from app.services.links import public_url

PRODID = "-//Credwork//Progress reviews//EN"


def live_feed(user) -> CalendarFeed | None:
    return db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
    )


def create_feed(actor) -> str:
    """A new private address for `actor`'s review dates (any older one stops working); returns
    its token, which is shown once."""
    _revoke_live(actor)
    token, digest = tokens.new_token()
    db.session.add(CalendarFeed(user_id=actor.id, token_hash=digest))
    db.session.flush()
    audit.record(
        actor, "calendar_feed.create", actor, "Created a private calendar feed of review dates", organisation=None
    )
    return token


def revoke_feed(actor) -> bool:
    """Stop `actor`'s calendar address working; False if there was none."""
    revoked = _revoke_live(actor)
    if revoked:
        audit.record(actor, "calendar_feed.revoke", actor, "Revoked the private calendar feed", organisation=None)
    return revoked


def _revoke_live(actor) -> bool:
    feed = live_feed(actor)
    if feed is None:
        return False
    feed.revoked_at = utcnow()
    db.session.flush()
    return True


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed this token opens, or None."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == tokens.digest(token), CalendarFeed.revoked_at.is_(None))
    )


def open_reviews_for(user: User, limit: int = 500) -> list[tuple[ProgressReview, str, str]]:
    """(review, apprentice's name, programme title) for each unsigned review of every
    apprenticeship `user` is a party to, in any of their organisations."""
    memberships = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
    ).all()
    if not memberships:
        return []
    mine = or_(*(or_(*party_conditions(m).values()) for m in memberships))
    apprentice = (
        select(User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.id == Apprenticeship.apprentice_id)
    )
    rows = db.session.execute(
        select(ProgressReview, apprentice.scalar_subquery(), Programme.title)
        .join(Apprenticeship, ProgressReview.apprenticeship_id == Apprenticeship.id)
        .join(Programme, Apprenticeship.programme_id == Programme.id)
        .where(and_(mine, ProgressReview.locked_at.is_(None), Apprenticeship.status.in_(("active", "at_gateway"))))
        .order_by(ProgressReview.due_date)
        .limit(limit)
    ).all()
    return [(review, name, title) for review, name, title in rows]


def ics_for(user: User, today: date) -> bytes:
    """The person's review dates as an iCalendar document (all-day events)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Credwork progress reviews")
    stamp = utcnow()
    for review, name, title in open_reviews_for(user):
        event = Event()
        event.add("uid", f"review-{review.id}@credwork")
        event.add("dtstamp", stamp)
        event.add("dtstart", review.due_date)
        event.add("summary", f"Progress review {review.number}: {name} ({title})")
        event.add("url", public_url(f"/apprenticeships/{review.apprenticeship_id}/reviews/{review.id}"))
        if review.due_date < today:
            event.add("description", "Overdue: this review has not been signed by all three parties.")
        calendar.add_component(event)
    return calendar.to_ical()
