"""The CPD sponsorship workflow: ONE transition table, and the one function that applies it.

Who may act is decided per request, from the actor's relationship to it:

- ``requester``: the employee whose CPD it is;
- ``line_manager``: that employee's line manager (holding cpd:endorse);
- ``hr_manager``: anyone holding cpd:approve in the employer.

Separation of duties (money is at stake): nobody endorses, approves or rejects their own
request; an HR manager may not approve a request they nominated or endorsed (an HR manager who
is also the line manager endorses, and a *different* HR manager approves). A nomination counts
as the nominator's endorsement, so it starts in ``endorsed``.
Employees with no line manager go straight to HR, who may approve from ``submitted``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, select

from app.extensions import db
from app.models.base import utcnow
from app.models.catalogue import MicroCredential
from app.models.cpd import CpdBudget, FundingSourceYear, LearningAgreement, Sponsorship, SponsorshipEvent
from app.models.cpd import SponsorshipStatus as S
from app.models.held_credentials import HeldCredential, HeldCredentialSource
from app.security.permissions import Permission
from app.security.policy import permissions_of
from app.services import audit
from app.services.cpd import budgets, notify
from app.services.cpd.budgets import CpdError, NotEnoughBudget  # noqa: F401 (re-exported)
from app.services.cpd.people import line_manager_of, membership_in, person_membership

REQUESTER, LINE_MANAGER, HR = "requester", "line_manager", "hr_manager"
WHO_LABELS = {REQUESTER: "the employee", LINE_MANAGER: "their line manager", HR: "an HR manager"}


@dataclass(frozen=True)
class Transition:
    from_status: S
    action: str
    to_status: S
    who: frozenset[str]
    label: str
    needs: str | None = None  # a named condition on the request, see _condition_holds

    # What the page shows for this action: decided here, once, not in templates.
    @property
    def style(self) -> str:
        """The button: "warning" for a refusal or a withdrawal, "primary" for moving the request
        forward, "secondary" otherwise."""
        if self.action in {"reject", "withdraw"}:
            return "warning"
        if self.action in {"approve", "endorse", "submit", "resubmit", "complete"}:
            return "primary"
        return "secondary"

    @property
    def is_approval(self) -> bool:
        """Approving asks for a budget, a funding source and optionally a learning agreement."""
        return self.action in APPROVALS

    @property
    def takes_conditions(self) -> bool:
        """The plain approval form takes optional conditions (which make it conditional)."""
        return self.action == "approve"

    @property
    def records_outcome(self) -> bool:
        """Finishing the course asks for the date and, from HR, the actual cost."""
        return self.action in {"complete", "not_complete"}

    def comment_label(self, person_name: str) -> str:
        """The comment box's label: a reason the employee reads is asked for by name."""
        if self.action == "approve_with_conditions":
            return "Conditions"
        if self.action in {"reject", "request_information"}:
            return f"Comment for {person_name}"
        return "Comment (optional)"


def _t(frm, action, to, who, label, needs=None):
    return Transition(frm, action, to, frozenset(who), label, needs)


