"""Gateway and the end-point assessment.

The gateway checklist is set per programme: every KSB covered by signed-off evidence, the
off-the-job target met, every review signed, the modules passed (or recognised as prior
learning), and the employer's and the provider's confirmations. When both have confirmed, the
apprentice moves to "at gateway". The coordinator then records the end-point assessment result
(pass, merit, distinction or fail, with a date): a pass completes the apprenticeship; a fail
opens a new gateway round for a resit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.domain.calendar import london_date
from app.extensions import db
from app.models import (
    Apprenticeship,
    EndPointAssessment,
    GatewayConfirmation,
    ModuleResult,
    Party,
    ProgressReview,
    utcnow,
)
from app.services.apprenticeships import history, lifecycle, off_the_job
from app.services.apprenticeships.errors import ApprenticeshipError
from app.services.evidence import coverage
from app.services.issuing import apprenticeship_certificates

RESULTS = {"pass": "Pass", "merit": "Merit", "distinction": "Distinction", "fail": "Fail"}


@dataclass(frozen=True)
class Check:
    name: str
    met: bool
    detail: str


def current_round(a: Apprenticeship) -> int:
    fails = db.session.scalar(
        select(func.count(EndPointAssessment.id)).where(
            EndPointAssessment.apprenticeship_id == a.id, EndPointAssessment.result == "fail"
        )
    )
    return (fails or 0) + 1


def confirmations(a: Apprenticeship) -> dict[Party, GatewayConfirmation]:
    return {
        Party(c.party): c
        for c in db.session.scalars(
            select(GatewayConfirmation).where(
                GatewayConfirmation.apprenticeship_id == a.id, GatewayConfirmation.round == current_round(a)
            )
        )
    }


def checklist(a: Apprenticeship, today: date) -> list[Check]:
    """The programme's gateway conditions, each met or not, with the figures behind it."""
    programme = a.programme
    found: list[Check] = []
    if programme.gateway_ksbs:
        cells = coverage.matrix(a)
        missing = [c.outcome.code for c in cells if c.rag != "green"]
        found.append(
            Check(
                "All KSBs covered by signed-off evidence",
                not missing,
                "all covered" if not missing else f"not yet: {', '.join(missing)}",
            )
        )
    if programme.gateway_otj:
        hours = off_the_job.position_of(a, today)
        met = hours.target > 0 and hours.logged >= hours.target
        found.append(
            Check(
                "Off-the-job target met",
                met,
                f"{hours.as_hours()['logged']} of {hours.as_hours()['target']} hours",
            )
        )
    if programme.gateway_reviews:
        unsigned = db.session.scalar(
            select(func.count(ProgressReview.id)).where(
                ProgressReview.apprenticeship_id == a.id,
                ProgressReview.locked_at.is_(None),
                (ProgressReview.held_on.is_not(None)) | (ProgressReview.due_date < today),
            )
        )
        found.append(
            Check(
                "Every progress review signed",
                not unsigned,
                "all signed" if not unsigned else f"{unsigned} review{'s' if unsigned != 1 else ''} not signed",
            )
        )
    if programme.gateway_modules and programme.modules:
        passed = set(
            db.session.scalars(
                select(ModuleResult.module_id).where(
                    ModuleResult.apprenticeship_id == a.id, ModuleResult.result == "passed"
                )
            )
        )
        recognised = {p.module_id for p in a.prior_learning if p.module_id}
        missing = [m.micro_credential.title for m in programme.modules if m.id not in passed | recognised]
        found.append(
            Check(
                "Required modules passed",
                not missing,
                "all passed" if not missing else f"not yet: {'; '.join(missing)}",
            )
        )
    return found


def ready(a: Apprenticeship, today: date) -> bool:
    return all(c.met for c in checklist(a, today))


def confirm(actor, a: Apprenticeship, party: Party, parties: set[Party], today: date) -> GatewayConfirmation:
    """The employer or the provider confirms the apprentice is ready; the second confirmation
    moves the apprenticeship to "at gateway"."""
    if party not in (Party.EMPLOYER, Party.PROVIDER) or party not in parties:
        raise ApprenticeshipError("Gateway is confirmed by the employer and by the provider, each for itself.")
    if a.status != "active":
        raise ApprenticeshipError("Gateway is confirmed while the apprenticeship is active.")
    if not ready(a, today):
        raise ApprenticeshipError("The gateway checklist is not complete yet.")
    done = confirmations(a)
    if party in done:
        raise ApprenticeshipError(f"The {party.label.lower()} has already confirmed gateway.")
    if any(c.user_id == actor.id for c in done.values()):
        raise ApprenticeshipError("You have already confirmed for the other party.")
    made = GatewayConfirmation(
        apprenticeship_id=a.id, party=party, round=current_round(a), user_id=actor.id, confirmed_at=utcnow()
    )
    db.session.add(made)
    db.session.flush()
    history.note(actor, a, "gateway_confirm", f"Confirmed ready for end-point assessment as the {party.label.lower()}")
    if len(done) + 1 == 2:
        lifecycle.move(actor, a, "gateway", reason="The employer and the provider confirmed gateway")
    return made


def record_result(actor, a: Apprenticeship, result: str, assessed_on: date, today: date) -> EndPointAssessment:
    """The coordinator records the end-point assessment; a pass completes the apprenticeship."""
    if a.status != "at_gateway":
        raise ApprenticeshipError("The end-point assessment result is recorded once the apprentice is at gateway.")
    if result not in RESULTS:
        raise ApprenticeshipError("Choose pass, merit, distinction or fail.", field="result")
    if assessed_on > today:
        raise ApprenticeshipError("The assessment date cannot be in the future.", field="assessed_on")
    made = EndPointAssessment(apprenticeship_id=a.id, result=result, assessed_on=assessed_on, recorded_by_id=actor.id)
    db.session.add(made)
    db.session.flush()
    words = f"End-point assessment on {london_date(assessed_on)}: {RESULTS[result]}"
    history.note(actor, a, "epa_result", words)
    if made.passed:
        lifecycle.move(actor, a, "complete", reason=words)
        apprenticeship_certificates.issue(actor, a, result)
    else:
        # A fail sends the apprentice back to active for a resit, through a new gateway round.
        lifecycle.move(actor, a, "resit", reason=words)
    return made


def results(a: Apprenticeship) -> list[EndPointAssessment]:
    return list(
        db.session.scalars(
            select(EndPointAssessment)
            .where(EndPointAssessment.apprenticeship_id == a.id)
            .order_by(EndPointAssessment.assessed_on, EndPointAssessment.id)
        )
    )
