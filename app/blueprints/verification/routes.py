"""Verifying badges: the public verifier (anyone with the link, no sign-in), recruiters'
verifications with their organisation's history, and each result as a page, JSON and PDF.

Decisions: an anonymous verification is stored without an organisation, email or person,
reached only through a 256-bit random token in its URL (so only whoever ran it has the
link). Achievement images are shown only when they are data: URLs or on this site: a
remote image would tell its host who is looking at the badge, so it is linked, not loaded.
"""

from __future__ import annotations

from flask import abort, current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.htmx import render_partial_or_page
from app.blueprints.outcomes import failures_on
from app.blueprints.page_cache import cached_page
from app.blueprints.verification import bp
from app.blueprints.verification.forms import HistoryFilters, VerifyForm
from app.extensions import db, limiter
from app.models.verifications import VERDICT_LABELS, Verification
from app.security.permissions import Permission
from app.security.policy import acting_org, current_org, require
from app.security.scoping import get_for
from app.services import links, verification


@bp.context_processor
def _helpers():
    return {"shown_image": shown_image, "friendly_date": verification.friendly_date}


def shown_image(achievement: dict) -> str | None:
    """Where the page loads the badge image from: the copy kept at verification time, a data:
    image, or this site's own; never another site (see verification.images)."""
    if achievement.get("image_digest"):
        return url_for("verification.badge_image", digest=achievement["image_digest"])
    url = achievement.get("image")
    if not isinstance(url, str):
        return None
    if url.startswith(("data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;")):
        return url
    base = links.public_base_url()
    if base and url.startswith(base + "/"):
        return url
    return None


def _verify(form: VerifyForm, organisation=None) -> Verification:
    """Verify what the (validated) form was given; VerificationInputError if it cannot be read."""
    given = form.given()
    return verification.run_verification(
        given.data,
        recipient_email=form.recipient_email.data,
        source=given.source,
        organisation=organisation,
        actor=current_user if organisation is not None else None,
        input_label=given.label,
    )


@bp.get("/verify/images/<digest>")
def badge_image(digest: str):
    """A badge image kept when a badge was verified. Public like the badge itself; its address
    is its content's digest, so it never changes and may be cached for good."""
    image = verification.images.stored(digest) or abort(404)
    response = make_response(image.content)
    response.headers["Content-Type"] = image.media_type
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    # Opened on its own, an SVG is a document: it may not run scripts or load anything.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("VERIFY_PUBLIC_RATE_LIMIT", "30 per minute"), methods=["POST"])
def public():
    """Anyone with the link can verify a badge; the result is kept only behind a random URL.
    Rate-limited per address: each verification may make outbound requests on someone's behalf."""
    form = VerifyForm()
    if form.validate_on_submit():
        with failures_on(form):
            found = _verify(form)
            return redirect(url_for("verification.public_result", token=found.token), code=303)
    return render_template("verification/public.html", form=form), 422 if form.errors else 200


def _public(token: str) -> Verification:
    found = verification.public_verification(token)
    if found is None:
        abort(404)
    return found


@bp.get("/verify/results/<token>")
def public_result(token: str):
    found = _public(token)
    if request.args.get("format") == "json":
        return _json(found)
    return _no_store(
        render_template(
            "verification/result.html",
            v=found,
            public=True,
            json_url=url_for("verification.public_result_json", token=token),
            pdf_url=url_for("verification.public_result_pdf", token=token),
        )
    )


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


def _json(found: Verification):
    response = jsonify(verification.result_of(found))
    response.headers["Cache-Control"] = "no-store"
    return response


def _pdf(found: Verification, verified_by: str):
    response = make_response(verification.build_report(found, verified_by=verified_by))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="verification-{found.id}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- recruiters -------------------------------------------------------------------------


@bp.get("/verifications")
@require(Permission.VERIFICATIONS_RUN)
@cached_page
def index():
    """The organisation's verification history, filterable by candidate and verdict."""
    org = acting_org()
    filters = HistoryFilters.from_args(request.args)
    found = verification.history(org, candidate=filters.candidate, verdict=filters.verdict, page=filters.page)
    return render_partial_or_page(
        "verification/index.html",
        "verification/_history.html",
        org=org,
        history=found,
        filters=filters,
        verdict_labels=VERDICT_LABELS,
    )


def _signed_in_person() -> str:
    return f"user:{current_user.get_id()}"


@bp.route("/verifications/new", methods=["GET", "POST"])
@require(Permission.VERIFICATIONS_RUN)
@limiter.limit(lambda: current_app.config["VERIFY_SIGNED_IN_RATE_LIMIT"], key_func=_signed_in_person, methods=["POST"])
def new():
    org = acting_org()
    form = VerifyForm()
    if form.validate_on_submit():
        with failures_on(form):
            found = _verify(form, organisation=org)
            return redirect(url_for("verification.result", verification_id=found.id), code=303)
    return render_template("verification/new.html", form=form, org=org), 422 if form.errors else 200


def _own(verification_id: int) -> Verification:
    return get_for(current_org(), Verification, verification_id, db.joinedload(Verification.actor))


@bp.get("/verifications/<int:verification_id>")
@require(Permission.VERIFICATIONS_RUN)
def result(verification_id: int):
    found = _own(verification_id)
    if request.args.get("format") == "json":
        return _json(found)
    return render_template(
        "verification/result.html",
        v=found,
        public=False,
        json_url=url_for("verification.result_json", verification_id=found.id),
        pdf_url=url_for("verification.result_pdf", verification_id=found.id),
    )


@bp.get("/verifications/<int:verification_id>.json")
@require(Permission.VERIFICATIONS_RUN)
def result_json(verification_id: int):
    return _json(_own(verification_id))


@bp.get("/verifications/<int:verification_id>.pdf")
@require(Permission.VERIFICATIONS_RUN)
def result_pdf(verification_id: int):
    found = _own(verification_id)
    org = acting_org()
    if found.actor is not None:
        by = f"{found.actor.name} ({found.actor.email}), {org.name}"
    elif found.api_key_id:
        by = f"{org.name}, through the verification API"
    else:
        by = org.name
    return _pdf(found, by)
