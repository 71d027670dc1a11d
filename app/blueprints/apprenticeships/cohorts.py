"""Cohorts: a provider's coordinators start them, choose their team, and add apprentices one at
a time or from a CSV file."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.apprenticeships import bp, loading
from app.blueprints.apprenticeships.forms import CohortForm, EnrolForm, ImportForm, TeamForm
from app.blueprints.downloads import report
from app.blueprints.htmx import render_partial_or_page
from app.blueprints.outcomes import failures_on
from app.blueprints.page_cache import cached_page
from app.domain.calendar import london_today
from app.domain.progress import ProgressStatus
from app.models import OrgKind, Role
from app.models.apprenticeships import APPRENTICESHIP_STATUS_LABELS
from app.security.permissions import Permission
from app.security.policy import acting_membership, acting_org, require
from app.services import apprenticeships
from app.services.apprenticeships.cohorts import CSV_COLUMNS, CsvImportError, Enrolment

MANAGE = {"org_kind": OrgKind.PROVIDER}
MAX_CSV_BYTES = 1_000_000


@bp.get("/cohorts/")
@require(Permission.COHORTS_MANAGE, **MANAGE)
@cached_page
def cohorts():
    return render_template(
        "apprenticeships/cohorts.html", summaries=apprenticeships.queries.cohort_summaries(acting_org(), london_today())
    )


@bp.route("/cohorts/new", methods=["GET", "POST"])
@require(Permission.COHORTS_MANAGE, **MANAGE)
def new_cohort():
    org = acting_org()
    form = CohortForm()
    form.programme_id.choices = [
        (p.id, f"{p.title} (version {p.version})") for p in apprenticeships.programmes.published_of(org)
    ]
    if form.validate_on_submit():
        with failures_on(form):
            programme = loading.programme(form.programme_id.data)
            made = apprenticeships.cohorts.create_cohort(
                current_user, org, programme, form.name.data, form.start_date.data, acting_membership()
            )
            flash(f"Cohort {made.name} created. Choose its assessors, then add apprentices.", "success")
            return redirect(url_for("apprenticeships.cohort_team", cohort_id=made.id), code=303)
    return render_template("apprenticeships/cohort_form.html", form=form), 422 if form.errors else 200


@bp.get("/cohorts/<int:cohort_id>")
@require(Permission.COHORTS_MANAGE, **MANAGE)
def cohort(cohort_id: int):
    found = loading.cohort(cohort_id)
    filters = apprenticeships.queries.Filters.from_args(request.args)
    filters.cohort_id = found.id
    caseload = apprenticeships.queries.caseload(acting_membership(), filters, london_today())
    return render_partial_or_page(
        "apprenticeships/cohort.html",
        "apprenticeships/_caseload.html",
        cohort=found,
        caseload=caseload,
        filters=filters,
        statuses=APPRENTICESHIP_STATUS_LABELS,
        progress_statuses=list(ProgressStatus),
    )


@bp.route("/cohorts/<int:cohort_id>/team", methods=["GET", "POST"])
@require(Permission.COHORTS_MANAGE, **MANAGE)
def cohort_team(cohort_id: int):
    found, org = loading.cohort(cohort_id), acting_org()
    form = TeamForm(coordinator_id=found.coordinator_id, assessor_ids=[m.id for m in found.assessors])
    form.coordinator_id.choices = [
        (m.id, m.user.name) for m in apprenticeships.cohorts.provider_staff(org, Role.PROVIDER_COORDINATOR)
    ]
    form.assessor_ids.choices = [
        (m.id, m.user.name) for m in apprenticeships.cohorts.provider_staff(org, Role.ASSESSOR)
    ]
    if form.validate_on_submit():
        with failures_on(form):
            apprenticeships.cohorts.set_team(
                current_user, found, form.coordinator_id.data, form.assessor_ids.data or []
            )
            flash("Cohort team saved", "success")
            return redirect(url_for("apprenticeships.cohort", cohort_id=found.id), code=303)
    return render_template("apprenticeships/cohort_team.html", form=form, cohort=found), 422 if form.errors else 200


def _enrol_form(cohort, org) -> EnrolForm:
    form = EnrolForm()
    form.employer_id.choices = [(e.id, e.name) for e in apprenticeships.cohorts.partner_employers(org)]
    form.assessor_id.choices = [(0, "The cohort's first assessor")] + [
        (m.id, m.user.name) for m in apprenticeships.cohorts.provider_staff(org, Role.ASSESSOR)
    ]
    return form


@bp.route("/cohorts/<int:cohort_id>/apprentices/new", methods=["GET", "POST"])
@require(Permission.COHORTS_MANAGE, **MANAGE)
def enrol(cohort_id: int):
    found, org = loading.cohort(cohort_id), acting_org()
    form = _enrol_form(found, org)
    if form.validate_on_submit():
        employer = next(
            (e for e in apprenticeships.cohorts.partner_employers(org) if e.id == form.employer_id.data), None
        )
        with failures_on(form):
            made = apprenticeships.cohorts.enrol(
                current_user,
                found,
                Enrolment(
                    employer=employer,
                    apprentice_email=form.apprentice_email.data,
                    line_manager_email=form.line_manager_email.data,
                    weekly_hours=form.weekly_hours.data,
                    assessor_id=form.assessor_id.data or None,
                    start_date=form.start_date.data,
                    planned_end_date=form.planned_end_date.data,
                ),
            )
            flash(f"{made.apprentice.user.name} added. Next, all three parties accept the training plan.", "success")
            return redirect(url_for("apprenticeships.show", apprenticeship_id=made.id), code=303)
    return render_template("apprenticeships/enrol.html", form=form, cohort=found), 422 if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@require(Permission.COHORTS_MANAGE, **MANAGE)
def import_apprentices(cohort_id: int):
    found = loading.cohort(cohort_id)
    form = ImportForm()
    rows: list[tuple[int, str]] = []
    if form.validate_on_submit():
        content = form.file.data.stream.read(MAX_CSV_BYTES + 1)
        if len(content) > MAX_CSV_BYTES:
            form.file.errors = ["The file is larger than 1 MB. Split it into smaller files."]
        else:
            try:
                made = apprenticeships.cohorts.import_csv(current_user, found, content)
            except CsvImportError as exc:  # nothing was kept: the import undoes itself
                form.file.errors = [exc.message]
                rows = exc.rows
            else:
                flash(f"Imported {len(made)} apprentices into {found.name}", "success")
                return redirect(url_for("apprenticeships.cohort", cohort_id=found.id), code=303)
    status = 422 if form.errors else 200
    return render_template(
        "apprenticeships/import.html", form=form, cohort=found, rows=rows, columns=CSV_COLUMNS
    ), status


@bp.get("/cohorts/<int:cohort_id>/report.pdf")
@require(Permission.COHORTS_MANAGE, **MANAGE)
def cohort_report(cohort_id: int):
    found = loading.cohort(cohort_id)
    return report(apprenticeships.pdf.cohort_report_for(current_user, acting_org(), found, london_today()))
