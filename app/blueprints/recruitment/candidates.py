"""One candidate, as recruiters and the hiring manager see them: fit against the role, badges and
their checks, status moves, hiring, checking again, the subject access export and deletion."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.blueprints.downloads import attachment
from app.blueprints.outcomes import failures_flashed
from app.blueprints.recruitment import bp
from app.blueprints.recruitment.forms import ActionForm, StatusForm
from app.blueprints.recruitment.routes import load_vacancy
from app.blueprints.verification.routes import shown_image
from app.extensions import db
from app.models import OrgKind, Verification
from app.models.recruitment import Candidate, CandidateBadge
from app.security.policy import acting_org, require
from app.security.scoping import get_for
from app.services import recruitment, verification


def load_candidate(vacancy_id: int, candidate_id: int) -> Candidate:
    vacancy = load_vacancy(vacancy_id)
    candidate = get_for(acting_org(), Candidate, candidate_id)
    if candidate.vacancy_id != vacancy.id:
        abort(404)
    return candidate


def _back(candidate: Candidate):
    return redirect(
        url_for("recruitment.candidate", vacancy_id=candidate.vacancy_id, candidate_id=candidate.id), code=303
    )


@bp.get("/recruitment/<int:vacancy_id>/candidates/<int:candidate_id>")
@require(org_kind=OrgKind.EMPLOYER)
def candidate(vacancy_id: int, candidate_id: int):
    found = load_candidate(vacancy_id, candidate_id)
    table = recruitment.fit.comparison(found.vacancy, [found])
    form = StatusForm(formdata=None)
    form.status.choices = recruitment.statuses.moves_from(found)
    return render_template(
        "recruitment/candidate.html",
        candidate=found,
        vacancy=found.vacancy,
        fits=table.fits[found.id],
        badges=table.badges[found.id],
        status_form=form,
        action=ActionForm(formdata=None),
    )


@bp.post("/recruitment/<int:vacancy_id>/candidates/<int:candidate_id>/status")
@require(org_kind=OrgKind.EMPLOYER)
def move(vacancy_id: int, candidate_id: int):
    found = load_candidate(vacancy_id, candidate_id)
    form = StatusForm()
    form.status.choices = recruitment.statuses.moves_from(found)
    if form.validate_on_submit():
        with failures_flashed():
            recruitment.statuses.move(current_user, found, form.status.data)
            flash(f"{found.name} is now {found.status_label.lower()}", "success")
    else:
        flash("Choose a status this candidate can move to", "error")
    return _back(found)


@bp.post("/recruitment/<int:vacancy_id>/candidates/<int:candidate_id>/hire")
@require(org_kind=OrgKind.EMPLOYER)
def hire(vacancy_id: int, candidate_id: int):
    found = load_candidate(vacancy_id, candidate_id)
    if ActionForm().validate_on_submit():
        with failures_flashed():
            flash(recruitment.statuses.hire(current_user, found), "success")
    return _back(found)


@bp.post("/recruitment/<int:vacancy_id>/candidates/<int:candidate_id>/recheck")
@require(org_kind=OrgKind.EMPLOYER)
def recheck(vacancy_id: int, candidate_id: int):
    found = load_candidate(vacancy_id, candidate_id)
    if ActionForm().validate_on_submit():
        with failures_flashed():
            checked = recruitment.applications.recheck(current_user, [found])
            flash(f"Checked {checked} badge(s) again", "success")
    return _back(found)


@bp.get("/recruitment/<int:vacancy_id>/candidates/<int:candidate_id>/data.zip")
@require(org_kind=OrgKind.EMPLOYER)
def export(vacancy_id: int, candidate_id: int):
    """The candidate's subject access export, for a request they make to the employer."""
    found = load_candidate(vacancy_id, candidate_id)
    return attachment(
        recruitment.applications.subject_access_export(found), f"candidate-{found.id}-data.zip", "application/zip"
    )


@bp.post("/recruitment/<int:vacancy_id>/candidates/<int:candidate_id>/erase")
@require(org_kind=OrgKind.EMPLOYER)
def erase(vacancy_id: int, candidate_id: int):
    """Delete a candidate's data on their request (made to the employer rather than by their link)."""
    found = load_candidate(vacancy_id, candidate_id)
    if ActionForm().validate_on_submit():
        recruitment.applications.erase_on_request(current_user, found)
        flash("The candidate's data was deleted", "success")
        return redirect(url_for("recruitment.vacancy", vacancy_id=vacancy_id), code=303)
    return _back(found)


@bp.get("/recruitment/<int:vacancy_id>/candidates/<int:candidate_id>/badges/<int:badge_id>")
@require(org_kind=OrgKind.EMPLOYER)
def badge(vacancy_id: int, candidate_id: int, badge_id: int):
    """The check that proves (or does not prove) what a badge claims."""
    found = load_candidate(vacancy_id, candidate_id)
    shared = db.session.get(CandidateBadge, badge_id)
    if shared is None or shared.candidate_id != found.id:
        abort(404)
    check = db.session.get(Verification, shared.verification_id) if shared.verification_id else None
    return render_template(
        "recruitment/badge.html",
        candidate=found,
        vacancy=found.vacancy,
        badge=shared,
        v=check,
        shown_image=shown_image,
        friendly_date=verification.friendly_date,
    )