TRANSITIONS: list[Transition] = [
    _t(S.DRAFT, "submit", S.SUBMITTED, {REQUESTER}, "Submit request"),
    _t(S.DRAFT, "withdraw", S.WITHDRAWN, {REQUESTER}, "Withdraw"),
    _t(S.SUBMITTED, "endorse", S.ENDORSED, {LINE_MANAGER}, "Endorse"),
    _t(S.SUBMITTED, "approve", S.APPROVED, {HR}, "Approve", needs="no_line_manager"),
    _t(
        S.SUBMITTED,
        "approve_with_conditions",
        S.APPROVED_WITH_CONDITIONS,
        {HR},
        "Approve with conditions",
        needs="no_line_manager",
    ),
    _t(S.SUBMITTED, "request_information", S.MORE_INFORMATION_NEEDED, {LINE_MANAGER, HR}, "Ask for more information"),
    _t(S.SUBMITTED, "reject", S.REJECTED, {LINE_MANAGER, HR}, "Reject"),
    _t(S.SUBMITTED, "withdraw", S.WITHDRAWN, {REQUESTER}, "Withdraw"),
    _t(S.MORE_INFORMATION_NEEDED, "resubmit", S.SUBMITTED, {REQUESTER}, "Send the information"),
    _t(S.MORE_INFORMATION_NEEDED, "withdraw", S.WITHDRAWN, {REQUESTER}, "Withdraw"),
    _t(S.ENDORSED, "approve", S.APPROVED, {HR}, "Approve"),
    _t(S.ENDORSED, "approve_with_conditions", S.APPROVED_WITH_CONDITIONS, {HR}, "Approve with conditions"),
    _t(S.ENDORSED, "request_information", S.MORE_INFORMATION_NEEDED, {HR}, "Ask for more information"),
    _t(S.ENDORSED, "reject", S.REJECTED, {HR}, "Reject"),
    _t(S.ENDORSED, "withdraw", S.WITHDRAWN, {REQUESTER}, "Withdraw"),
    _t(S.APPROVED, "enrol", S.ENROLLED, {REQUESTER, HR}, "Record enrolment", needs="agreement_settled"),
    _t(S.APPROVED, "withdraw", S.WITHDRAWN, {REQUESTER, HR}, "Withdraw"),
    _t(S.APPROVED_WITH_CONDITIONS, "enrol", S.ENROLLED, {REQUESTER, HR}, "Record enrolment", needs="agreement_settled"),
    _t(S.APPROVED_WITH_CONDITIONS, "withdraw", S.WITHDRAWN, {REQUESTER, HR}, "Withdraw"),
    _t(S.ENROLLED, "complete", S.COMPLETED, {REQUESTER, HR}, "Record completion"),
    _t(S.ENROLLED, "not_complete", S.NOT_COMPLETED, {REQUESTER, HR}, "Record as not completed"),
]

APPROVALS = {"approve", "approve_with_conditions"}


def offered(actions: list[Transition]) -> list[Transition]:
    """The actions as the request page offers them: one approval form when a plain approval is
    possible (its optional conditions make it conditional)."""
    plain = any(t.action == "approve" for t in actions)
    return [t for t in actions if not (t.action == "approve_with_conditions" and plain)]


ACTION_LABELS = {t.action: t.label for t in TRANSITIONS}
# Actions where the actor must give a reason the requester will read.
COMMENT_REQUIRED = {"reject", "request_information", "approve_with_conditions"}


def find_transition(status: str, action: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.from_status == status and t.action == action), None)


def relationships(actor, sponsorship: Sponsorship) -> set[str]:
    """Which of requester / line manager / HR manager the actor is for this request."""
    found: set[str] = set()
    if actor is None:
        return found
    if actor.id == sponsorship.person_id:
        found.add(REQUESTER)
    mine = membership_in(actor, sponsorship.organisation_id)
    if mine is None:
        return found
    granted = permissions_of(mine)
    manager = line_manager_of(person_membership(sponsorship))
    if manager is not None and manager.id == mine.id and Permission.CPD_ENDORSE in granted:
        found.add(LINE_MANAGER)
    if Permission.CPD_APPROVE in granted:
        found.add(HR)
    return found


def separation_problem(actor, sponsorship: Sponsorship, action: str) -> str | None:
    """Why this actor may not take this action on this request (separation of duties), or None."""
    if action in {"endorse", "reject", *APPROVALS} and actor.id == sponsorship.person_id:
        return "You cannot endorse, approve or reject your own request."
    if action in APPROVALS:
        if sponsorship.nominated and actor.id == sponsorship.created_by_id:
            return "You nominated this person, so another HR manager must approve it."
        if actor.id == sponsorship.endorsed_by_id:
            return "You endorsed this request, so another HR manager must approve it."
    return None


def _condition_holds(needs: str | None, sponsorship: Sponsorship) -> bool:
    if needs == "no_line_manager":
        return line_manager_of(person_membership(sponsorship)) is None
    if needs == "agreement_settled":
        return sponsorship.agreement is None or sponsorship.agreement.accepted_at is not None
    return True


CONDITION_MESSAGES = {
    "agreement_settled": "The employee must accept the learning agreement before enrolling.",
}


