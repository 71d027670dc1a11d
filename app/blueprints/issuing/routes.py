"""Provider coordinators award badges (one learner, or many from a CSV), revoke and re-issue
them, and look after their issuer profile and signing keys. Another provider's award is a
404 on every route."""
from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.blueprints.htmx import render_partial_or_page
from app.blueprints.issuing import bp
from app.extensions import db
from app.models.badges import IssuedCredential
from app.security.permissions import Permission
from app.security.policy import authorise, current_org
from app.security.scoping import get_for
from app.services.issuing import awards as issuing
from app.services.issuing import bulk as issuing_bulk
from app.services.issuing import issuers as issuer_keys
from app.services.issuing.awards import IssuingError, Learner

MAX_CSV_BYTES = 1024 * 1024


def _provider():
    authorise(Permission.CREDENTIALS_ISSUE)
    org = current_org()
    if org is None or not org.is_provider:
        abort(403)
    return org


def _record(org, raw_id):
    """One of the provider's published micro-credentials chosen in a form, or None."""
    try:
        wanted = int(raw_id or 0)
    except ValueError:
        return None
    return next((r for r in issuing.awardable(org) if r.id == wanted), None)


def _expiry(raw: str | None, errors: dict) -> datetime | None:
    """A YYYY-MM-DD expiry date as the end of that day (UTC), or None."""
    if not (raw or "").strip():
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        errors["valid_until"] = "Enter the expiry date as a real date, like 2028-03-31"
        return None
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


