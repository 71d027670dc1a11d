"""Organisation admin: people and roles, invitations, partnerships, the audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.htmx import render_partial_or_page
from app.blueprints.organisation import bp
from app.blueprints.organisation.forms import (
    ConfirmForm,
    InviteForm,
    PartnershipRequestForm,
    RolesForm,
    role_choices,
)
from app.blueprints.outcomes import failures_flashed, failures_on
from app.blueprints.page_cache import cached_page
from app.models import Invitation, Membership, Partnership
from app.security.permissions import Permission
from app.security.policy import acting_org, require
from app.security.scoping import get_for
from app.services.accounts import organisations, people_list
from app.services.audit import queries as audit_log_service


@bp.get("/people")
@require(Permission.ORG_MANAGE_PEOPLE)
@cached_page
def people():
    org = acting_org()
    filters = people_list.PeopleFilters.from_args(request.args)
    return render_partial_or_page(
        "organisation/people.html",
        "organisation/_people_results.html",
        org=org,
        filters=filters,
        found=people_list.search(org, filters),
        roles=role_choices(org),
        departments=people_list.departments(org),
        invitations=organisations.pending_invitations(org),
        confirm=ConfirmForm(),
    )


@bp.route("/people/invite", methods=["GET", "POST"])
@require(Permission.ORG_MANAGE_PEOPLE)
def invite():
    org = acting_org()
    form = InviteForm()
    form.roles.choices = role_choices(org)
    if form.validate_on_submit():
        with failures_on(form):
            organisations.invite(current_user, org, form.email.data, form.roles.data, form.department.data)
            flash(f"Invitation sent to {form.email.data}", "success")
            return redirect(url_for("organisation.people"), code=303)
    return render_template("organisation/invite.html", form=form, org=org), 422 if form.errors else 200


def _active_member(org, membership_id: int) -> Membership:
    """A current member; someone already removed is rejoined by invitation, not by old links."""
    membership = get_for(org, Membership, membership_id)
    if not membership.is_active:
        abort(404)
    return membership


@bp.route("/people/<int:membership_id>/roles", methods=["GET", "POST"])
@require(Permission.ORG_MANAGE_PEOPLE)
def edit_roles(membership_id: int):
    org = acting_org()
    membership = _active_member(org, membership_id)
    form = RolesForm()
    form.roles.choices = role_choices(org)
    if request.method == "GET":
        form.roles.data = sorted(membership.roles)
    if form.validate_on_submit():
        with failures_on(form):
            organisations.change_roles(current_user, membership, form.roles.data)
            flash(f"{membership.user.name}'s roles have been updated", "success")
            return redirect(url_for("organisation.people"), code=303)
    return render_template(
        "organisation/roles.html", form=form, membership=membership, org=org, confirm=ConfirmForm()
    ), 422 if form.errors else 200


@bp.post("/people/<int:membership_id>/remove")
@require(Permission.ORG_MANAGE_PEOPLE)
def remove(membership_id: int):
    org = acting_org()
    membership = _active_member(org, membership_id)
    if ConfirmForm().validate_on_submit():
        with failures_flashed():
            organisations.remove_member(current_user, membership)
            flash(f"{membership.user.name} no longer has access to {org.name}", "success")
    return redirect(url_for("organisation.people"), code=303)


@bp.post("/invitations/<int:invitation_id>/revoke")
@require(Permission.ORG_MANAGE_PEOPLE)
def revoke_invitation(invitation_id: int):
    invitation = get_for(acting_org(), Invitation, invitation_id)
    if ConfirmForm().validate_on_submit():
        with failures_flashed():
            organisations.revoke_invitation(current_user, invitation)
            flash(f"The invitation to {invitation.email} has been withdrawn", "success")
    return redirect(url_for("organisation.people"), code=303)


@bp.route("/partnerships", methods=["GET", "POST"])
@require(Permission.ORG_MANAGE_PARTNERSHIPS)
def partnerships():
    org = acting_org()
    form = PartnershipRequestForm()
    form.partner.choices = [(o.id, o.name) for o in organisations.possible_partners(org)]
    if form.validate_on_submit():
        with failures_on(form):
            organisations.request_partnership(current_user, org, form.partner.data, form.message.data)
            flash("Partnership request sent", "success")
            return redirect(url_for("organisation.partnerships"), code=303)
    return render_template(
        "organisation/partnerships.html",
        org=org,
        form=form,
        partnerships=organisations.partnerships_of(org),
        confirm=ConfirmForm(),
    ), 422 if form.errors else 200


@bp.post("/partnerships/<int:partnership_id>/<any(accept, decline, end):action>")
@require(Permission.ORG_MANAGE_PARTNERSHIPS)
def respond_partnership(partnership_id: int, action: str):
    org = acting_org()
    partnership = get_for(org, Partnership, partnership_id)
    if ConfirmForm().validate_on_submit():
        with failures_flashed():
            if action == "end":
                organisations.end_partnership(current_user, org, partnership)
            else:
                organisations.respond_to_partnership(current_user, org, partnership, accept=action == "accept")
            flash(
                {"accept": "Partnership accepted", "decline": "Partnership declined", "end": "Partnership ended"}[
                    action
                ],
                "success",
            )
    return redirect(url_for("organisation.partnerships"), code=303)


@bp.get("/audit")
@require(Permission.ORG_VIEW_AUDIT)
def audit_log():
    org = acting_org()
    filters = audit_log_service.AuditFilters.from_args(request.args)
    page = audit_log_service.search(org, filters)
    return render_partial_or_page(
        "organisation/audit.html",
        "organisation/_audit_results.html",
        org=org,
        filters=filters,
        page=page,
        actions=audit_log_service.actions_in(org),
    )
