"""People pages of the job-roles blueprint: a team's heat map, a person's gaps and pathway,
job-role assignment and assessed skills."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app.blueprints.htmx import render_partial_or_page, wants_partial
from app.blueprints.job_roles import bp
from app.blueprints.job_roles.forms import AssessForm, AssignForm
from app.blueprints.job_roles.routes import _employer
from app.extensions import db
from app.models import Membership, Role, Skill
from app.models.job_roles import JobRole
from app.security.permissions import Permission
from app.security.policy import can, current_membership, require
from app.security.scoping import get_for
from app.services.skills import gaps, job_roles, pathways
from app.services.skills.job_roles import JobRoleError


@bp.get("/team")
@require(Permission.SKILLS_VIEW_TEAM)
def team():
    org = _employer()
    everyone = can(Permission.ROLES_MANAGE)
    department = request.args.get("department") or None
    role_id = request.args.get("job_role", type=int) or None
    members = gaps.team_members(org, line_manager=None if everyone else current_membership(),
                                department=department, job_role_id=role_id)
    grids = gaps.team_grids(org, members)
    without_role = [m for m in members if m.job_role_id is None and Role.LEARNER in m.roles]
    return render_partial_or_page(
        "job_roles/team.html", "job_roles/_team_results.html", org=org, grids=grids, everyone=everyone,
        without_role=without_role,
        department=department, role_id=role_id, departments=job_roles.departments_of(org),
        roles=job_roles.roles_of(org), states=list(gaps.GapState))


@bp.get("/me")
@login_required
def mine():
    """The signed-in person's own skills page in their current employer."""
    _employer()
    return redirect(url_for("job_roles.person", membership_id=current_membership().id))


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
    mapped = job_roles.mapped_credentials(found.job_role) if found.job_role else []
    ctx = dict(org=org, member=member, found=found, pathway=pathway, by=by, states=list(gaps.GapState),
               mapped=mapped,
               weight_labels=pathways.WEIGHT_LABELS, error=error)
    if request.method == "GET" and wants_partial():  # the by-cost / by-hours switch
        return render_template("job_roles/_pathway.html", **ctx)
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
        "job_roles/person.html", assign=assign, assess=assess if may_assess else None,
        held=found.held,
        history=job_roles.assessment_history(org, member), **ctx), 422 if failed else 200


@bp.post("/people/<int:membership_id>/job-role")
@require(Permission.ROLES_MANAGE)
def assign(membership_id: int):
    org = _employer()
    member = get_for(org, Membership, membership_id, joinedload(Membership.user))
    form = AssignForm(prefix="assign")
    form.job_role.choices = [(0, "No job role")] + [(r.id, r.title) for r in job_roles.roles_of(org)]
    if form.validate_on_submit():
        role = get_for(org, JobRole, form.job_role.data) if form.job_role.data else None
        job_roles.assign_role(current_user, member, role)
        db.session.commit()
        flash(f"{member.user.name}'s job role has been saved", "success")
        return redirect(url_for("job_roles.person", membership_id=member.id), code=303)
    return _render_person(org, member, assign=form)


@bp.post("/people/<int:membership_id>/assessments")
@require(Permission.SKILLS_ASSESS)
def assess(membership_id: int):
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
            return redirect(url_for("job_roles.person", membership_id=member.id), code=303)
    return _render_person(org, member, assess=form, error=error)