@bp.get("")
@login_required
def index():
    org = _provider()
    page = min(max(request.args.get("page", 1, type=int), 1), 100_000)  # the database's integers are finite
    search = request.args.get("q", "")[:100]
    state = request.args.get("state", "") if request.args.get("state") in issuing.STATES else ""
    rows, total = issuing.issued_by(org, page, search=search, state=state)
    response = make_response(render_partial_or_page(
        "issuing/index.html", "issuing/_list.html", org=org, rows=rows, total=total, page=page,
        pages=max((total + 49) // 50, 1), search=search, state=state, states=issuing.STATES))
    response.headers["Vary"] = "HX-Request"
    return response


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    org = _provider()
    raw, errors = dict(request.form) if request.method == "POST" else {"micro_credential_id": request.args.get("record", "")}, {}
    if request.method == "POST":
        record = _record(org, raw.get("micro_credential_id"))
        if record is None:
            errors["micro_credential_id"] = "Choose one of your published micro-credentials"
        valid_until = _expiry(raw.get("valid_until"), errors)
        evidence = (raw.get("evidence_url") or "").strip() or None
        _check_learner(raw, evidence, errors)
        if not errors:
            try:
                issued = issuing.issue(current_user, org, record, Learner(raw.get("name", ""), raw.get("email", "")),
                                       valid_until=valid_until, evidence_url=evidence)
            except IssuingError as exc:
                errors[_field_of(str(exc))] = str(exc)
            else:
                db.session.commit()
                flash(f"Badge awarded to {issued.recipient_name}. We have emailed them a link to accept it.", "success")
                return redirect(url_for("issuing.show", credential_id=issued.id), code=303)
    return render_template("issuing/new.html", org=org, raw=raw, errors=errors,
                           records=issuing.awardable(org)), 422 if errors else 200


def _check_learner(raw: dict, evidence: str | None, errors: dict) -> None:
    """Every field's problem at once (the service re-checks, and stops at the first)."""
    if not (raw.get("name") or "").strip():
        errors["name"] = "Enter the learner's full name"
    try:
        issuing.check_email(raw.get("email", ""))
    except IssuingError as exc:
        errors["email"] = str(exc)
    if evidence and not evidence.startswith(("https://", "http://")):
        errors["evidence_url"] = "The evidence link must start with https://"


def _field_of(message: str) -> str:
    for word, field in (("email", "email"), ("name", "name"), ("evidence", "evidence_url"),
                        ("expiry", "valid_until")):
        if word in message.lower():
            return field
    return "micro_credential_id"


@bp.route("/bulk", methods=["GET", "POST"])
@login_required
def bulk():
    org = _provider()
    raw, errors, problems = dict(request.form), {}, []
    if request.method == "POST":
        record = _record(org, raw.get("micro_credential_id"))
        if record is None:
            errors["micro_credential_id"] = "Choose one of your published micro-credentials"
        valid_until = _expiry(raw.get("valid_until"), errors)
        upload = request.files.get("file")
        content = upload.read(MAX_CSV_BYTES + 1) if upload else b""
        if not content:
            errors["file"] = "Choose a CSV file of names and email addresses"
        elif len(content) > MAX_CSV_BYTES:
            errors["file"] = "The file is larger than 1 MB: split it into smaller files"
        if not errors:
            try:
                issued = issuing_bulk.award_all(current_user, org, record, content, valid_until=valid_until)
            except issuing_bulk.BulkAwardError as exc:
                db.session.rollback()
                problems = exc.problems
            except IssuingError as exc:
                db.session.rollback()
                errors["micro_credential_id"] = str(exc)
            else:
                db.session.commit()
                flash(f"{len(issued)} badges awarded. Each learner has been emailed a link to accept theirs.", "success")
                return redirect(url_for("issuing.index"), code=303)
    status = 422 if (errors or problems) else 200
    return render_template("issuing/bulk.html", org=org, raw=raw, errors=errors, problems=problems,
                           records=issuing.awardable(org)), status


@bp.get("/bulk/template.csv")
@login_required
def bulk_template():
    _provider()
    response = make_response(issuing_bulk.TEMPLATE)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="award-badges-template.csv"'
    return response


def _own(org, credential_id: int) -> IssuedCredential:
    return get_for(org, IssuedCredential, credential_id)


@bp.get("/<int:credential_id>")
@login_required
def show(credential_id: int):
    org = _provider()
    issued = _own(org, credential_id)
    return render_template("issuing/show.html", org=org, issued=issued, record=issued.micro_credential,
                           replacement=issuing.replacement_of(issued), errors={})


@bp.post("/<int:credential_id>/revoke")
@login_required
def revoke(credential_id: int):
    org = _provider()
    issued = _own(org, credential_id)
    try:
        issuing.revoke(current_user, issued, request.form.get("reason", ""))
    except IssuingError as exc:
        return render_template("issuing/show.html", org=org, issued=issued, record=issued.micro_credential,
                               replacement=issuing.replacement_of(issued), errors={"reason": str(exc)}), 422
    db.session.commit()
    flash(f"Badge revoked. Verifiers now see it as revoked: {issued.revocation_reason}", "success")
    return redirect(url_for("issuing.show", credential_id=issued.id), code=303)


@bp.post("/<int:credential_id>/reissue")
@login_required
def reissue(credential_id: int):
    org = _provider()
    issued = _own(org, credential_id)
    errors: dict = {}
    valid_until = _expiry(request.form.get("valid_until"), errors)
    if not errors:
        try:
            fresh = issuing.reissue(current_user, issued, valid_until=valid_until)
        except IssuingError as exc:
            errors["valid_until"] = str(exc)
        else:
            db.session.commit()
            flash(f"New badge issued to {fresh.recipient_name}; the old one is revoked as re-issued.", "success")
            return redirect(url_for("issuing.show", credential_id=fresh.id), code=303)
    return render_template("issuing/show.html", org=org, issued=issued, record=issued.micro_credential,
                           replacement=issuing.replacement_of(issued), errors=errors), 422


@bp.get("/issuer")
@login_required
def issuer():
    org = _provider()
    return render_template("issuing/issuer.html", org=org, profile=issuer_keys.profile_of(org),
                           method=issuer_keys.did_method())


@bp.post("/issuer/keys")
@login_required
def rotate_key():
    org = _provider()
    profile = issuer_keys.profile_of(org)
    if profile is None:
        profile = issuer_keys.ensure_profile(current_user, org)
        message = f"Issuer profile created: your badges will be issued as {profile.did}"
    else:
        key = issuer_keys.rotate_key(current_user, profile)
        message = f"New signing key {key.key_id} in use. Badges signed with older keys still verify."
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("issuing.issuer"), code=303)
