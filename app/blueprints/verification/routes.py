"""Verifying badges: the public verifier (anyone with the link, no sign-in), recruiters'
verifications with their organisation's history, and each result as a page, JSON and PDF.

Decisions: an anonymous verification is stored without an organisation, email or person,
reached only through a 256-bit random token in its URL (so only whoever ran it has the
link). Achievement images are shown only when they are data: URLs or on this site: a
remote image would tell its host who is looking at the badge, so it is linked, not loaded.
"""
from __future__ import annotations

from flask import abort, current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.blueprints.htmx import render_partial_or_page
from app.blueprints.verification import bp
from app.blueprints.verification.forms import VerifyForm
from app.extensions import db, limiter
from app.models.verifications import VERDICT_LABELS, Verification
from app.security.permissions import Permission
from app.security.policy import authorise, current_org
from app.security.scoping import get_for
from app.services.verification import verifier as verifications
from app.services.verification.report import (
    CHECK_LABELS,
    STATUS_LABELS,
    VERDICT_SENTENCES,
    build_report,
    friendly_date,
    reason_of,
)
from app.services.verification.verifier import VerificationInputError


@bp.context_processor
def _labels():
    return {"check_labels": CHECK_LABELS, "status_labels": STATUS_LABELS, "verdict_sentences": VERDICT_SENTENCES,
            "verdict_labels": VERDICT_LABELS, "shown_image": shown_image,
            "friendly_date": friendly_date, "reason_of": reason_of}


def shown_image(url: str | None) -> str | None:
    """The image URL if it is safe to load in the page (a data: image or this site's own)."""
    if not isinstance(url, str):
        return None
    if url.startswith(("data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/svg+xml;")):
        return url
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    if base and url.startswith(base + "/"):
        return url
    return None


def _read_input(form: VerifyForm) -> verifications.VerificationInput:
    """Exactly one of the three ways in; a clear error otherwise."""
    upload = form.credential_file.data
    has_file = bool(upload and getattr(upload, "filename", ""))
    text = (form.credential_text.data or "").strip()
    url = (form.credential_url.data or "").strip()
    given = sum(bool(x) for x in (has_file, text, url))
    if given == 0:
        raise VerificationInputError("Upload a badge file, paste the badge, or give its web address")
    if given > 1:
        raise VerificationInputError("Give the badge one way only: upload a file, paste it, or give its web address")
    if has_file:
        content = upload.stream.read(verifications.max_upload_bytes() + 1)
        return verifications.input_from_upload(upload.filename, content)
    if text:
        return verifications.input_from_text(text)
    return verifications.input_from_url(url)


def _run_form(form: VerifyForm, organisation=None):
    """Validate and verify; returns (Verification or None, error message or None)."""
    if not form.validate_on_submit():
        return None, None
    try:
        given = _read_input(form)
    except VerificationInputError as exc:
        return None, str(exc)
    verification = verifications.run_verification(
        given.data, recipient_email=form.recipient_email.data, source=given.source, organisation=organisation,
        actor=current_user if organisation is not None else None, input_label=given.label)
    db.session.commit()
    return verification, None


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("VERIFY_PUBLIC_RATE_LIMIT", "30 per minute"), methods=["POST"])
def public():
    """Anyone with the link can verify a badge; the result is kept only behind a random URL.
    Rate-limited per address: each verification may make outbound requests on someone's behalf."""
    form = VerifyForm()
    error = None
    if request.method == "POST":
        verification, error = _run_form(form)
        if verification is not None:
            return redirect(url_for("verification.public_result", token=verification.token), code=303)
    status = 422 if (error or form.errors) else 200
    return render_template("verification/public.html", form=form, error=error), status


def _public(token: str) -> Verification:
    found = verifications.public_verification(token)
    if found is None:
        abort(404)
    return found


@bp.get("/verify/results/<token>")
def public_result(token: str):
    verification = _public(token)
    if request.args.get("format") == "json":
        return _json(verification)
    return _no_store(render_template("verification/result.html", v=verification, public=True,
                                     json_url=url_for("verification.public_result_json", token=token),
                                     pdf_url=url_for("verification.public_result_pdf", token=token)))


@bp.get("/verify/results/<token>.json")
def public_result_json(token: str):
    return _json(_public(token))


@bp.get("/verify/results/<token>.pdf")
def public_result_pdf(token: str):
    return _pdf(_public(token), "Someone using the public verifier (not signed in)")


def _no_store(body):
    response = make_response(body)
    # The token is the only protection: keep these pages out of shared caches and referrers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _json(verification: Verification):
    response = jsonify(verifications.result_of(verification))
    response.headers["Cache-Control"] = "no-store"
    return response


def _pdf(verification: Verification, verified_by: str):
    response = make_response(build_report(verification, verified_by=verified_by))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="verification-{verification.id}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- recruiters -------------------------------------------------------------------------

def _org():
    authorise(Permission.VERIFICATIONS_RUN)
    org = current_org()
    if org is None:
        abort(404)
    return org


@bp.get("/verifications")
@login_required
def index():
    """The organisation's verification history, filterable by candidate and verdict."""
    org = _org()
    candidate = request.args.get("candidate", "").strip()[:320]
    verdict = request.args.get("verdict", "")
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        page = 1
    found = verifications.history(org, candidate=candidate, verdict=verdict, page=page)
    response = make_response(render_partial_or_page(
        "verification/index.html", "verification/_history.html", org=org, history=found, candidate=candidate.lower(),
        verdict=verdict if verdict in VERDICT_LABELS else ""))
    response.headers["Vary"] = "HX-Request"
    return response


def _signed_in_person() -> str:
    return f"user:{current_user.get_id()}"


@bp.route("/verifications/new", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["VERIFY_SIGNED_IN_RATE_LIMIT"], key_func=_signed_in_person,
               methods=["POST"])
def new():
    org = _org()
    form = VerifyForm()
    error = None
    if request.method == "POST":
        verification, error = _run_form(form, organisation=org)
        if verification is not None:
            return redirect(url_for("verification.result", verification_id=verification.id), code=303)
    status = 422 if (error or form.errors) else 200
    return render_template("verification/new.html", form=form, error=error, org=org), status


def _own(verification_id: int) -> Verification:
    return get_for(_org(), Verification, verification_id, db.joinedload(Verification.actor))


@bp.get("/verifications/<int:verification_id>")
@login_required
def result(verification_id: int):
    verification = _own(verification_id)
    if request.args.get("format") == "json":
        return _json(verification)
    return render_template("verification/result.html", v=verification, public=False,
                           json_url=url_for("verification.result_json", verification_id=verification.id),
                           pdf_url=url_for("verification.result_pdf", verification_id=verification.id))


@bp.get("/verifications/<int:verification_id>.json")
@login_required
def result_json(verification_id: int):
    return _json(_own(verification_id))


@bp.get("/verifications/<int:verification_id>.pdf")
@login_required
def result_pdf(verification_id: int):
    verification = _own(verification_id)
    org = current_org()
    if verification.actor is not None:
        by = f"{verification.actor.name} ({verification.actor.email}), {org.name}"
    elif verification.api_key_id:
        by = f"{org.name}, through the verification API"
    else:
        by = org.name
    return _pdf(verification, by)
