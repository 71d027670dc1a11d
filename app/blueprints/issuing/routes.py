"""Provider coordinators award badges (one learner, or many from a CSV), revoke and re-issue
them, and look after their issuer profile and signing keys. Every route is for a provider's
coordinator (403 otherwise); another provider's award is a 404."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.htmx import render_partial_or_page
from app.blueprints.issuing import bp
from app.blueprints.issuing.forms import (
    AwardForm,
    BulkAwardForm,
    IssuedFilters,
    ReissueForm,
    ResendClaimForm,
    RevokeForm,
)
from app.blueprints.outcomes import failures_flashed, failures_on
from app.models import OrgKind
from app.models.badges import DID_METHODS, IssuedCredential
from app.security.permissions import Permission
from app.security.policy import acting_org, current_org, require
from app.security.scoping import get_for
from app.services import issuing

PER_PAGE = 50


@bp.get("")
@require(Permission.CREDENTIALS_ISSUE, org_kind=OrgKind.PROVIDER)
def index():
    org = acting_org()
    filters = IssuedFilters.from_args(request.args)
    rows, total = issuing.issued_by(org, filters.page, PER_PAGE, search=filters.search, state=filters.state)
    return render_partial_or_page(
        "issuing/index.html",
        "issuing/_list.html",
        org=org,
        rows=rows,
        total=total,
        filters=filters,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        states=issuing.STATES,
    )


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.CREDENTIALS_ISSUE, org_kind=OrgKind.PROVIDER)
def new():
    org = acting_org()
    form = AwardForm(issuing.awardable(org), micro_credential_id=request.args.get("record", ""))
    if form.validate_on_submit():
        with failures_on(form):
            issued = issuing.issue(
                current_user,
                org,
                form.record,
                form.learner,
                valid_until=form.valid_until.moment,
                evidence_url=form.evidence_url.data or None,
            )
            flash(f"Badge awarded to {issued.recipient_name}. We have emailed them a link to accept it.", "success")
            return redirect(url_for("issuing.show", credential_id=issued.id), code=303)
    return render_template("issuing/new.html", org=org, form=form), 422 if form.errors else 200


@bp.route("/bulk", methods=["GET", "POST"])
@require(Permission.CREDENTIALS_ISSUE, org_kind=OrgKind.PROVIDER)
def bulk():
    org = acting_org()
    form = BulkAwardForm(issuing.awardable(org))
    if form.validate_on_submit():
        with failures_on(form):
            learners = issuing.parse(form.content)
            job = issuing.start_award_job(current_user, org, form.record, learners, valid_until=form.valid_until.moment)
            flash(
                f"Awarding {len(learners)} badges. Each learner is emailed a link to accept theirs as it is issued.",
                "success",
            )
            return redirect(url_for("jobs.show", job_id=job.id), code=303)
    return render_template("issuing/bulk.html", org=org, form=form), 422 if form.errors else 200


@bp.get("/bulk/template.csv")
@require(Permission.CREDENTIALS_ISSUE, org_kind=OrgKind.PROVIDER)
def bulk_template():
    response = make_response(issuing.CSV_TEMPLATE)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="award-badges-template.csv"'
    return response


def _own(credential_id: int) -> IssuedCredential:
    return get_for(current_org(), IssuedCredential, credential_id)


def _show(issued: IssuedCredential, revoke_form: RevokeForm, reissue_form: ReissueForm):
    failed = bool(revoke_form.errors or reissue_form.errors)
    resend_form = ResendClaimForm(formdata=None)
    return render_template(
        "issuing/show.html",
        org=current_org(),
        issued=issued,
        record=issued.micro_credential,
        replacement=issuing.replacement_of(issued),
        revoke_form=revoke_form,
        reissue_form=reissue_form,
        resend_form=resend_form,
        claim_expired=issuing.claim_link_expired(issued),
    ), 422 if failed else 200


@bp.get("/<int:credential_id>")
@require(Permission.CREDENTIALS_ISSUE, org_kind=OrgKind.PROVIDER)
def show(credential_id: int):
    return _show(_own(credential_id), RevokeForm(formdata=None), ReissueForm(formdata=None))


@bp.post("/<int:credential_id>/revoke")
@require(Permission.CREDENTIALS_ISSUE, org_kind=OrgKind.PROVIDER)
def revoke(credential_id: int):
    issued = _own(credential_id)
    form = RevokeForm()
    if form.validate_on_submit():
        with failures_on(form):
            issuing.revoke(current_user, issued, form.reason.data)
            flash(f"Badge revoked. Verifiers now see it as revoked: {issued.revocation_reason}", "success")
            return redirect(url_for("issuing.show", credential_id=issued.id), code=303)
    return _show(issued, form, ReissueForm(formdata=None))


@bp.post("/<int:credential_id>/reissue")
@require(Permission.CREDENTIALS_ISSUE, org_kind=OrgKind.PROVIDER)
def reissue(credential_id: int):
    issued = _own(credential_id)
    form = ReissueForm()
    if form.validate_on_submit():
        with failures_on(form):
            fresh = issuing.reissue(current_user, issued, valid_until=form.valid_until.moment)
            flash(f"New badge issued to {fresh.recipient_name}; the old one is revoked as re-issued.", "success")
            return redirect(url_for("issuing.show", credential_id=fresh.id), code=303)
    return _show(issued, RevokeForm(formdata=None), form)


@bp.post("/<int:credential_id>/resend-claim")
@require(Permission.CREDENTIALS_ISSUE, org_kind=OrgKind.PROVIDER)
def resend_claim(credential_id: int):
    issued = _own(credential_id)
    if ResendClaimForm().validate_on_submit():
        with failures_flashed():
            issuing.resend_claim(current_user, issued)
            flash(
                f"A new link to accept the badge was sent to {issued.recipient_email}. The old link no longer works.",
                "success",
            )
    return redirect(url_for("issuing.show", credential_id=issued.id), code=303)


@bp.get("/issuer")
@require(Permission.CREDENTIALS_ISSUE, org_kind=OrgKind.PROVIDER)
def issuer():
    org = acting_org()
    return render_template(
        "issuing/issuer.html", org=org, profile=issuing.profile_of(org), method_words=DID_METHODS[issuing.did_method()]
    )


@bp.post("/issuer/keys")
@require(Permission.CREDENTIALS_ISSUE, org_kind=OrgKind.PROVIDER)
def rotate_key():
    org = acting_org()
    profile = issuing.profile_of(org)
    if profile is None:
        profile = issuing.ensure_profile(current_user, org)
        flash(f"Issuer profile created: your badges will be issued as {profile.did}", "success")
    else:
        key = issuing.rotate_key(current_user, profile)
        flash(f"New signing key {key.key_id} in use. Badges signed with older keys still verify.", "success")
    return redirect(url_for("issuing.issuer"), code=303)
