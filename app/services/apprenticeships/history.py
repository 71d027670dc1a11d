"""Every change to an apprenticeship is written twice: to its own history (shown on its page)
and to the audit log of both organisations that share it."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Apprenticeship, ApprenticeshipEvent
from app.services import audit


def note(
    actor,
    apprenticeship: Apprenticeship,
    kind: str,
    summary: str,
    *,
    reason: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    **details,
) -> ApprenticeshipEvent:
    """Record that `actor` changed `apprenticeship` (`kind` names the change, e.g. "status")."""
    event = ApprenticeshipEvent(
        apprenticeship_id=apprenticeship.id,
        kind=kind,
        summary=summary[:500],
        reason=reason,
        from_status=from_status,
        to_status=to_status,
        actor_id=getattr(actor, "id", None),
    )
    db.session.add(event)
    for org_id in (apprenticeship.employer_id, apprenticeship.provider_id):
        audit.record(
            actor,
            f"apprenticeship.{kind}",
            apprenticeship,
            summary,
            organisation=org_id,
            reason=reason,
            from_status=from_status,
            to_status=to_status,
            **details,
        )
    return event


def audit_both(actor, apprenticeship: Apprenticeship, action: str, subject, summary: str, **details) -> None:
    """An audit event about a record of the apprenticeship (an entry, a review) for both sides."""
    for org_id in (apprenticeship.employer_id, apprenticeship.provider_id):
        audit.record(actor, action, subject, summary, organisation=org_id, **details)


def recent(apprenticeship: Apprenticeship, limit: int = 30) -> list[ApprenticeshipEvent]:
    """The latest changes, newest first."""
    return list(
        db.session.scalars(
            select(ApprenticeshipEvent)
            .where(ApprenticeshipEvent.apprenticeship_id == apprenticeship.id)
            .order_by(ApprenticeshipEvent.at.desc(), ApprenticeshipEvent.id.desc())
            .limit(limit)
        )
    )
