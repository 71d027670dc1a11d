"""Job roles and skills gaps (employers): roles, their skills and micro-credentials, team heat maps,
a person's gaps and suggested pathway."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.blueprints.htmx import render_partial_or_page
from app.blueprints.job_roles import bp
from app.blueprints.job_roles.forms import CredentialForm, RoleEditForm, RoleForm, SkillForm, skill_choices
from app.blueprints.outcomes import failures_flashed, failures_on
from app.models import MicroCredential, OrgKind
from app.models.job_roles import PROFICIENCY_LABELS, JobRole, JobRoleMicroCredential, JobRoleSkill
from app.security.permissions import Permission
from app.security.policy import acting_org, require
from app.security.scoping import get_for
from app.services.skills import gaps, job_roles

# Job roles are an employer's: anyone else is refused (403) before a record is looked at.
managing_roles = require(Permission.ROLES_MANAGE, org_kind=OrgKind.EMPLOYER)


@bp.context_processor
def _proficiency():
    return {"level_labels": PROFICIENCY_LABELS}


def _load_role(org, role_id: int) -> JobRole:
    return get_for(
        org,
        JobRole,
        role_id,
        selectinload(JobRole.skills).joinedload(JobRoleSkill.skill),
        selectinload(JobRole.micro_credentials),
    )


@bp.route("/", methods=["GET", "POST"])
@managing_roles
def index():
    org = acting_org()
    form = RoleForm()
    form.occupation.choices = [(0, "None")] + [(o.id, o.label) for o in job_roles.occupations()]
    if form.validate_on_submit():
        with failures_on(form):
            role = job_roles.create_role(
                current_user,
                org,
                title=form.title.data,
                department=form.department.data,
                description=form.description.data,
                occupation=job_roles.occupation(form.occupation.data),
                prefill_skills=form.prefill.data,
            )
            flash(f"Job role {role.title} created", "success")
            return redirect(url_for("job_roles.detail", role_id=role.id), code=303)
    department = request.args.get("department") or None
    return render_partial_or_page(
        "job_roles/index.html",
        "job_roles/_roles_list.html",
        org=org,
        form=form,
        department=department,
        roles=job_roles.roles_of(org, department),
        departments=job_roles.departments_of(org),
        holders=job_roles.holders_count(org),
    ), 422 if form.errors else 200


@bp.route("/<int:role_id>", methods=["GET", "POST"])
@managing_roles
def detail(role_id: int):
    org = acting_org()
    role = _load_role(org, role_id)
    edit = RoleEditForm(prefix="role", obj=role if request.method == "GET" else None)
    if edit.validate_on_submit():
        with failures_on(edit):
            job_roles.update_role(
                current_user,
                role,
                title=edit.title.data,
                department=edit.department.data,
                description=edit.description.data,
            )
            flash("Job role updated", "success")
            return redirect(url_for("job_roles.detail", role_id=role.id), code=303)
    return _render_detail(org, role, edit=edit)


def _render_detail(org, role, *, edit=None, skill_form=None, credential_form=None):
    edit = edit or RoleEditForm(prefix="role", obj=role)
    skill_form = skill_form or SkillForm(prefix="skill", formdata=None)
    skill_form.skill.choices = skill_choices(job_roles.skills_framework())
    credential_form = credential_form or CredentialForm(prefix="mc", formdata=None)
    credential_form.record.choices = [
        (r.id, f"{r.code}: {r.title} ({r.provider.name})") for r in job_roles.published_records()
    ]
    holders = gaps.team_members(org, job_role_id=role.id)
    failed = edit.errors or skill_form.errors or credential_form.errors
    return render_template(
        "job_roles/detail.html",
        org=org,
        role=role,
        edit=edit,
        skill_form=skill_form,
        credential_form=credential_form,
        holders=holders,
        requirements=sorted(role.skills, key=lambda rs: (-rs.target_level, rs.skill.label)),
        mapped=job_roles.mapped_credentials(role),
    ), 422 if failed else 200


@bp.post("/<int:role_id>/delete")
@managing_roles
def delete(role_id: int):
    role = _load_role(acting_org(), role_id)
    title, role_id = role.title, role.id
    with failures_flashed():
        job_roles.delete_role(current_user, role)
        flash(f"Job role {title} deleted", "success")
        return redirect(url_for("job_roles.index"), code=303)
    return redirect(url_for("job_roles.detail", role_id=role_id), code=303)


@bp.post("/<int:role_id>/skills")
@managing_roles
def add_skill(role_id: int):
    org = acting_org()
    role = _load_role(org, role_id)
    form = SkillForm(prefix="skill")
    form.skill.choices = skill_choices(job_roles.skills_framework())
    if form.validate_on_submit():
        with failures_on(form):
            skill = job_roles.skill(form.skill.data)
            job_roles.set_skill(current_user, role, skill, form.target_level.data)
            flash(f"{skill.label} is now required at level {form.target_level.data}", "success")
            return redirect(url_for("job_roles.detail", role_id=role.id), code=303)
    return _render_detail(org, role, skill_form=form)


@bp.post("/<int:role_id>/skills/<int:requirement_id>/remove")
@managing_roles
def remove_skill(role_id: int, requirement_id: int):
    org = acting_org()
    role = get_for(org, JobRole, role_id)
    requirement = get_for(org, JobRoleSkill, requirement_id)
    if requirement.job_role_id != role.id:
        abort(404)  # another of the organisation's roles: not found under this one
    job_roles.remove_skill(current_user, role, requirement)
    flash("Skill removed from the job role", "success")
    return redirect(url_for("job_roles.detail", role_id=role.id), code=303)


@bp.post("/<int:role_id>/micro-credentials")
@managing_roles
def map_credential(role_id: int):
    org = acting_org()
    role = _load_role(org, role_id)
    form = CredentialForm(prefix="mc")
    form.record.choices = [(r.id, r.title) for r in job_roles.published_records()]
    if form.validate_on_submit():
        record = get_for(org, MicroCredential, form.record.data)
        with failures_on(form):
            job_roles.map_micro_credential(current_user, role, record, form.requirement.data)
            flash(f"{record.title} mapped as {form.requirement.data}", "success")
            return redirect(url_for("job_roles.detail", role_id=role.id), code=303)
    return _render_detail(org, role, credential_form=form)


@bp.post("/<int:role_id>/micro-credentials/<int:mapping_id>/remove")
@managing_roles
def unmap_credential(role_id: int, mapping_id: int):
    org = acting_org()
    role = get_for(org, JobRole, role_id)
    mapping = get_for(org, JobRoleMicroCredential, mapping_id)
    if mapping.job_role_id != role.id:
        abort(404)  # mapped to another of the organisation's roles: not found under this one
    job_roles.unmap_micro_credential(current_user, role, mapping)
    flash("Micro-credential removed from the job role", "success")
    return redirect(url_for("job_roles.detail", role_id=role.id), code=303)
