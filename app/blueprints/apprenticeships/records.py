"""One apprenticeship: its record, the training plan and who accepted it, status changes,
prior learning and module results."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.blueprints.apprenticeships import bp, loading
from app.blueprints.apprenticeships.evidence_forms import EndPointAssessmentForm
from app.blueprints.apprenticeships.forms import (
    AcceptForm,
    ModuleResultForm,
    PlanTermsForm,
    PriorLearningForm,
    StatusForm,
)
from app.blueprints.downloads import attachment
from app.blueprints.outcomes import failures_flashed, failures_on
from app.domain.calendar import london_today
from app.models import Party
from app.security.policy import acting_membership, may_change_apprenticeship_status, may_manage_apprenticeship
from app.services import apprenticeships, evidence
from app.services.apprenticeships.plans import PlanTerms


def _back(a):
    return redirect(url_for("apprenticeships.show", apprenticeship_id=a.id), code=303)


@bp.get("/apprenticeships/<int:apprenticeship_id>")
def show(apprenticeship_id: int):
    a, parties = loading.apprenticeship(apprenticeship_id)
    membership, today = acting_membership(), london_today()
    manages = may_manage_apprenticeship(membership, a)
    return render_template(
        "apprenticeships/show.html",
        a=a,
        parties=parties,
        progress=apprenticeships.progress.progress_of([a], today)[0],
        reviews=apprenticeships.reviews.reviews_of(a),
        history=apprenticeships.history.recent(a),
        steps=apprenticeships.lifecycle.offered(a) if may_change_apprenticeship_status(membership, a) else [],
        manages=manages,
        results=apprenticeships.plans.module_results(a),
        prior_form=_prior_form(a) if manages and a.status == "planned" else None,
        result_form=ModuleResultForm() if manages else None,
        accepted=apprenticeships.plans.accepted_by(a),
        today=today,
        checklist=evidence.gateway.checklist(a, today) if a.status in ("active", "at_gateway") else [],
        confirmed=evidence.gateway.confirmations(a),
        epa_results=evidence.gateway.results(a),
        epa_form=EndPointAssessmentForm(formdata=None) if manages and a.status == "at_gateway" else None,
        badges=apprenticeships.plans.badges_issued(a),
    )


def _prior_form(a) -> PriorLearningForm:
    form = PriorLearningForm()
    form.target.choices = [("", "Choose a KSB or module")]
    form.target.choices += [(f"outcome:{o.id}", f"{o.code}: {o.description[:80]}") for o in a.programme.outcomes]
    form.target.choices += [(f"module:{m.id}", f"Module: {m.micro_credential.title}") for m in a.programme.modules]
    form.evidence.choices = [("", "No badge: described in the reason")] + [
        (label, label) for label in apprenticeships.plans.badges_of(a)
    ]
    return form


@bp.get("/apprenticeships/<int:apprenticeship_id>/plan")
def plan(apprenticeship_id: int):
    a, parties = loading.apprenticeship(apprenticeship_id)
    return render_template(
        "apprenticeships/plan.html",
        a=a,
        parties=parties,
        accepted=apprenticeships.plans.accepted_by(a),
        position=apprenticeships.off_the_job.position_of(a, london_today()),
        form=AcceptForm(),
        may_change=may_manage_apprenticeship(acting_membership(), a),
    )


@bp.post("/apprenticeships/<int:apprenticeship_id>/plan/accept")
def accept_plan(apprenticeship_id: int):
    a, parties = loading.apprenticeship(apprenticeship_id)
    form = AcceptForm()
    if not form.validate_on_submit() or form.party.data not in set(Party):
        abort(400)
    with failures_flashed():
        apprenticeships.plans.accept(current_user, a, Party(form.party.data), parties)
        flash(f"You accepted the training plan as the {Party(form.party.data).label.lower()}", "success")
    return redirect(url_for("apprenticeships.plan", apprenticeship_id=a.id), code=303)


@bp.route("/apprenticeships/<int:apprenticeship_id>/plan/change", methods=["GET", "POST"])
def change_plan(apprenticeship_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    if not may_manage_apprenticeship(acting_membership(), a):
        abort(403)
    form = PlanTermsForm(weekly_hours=a.weekly_hours, planned_end_date=a.planned_end_date, notes=a.plan_notes)
    if form.validate_on_submit():
        with failures_on(form):
            apprenticeships.plans.change_terms(
                current_user, a, PlanTerms(form.weekly_hours.data, form.planned_end_date.data, form.notes.data)
            )
            flash("Training plan saved. All three parties accept the new version.", "success")
            return redirect(url_for("apprenticeships.plan", apprenticeship_id=a.id), code=303)
    return render_template("apprenticeships/plan_form.html", a=a, form=form), 422 if form.errors else 200


STEPS = ", ".join(apprenticeships.lifecycle.MANUAL_STEPS)


@bp.route(f"/apprenticeships/<int:apprenticeship_id>/status/<any({STEPS}):step>", methods=["GET", "POST"])
def change_status(apprenticeship_id: int, step: str):
    a, _ = loading.apprenticeship(apprenticeship_id)
    if not may_change_apprenticeship_status(acting_membership(), a):
        abort(403)
    transition = apprenticeships.lifecycle.TRANSITIONS.get(step)
    if transition is None:
        abort(404)
    form = StatusForm()
    if form.validate_on_submit():
        with failures_on(form):
            apprenticeships.lifecycle.change(
                current_user, a, step, reason=form.reason.data or "", on=form.on.data, today=london_today()
            )
            flash(f"{transition.label}: done", "success")
            return _back(a)
    return render_template(
        "apprenticeships/status_form.html", a=a, form=form, step=transition
    ), 422 if form.errors else 200


@bp.post("/apprenticeships/<int:apprenticeship_id>/prior-learning")
def record_prior_learning(apprenticeship_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    if not may_manage_apprenticeship(acting_membership(), a):
        abort(403)
    form = _prior_form(a)
    if not form.validate_on_submit():
        flash("Choose a KSB or module and give the reason", "error")
        return _back(a)
    kind, _, key = (form.target.data or "").partition(":")
    target = int(key) if key.isdigit() and len(key) < 10 else None
    with failures_flashed():
        apprenticeships.plans.recognise_prior_learning(
            current_user,
            a,
            outcome_id=target if kind == "outcome" else None,
            module_id=target if kind == "module" else None,
            reason=form.reason.data,
            evidence=form.evidence.data or "",
        )
        flash("Prior learning recorded. The plan changed, so all three parties accept it again.", "success")
    return _back(a)


@bp.post("/apprenticeships/<int:apprenticeship_id>/modules/<int:module_id>/result")
def record_module_result(apprenticeship_id: int, module_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    if not may_manage_apprenticeship(acting_membership(), a):
        abort(403)
    form = ModuleResultForm()
    if not form.validate_on_submit():
        flash("Choose the result and enter its date", "error")
        return _back(a)
    with failures_flashed():
        apprenticeships.plans.record_module_result(
            current_user, a, module_id, form.result.data, form.on.data, london_today()
        )
        flash("Module result recorded", "success")
    return _back(a)


@bp.get("/apprenticeships/<int:apprenticeship_id>/report.pdf")
def progress_report(apprenticeship_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    pdf = apprenticeships.pdf.progress_report(a, london_today())
    return attachment(pdf, f"progress-report-{a.apprentice.user.name}-{london_today()}.pdf", "application/pdf")
