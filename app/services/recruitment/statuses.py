"""A candidate's status: applied, shortlisted, interview, offer, hired or rejected. Every move is
audited; hiring makes the person a member of the organisation, and carries their verified badges
into their Credwork wallet if they agreed when they applied."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Invitation, Role, User
from app.models.recruitment import CANDIDATE_STATUS_LABELS, Candidate, CandidateBadge, CandidateStatus
from app.services import audit
from app.services.accounts import organisations
from app.services.recruitment.applications import data_of
from app.services.recruitment.vacancies import RecruitmentError
from app.services.verification.verifier import VerificationInput
from app.services.wallet import imports as wallet_imports
from app.services.wallet.imports import WalletError

S = CandidateStatus
# Where a candidate may go next. Hired is the end; a rejection can be reconsidered.
MOVES: dict[str, tuple[str, ...]] = {
    S.APPLIED: (S.SHORTLISTED, S.REJECTED),
    S.SHORTLISTED: (S.INTERVIEW, S.OFFER, S.REJECTED, S.APPLIED),
    S.INTERVIEW: (S.OFFER, S.REJECTED, S.SHORTLISTED),
    S.OFFER: (S.HIRED, S.REJECTED, S.INTERVIEW),
    S.HIRED: (),
    S.REJECTED: (S.SHORTLISTED,),
}


def moves_from(candidate: Candidate) -> list[tuple[str, str]]:
    """The statuses this candidate may move to, with their labels (hiring has its own button)."""
    return [(s, CANDIDATE_STATUS_LABELS[s]) for s in MOVES.get(candidate.status, ()) if s != S.HIRED]


def move(actor, candidate: Candidate, status: str) -> None:
    if status == S.HIRED:
        raise RecruitmentError("Use Hire to hire a candidate")
    if status not in MOVES.get(candidate.status, ()):
        label = CANDIDATE_STATUS_LABELS.get(status, status)
        raise RecruitmentError(f"A candidate who is {candidate.status_label.lower()} cannot move to {label.lower()}")
    before = candidate.status
    candidate.status = status
    db.session.flush()
    audit.record(
        actor,
        "candidate.status",
        candidate,
        f"Moved candidate {candidate.id} for {candidate.vacancy.title} from "
        f"{CANDIDATE_STATUS_LABELS[before].lower()} to {candidate.status_label.lower()}",
        organisation=candidate.vacancy.organisation_id,
        before=before,
        after=status,
    )


def carry_badges(user: User, candidate: Candidate) -> int:
    """Import the candidate's badges that prove skills into ``user``'s wallet (each is verified
    again there). Returns how many went in."""
    carried = 0
    for badge in db.session.scalars(
        select(CandidateBadge).where(
            CandidateBadge.candidate_id == candidate.id, CandidateBadge.proves_skills.is_(True)
        )
    ):
        try:
            wallet_imports.import_badge(user, VerificationInput(data_of(badge), badge.document_kind, badge.label))
        except WalletError:
            continue  # no longer valid: it stays out of the wallet
        carried += 1
    return carried


def hire(actor, candidate: Candidate) -> str:
    """Hire a candidate who has an offer. Someone with a Credwork account joins the organisation
    as a learner at once (with their badges, if they agreed); anyone else is invited by email and
    their badges follow when they accept. Returns a sentence saying what happened."""
    if candidate.status != S.OFFER:
        raise RecruitmentError("Only a candidate with an offer can be hired")
    vacancy = candidate.vacancy
    org = vacancy.organisation
    candidate.status = S.HIRED
    user = db.session.scalar(select(User).where(func.lower(User.email) == candidate.email))
    if user is not None:
        organisations.join(user, org, [Role.LEARNER])
        carried = carry_badges(user, candidate) if candidate.carry_badges else 0
        outcome = f"{candidate.name} is now a member of {org.name}" + (
            f", with {carried} verified badge(s) in their wallet" if carried else ""
        )
    else:
        invitation = organisations.invite(actor, org, candidate.email, [Role.LEARNER])
        candidate.hired_invitation_id = invitation.id
        outcome = f"{candidate.name} has been invited to join {org.name}" + (
            "; their verified badges go into their wallet when they accept" if candidate.carry_badges else ""
        )
    db.session.flush()
    audit.record(
        actor,
        "candidate.hired",
        candidate,
        f"Hired candidate {candidate.id} for {vacancy.title}",
        organisation=org.id,
        joined=user is not None,
    )
    return outcome


def on_invitation_accepted(invitation: Invitation, user: User) -> None:
    """An invitation sent by `hire` was accepted: carry the badges the candidate agreed to bring."""
    for candidate in db.session.scalars(
        select(Candidate).where(Candidate.hired_invitation_id == invitation.id, Candidate.carry_badges.is_(True))
    ):
        carry_badges(user, candidate)
