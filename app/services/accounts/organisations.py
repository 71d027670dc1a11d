"""People in organisations: invitations, roles, removal; employer-provider partnerships."""

from __future__ import annotations

from datetime import timedelta

from blinker import Namespace
from flask import current_app
from sqlalchemy import func, or_, select

from app.domain import DomainError
from app.extensions import db
from app.models import (
    ROLES_BY_ORG_KIND,
    Invitation,
    Membership,
    MembershipStatus,
    Organisation,
    OrgKind,
    Partnership,
    PartnershipStatus,
    Role,
    RoleGrant,
    User,
    utcnow,
)
from app.security import tokens
from app.security.passwords import hash_password, password_problem
from app.services import audit, links, mail

# Sent when someone joins through an invitation (sender: the Invitation; `user`: who joined), so
# features that invited them (recruitment's hire) can finish what they started.
invitation_accepted = Namespace().signal("invitation-accepted")


class OrganisationError(DomainError):
    """A request that breaks a rule; the message is shown to the person."""


def allowed_roles(org: Organisation) -> list[Role]:
    return ROLES_BY_ORG_KIND[org.kind]


def _check_roles(org: Organisation, roles: list[str]) -> list[Role]:
    if not roles:
        raise OrganisationError("Select at least one role")
    allowed = allowed_roles(org)
    chosen = []
    for value in roles:
        try:
            role = Role(value)
        except ValueError:
            raise OrganisationError(f"Unknown role: {value}") from None
        if role not in allowed:
            raise OrganisationError(f"{role.label} is not a role in a {org.kind_label.lower()}")
        chosen.append(role)
    return chosen


def members(org: Organisation) -> list[Membership]:
    """Active members of an organisation with their people loaded, by name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(User, Membership.user_id == User.id)
            .where(Membership.organisation_id == org.id, Membership.status == MembershipStatus.ACTIVE)
            .options(db.joinedload(Membership.user))
            .order_by(User.name)
        )
    )


def pending_invitations(org: Organisation) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.organisation_id == org.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc())
        )
    )


def invite(actor: User, org: Organisation, email: str, roles: list[str], department: str | None = None) -> Invitation:
    """Invite someone by email to join `org` with `roles`; emails them a single-use link."""
    email = email.strip().lower()
    chosen = _check_roles(org, roles)
    existing = db.session.scalar(
        select(Membership)
        .join(User, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == org.id,
            func.lower(User.email) == email,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    if existing:
        raise OrganisationError(f"{email} is already a member of {org.name}")
    token, token_hash = tokens.new_token()
    days = current_app.config["INVITATION_DAYS"]
    invitation = Invitation(
        organisation_id=org.id,
        email=email,
        roles=",".join(chosen),
        department=department or None,
        token_hash=token_hash,
        invited_by_id=actor.id,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        actor,
        "invitation.sent",
        invitation,
        f"Invited {email} as " + ", ".join(r.label for r in chosen),
        organisation=org,
        roles=list(chosen),
    )
    link = links.public_url(f"/invitations/{token}")
    mail.send(
        email,
        f"You're invited to join {org.name} on Credwork",
        f"{actor.name} has invited you to join {org.name} on Credwork as "
        f"{', '.join(r.label for r in chosen)}.\n\nAccept within {days} days:\n{link}\n",
    )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """A pending invitation for this token, or None when unknown, used, revoked or expired."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == tokens.digest(token)))
    if invitation is None or invitation.state != "pending":
        return None
    return invitation


def accept_invitation(
    token: str, *, user: User | None, name: str | None = None, password: str | None = None
) -> Membership:
    """Accept an invitation, as the signed-in person (whose email must match) or by creating
    an account with a name and password."""
    invitation = find_invitation(token)
    if invitation is None:
        raise OrganisationError("This invitation has expired, been withdrawn or already been used")
    if user is not None:
        if user.email.lower() != invitation.email.lower():
            raise OrganisationError(
                f"This invitation is for {invitation.email}. Sign out and accept it with that account."
            )
    else:
        existing = db.session.scalar(select(User).where(func.lower(User.email) == invitation.email))
        if existing is not None:
            raise OrganisationError("You already have an account. Sign in, then open the link again.")
        if not name or not name.strip():
            raise OrganisationError("Enter your full name")
        problem = password_problem(password or "")
        if problem:
            raise OrganisationError(problem)
        user = User(email=invitation.email, name=name.strip(), password_hash=hash_password(password or ""))
        db.session.add(user)
        db.session.flush()
        audit.record(
            user,
            "user.registered",
            user,
            f"{user.email} created an account from an invitation",
            organisation=invitation.organisation_id,
        )
    membership = join(user, invitation.organisation, invitation.role_list, department=invitation.department)
    invitation.accepted_at = utcnow()
    invitation_accepted.send(invitation, user=user)
    audit.record(
        user,
        "invitation.accepted",
        invitation,
        f"{user.email} joined {invitation.organisation.name}",
        organisation=invitation.organisation_id,
    )
    return membership


def join(user: User, org: Organisation, roles: list[str], department: str | None = None) -> Membership:
    """Give `user` an active membership of `org` with at least `roles` (no audit: callers record why)."""
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == org.id)
    )
    if membership is None:
        membership = Membership(user_id=user.id, organisation_id=org.id, department=department)
        db.session.add(membership)
        db.session.flush()
    membership.status = MembershipStatus.ACTIVE
    held = {g.role for g in membership.role_grants}
    for role in roles:
        if role not in held:
            membership.role_grants.append(RoleGrant(role=role))
    db.session.flush()
    return membership


