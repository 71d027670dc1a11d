"""Gateway (the checklist and both sides' confirmations) and the end-point assessment result."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from app.blueprints.apprenticeships import bp, loading
from app.blueprints.apprenticeships.evidence_forms import EndPointAssessmentForm
from app.blueprints.apprenticeships.forms import PartyForm
from app.blueprints.outcomes import failures_flashed
from app.domain.calendar import london_today
from app.models import Party
from app.security.policy import acting_membership, may_manage_apprenticeship
from app.services import apprenticeships, evidence


def _back(a):
    return redirect(url_for("apprenticeships.show", apprenticeship_id=a.id, _anchor="gateway"), code=303)


@bp.post("/apprenticeships/<int:apprenticeship_id>/gateway/confirm")
def confirm_gateway(apprenticeship_id: int):
    a, parties = loading.apprenticeship(apprenticeship_id)
    form = PartyForm()
    if not form.validate_on_submit() or form.party.data not in set(Party):
        abort(400)
    with failures_flashed():
        evidence.gateway.confirm(current_user, a, Party(form.party.data), parties, london_today())
        flash(
            "Gateway confirmed by both sides: the apprentice is ready for end-point assessment"
            if a.status == "at_gateway"
            else f"You confirmed gateway as the {Party(form.party.data).label.lower()}",
            "success",
        )
    return _back(a)


@bp.post("/apprenticeships/<int:apprenticeship_id>/end-point-assessment")
def record_end_point_assessment(apprenticeship_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    if not may_manage_apprenticeship(acting_membership(), a):
        abort(403)
    form = EndPointAssessmentForm()
    if not form.validate_on_submit():
        flash("Choose the result and enter the date of the assessment", "error")
        return _back(a)
    with failures_flashed():
        evidence.gateway.record_result(current_user, a, form.result.data, form.assessed_on.data, london_today())
        flash(f"End-point assessment recorded: {evidence.gateway.RESULTS[form.result.data]}", "success")
    return _back(a)


@bp.post("/apprenticeships/<int:apprenticeship_id>/modules/<int:module_id>/badge")
def issue_module_badge(apprenticeship_id: int, module_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    if not may_manage_apprenticeship(acting_membership(), a):
        abort(403)
    with failures_flashed():
        issued = apprenticeships.plans.issue_module_badge(current_user, a, module_id)
        flash(f"Badge issued: {issued.achieved.title}", "success")
    return redirect(url_for("apprenticeships.show", apprenticeship_id=a.id), code=303)
