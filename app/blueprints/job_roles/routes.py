"""Job roles and skills gaps (employers): roles, their skills and micro-credentials, team heat maps,
a person's gaps and suggested pathway."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.blueprints.htmx import render_partial_or_page
from app.blueprints.job_roles import bp
from app.blueprints.job_roles.forms import CredentialForm, RoleEditForm, RoleForm, SkillForm
from app.extensions import db
from app.models import MicroCredential, Occupation, Skill
from app.models.job_roles import PROFICIENCY_LABELS, JobRole, JobRoleMicroCredential, JobRoleSkill
from app.security.permissions import Permission
from app.security.policy import current_org, require
from app.security.scoping import get_for
from app.services.skills import gaps, job_roles
from app.services.skills.job_roles import JobRoleError


@bp.context_processor
def _proficiency():
    return {"level_labels": PROFICIENCY_LABELS}


def _employer():
    """The current organisation, which must be an employer (job roles are employer-only)."""
    org = current_org()
    if org is None or not org.is_employer:
        abort(404)
    return org


def _load_role(org, role_id: int) -> JobRole:
    return get_for(org, JobRole, role_id, selectinload(JobRole.skills).joinedload(JobRoleSkill.skill),
                   selectinload(JobRole.micro_credentials))


@bp.route("/", methods=["GET", "POST"])
@require(Permission.ROLES_MANAGE)
def index():
    org = _employer()
    form = RoleForm()
    form.occupation.choices = [(0, "None")] + [(o.id, o.label) for o in job_roles.occupations()]
    error = None
    if request.method == "POST" and form.validate_on_submit():
        occupation = db.session.get(Occupation, form.occupation.data) if form.occupation.data else None
        try:
            role = job_roles.create_role(current_user, org, title=form.title.data, department=form.department.data,
                                         description=form.description.data, occupation=occupation,
                                         prefill_skills=form.prefill.data)
        except JobRoleError as exc:
            error = str(exc)
        else:
            db.session.commit()
            flash(f"Job role {role.title} created", "success")
            return redirect(url_for("job_roles.detail", role_id=role.id), code=303)
    department = request.args.get("department") or None
    status = 422 if (error or form.errors) else 200
    return render_partial_or_page(
        "job_roles/index.html", "job_roles/_roles_list.html", org=org, form=form, error=error, department=department,
        roles=job_roles.roles_of(org, department), departments=job_roles.departments_of(org),
        holders=job_roles.holders_count(org)), status


@bp.route("/<int:role_id>", methods=["GET", "POST"])
@require(Permission.ROLES_MANAGE)
def detail(role_id: int):
    org = _employer()
    role = _load_role(org, role_id)
    edit = RoleEditForm(prefix="role", obj=role if request.method == "GET" else None)
    error = None
    if request.method == "POST" and edit.validate_on_submit():
        try:
            job_roles.update_role(current_user, role, title=edit.title.data, department=edit.department.data,
                                  description=edit.description.data)
        except JobRoleError as exc:
            error = str(exc)
        else:
            db.session.commit()
            flash("Job role updated", "success")
            return redirect(url_for("job_roles.detail", role_id=role.id), code=303)
    return _render_detail(org, role, edit=edit, error=error)


def _render_detail(org, role, *, edit=None, skill_form=None, credential_form=None, error=None):
    edit = edit or RoleEditForm(prefix="role", obj=role)
    skill_form = skill_form or SkillForm(prefix="skill", formdata=None)
    skill_form.skill.choices = [(s.id, s.label) for s in job_roles.skills_framework()]
    credential_form = credential_form or CredentialForm(prefix="mc", formdata=None)
    credential_form.record.choices = [(r.id, f"{r.code}: {r.title} ({r.provider.name})")
                                      for r in job_roles.published_records()]
    holders = gaps.team_members(org, job_role_id=role.id)
    failed = error or edit.errors or skill_form.errors or credential_form.errors
    return render_template(
        "job_roles/detail.html", org=org, role=role, edit=edit, skill_form=skill_form,
        credential_form=credential_form, error=error, holders=holders,
        requirements=sorted(role.skills, key=lambda rs: (-rs.target_level, rs.skill.label)),
        mapped=job_roles.mapped_credentials(role)), 422 if failed else 200


@bp.post("/<int:role_id>/delete")
@require(Permission.ROLES_MANAGE)
def delete(role_id: int):
    org = _employer()
    role = _load_role(org, role_id)
    try:
        job_roles.delete_role(current_user, role)
    except JobRoleError as exc:
        flash(str(exc), "error")
        return redirect(url_for("job_roles.detail", role_id=role.id), code=303)
    db.session.commit()
    flash(f"Job role {role.title} deleted", "success")
    return redirect(url_for("job_roles.index"), code=303)


@bp.post("/<int:role_id>/skills")
@require(Permission.ROLES_MANAGE)
def add_skill(role_id: int):
    org = _employer()
    role = _load_role(org, role_id)
    form = SkillForm(prefix="skill")
    form.skill.choices = [(s.id, s.label) for s in job_roles.skills_framework()]
    if form.validate_on_submit():
        skill = db.session.get(Skill, form.skill.data)
        job_roles.set_skill(current_user, role, skill, form.target_level.data)
        db.session.commit()
        flash(f"{skill.label} is now required at level {form.target_level.data}", "success")
        return redirect(url_for("job_roles.detail", role_id=role.id), code=303)
    return _render_detail(org, role, skill_form=form)


@bp.post("/<int:role_id>/skills/<int:requirement_id>/remove")
@require(Permission.ROLES_MANAGE)
def remove_skill(role_id: int, requirement_id: int):
    org = _employer()
    role = get_for(org, JobRole, role_id)
    requirement = get_for(org, JobRoleSkill, requirement_id)
    try:
        job_roles.remove_skill(current_user, role, requirement)
    except JobRoleError:
        abort(404)
    db.session.commit()
    flash("Skill removed from the job role", "success")
    return redirect(url_for("job_roles.detail", role_id=role.id), code=303)


@bp.post("/<int:role_id>/micro-credentials")
@require(Permission.ROLES_MANAGE)
def map_credential(role_id: int):
    org = _employer()
    role = _load_role(org, role_id)
    form = CredentialForm(prefix="mc")
    form.record.choices = [(r.id, r.title) for r in job_roles.published_records()]
    error = None
    if form.validate_on_submit():
        record = get_for(org, MicroCredential, form.record.data)
        try:
            job_roles.map_micro_credential(current_user, role, record, form.requirement.data)
        except JobRoleError as exc:
            error = str(exc)
        else:
            db.session.commit()
            flash(f"{record.title} mapped as {form.requirement.data}", "success")
            return redirect(url_for("job_roles.detail", role_id=role.id), code=303)
    return _render_detail(org, role, credential_form=form, error=error)


@bp.post("/<int:role_id>/micro-credentials/<int:mapping_id>/remove")
@require(Permission.ROLES_MANAGE)
def unmap_credential(role_id: int, mapping_id: int):
    org = _employer()
    role = get_for(org, JobRole, role_id)
    mapping = get_for(org, JobRoleMicroCredential, mapping_id)
    try:
        job_roles.unmap_micro_credential(current_user, role, mapping)
    except JobRoleError:
        abort(404)
    db.session.commit()
    flash("Micro-credential removed from the job role", "success")
    return redirect(url_for("job_roles.detail", role_id=role.id), code=303)


# The people pages (team, person, assignment, assessments) register themselves on `bp`.
