"""Who is who in a sponsorship: the person's membership, their line manager, and the acting
person's membership in the employer. The workflow, its notifications and the policy ask here."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Membership, MembershipStatus
from app.models.cpd import Sponsorship


def membership_in(user, org_id: int) -> Membership | None:
    if user is None:
        return None
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.organisation_id == org_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )


def person_membership(sponsorship: Sponsorship) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == sponsorship.person_id, Membership.organisation_id == sponsorship.organisation_id
        )
    )


def line_manager_of(membership: Membership | None) -> Membership | None:
    if membership is None or membership.line_manager_id is None:
        return None
    manager = db.session.get(Membership, membership.line_manager_id)
    return manager if manager is not None and manager.is_active else None
