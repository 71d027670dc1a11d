"""Emails for CPD sponsorship: one to whoever must act next, after every transition."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Membership, MembershipStatus, RoleGrant, User
from app.models.people import Role
from app.services import links
from app.services.cpd.people import line_manager_of, person_membership
from app.services.mail import send


def hr_managers(org_id: int) -> list[User]:
    """Active HR managers of the employer."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .join(RoleGrant, RoleGrant.membership_id == Membership.id)
            .where(
                Membership.organisation_id == org_id,
                Membership.status == MembershipStatus.ACTIVE,
                RoleGrant.role == Role.HR_MANAGER,
            )
            .order_by(User.name)
            .distinct()
        )
    )


def _link(sponsorship) -> str:
    return links.public_url(f"/cpd/requests/{sponsorship.id}")


def after_transition(actor, s, transition, comment: str | None) -> None:
    """Tell the people who must act (or who need to know the outcome) what just happened."""
    action = transition.action
    person = s.person
    by = actor.name if actor is not None else "Credwork"
    note = f"\n\nComment from {by}:\n{comment}\n" if comment else "\n"
    link = f"\nOpen the request: {_link(s)}\n"
    recipients: list[tuple[User, str, str]] = []

    if action in {"submit", "resubmit"}:
        manager = line_manager_of(person_membership(s))
        if manager is not None:
            recipients.append(
                (
                    manager.user,
                    f"CPD request to endorse: {s.title}",
                    f'{person.name} has asked to be sponsored for "{s.title}" '
                    f"({s.provider_name}). Please endorse it, ask for more information or reject it.",
                )
            )
        else:
            for hr in hr_managers(s.organisation_id):
                if hr.id != person.id:
                    recipients.append(
                        (
                            hr,
                            f"CPD request to approve: {s.title}",
                            f'{person.name} has asked to be sponsored for "{s.title}". '
                            "They have no line manager, so it comes straight to HR.",
                        )
                    )
    elif action in {"endorse", "nominate"}:
        verb = "nominated" if action == "nominate" else "endorsed"
        for hr in hr_managers(s.organisation_id):
            if actor is None or hr.id != actor.id:
                recipients.append(
                    (
                        hr,
                        f"CPD request to approve: {s.title}",
                        f'{by} has {verb} {person.name} for "{s.title}". '
                        "Please approve it against a budget, ask for more information or reject it.",
                    )
                )
        if action == "nominate":
            recipients.append(
                (
                    person,
                    f"You have been nominated for CPD: {s.title}",
                    f'{by} has nominated you for "{s.title}". HR will decide on the funding; '
                    "you can withdraw if you do not want to take part.",
                )
            )
    elif action == "request_information":
        recipients.append(
            (
                person,
                f"More information needed: {s.title}",
                f"{by} needs more information before deciding on your CPD request.",
            )
        )
    elif action in {"approve", "approve_with_conditions"}:
        extra = ""
        if s.agreement is not None:
            extra = " Please read and accept the learning agreement before you enrol."
        if s.conditions:
            extra += f"\n\nConditions:\n{s.conditions}"
        recipients.append(
            (person, f"CPD request approved: {s.title}", f'Your CPD request for "{s.title}" has been approved.{extra}')
        )
    elif action == "reject":
        recipients.append(
            (person, f"CPD request not approved: {s.title}", f'Your CPD request for "{s.title}" has not been approved.')
        )
    elif action in {"complete", "not_complete"} and (actor is None or actor.id == person.id):
        # HR confirms the actual cost when the employee (or the system) closes the request.
        outcome = "completed" if action == "complete" else "not completed"
        for hr in hr_managers(s.organisation_id):
            recipients.append(
                (
                    hr,
                    f"CPD {outcome}: {s.title}",
                    f'{person.name}\'s CPD "{s.title}" is recorded as {outcome}. '
                    "Check the actual cost and record any refund or extra charge.",
                )
            )
    for user, subject, body in recipients:
        send(user.email, subject, f"Hello {user.name},\n\n{body}{note}{link}")
