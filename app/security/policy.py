"""The one place that decides permissions.

Routes call `require(...)`; templates call `can(...)` (exposed to Jinja). Both read the
signed-in person's roles in their *current* organisation (see `current_org`).
"""
from __future__ import annotations

from flask import abort, g, session
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import Membership, MembershipStatus, Organisation
from app.security.permissions import ROLE_PERMISSIONS, Permission

SESSION_ORG_KEY = "org_id"


def active_memberships(user) -> list[Membership]:
    """The person's active memberships, organisation loaded, in a stable order."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = g.get("_memberships")
    if cached is not None and cached[0] == user.id:
        return cached[1]
    rows = db.session.scalars(
        select(Membership)
        .join(Organisation)
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
        .options(db.joinedload(Membership.organisation))
        .order_by(Organisation.name)
    ).all()
    g._memberships = (user.id, list(rows))
    return g._memberships[1]


def current_membership() -> Membership | None:
    """The membership for the organisation the person is acting in now."""
    memberships = active_memberships(current_user)
    if not memberships:
        return None
    wanted = session.get(SESSION_ORG_KEY)
    for membership in memberships:
        if membership.organisation_id == wanted:
            return membership
    return memberships[0]


def current_org() -> Organisation | None:
    membership = current_membership()
    return membership.organisation if membership else None


def permissions_of(membership: Membership | None) -> frozenset[Permission]:
    if membership is None:
        return frozenset()
    granted: set[Permission] = set()
    for role in membership.roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


def can(permission: Permission | str) -> bool:
    """Whether the signed-in person may do this in their current organisation."""
    return Permission(permission) in permissions_of(current_membership())


def require(permission: Permission | str) -> None:
    """Abort with 403 unless the signed-in person holds the permission."""
    if not getattr(current_user, "is_authenticated", False):
        abort(401)
    if not can(permission):
        abort(403)


def switch_org(org_id: int) -> bool:
    """Make org_id the current organisation if the person belongs to it."""
    if any(m.organisation_id == org_id for m in active_memberships(current_user)):
        session[SESSION_ORG_KEY] = org_id
        g.pop("_memberships", None)
        return True
    return False
