"""Job roles and skills gaps (employers): roles, their skills and micro-credentials, team heat maps,
a person's gaps and suggested pathway."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from app.blueprints.htmx import render_partial_or_page, wants_partial
from app.blueprints.roles.forms import AssessForm, AssignForm, CredentialForm, RoleEditForm, RoleForm, SkillForm
from app.extensions import db
from app.models import Membership, MicroCredential, Occupation, Role, Skill
from app.models.roles import PROFICIENCY_LABELS, JobRole, JobRoleMicroCredential, JobRoleSkill
from app.security.permissions import Permission
from app.security.policy import can, current_membership, current_org, require
from app.security.scoping import get_for
from app.services import gaps, job_roles, pathways
from app.services.job_roles import JobRoleError

bp = Blueprint("roles", __name__, url_prefix="/roles")


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
@login_required
def index():
    require(Permission.ROLES_MANAGE)
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
            return redirect(url_for("roles.detail", role_id=role.id), code=303)
    department = request.args.get("department") or None
    status = 422 if (error or form.errors) else 200
    return render_partial_or_page(
        "roles/index.html", "roles/_roles_list.html", org=org, form=form, error=error, department=department,
        roles=job_roles.roles_of(org, department), departments=job_roles.departments_of(org),
        holders=job_roles.holders_count(org)), status


@bp.route("/<int:role_id>", methods=["GET", "POST"])
@login_required
def detail(role_id: int):
    require(Permission.ROLES_MANAGE)
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
            return redirect(url_for("roles.detail", role_id=role.id), code=303)
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
        "roles/detail.html", org=org, role=role, edit=edit, skill_form=skill_form,
        credential_form=credential_form, error=error, holders=holders,
        requirements=sorted(role.skills, key=lambda rs: (-rs.target_level, rs.skill.label)),
        mapped=job_roles.mapped_credentials(role)), 422 if failed else 200


@bp.post("/<int:role_id>/skills")
@login_required
def add_skill(role_id: int):
    require(Permission.ROLES_MANAGE)
    org = _employer()
    role = _load_role(org, role_id)
    form = SkillForm(prefix="skill")
    form.skill.choices = [(s.id, s.label) for s in job_roles.skills_framework()]
    if form.validate_on_submit():
        skill = db.session.get(Skill, form.skill.data)
        job_roles.set_skill(current_user, role, skill, form.target_level.data)
        db.session.commit()
        flash(f"{skill.label} is now required at level {form.target_level.data}", "success")
        return redirect(url_for("roles.detail", role_id=role.id), code=303)
    return _render_detail(org, role, skill_form=form)


@bp.post("/<int:role_id>/skills/<int:requirement_id>/remove")
@login_required
def remove_skill(role_id: int, requirement_id: int):
    require(Permission.ROLES_MANAGE)
    org = _employer()
    role = get_for(org, JobRole, role_id)
    requirement = get_for(org, JobRoleSkill, requirement_id)
    try:
        job_roles.remove_skill(current_user, role, requirement)
    except JobRoleError:
        abort(404)
    db.session.commit()
    flash("Skill removed from the job role", "success")
    return redirect(url_for("roles.detail", role_id=role.id), code=303)


@bp.post("/<int:role_id>/micro-credentials")
@login_required
def map_credential(role_id: int):
    require(Permission.ROLES_MANAGE)
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
            return redirect(url_for("roles.detail", role_id=role.id), code=303)
    return _render_detail(org, role, credential_form=form, error=error)


@bp.post("/<int:role_id>/micro-credentials/<int:mapping_id>/remove")
@login_required
def unmap_credential(role_id: int, mapping_id: int):
    require(Permission.ROLES_MANAGE)
    org = _employer()
    role = get_for(org, JobRole, role_id)
    mapping = get_for(org, JobRoleMicroCredential, mapping_id)
    try:
        job_roles.unmap_micro_credential(current_user, role, mapping)
    except JobRoleError:
        abort(404)
    db.session.commit()
    flash("Micro-credential removed from the job role", "success")
    return redirect(url_for("roles.detail", role_id=role.id), code=303)


@bp.get("/team")
@login_required
def team():
    require(Permission.SKILLS_VIEW_TEAM)
    org = _employer()
    everyone = can(Permission.ROLES_MANAGE)
    department = request.args.get("department") or None
    role_id = request.args.get("job_role", type=int) or None
    members = gaps.team_members(org, line_manager=None if everyone else current_membership(),
                                department=department, job_role_id=role_id)
    grid = gaps.team_grid(org, members)
    without_role = [m for m in members if m.job_role_id is None and Role.LEARNER in m.roles]
    return render_partial_or_page(
        "roles/team.html", "roles/_team_results.html", org=org, grid=grid, everyone=everyone,
        without_role=without_role,
        department=department, role_id=role_id, departments=job_roles.departments_of(org),
        roles=job_roles.roles_of(org), states=list(gaps.GapState))


@bp.get("/me")
@login_required
def mine():
    membership = current_membership()
    _employer()
    return redirect(url_for("roles.person", membership_id=membership.id))


def _load_person(org, membership_id: int) -> Membership:
    """A member of `org` the signed-in person may see: themselves, anyone for HR, reports for a manager."""
    person = get_for(org, Membership, membership_id, joinedload(Membership.user))
    me = current_membership()
    if person.id == me.id or can(Permission.ROLES_MANAGE):
        return person
    if can(Permission.SKILLS_VIEW_TEAM) and person.line_manager_id == me.id:
        return person
    abort(403)


@bp.get("/people/<int:membership_id>")
@login_required
def person(membership_id: int):
    org = _employer()
    member = _load_person(org, membership_id)
    return _render_person(org, member)


def _render_person(org, member, *, assign=None, assess=None, error=None):
    by = pathways.parse_by(request.args.get("by"))
    found = gaps.person_gaps(org, member)
    pathway = pathways.suggest_pathway(org, found, by) if found.job_role else None
    ctx = dict(org=org, member=member, found=found, pathway=pathway, by=by, states=list(gaps.GapState),
               weight_labels=pathways.WEIGHT_LABELS, error=error)
    if request.method == "GET" and wants_partial():  # the by-cost / by-hours switch
        return render_template("roles/_pathway.html", **ctx)
    assign = assign or (AssignForm(prefix="assign", formdata=None, job_role=member.job_role_id or 0)
                        if can(Permission.ROLES_MANAGE) else None)
    if assign is not None:
        assign.job_role.choices = [(0, "No job role")] + [(r.id, r.title) for r in job_roles.roles_of(org)]
    may_assess = can(Permission.SKILLS_ASSESS) and job_roles.may_assess(current_membership(), member)
    if may_assess:
        assess = assess or AssessForm(prefix="assess", formdata=None)
        first = [g.skill for g in found.gaps]
        rest = [s for s in job_roles.skills_framework() if s.id not in {f.id for f in first}]
        assess.skill.choices = [(s.id, s.label) for s in first + rest]
    failed = error or (assign and assign.errors) or (assess and assess.errors)
    return render_template(
        "roles/person.html", assign=assign, assess=assess if may_assess else None,
        held=found.held,
        history=job_roles.assessment_history(org, member), **ctx), 422 if failed else 200


@bp.post("/people/<int:membership_id>/job-role")
@login_required
def assign(membership_id: int):
    require(Permission.ROLES_MANAGE)
    org = _employer()
    member = get_for(org, Membership, membership_id, joinedload(Membership.user))
    form = AssignForm(prefix="assign")
    form.job_role.choices = [(0, "No job role")] + [(r.id, r.title) for r in job_roles.roles_of(org)]
    if form.validate_on_submit():
        role = get_for(org, JobRole, form.job_role.data) if form.job_role.data else None
        job_roles.assign_role(current_user, member, role)
        db.session.commit()
        flash(f"{member.user.name}'s job role has been saved", "success")
        return redirect(url_for("roles.person", membership_id=member.id), code=303)
    return _render_person(org, member, assign=form)


@bp.post("/people/<int:membership_id>/assessments")
@login_required
def assess(membership_id: int):
    require(Permission.SKILLS_ASSESS)
    org = _employer()
    member = get_for(org, Membership, membership_id, joinedload(Membership.user))
    if not job_roles.may_assess(current_membership(), member):
        abort(403)
    form = AssessForm(prefix="assess")
    form.skill.choices = [(s.id, s.label) for s in job_roles.skills_framework()]
    error = None
    if form.validate_on_submit():
        skill = db.session.get(Skill, form.skill.data)
        try:
            job_roles.record_assessment(current_user, current_membership(), member, skill, form.level.data,
                                        form.assessed_on.data, form.note.data)
        except JobRoleError as exc:
            error = str(exc)
        else:
            db.session.commit()
            flash(f"Assessment of {skill.label} recorded", "success")
            return redirect(url_for("roles.person", membership_id=member.id), code=303)
    return _render_person(org, member, assess=form, error=error)