def check(actor, sponsorship: Sponsorship, action: str) -> Transition:
    """The transition if the actor may take it now; CpdError saying why not otherwise."""
    transition = find_transition(sponsorship.status, action)
    if (
        transition is not None
        and not _condition_holds(transition.needs, sponsorship)
        and transition.needs in CONDITION_MESSAGES
    ):
        raise CpdError(CONDITION_MESSAGES[transition.needs])
    if transition is None or not _condition_holds(transition.needs, sponsorship):
        label = ACTION_LABELS.get(action, action.replace("_", " "))
        raise CpdError(f"This request is {sponsorship.status_label.lower()}: “{label}” is not possible now.")
    if actor is not None:
        if not (relationships(actor, sponsorship) & transition.who):
            allowed = " or ".join(WHO_LABELS[w] for w in sorted(transition.who))
            raise CpdError(f"Only {allowed} can do that.")
        problem = separation_problem(actor, sponsorship, action)
        if problem:
            raise CpdError(problem)
    return transition


def available_actions(actor, sponsorship: Sponsorship) -> list[Transition]:
    """The transitions this actor may take on this request now (for the buttons on the page)."""
    allowed = []
    for transition in TRANSITIONS:
        if transition.from_status != sponsorship.status:
            continue
        try:
            check(actor, sponsorship, transition.action)
        except CpdError:
            continue
        allowed.append(transition)
    return allowed


# -- applying a transition -------------------------------------------------------------------


def act(
    actor,
    sponsorship: Sponsorship,
    action: str,
    comment: str | None = None,
    *,
    budget_id: int | None = None,
    funding_year_id: int | None = None,
    actual_cost_pence: int | None = None,
    completed_on: date | None = None,
    agreement: dict | None = None,
) -> Sponsorship:
    """Move the request along the transition table: check, move money, record history, notify.

    `actor` None means the system (an issued badge completing the request).
    """
    # Lock the request first: two approvals of the same request must not both commit money.
    locked = db.session.scalars(
        select(Sponsorship)
        .where(Sponsorship.id == sponsorship.id)
        .with_for_update(of=Sponsorship)
        .execution_options(populate_existing=True)
    ).one()
    transition = check(actor, locked, action)
    comment = (comment or "").strip() or None
    if action in COMMENT_REQUIRED and not comment:
        raise CpdError(
            "Approval conditions are needed"
            if action == "approve_with_conditions"
            else "Enter a comment for the employee"
        )
    amount = None
    if action in APPROVALS:
        amount = _approve(actor, locked, action, budget_id, funding_year_id, comment, agreement)
    elif action == "endorse":
        locked.endorsed_by_id = actor.id
    elif action in {"submit", "resubmit"}:
        locked.submitted_at = utcnow()
    elif action == "withdraw" and locked.committed_pence:
        amount = -locked.committed_pence
        budgets.release(*locked.ledger, locked.committed_pence)
        locked.committed_pence = 0
    elif action in {"complete", "not_complete"}:
        amount = _finish(actor, locked, action, actual_cost_pence, completed_on)
    record_transition(actor, locked, transition, comment, amount)
    notify.after_transition(actor, locked, transition, comment)
    return locked


def _approve(actor, s: Sponsorship, action: str, budget_id, funding_year_id, comment, agreement) -> int:
    budget = db.session.get(CpdBudget, int(budget_id)) if budget_id else None
    funding = db.session.get(FundingSourceYear, int(funding_year_id)) if funding_year_id else None
    if (
        budget is None
        or funding is None
        or budget.organisation_id != s.organisation_id
        or funding.organisation_id != s.organisation_id
    ):
        raise CpdError("Choose the budget and the funding source to approve against")
    if budget.financial_year != funding.financial_year:
        raise CpdError("The budget and the funding source must be for the same financial year")
    budgets.commit(budget.id, funding.id, s.cost_pence)
    s.budget_id, s.funding_source_year_id = budget.id, funding.id
    s.committed_pence = s.cost_pence
    s.approved_by_id, s.approved_at = actor.id, utcnow()
    s.conditions = comment if action == "approve_with_conditions" else None
    if agreement and (agreement.get("text") or "").strip():
        months = int(agreement.get("repayment_months") or 0)
        basis = agreement.get("repayment_basis") or "pro_rata"
        if not 0 <= months <= 600 or basis not in {"pro_rata", "full"}:  # 50 years: past that it is a typo
            raise CpdError("Enter the repayment period in whole months")
        s.agreement = LearningAgreement(
            organisation_id=s.organisation_id,
            repayment_months=months,
            repayment_basis=basis,
            text=agreement["text"].strip(),
            set_by_id=actor.id,
        )
    return s.cost_pence


