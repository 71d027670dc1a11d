"""People pages of the job-roles blueprint: a team's heat map, a person's gaps and pathway,
job-role assignment and assessed skills."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.blueprints.forms import id_arg
from app.blueprints.htmx import render_partial_or_page, wants_partial
from app.blueprints.job_roles import bp
from app.blueprints.job_roles.forms import AssessForm, AssignForm, skill_choices
from app.blueprints.outcomes import failures_on
from app.blueprints.page_cache import cached_page
from app.models import Membership, OrgKind, Role
from app.models.job_roles import JobRole
from app.security.permissions import Permission
from app.security.policy import (
    acting_membership,
    acting_org,
    can,
    current_membership,
    may_assess_skills_of,
    may_view_skills_of,
    require,
)
from app.security.scoping import get_for
from app.services.skills import gaps, job_roles, pathways
from app.services.skills import team_summary as team_summaries


def _team_filters(org) -> dict:
    """The team pages' scope: HR sees everyone (optionally one line manager's reports), a line
    manager their own reports; both filter by department and job role. From the query string."""
    everyone = can(Permission.ROLES_MANAGE)
    manager_id = id_arg(request.args.get("line_manager")) if everyone else None
    return {
        "everyone": everyone,
        "department": request.args.get("department") or None,
        "role_id": id_arg(request.args.get("job_role")),
        "manager_id": manager_id,
        "line_manager": get_for(org, Membership, manager_id)
        if manager_id
        else (None if everyone else current_membership()),
    }


def _filter_args(f: dict) -> dict:
    return {
        k: v
        for k, v in (("department", f["department"]), ("job_role", f["role_id"]), ("line_manager", f["manager_id"]))
        if v
    }


@bp.get("/team/summary")
@require(Permission.SKILLS_VIEW_TEAM, org_kind=OrgKind.EMPLOYER)
@cached_page
def team_summary():
    """The summary first: coverage by job role and department, the skills most often short and the
    people furthest from their role; each drills down to the grid."""
    org = acting_org()
    f = _team_filters(org)
    found = team_summaries.cached_summary(
        org, line_manager=f["line_manager"], department=f["department"], job_role_id=f["role_id"]
    )
    return render_partial_or_page(
        "job_roles/team_summary.html",
        "job_roles/_team_summary.html",
        org=org,
        summary=found,
        filter_args=_filter_args(f),
        departments=job_roles.departments_of(org),
        roles=job_roles.role_titles(org),
        managers=team_summaries.line_managers(org) if f["everyone"] else [],
        **f,
    )


@bp.get("/team")
@require(Permission.SKILLS_VIEW_TEAM, org_kind=OrgKind.EMPLOYER)
@cached_page
def team():
    org = acting_org()
    f = _team_filters(org)
    everyone, department, role_id = f["everyone"], f["department"], f["role_id"]
    found = gaps.team_page(
        org,
        line_manager=f["line_manager"],
        department=department,
        job_role_id=role_id,
        page=request.args.get("page", 1, type=int),
    )
    grids = gaps.team_grids(org, found.members)
    without_role = [m for m in found.members if m.job_role_id is None and Role.LEARNER in m.roles]
    as_list = request.args.get("view") == "list"  # one row per person and skill, instead of heat maps
    return render_partial_or_page(
        "job_roles/team.html",
        "job_roles/_team_results.html",
        org=org,
        found=found,
        as_list=as_list,
        filter_args=_filter_args(f),
        page_args={**_filter_args(f), **({"view": "list"} if as_list else {})},
        grids=grids,
        managers=team_summaries.line_managers(org) if everyone else [],
        manager_id=f["manager_id"],
        everyone=everyone,
        without_role=without_role,
        department=department,
        role_id=role_id,
        departments=job_roles.departments_of(org),
        roles=job_roles.role_titles(org),
        states=list(gaps.GapState),
    )


@bp.get("/me")
@require(org_kind=OrgKind.EMPLOYER)
def mine():
    """The signed-in person's own skills page in their current employer."""
    return redirect(url_for("job_roles.person", membership_id=current_membership().id))


