"""Creating and changing CPD sponsorship requests (the workflow itself is `app.services.cpd.workflow`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from app.domain.money import format_pounds
from app.extensions import db
from app.models import Membership, MembershipStatus, Organisation, User
from app.models.base import utcnow
from app.models.catalogue import MicroCredential
from app.models.cpd import Sponsorship
from app.models.cpd import SponsorshipStatus as S
from app.security.permissions import Permission
from app.security.policy import cpd_acceptance_refusal, cpd_edit_refusal, permissions_of
from app.services import audit
from app.services.cpd import budgets, notify, people, workflow
from app.services.cpd.budgets import CpdError

EDITABLE = {S.DRAFT, S.MORE_INFORMATION_NEEDED}


@dataclass
class CourseDetails:
    """What is being asked for: a hub micro-credential, or an external course entered by hand."""

    reason: str
    micro_credential_id: int | None = None
    external_title: str | None = None
    external_provider: str | None = None
    external_url: str | None = None
    cost_pence: int | None = None
    hours: int | None = None
    scqf_credits: int | None = None
    start_date: date | None = None


def create_request(actor, org, details: CourseDetails, *, submit: bool = True) -> Sponsorship:
    """The signed-in employee asks to be sponsored; submitted straight away unless saved as a draft."""
    membership = people.membership_in(actor, org.id)
    if membership is None or Permission.CPD_REQUEST not in permissions_of(membership):
        raise CpdError("You cannot ask for CPD sponsorship in this organisation.")
    s = Sponsorship(
        organisation_id=org.id,
        person_id=actor.id,
        created_by_id=actor.id,
        nominated=False,
        department=membership.department,
        status=S.DRAFT,
    )
    _apply(s, details)
    db.session.add(s)
    db.session.flush()
    audit.record(
        actor,
        "cpd.request_created",
        s,
        f"{actor.name} asked for CPD sponsorship: {s.title}",
        organisation=org,
        cost_pence=s.cost_pence,
    )
    workflow.record_event(actor, s, "create", details.reason)
    if submit:
        workflow.act(actor, s, "submit")
    return s


def nominate(actor, org, person_membership: Membership, details: CourseDetails) -> Sponsorship:
    """A line manager (for a direct report) or an HR manager puts someone forward.

    The nomination is the nominator's endorsement, so the request starts as endorsed and goes
    to HR; the nominator cannot approve it themselves.
    """
    mine = people.membership_in(actor, org.id)
    granted = permissions_of(mine)
    if mine is None or Permission.CPD_NOMINATE not in granted or person_membership.organisation_id != org.id:
        raise CpdError("You cannot nominate people for CPD in this organisation.")
    is_manager = person_membership.line_manager_id == mine.id
    if not (is_manager or Permission.CPD_APPROVE in granted):
        raise CpdError("You can only nominate people you line manage.")
    if person_membership.user_id == actor.id:
        raise CpdError("Ask for sponsorship for yourself instead of nominating yourself.")
    s = Sponsorship(
        organisation_id=org.id,
        person_id=person_membership.user_id,
        created_by_id=actor.id,
        nominated=True,
        department=person_membership.department,
        status=S.DRAFT,
    )
    _apply(s, details)
    db.session.add(s)
    db.session.flush()
    s.submitted_at, s.endorsed_by_id = utcnow(), actor.id
    transition = workflow.Transition(
        S.DRAFT, "nominate", S.ENDORSED, frozenset({workflow.LINE_MANAGER, workflow.HR}), "Nominate"
    )
    workflow.record_transition(actor, s, transition, details.reason, None)
    notify.after_transition(actor, s, transition, details.reason)
    return s


def update_request(actor, s: Sponsorship, details: CourseDetails) -> Sponsorship:
    """The employee changes their draft, or answers a request for more information."""
    problem = cpd_edit_refusal(actor, s)
    if problem:
        raise CpdError(problem)
    _apply(s, details)
    db.session.flush()
    audit.record(
        actor,
        "cpd.request_changed",
        s,
        f"{actor.name} changed the CPD request {s.title}",
        organisation=s.organisation_id,
        cost_pence=s.cost_pence,
    )
    return s


def accept_agreement(actor, s: Sponsorship) -> None:
    """The employee accepts the learning agreement (timestamped and audited)."""
    problem = cpd_acceptance_refusal(actor, s)
    if problem:
        raise CpdError(problem)
    agreement = s.agreement
    agreement.accepted_at, agreement.accepted_by_id = utcnow(), actor.id
    workflow.record_event(actor, s, "accept_agreement", "Accepted the learning agreement")
    audit.record(
        actor,
        "cpd.agreement_accepted",
        s,
        f"{actor.name} accepted the learning agreement for {s.title}",
        organisation=s.organisation_id,
        repayment_months=agreement.repayment_months,
    )


def change_cost(actor, s: Sponsorship, new_cost_pence: int, comment: str) -> None:
    """HR records a changed price (before completion) or a refund or extra charge (after).

    Before completion the commitment follows the new price; afterwards the spend does. Either
    way the budget and the funding source cap are re-checked under their row locks.
    """
    if workflow.HR not in workflow.relationships(actor, s):
        raise CpdError("Only an HR manager can change the cost.")
    if new_cost_pence < 0:
        raise CpdError("The cost cannot be negative")
    comment = (comment or "").strip()
    if not comment:
        raise CpdError("Say why the cost changed (for example, a refund or a new price)")
    if s.status in {S.APPROVED, S.APPROVED_WITH_CONDITIONS, S.ENROLLED}:
        delta = new_cost_pence - s.committed_pence
        budgets.adjust_commitment(*s.ledger, delta)
        s.committed_pence = s.cost_pence = new_cost_pence
    elif s.status in {S.COMPLETED, S.NOT_COMPLETED} and s.budget_id:
        delta = new_cost_pence - s.spent_pence
        budgets.adjust_spend(*s.ledger, delta)
        s.spent_pence = new_cost_pence
    elif s.status in EDITABLE | {S.SUBMITTED, S.ENDORSED}:
        delta = new_cost_pence - s.cost_pence
        s.cost_pence = new_cost_pence
    else:
        raise CpdError("The cost of a rejected or withdrawn request cannot be changed.")
    db.session.flush()
    kind = "refund" if delta < 0 else "cost change"
    workflow.record_event(actor, s, "change_cost", comment, delta)
    audit.record(
        actor,
        "cpd.cost_changed",
        s,
        f"{actor.name} recorded a {kind} of {format_pounds(abs(delta))} on {s.title}",
        organisation=s.organisation_id,
        delta_pence=delta,
        comment=comment,
    )


def _apply(s: Sponsorship, d: CourseDetails) -> None:
    reason = (d.reason or "").strip()
    if not reason:
        raise CpdError("Say why this learning would help you in your work")
    if d.start_date is not None and d.start_date.year < 2000:
        raise CpdError("Enter a real start date")
    if d.micro_credential_id:
        mc = db.session.get(MicroCredential, int(d.micro_credential_id))
        if mc is None or mc.status != "published":
            raise CpdError("Choose a published micro-credential from the hub")
        s.micro_credential_id = mc.id
        s.external_title = s.external_provider = s.external_url = None
        s.title, s.provider_name = mc.title, _provider_name(mc)
        s.hours, s.scqf_level, s.scqf_credits = mc.notional_hours or 0, mc.scqf_level, mc.scqf_credits
        s.cost_pence = mc.price_pence if d.cost_pence is None else d.cost_pence
    else:
        title, provider = (d.external_title or "").strip(), (d.external_provider or "").strip()
        if not title or not provider:
            raise CpdError("Enter the course title and the provider, or choose a micro-credential from the hub")
        if d.cost_pence is None or d.hours is None:
            raise CpdError("Enter the cost and the hours of learning")
        s.micro_credential_id = None
        s.external_title = s.title = title[:300]
        s.external_provider = s.provider_name = provider[:200]
        s.external_url = _web_address(d.external_url)
        s.hours, s.scqf_level, s.scqf_credits = d.hours, None, d.scqf_credits
        s.cost_pence = d.cost_pence
    if s.cost_pence is None or s.cost_pence < 0 or (s.hours or 0) < 0:
        raise CpdError("The cost and the hours cannot be negative")
    s.start_date, s.reason = d.start_date, reason


def _web_address(raw: str | None) -> str | None:
    # Shown as a link to the manager and HR: a javascript: or data: URL would run in their session.
    url = (raw or "").strip()
    if not url:
        return None
    if not url.lower().startswith(("https://", "http://")) or len(url) > 500:
        raise CpdError("Enter the course web page as a full address starting with https://")
    return url


def _provider_name(mc) -> str:
    provider = getattr(mc, "provider", None)
    if provider is None and getattr(mc, "provider_id", None):
        provider = db.session.get(Organisation, mc.provider_id)
    return getattr(provider, "name", "") or "Hub provider"


def reports_of(manager_membership: Membership) -> list[Membership]:
    """Active direct reports of a line manager, by name."""

    return list(
        db.session.scalars(
            select(Membership)
            .join(User, Membership.user_id == User.id)
            .where(Membership.line_manager_id == manager_membership.id, Membership.status == MembershipStatus.ACTIVE)
            .options(db.joinedload(Membership.user))
            .order_by(User.name)
        )
    )


def hub_choices(q: str = "", include_id: int | None = None, limit: int = 80) -> list:
    """Published hub micro-credentials to choose from, matching `q` in title or code.

    `include_id` keeps an already chosen record in the list whatever the search says.
    """

    stmt = (
        select(MicroCredential)
        .where(MicroCredential.status == "published")
        .options(db.joinedload(MicroCredential.provider))
        .order_by(MicroCredential.title)
        .limit(limit)
    )
    if q:
        needle = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(func.lower(MicroCredential.title).like(needle), func.lower(MicroCredential.code).like(needle))
        )
    found = list(db.session.scalars(stmt))
    if include_id and all(mc.id != include_id for mc in found):
        chosen = db.session.get(MicroCredential, include_id)
        if chosen is not None and chosen.status == "published":
            found.insert(0, chosen)
    return found