def _finish(actor, s: Sponsorship, action: str, actual: int | None, completed_on: date | None) -> int:
    is_hr = actor is not None and HR in relationships(actor, s)
    if actual is None or not is_hr:
        # Only HR changes what was paid; the employee and the system confirm the committed cost.
        actual = s.committed_pence
    if actual < 0:
        raise CpdError("The actual cost cannot be negative")
    budgets.spend(*s.ledger, s.committed_pence, actual)
    s.committed_pence, s.spent_pence = 0, actual
    if action == "complete":
        s.completed_on = completed_on or date.today()
        if s.micro_credential_id is not None:
            _hold_credential(s)
    return actual


def _hold_credential(s: Sponsorship) -> None:
    exists = db.session.scalar(select(HeldCredential).where(HeldCredential.sponsorship_id == s.id))
    if exists is None and s.issued_credential_id is not None:
        # Issuing already recorded the badge in this employer's record: link it, no duplicate.
        exists = db.session.scalar(
            select(HeldCredential).where(
                HeldCredential.issued_credential_id == s.issued_credential_id,
                HeldCredential.organisation_id == s.organisation_id,
                HeldCredential.user_id == s.person_id,
            )
        )
        if exists is not None:
            exists.sponsorship_id = s.id
    if exists is None:
        db.session.add(
            HeldCredential(
                user_id=s.person_id,
                organisation_id=s.organisation_id,
                micro_credential_id=s.micro_credential_id,
                achieved_on=s.completed_on,
                source=HeldCredentialSource.CPD,
                sponsorship_id=s.id,
                issued_credential_id=s.issued_credential_id,
            )
        )
        db.session.flush()


def record_transition(actor, s: Sponsorship, transition: Transition, comment: str | None, amount: int | None) -> None:
    """Set the new state and keep the step twice: as history on the request and in the audit log."""
    s.status = transition.to_status
    s.events.append(
        SponsorshipEvent(
            organisation_id=s.organisation_id,
            actor_id=getattr(actor, "id", None),
            action=transition.action,
            from_status=transition.from_status,
            to_status=transition.to_status,
            comment=comment,
            amount_pence=amount,
        )
    )
    db.session.flush()
    who = actor.name if actor is not None else "Credwork (automatically)"
    audit.record(
        actor,
        f"cpd.{transition.action}",
        s,
        f'{who}: {transition.label.lower()} for {s.person.name}\'s CPD request "{s.title}"',
        organisation=s.organisation_id,
        from_status=transition.from_status,
        to_status=transition.to_status,
        comment=comment,
        amount_pence=amount,
    )


def record_event(actor, s: Sponsorship, action: str, comment: str | None, amount: int | None = None) -> None:
    """History for a change that does not move the state (agreement accepted, cost changed)."""
    s.events.append(
        SponsorshipEvent(
            organisation_id=s.organisation_id,
            actor_id=getattr(actor, "id", None),
            action=action,
            from_status=s.status,
            to_status=s.status,
            comment=comment,
            amount_pence=amount,
        )
    )
    db.session.flush()


def link_issued_credential(user, micro_credential, issued_credential_id: int) -> Sponsorship | None:
    """A provider issued a badge for `micro_credential` to `user`: complete the matching request.

    Matches an enrolled sponsorship for that person and that hub record (any version with the
    same provider and code, since providers publish new versions while people study). The
    completion is made by the system (actor None), audited, and creates the held credential.
    """

    same_record = select(MicroCredential.id).where(
        MicroCredential.provider_id == micro_credential.provider_id, MicroCredential.code == micro_credential.code
    )
    sponsorship = db.session.scalars(
        select(Sponsorship)
        .where(
            Sponsorship.person_id == user.id,
            Sponsorship.status == S.ENROLLED,
            Sponsorship.micro_credential_id.in_(same_record),
        )
        .order_by(case((Sponsorship.micro_credential_id == micro_credential.id, 0), else_=1), Sponsorship.id)
    ).first()
    if sponsorship is None:
        return None
    sponsorship.issued_credential_id = issued_credential_id
    return act(None, sponsorship, "complete", "Completed automatically: the provider issued the badge.")
