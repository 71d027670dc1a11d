"""Public pages of issued badges (no sign-in): the credential page and its downloads, the
claim link, issuers' DID documents and status lists.

Everything here is reached by an unguessable id or a public issuer slug, and shows only what
the credential itself already says (no recipient email, no admin details).
"""

from __future__ import annotations

import json

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.caching import conditional
from app.blueprints.credentials import bp
from app.blueprints.credentials.forms import ClaimForm, RenewClaimForm
from app.blueprints.outcomes import failures_on
from app.extensions import limiter
from app.models.badges import IssuedCredential
from app.services import issuing
from app.services.issuing import status_lists


def _issued(public_id) -> IssuedCredential:
    issued = issuing.by_public_id(str(public_id))
    if issued is None:
        abort(404)
    return issued


def _document(body: str | dict, content_type: str, *, max_age: int = 0):
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, indent=2)
    response = make_response(text)
    response.headers["Content-Type"] = f"{content_type}; charset=utf-8"
    response.headers["Access-Control-Allow-Origin"] = "*"
    # Status changes must reach verifiers promptly: they may keep a copy but must revalidate.
    return conditional(response, max_age=max_age)


def _download(data: bytes, content_type: str, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = content_type
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _wants_json() -> bool:
    """A verifier dereferencing the credential's id asks for JSON; a browser asks for HTML."""
    best = request.accept_mimetypes.best_match(
        ["text/html", "application/ld+json", "application/vc+ld+json", "application/json"]
    )
    return best is not None and best != "text/html" and "text/html" not in request.accept_mimetypes.values()


@bp.get("/credentials/<uuid:public_id>")
def show(public_id):
    issued = _issued(public_id)
    if _wants_json():
        response = _document(issued.credential_text, "application/ld+json")
    else:
        response = make_response(
            render_template(
                "credentials/show.html",
                issued=issued,
                record=issued.achieved,
                credential_url=issuing.credential_url(issued.public_id),
                linkedin=issuing.linkedin_url(issued),
            )
        )
    response.vary.add("Accept")  # the same URL answers a browser and a verifier
    return response


@bp.get("/credentials/<uuid:public_id>.json")
def json_ld(public_id):
    return _document(_issued(public_id).credential_text, "application/ld+json")


@bp.get("/credentials/<uuid:public_id>.jwt")
def jwt(public_id):
    return _document(_issued(public_id).credential_jwt, "text/plain")


@bp.get("/credentials/<uuid:public_id>.png")
def png(public_id):
    issued = _issued(public_id)
    return _download(issuing.baked_png(issued), "image/png", f"badge-{issued.public_id}.png")


@bp.get("/credentials/<uuid:public_id>.svg")
def svg(public_id):
    issued = _issued(public_id)
    return _download(issuing.baked_svg(issued), "image/svg+xml", f"badge-{issued.public_id}.svg")


@bp.get("/credentials/<uuid:public_id>.pdf")
def pdf(public_id):
    issued = _issued(public_id)
    return _download(issuing.certificate_pdf(issued), "application/pdf", f"certificate-{issued.public_id}.pdf")


def _claim_page(token: str, form: ClaimForm | None = None, renew_form: RenewClaimForm | None = None):
    """The claim page for a known link (404 for an unknown one): accept it, or ask for a new one."""
    issued = issuing.find_claim(token)
    if issued is None:
        abort(404)
    return render_template(
        "credentials/claim.html",
        issued=issued,
        record=issued.achieved,
        token=token,
        form=form or ClaimForm(formdata=None),
        renew_form=renew_form or RenewClaimForm(formdata=None),
        expired=issuing.claim_link_expired(issued),
    )


@bp.get("/credentials/claim/<token>")
def claim(token: str):
    return _claim_page(token)


@bp.post("/credentials/claim/<token>")
def claim_post(token: str):
    user = current_user if getattr(current_user, "is_authenticated", False) else None
    form = ClaimForm()
    if form.validate_on_submit():
        with failures_on(form):
            issued = issuing.claim(token, user)
            flash("Badge accepted. Share this page, or download the badge and certificate below.", "success")
            return redirect(url_for("credentials.show", public_id=issued.public_id), code=303)
    # An unknown link is not found; a used or expired one is gone, and the page says so.
    return _claim_page(token, form=form), 410


@bp.post("/credentials/claim/<token>/renew")
@limiter.limit(lambda: current_app.config.get("CLAIM_RENEW_RATE_LIMIT", "5 per hour"), methods=["POST"])
def claim_renew(token: str):
    form = RenewClaimForm()
    if form.validate_on_submit():
        with failures_on(form):
            issuing.renew_expired_claim(token)
            return redirect(url_for("credentials.claim_sent"), code=303)
    return _claim_page(token, renew_form=form), 422


@bp.get("/credentials/claim/sent")
def claim_sent():
    return render_template("credentials/claim_sent.html")


@bp.get("/.well-known/did.json")
def platform_did():
    if issuing.did_method() != "web":
        abort(404)
    return _document(issuing.platform_did_document(), "application/did+json", max_age=300)


@bp.get("/issuers/<slug>/did.json")
def issuer_did(slug: str):
    profile = issuing.profile_by_slug(slug)
    if profile is None or not profile.uses_did_web:
        abort(404)
    return _document(issuing.did_document(profile), "application/did+json", max_age=300)


@bp.get("/issuers/<slug>/status/<list_id>")
def status_list(slug: str, list_id: str):
    found = status_lists.by_public_id(slug, list_id)
    if found is None or not found.credential_text:
        abort(404)
    return _document(found.credential_text, "application/vc+ld+json")
