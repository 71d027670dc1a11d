"""The training plan (commitment statement): what the three parties accept, and everything that
changes it. A change to the plan (hours, dates, people, notes, prior learning) makes a new
version of it, which needs all three acceptances again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from app.domain import off_the_job as otj
from app.domain.calendar import london_date
from app.extensions import db
from app.models import (
    Apprenticeship,
    HeldCredential,
    IssuedCredential,
    MicroCredential,
    ModuleResult,
    Organisation,
    Party,
    PlanAcceptance,
    PriorLearning,
)
from app.services import issuing
from app.services.apprenticeships import history
from app.services.apprenticeships.cohorts import weekly_minutes
from app.services.apprenticeships.errors import ApprenticeshipError


def accept(actor, apprenticeship: Apprenticeship, party: Party, parties: set[Party]) -> PlanAcceptance:
    """`actor` accepts the current plan for `party`, which must be one they act for (`parties`,
    from the policy)."""
    if party not in parties:
        raise ApprenticeshipError(f"You cannot accept the plan for the {party.label.lower()}.")
    if party in apprenticeship.accepted_parties():
        raise ApprenticeshipError(f"The {party.label.lower()} has already accepted this version of the plan.")
    if not (apprenticeship.is_running or apprenticeship.status == "planned"):
        raise ApprenticeshipError("The plan of a finished apprenticeship cannot be accepted.")
    taken = {a.user_id for a in apprenticeship.acceptances if a.plan_version == apprenticeship.plan_version}
    if actor.id in taken:
        raise ApprenticeshipError(
            "You have already accepted this plan for another party; each party accepts for itself."
        )
    acceptance = PlanAcceptance(
        apprenticeship_id=apprenticeship.id, plan_version=apprenticeship.plan_version, party=party, user_id=actor.id
    )
    apprenticeship.acceptances.append(acceptance)
    db.session.flush()
    history.note(
        actor,
        apprenticeship,
        "plan_accept",
        f"Accepted version {apprenticeship.plan_version} of the training plan as the {party.label.lower()}",
    )
    return acceptance


def _new_version(actor, apprenticeship: Apprenticeship, what: str, reason: str | None = None) -> None:
    apprenticeship.plan_version += 1
    db.session.flush()
    history.note(
        actor,
        apprenticeship,
        "plan_change",
        f"Training plan changed ({what}): version {apprenticeship.plan_version} needs all three acceptances again",
        reason=reason,
    )


@dataclass
class PlanTerms:
    weekly_hours: str
    planned_end_date: date
    notes: str | None


def change_terms(actor, apprenticeship: Apprenticeship, terms: PlanTerms) -> None:
    """Change the contracted hours, planned end or notes of the plan."""
    if not (apprenticeship.is_running or apprenticeship.status == "planned"):
        raise ApprenticeshipError("The plan of a finished apprenticeship cannot change.")
    minutes = weekly_minutes(terms.weekly_hours)
    if terms.planned_end_date <= apprenticeship.start_date:
        raise ApprenticeshipError("The planned end date must be after the start date.", field="planned_end_date")
    notes = (terms.notes or "").strip() or None
    changed = [
        label
        for label, old, new in (
            ("contracted hours", apprenticeship.weekly_minutes, minutes),
            ("planned end date", apprenticeship.planned_end_date, terms.planned_end_date),
            ("notes", apprenticeship.plan_notes, notes),
        )
        if old != new
    ]
    if not changed:
        return
    apprenticeship.weekly_minutes = minutes
    apprenticeship.planned_end_date = terms.planned_end_date
    apprenticeship.plan_notes = notes
    _new_version(actor, apprenticeship, ", ".join(changed))


def recognise_prior_learning(
    actor,
    apprenticeship: Apprenticeship,
    *,
    outcome_id: int | None,
    module_id: int | None,
    reason: str,
    evidence: str = "",
) -> PriorLearning:
    """Record prior learning against one KSB or module; it shortens the plan pro rata."""
    if apprenticeship.status != "planned":
        raise ApprenticeshipError("Prior learning is recognised at the start, before the apprenticeship begins.")
    if not reason.strip():
        raise ApprenticeshipError("Give the reason the prior learning is recognised.", field="reason")
    programme = apprenticeship.programme
    if (outcome_id is None) == (module_id is None):
        raise ApprenticeshipError("Choose one KSB or one module.", field="target")
    if outcome_id is not None and outcome_id not in {o.id for o in programme.outcomes}:
        raise ApprenticeshipError("Choose a KSB of this programme.", field="target")
    if module_id is not None and module_id not in {m.id for m in programme.modules}:
        raise ApprenticeshipError("Choose a module of this programme.", field="target")
    if any(p.outcome_id == outcome_id and p.module_id == module_id for p in apprenticeship.prior_learning):
        raise ApprenticeshipError("That is already recognised.", field="target")
    before = apprenticeship.otj_plan()
    recognised = PriorLearning(
        apprenticeship_id=apprenticeship.id,
        outcome_id=outcome_id,
        module_id=module_id,
        reason=reason.strip()[:2000],
        evidence=evidence.strip()[:500] or None,
        recorded_by_id=actor.id,
    )
    apprenticeship.prior_learning.append(recognised)
    db.session.flush()
    after = apprenticeship.otj_plan()
    _new_version(
        actor, apprenticeship, f"prior learning: {recognised.what[:80]}", reason=reduction_words(before, after)
    )
    return recognised


def reduction_words(before: otj.Plan, after: otj.Plan) -> str:
    """ "Duration 548 to 493 days, off-the-job target 220 to 198 hours" """
    return (
        f"Duration {before.planned_days} to {after.planned_days} days, off-the-job target "
        f"{otj.hours(otj.target_minutes(before))} to {otj.hours(otj.target_minutes(after))} hours"
    )


def record_module_result(
    actor, apprenticeship: Apprenticeship, module_id: int, result: str, on: date, today: date
) -> ModuleResult:
    """The provider's pass or fail for a module; a resit replaces the result (history keeps both)."""
    module = next((m for m in apprenticeship.programme.modules if m.id == module_id), None)
    if module is None:
        raise ApprenticeshipError("Choose a module of this programme.", field="module_id")
    if result not in ("passed", "failed"):
        raise ApprenticeshipError("Choose passed or failed.", field="result")
    if on > today:
        raise ApprenticeshipError("The result date cannot be in the future.", field="on")
    found = db.session.scalar(
        select(ModuleResult).where(
            ModuleResult.apprenticeship_id == apprenticeship.id, ModuleResult.module_id == module_id
        )
    )
    if found is None:
        found = ModuleResult(apprenticeship_id=apprenticeship.id, module_id=module_id, result=result, result_date=on)
        db.session.add(found)
    found.result, found.result_date, found.recorded_by_id = result, on, actor.id
    db.session.flush()
    history.note(
        actor, apprenticeship, "module_result", f"{module.micro_credential.title}: {result} on {london_date(on)}"
    )
    return found