def change_roles(actor: User, membership: Membership, roles: list[str]) -> None:
    """Replace a member's roles. An organisation always keeps at least one admin."""
    org = membership.organisation
    chosen = set(_check_roles(org, roles))
    before = membership.roles
    if Role.ORG_ADMIN in before and Role.ORG_ADMIN not in chosen:
        _ensure_another_admin(org, membership)
    for grant in list(membership.role_grants):
        if grant.role not in chosen:
            membership.role_grants.remove(grant)
    for role in chosen - before:
        membership.role_grants.append(RoleGrant(role=role))
    db.session.flush()
    audit.record(
        actor,
        "membership.roles_changed",
        membership,
        f"Changed {membership.user.name}'s roles to " + ", ".join(sorted(r.label for r in chosen)),
        organisation=org,
        before=sorted(before),
        after=sorted(chosen),
    )


def remove_member(actor: User, membership: Membership) -> None:
    """Remove a person from the organisation (their records stay)."""
    org = membership.organisation
    if Role.ORG_ADMIN in membership.roles:
        _ensure_another_admin(org, membership)
    membership.status = MembershipStatus.REMOVED
    membership.role_grants.clear()
    db.session.flush()
    audit.record(
        actor, "membership.removed", membership, f"Removed {membership.user.name} from {org.name}", organisation=org
    )


def revoke_invitation(actor: User, invitation: Invitation) -> None:
    if invitation.state != "pending":
        raise OrganisationError("Only a pending invitation can be withdrawn")
    invitation.revoked_at = utcnow()
    audit.record(actor, "invitation.revoked", invitation, f"Withdrew the invitation to {invitation.email}")


def _ensure_another_admin(org: Organisation, leaving: Membership) -> None:
    admins = db.session.scalar(
        select(func.count(RoleGrant.id))
        .join(Membership)
        .where(
            Membership.organisation_id == org.id,
            Membership.status == MembershipStatus.ACTIVE,
            RoleGrant.role == Role.ORG_ADMIN,
            Membership.id != leaving.id,
        )
    )
    if not admins:
        raise OrganisationError(f"{org.name} must keep at least one organisation admin")


# --- partnerships ---------------------------------------------------------------------------


def partnerships_of(org: Organisation) -> list[Partnership]:
    return list(
        db.session.scalars(
            select(Partnership)
            .where(or_(Partnership.employer_id == org.id, Partnership.provider_id == org.id))
            .options(db.joinedload(Partnership.employer), db.joinedload(Partnership.provider))
            .order_by(Partnership.created_at.desc())
        )
    )


def possible_partners(org: Organisation) -> list[Organisation]:
    """Organisations of the other kind with no partnership with `org` yet (or a declined/ended one)."""
    other_kind = OrgKind.PROVIDER if org.is_employer else OrgKind.EMPLOYER
    taken = {
        p.other_side(org.id).id
        for p in partnerships_of(org)
        if p.status in (PartnershipStatus.REQUESTED, PartnershipStatus.ACTIVE)
    }
    candidates = db.session.scalars(
        select(Organisation).where(Organisation.kind == other_kind).order_by(Organisation.name)
    )
    return [o for o in candidates if o.id not in taken]


def partner_ids(org: Organisation) -> set[int]:
    """Ids of organisations in an active partnership with `org`."""
    return {p.other_side(org.id).id for p in partnerships_of(org) if p.status == PartnershipStatus.ACTIVE}


def request_partnership(actor: User, org: Organisation, other_id: int, message: str | None = None) -> Partnership:
    if not (org.is_employer or org.is_provider):
        raise OrganisationError("Only employers and providers form partnerships")
    other = db.session.get(Organisation, other_id)
    if other is None or other not in possible_partners(org):
        raise OrganisationError("Choose an organisation you do not already partner with")
    employer, provider = (org, other) if org.is_employer else (other, org)
    partnership = db.session.scalar(
        select(Partnership).where(Partnership.employer_id == employer.id, Partnership.provider_id == provider.id)
    )
    if partnership is None:
        partnership = Partnership(employer_id=employer.id, provider_id=provider.id)
        db.session.add(partnership)
    partnership.status = PartnershipStatus.REQUESTED
    partnership.requested_by_org_id = org.id
    partnership.requested_by_user_id = actor.id
    partnership.message = (message or "").strip() or None
    partnership.responded_at = None
    db.session.flush()
    audit.record(
        actor, "partnership.requested", partnership, f"{org.name} asked {other.name} to partner", organisation=org
    )
    audit.record(
        actor, "partnership.requested", partnership, f"{org.name} asked {other.name} to partner", organisation=other
    )
    return partnership


def respond_to_partnership(actor: User, org: Organisation, partnership: Partnership, accept: bool) -> None:
    """The other side accepts or declines a requested partnership."""
    if partnership.status != PartnershipStatus.REQUESTED:
        raise OrganisationError("This partnership request has already been answered")
    if partnership.responding_org_id != org.id:
        raise OrganisationError("The organisation that asked cannot answer its own request")
    partnership.status = PartnershipStatus.ACTIVE if accept else PartnershipStatus.DECLINED
    partnership.responded_at = utcnow()
    verb = "accepted" if accept else "declined"
    other = partnership.other_side(org.id)
    for side in (org, other):
        audit.record(
            actor,
            f"partnership.{verb}",
            partnership,
            f"{org.name} {verb} the partnership with {other.name}",
            organisation=side,
        )


def end_partnership(actor: User, org: Organisation, partnership: Partnership) -> None:
    if partnership.status != PartnershipStatus.ACTIVE:
        raise OrganisationError("Only an active partnership can be ended")
    partnership.status = PartnershipStatus.ENDED
    partnership.responded_at = utcnow()
    other = partnership.other_side(org.id)
    for side in (org, other):
        audit.record(
            actor,
            "partnership.ended",
            partnership,
            f"{org.name} ended the partnership with {other.name}",
            organisation=side,
        )
