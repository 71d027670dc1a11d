"""Recruiters' and hiring managers' pages: the vacancies, one vacancy with its skills and
candidates, the shortlist comparison, and its CSV and panel PDF."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.downloads import attachment, report
from app.blueprints.htmx import render_partial_or_page
from app.blueprints.job_roles.forms import SkillForm, skill_choices
from app.blueprints.outcomes import failures_flashed, failures_on
from app.blueprints.recruitment import bp
from app.blueprints.recruitment.forms import ActionForm, VacancyForm
from app.domain.calendar import london_today
from app.models import JobRole, Membership, OrgKind
from app.models.job_roles import PROFICIENCY_LABELS
from app.models.recruitment import CANDIDATE_STATUS_LABELS, Vacancy, VacancySkill
from app.security.permissions import Permission
from app.security.policy import acting_membership, acting_org, manages_recruitment, may_see_vacancy, require
from app.security.scoping import get_for
from app.services import links, recruitment
from app.services.recruitment import queries
from app.services.skills import job_roles

COMPARE_COLUMNS = 8  # candidates side by side on one page of the comparison


def load_vacancy(vacancy_id: int) -> Vacancy:
    """The vacancy, if this person may see it: 404 otherwise (its existence is not confirmed)."""
    vacancy = get_for(acting_org(), Vacancy, vacancy_id)
    if not may_see_vacancy(acting_membership(), vacancy):
        abort(404)
    return vacancy


def _manages() -> bool:
    return manages_recruitment(acting_membership())


def _require_manager() -> None:
    if not _manages():
        abort(403)


@bp.get("/recruitment/")
@require(org_kind=OrgKind.EMPLOYER)
def index():
    org, membership = acting_org(), acting_membership()
    manages = _manages()
    rows, page, pages = recruitment.vacancies.vacancies_page(
        org, membership, manages, request.args.get("page", 1, type=int)
    )
    if not manages and not rows:
        abort(403)  # neither a recruiter nor anyone's hiring manager
    return render_template(
        "recruitment/index.html", org=org, rows=rows, page=page, pages=pages, manages=manages, today=london_today()
    )


def _vacancy_form(org, formdata=None, obj=None) -> VacancyForm:
    form = VacancyForm(formdata=formdata, obj=obj) if formdata is not None else VacancyForm(formdata=None, obj=obj)
    form.job_role_id.choices = [("", "Choose a job role")] + [
        (r.id, r.title + (f" ({r.department})" if r.department else "")) for r in job_roles.role_titles(org)
    ]
    form.hiring_manager_id.choices = [("", "No hiring manager")] + [
        (m.id, f"{m.user.name} ({m.user.email})") for m in recruitment.vacancies.hiring_manager_choices(org)
    ]
    return form


def _manager(org, membership_id):
    return get_for(org, Membership, membership_id) if membership_id else None


@bp.route("/recruitment/new", methods=["GET", "POST"])
@require(Permission.RECRUITMENT_MANAGE, org_kind=OrgKind.EMPLOYER)
def new():
    org = acting_org()
    form = _vacancy_form(org, request.form if request.method == "POST" else None)
    if request.method == "GET" and request.args.get("job_role", type=int):
        form.job_role_id.data = request.args.get("job_role", type=int)
    if form.validate_on_submit():
        with failures_on(form):
            role = get_for(org, JobRole, form.job_role_id.data)
            vacancy = recruitment.vacancies.create(
                current_user,
                org,
                role,
                title=form.title.data,
                closes_on=form.closes_on.data,
                hiring_manager=_manager(org, form.hiring_manager_id.data),
                retention_months=form.retention_months.data,
                description=form.description.data,
                today=london_today(),
            )
            flash(f"Vacancy opened with the skills of {role.title}. Share the application link below.", "success")
            return redirect(url_for("recruitment.vacancy", vacancy_id=vacancy.id), code=303)
    return render_template("recruitment/new.html", form=form, org=org), 422 if form.errors else 200


def _render_vacancy(vacancy: Vacancy, *, skill_form=None, status: int = 200):
    filters = queries.CandidateFilters.from_args(request.args)
    page = queries.candidates_page(vacancy, filters)
    skill_form = skill_form or SkillForm(prefix="skill", formdata=None)
    skill_form.skill.choices = skill_choices(job_roles.skills_framework())
    return render_partial_or_page(
        "recruitment/vacancy.html",
        "recruitment/_candidates.html",
        vacancy=vacancy,
        requirements=recruitment.fit.requirements_of(vacancy),
        page=page,
        filters=filters,
        statuses=CANDIDATE_STATUS_LABELS,
        sorts=queries.SORTS,
        levels=PROFICIENCY_LABELS,
        manages=_manages(),
        skill_form=skill_form,
        action=ActionForm(formdata=None),
        apply_link=links.public_url(url_for("recruitment.apply", token=vacancy.token)),
        retention_ends=recruitment.vacancies.retention_ends(vacancy),
        today=london_today(),
    ), status


@bp.get("/recruitment/<int:vacancy_id>")
@require(org_kind=OrgKind.EMPLOYER)
def vacancy(vacancy_id: int):
    return _render_vacancy(load_vacancy(vacancy_id))


@bp.route("/recruitment/<int:vacancy_id>/edit", methods=["GET", "POST"])
@require(Permission.RECRUITMENT_MANAGE, org_kind=OrgKind.EMPLOYER)
def edit(vacancy_id: int):
    org = acting_org()
    found = load_vacancy(vacancy_id)
    form = _vacancy_form(org, request.form if request.method == "POST" else None, obj=found)
    form.job_role_id.validators = []
    if request.method == "GET":
        form.hiring_manager_id.data = found.hiring_manager_id
        form.job_role_id.data = found.job_role_id
    if form.validate_on_submit():
        with failures_on(form):
            recruitment.vacancies.update(
                current_user,
                found,
                title=form.title.data,
                closes_on=form.closes_on.data,
                hiring_manager=_manager(org, form.hiring_manager_id.data),
                retention_months=form.retention_months.data,
                description=form.description.data,
            )
            flash("Vacancy saved", "success")
            return redirect(url_for("recruitment.vacancy", vacancy_id=found.id), code=303)
    return render_template("recruitment/edit.html", form=form, vacancy=found), 422 if form.errors else 200


@bp.post("/recruitment/<int:vacancy_id>/skills")
@require(Permission.RECRUITMENT_MANAGE, org_kind=OrgKind.EMPLOYER)
def set_skill(vacancy_id: int):
    found = load_vacancy(vacancy_id)
    form = SkillForm(prefix="skill")
    form.skill.choices = skill_choices(job_roles.skills_framework())
    if form.validate_on_submit():
        with failures_on(form):
            recruitment.vacancies.set_skill(
                current_user, found, job_roles.skill(form.skill.data), form.target_level.data
            )
            flash("Skill saved; every candidate's fit was worked out again", "success")
            return redirect(url_for("recruitment.vacancy", vacancy_id=found.id) + "#skills", code=303)
    return _render_vacancy(found, skill_form=form, status=422)


@bp.post("/recruitment/<int:vacancy_id>/skills/<int:vacancy_skill_id>/remove")
@require(Permission.RECRUITMENT_MANAGE, org_kind=OrgKind.EMPLOYER)
def remove_skill(vacancy_id: int, vacancy_skill_id: int):
    found = load_vacancy(vacancy_id)
    requirement = get_for(acting_org(), VacancySkill, vacancy_skill_id)
    if requirement.vacancy_id != found.id:
        abort(404)
    if ActionForm().validate_on_submit():
        recruitment.vacancies.remove_skill(current_user, found, requirement)
        flash("Skill removed", "success")
    return redirect(url_for("recruitment.vacancy", vacancy_id=found.id) + "#skills", code=303)


def _compared(found: Vacancy):
    filters = queries.CompareFilters.from_args(request.args)
    candidates, page, pages = queries.compare_page(found, filters, COMPARE_COLUMNS)
    return filters, recruitment.fit.comparison(found, candidates), page, pages


@bp.get("/recruitment/<int:vacancy_id>/compare")
@require(org_kind=OrgKind.EMPLOYER)
def compare(vacancy_id: int):
    found = load_vacancy(vacancy_id)
    filters, table, page, pages = _compared(found)
    return render_template(
        "recruitment/compare.html",
        vacancy=found,
        table=table,
        filters=filters,
        page=page,
        pages=pages,
        statuses=CANDIDATE_STATUS_LABELS,
        action=ActionForm(formdata=None),
    )


@bp.post("/recruitment/<int:vacancy_id>/compare/recheck")
@require(org_kind=OrgKind.EMPLOYER)
def recheck_compared(vacancy_id: int):
    found = load_vacancy(vacancy_id)
    filters, table, page, _ = _compared(found)
    if ActionForm().validate_on_submit():
        many = (
            len(recruitment.applications.badges_of(table.candidates)) > recruitment.applications.MAX_INTERACTIVE_CHECKS
        )
        if many:  # checked in the background: the job's page shows the progress
            job = recruitment.applications.start_recheck_job(current_user, found, table.candidates)
            return redirect(url_for("jobs.show", job_id=job.id), code=303)
        with failures_flashed():
            checked = recruitment.applications.recheck(current_user, table.candidates)
            flash(f"Checked {checked} badge(s) again", "success")
    return redirect(url_for("recruitment.compare", vacancy_id=found.id, page=page, **filters.query_args()), code=303)


@bp.get("/recruitment/<int:vacancy_id>/shortlist.csv")
@require(org_kind=OrgKind.EMPLOYER)
def shortlist_csv(vacancy_id: int):
    found = load_vacancy(vacancy_id)
    filters = queries.CompareFilters.from_args(request.args)
    candidates = queries.compared(found, filters, limit=queries.EXPORT_LIMIT)
    body = recruitment.exports.shortlist_csv(recruitment.fit.comparison(found, candidates))
    return attachment(body, f"vacancy-{found.id}-candidates.csv", "text/csv")


@bp.get("/recruitment/<int:vacancy_id>/panel.pdf")
@require(org_kind=OrgKind.EMPLOYER)
def panel_pdf(vacancy_id: int):
    found = load_vacancy(vacancy_id)
    filters = queries.CompareFilters.from_args(request.args)
    prepared_by = f"{current_user.name}, {found.organisation.name}"
    return report(recruitment.exports.panel_for(current_user, found, filters, prepared_by))