def accepted_by(apprenticeship: Apprenticeship) -> list[tuple[Party, PlanAcceptance | None]]:
    """Each party with its acceptance of the current plan, or None while waiting."""
    done = apprenticeship.accepted_parties()
    return [(party, done.get(party)) for party in Party]


def module_results(apprenticeship: Apprenticeship) -> dict[int, ModuleResult]:
    """{programme module id: its result} for the apprenticeship."""
    return {
        r.module_id: r
        for r in db.session.scalars(select(ModuleResult).where(ModuleResult.apprenticeship_id == apprenticeship.id))
    }


def badges_of(apprenticeship: Apprenticeship, limit: int = 50) -> list[str]:
    """The apprentice's badges and recorded qualifications, as words a coordinator can cite as
    evidence of prior learning: badges issued on Credwork (not revoked) and credentials HR holds
    on record."""
    user = apprenticeship.apprentice.user
    issued = db.session.execute(
        select(MicroCredential.title, Organisation.name, IssuedCredential.issued_at)
        .join(MicroCredential, IssuedCredential.micro_credential_id == MicroCredential.id)
        .join(Organisation, IssuedCredential.organisation_id == Organisation.id)
        .where(
            or_(
                IssuedCredential.user_id == user.id, func.lower(IssuedCredential.recipient_email) == user.email.lower()
            ),
            IssuedCredential.revoked_at.is_(None),
        )
        .order_by(IssuedCredential.issued_at.desc())
        .limit(limit)
    )
    held = db.session.execute(
        select(MicroCredential.title, HeldCredential.achieved_on)
        .join(MicroCredential, HeldCredential.micro_credential_id == MicroCredential.id)
        .where(HeldCredential.user_id == user.id)
        .limit(limit)
    )
    found = [f"{title}: Open Badge issued by {issuer} on {london_date(at)}" for title, issuer, at in issued]
    found += [f"{title}: recorded by the employer, achieved {london_date(on)}" for title, on in held]
    return list(dict.fromkeys(found))[:limit]


def issue_module_badge(actor, apprenticeship: Apprenticeship, module_id: int):
    """Issue the badge of a module the apprentice has passed (the provider's own modules only,
    as their current published version)."""
    module = next((m for m in apprenticeship.programme.modules if m.id == module_id), None)
    if module is None:
        raise ApprenticeshipError("That module is not part of this programme.")
    result = module_results(apprenticeship).get(module_id)
    if result is None or result.result != "passed":
        raise ApprenticeshipError("A module's badge is issued once the module is passed.")
    record = module.micro_credential
    current = db.session.scalar(
        select(MicroCredential).where(
            MicroCredential.provider_id == record.provider_id,
            MicroCredential.code == record.code,
            MicroCredential.status == "published",
        )
    )
    if record.provider_id != apprenticeship.provider_id or current is None:
        raise ApprenticeshipError("Only the provider's own published micro-credentials are issued from here.")
    person = apprenticeship.apprentice.user
    issued = issuing.issue(actor, apprenticeship.provider, current, issuing.Learner(person.name, person.email))
    history.note(actor, apprenticeship, "module_badge", f"Issued the badge for {current.title}")
    return issued


def badges_issued(apprenticeship: Apprenticeship) -> list:
    """Credentials issued to the apprentice for this programme's modules and its certificate."""
    user = apprenticeship.apprentice.user
    codes = [m.micro_credential.code for m in apprenticeship.programme.modules]
    return list(
        db.session.scalars(
            select(IssuedCredential)
            .outerjoin(MicroCredential, IssuedCredential.micro_credential_id == MicroCredential.id)
            .where(
                or_(
                    IssuedCredential.user_id == user.id,
                    func.lower(IssuedCredential.recipient_email) == user.email.lower(),
                ),
                or_(IssuedCredential.apprenticeship_id == apprenticeship.id, MicroCredential.code.in_(codes)),
            )
            .order_by(IssuedCredential.issued_at)
        )
    )