def _member(org, membership_id: int) -> Membership:
    return get_for(org, Membership, membership_id, joinedload(Membership.user))


@bp.get("/people/<int:membership_id>")
@require(org_kind=OrgKind.EMPLOYER)
def person(membership_id: int):
    org = acting_org()
    member = _member(org, membership_id)
    if not may_view_skills_of(current_membership(), member):
        abort(403)
    return _render_person(org, member)


def _assign_form(org, member, formdata=None) -> AssignForm:
    form = (
        AssignForm(prefix="assign")
        if formdata
        else AssignForm(prefix="assign", formdata=None, job_role=member.job_role_id or 0)
    )
    form.job_role.choices = [(0, "No job role")] + [(r.id, r.title) for r in job_roles.role_titles(org)]
    return form


def _render_person(org, member, *, assign=None, assess=None):
    by = pathways.parse_by(request.args.get("by"))
    found = gaps.person_gaps(org, member)
    pathway = pathways.suggest_pathway(org, found, by) if found.job_role else None
    mapped = job_roles.mapped_credentials(found.job_role) if found.job_role else []
    ctx = dict(
        org=org,
        member=member,
        found=found,
        pathway=pathway,
        by=by,
        states=list(gaps.GapState),
        mapped=mapped,
        weight_labels=pathways.WEIGHT_LABELS,
        own=member.user_id == current_user.id,
    )
    if request.method == "GET" and wants_partial():  # the by-cost / by-hours switch
        return render_template("job_roles/_pathway.html", **ctx)
    if assign is None and can(Permission.ROLES_MANAGE):
        assign = _assign_form(org, member)
    if may_assess_skills_of(current_membership(), member):
        assess = assess or AssessForm(prefix="assess", formdata=None)
        first = [g.skill for g in found.gaps]
        rest = [s for s in job_roles.skills_framework() if s.id not in {f.id for f in first}]
        assess.skill.choices = skill_choices(first + rest)
    else:
        assess = None
    failed = (assign and assign.errors) or (assess and assess.errors)
    return render_template(
        "job_roles/person.html",
        assign=assign,
        assess=assess,
        held=found.held_once,
        history=job_roles.assessment_history(org, member),
        **ctx,
    ), 422 if failed else 200


@bp.post("/people/<int:membership_id>/job-role")
@require(Permission.ROLES_MANAGE, org_kind=OrgKind.EMPLOYER)
def assign(membership_id: int):
    org = acting_org()
    member = _member(org, membership_id)
    form = _assign_form(org, member, formdata=True)
    if form.validate_on_submit():
        role = get_for(org, JobRole, form.job_role.data) if form.job_role.data else None
        with failures_on(form):
            job_roles.assign_role(current_user, member, role)
            flash(f"{member.user.name}'s job role has been saved", "success")
            return redirect(url_for("job_roles.person", membership_id=member.id), code=303)
    return _render_person(org, member, assign=form)


@bp.post("/people/<int:membership_id>/assessments")
@require(Permission.SKILLS_ASSESS, org_kind=OrgKind.EMPLOYER)
def assess(membership_id: int):
    org = acting_org()
    member = _member(org, membership_id)
    if not may_assess_skills_of(current_membership(), member):
        abort(403)
    form = AssessForm(prefix="assess")
    form.skill.choices = skill_choices(job_roles.skills_framework())
    if form.validate_on_submit():
        with failures_on(form):
            skill = job_roles.skill(form.skill.data)
            job_roles.record_assessment(
                current_user, acting_membership(), member, skill, form.level.data, form.assessed_on.data, form.note.data
            )
            flash(f"Assessment of {skill.label} recorded", "success")
            return redirect(url_for("job_roles.person", membership_id=member.id), code=303)
    return _render_person(org, member, assess=form)
