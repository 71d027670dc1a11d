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
from app.extensions import db
from app.models import Invitation, Membership, Partnership
from app.security.permissions import Permission
from app.security.policy import current_org, require
from app.security.scoping import get_for
from app.services.accounts import organisations
from app.services.accounts.organisations import OrganisationError
from app.services.audit import queries as audit_log_service


@bp.get("/people")
@require(Permission.ORG_MANAGE_PEOPLE)
def people():
    org = current_org()
    return render_template("organisation/people.html", org=org, members=organisations.members(org),
                           invitations=organisations.pending_invitations(org), confirm=ConfirmForm())


@bp.route("/people/invite", methods=["GET", "POST"])
@require(Permission.ORG_MANAGE_PEOPLE)
def invite():
    org = current_org()
    form = InviteForm()
    form.roles.choices = role_choices(org)
    error = None
    if form.validate_on_submit():
        try:
            organisations.invite(current_user, org, form.email.data, form.roles.data, form.department.data)
        except OrganisationError as exc:
            error = str(exc)
        else:
            db.session.commit()
            flash(f"Invitation sent to {form.email.data}", "success")
            return redirect(url_for("organisation.people"), code=303)
    status = 422 if (error or form.errors) else 200
    return render_template("organisation/invite.html", form=form, org=org, error=error), status


def _active_member(org, membership_id: int) -> Membership:
    """A current member; someone already removed is rejoined by invitation, not by old links."""
    membership = get_for(org, Membership, membership_id)
    if not membership.is_active:
        abort(404)
    return membership


@bp.route("/people/<int:membership_id>/roles", methods=["GET", "POST"])
@require(Permission.ORG_MANAGE_PEOPLE)
def edit_roles(membership_id: int):
    org = current_org()
    membership = _active_member(org, membership_id)
    form = RolesForm()
    form.roles.choices = role_choices(org)
    if request.method == "GET":
        form.roles.data = sorted(membership.roles)
    error = None
    if form.validate_on_submit():
        try:
            organisations.change_roles(current_user, membership, form.roles.data)
        except OrganisationError as exc:
            error = str(exc)
        else:
            db.session.commit()
            flash(f"{membership.user.name}'s roles have been updated", "success")
            return redirect(url_for("organisation.people"), code=303)
    status = 422 if (error or form.errors) else 200
    return render_template("organisation/roles.html", form=form, membership=membership, org=org,
                           error=error, confirm=ConfirmForm()), status


@bp.post("/people/<int:membership_id>/remove")
@require(Permission.ORG_MANAGE_PEOPLE)
def remove(membership_id: int):
    org = current_org()
    membership = _active_member(org, membership_id)
    if ConfirmForm().validate_on_submit():
        try:
            organisations.remove_member(current_user, membership)
        except OrganisationError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"{membership.user.name} no longer has access to {org.name}", "success")
    return redirect(url_for("organisation.people"), code=303)


@bp.post("/invitations/<int:invitation_id>/revoke")
@require(Permission.ORG_MANAGE_PEOPLE)
def revoke_invitation(invitation_id: int):
    invitation = get_for(current_org(), Invitation, invitation_id)
    if ConfirmForm().validate_on_submit():
        try:
            organisations.revoke_invitation(current_user, invitation)
        except OrganisationError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"The invitation to {invitation.email} has been withdrawn", "success")
    return redirect(url_for("organisation.people"), code=303)


@bp.route("/partnerships", methods=["GET", "POST"])
@require(Permission.ORG_MANAGE_PARTNERSHIPS)
def partnerships():
    org = current_org()
    form = PartnershipRequestForm()
    form.partner.choices = [(o.id, o.name) for o in organisations.possible_partners(org)]
    error = None
    if form.validate_on_submit():
        try:
            organisations.request_partnership(current_user, org, form.partner.data, form.message.data)
        except OrganisationError as exc:
            error = str(exc)
        else:
            db.session.commit()
            flash("Partnership request sent", "success")
            return redirect(url_for("organisation.partnerships"), code=303)
    status = 422 if (error or form.errors) else 200
    return render_template("organisation/partnerships.html", org=org, form=form, error=error,
                           partnerships=organisations.partnerships_of(org), confirm=ConfirmForm()), status


@bp.post("/partnerships/<int:partnership_id>/<any(accept, decline, end):action>")
@require(Permission.ORG_MANAGE_PARTNERSHIPS)
def respond_partnership(partnership_id: int, action: str):
    org = current_org()
    partnership = get_for(org, Partnership, partnership_id)
    if ConfirmForm().validate_on_submit():
        try:
            if action == "end":
                organisations.end_partnership(current_user, org, partnership)
            else:
                organisations.respond_to_partnership(current_user, org, partnership, accept=action == "accept")
        except OrganisationError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash({"accept": "Partnership accepted", "decline": "Partnership declined",
                   "end": "Partnership ended"}[action], "success")
    return redirect(url_for("organisation.partnerships"), code=303)


@bp.get("/audit")
@require(Permission.ORG_VIEW_AUDIT)
def audit_log():
    org = current_org()
    filters = audit_log_service.AuditFilters.from_args(request.args)
    page = audit_log_service.search(org, filters)
    return render_partial_or_page("organisation/audit.html", "organisation/_audit_results.html",
                                  org=org, filters=filters, page=page,
                                  actions=audit_log_service.actions_in(org))
