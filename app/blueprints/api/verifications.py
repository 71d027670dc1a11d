"""POST /api/v1/verifications: applicant tracking systems verify a badge.

Authenticated with an organisation's API key (``Authorization: Bearer cwk_...``) and
rate-limited per key. The body is JSON ``{"credential": <object or string>, "url": ...,
"recipient": email}`` or a multipart upload with a ``file`` (and optional ``recipient``).
"""
from __future__ import annotations

import hashlib

from flask import current_app, g, jsonify, request, url_for
from flask_limiter.util import get_remote_address

from app.blueprints.api import bp
from app.extensions import db, limiter
from app.models import Organisation
from app.models.verifications import VerificationSource
from app.services.verification import api_keys
from app.services.verification import verifier as verifications
from app.services.verification.verifier import InputTooLarge, VerificationInputError


def _rate_key() -> str:
    # Per key (hashed, so the limiter's storage never holds a usable key); per address otherwise.
    token = api_keys.bearer_token(request.headers.get("Authorization"))
    if token:
        return "api-key:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return "api-ip:" + (get_remote_address() or "")


def _error(status: int, title: str, detail: str, **headers):
    response = jsonify({"error": {"status": status, "title": title, "detail": detail}})
    response.status_code = status
    response.headers.update(headers)
    return response


def _given() -> verifications.VerificationInput:
    if request.files:
        upload = request.files.get("file")
        if upload is None:
            raise VerificationInputError("send the badge as a multipart field named \"file\"")
        content = upload.stream.read(verifications.max_upload_bytes() + 1)
        return verifications.input_from_upload(upload.filename, content)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise VerificationInputError("the body must be a JSON object with \"credential\" or \"url\"")
    credential, url = body.get("credential"), body.get("url")
    if (credential is None) == (url is None):
        raise VerificationInputError("give exactly one of \"credential\" and \"url\"")
    if url is not None:
        if not isinstance(url, str):
            raise VerificationInputError("\"url\" must be a string")
        return verifications.input_from_url(url)
    if isinstance(credential, dict):
        return verifications.VerificationInput(credential, VerificationSource.API, None)
    if isinstance(credential, str):
        return verifications.VerificationInput(verifications.input_from_text(credential).data, VerificationSource.API)
    raise VerificationInputError("\"credential\" must be a JSON object or a string (a JWT or JSON text)")


def _recipient() -> str | None:
    if request.files or request.form:
        value = request.form.get("recipient")
    else:
        body = request.get_json(silent=True)
        value = body.get("recipient") if isinstance(body, dict) else None
    if value is not None and (not isinstance(value, str) or "@" not in value or len(value) > 320):
        raise VerificationInputError("\"recipient\" must be an email address")
    return value


@bp.post("/v1/verifications")
@limiter.limit(lambda: current_app.config.get("VERIFY_API_RATE_LIMIT", "60 per minute"), key_func=_rate_key)
def create_verification():
    """Verify one badge and return the verdict, what was achieved and every check."""
    token = api_keys.bearer_token(request.headers.get("Authorization"))
    key = api_keys.authenticate(token)
    if key is None:
        db.session.commit()
        detail = "send an API key as \"Authorization: Bearer <key>\"" if token is None else \
            "the API key is not valid or has been revoked"
        return _error(401, "Unauthorised", detail, **{"WWW-Authenticate": 'Bearer realm="credwork"'})
    g.api_key = key
    org = db.session.get(Organisation, key.organisation_id)
    try:
        given = _given()
        recipient = _recipient()
    except VerificationInputError as exc:
        db.session.commit()  # the key's last use is still worth keeping
        status = 413 if isinstance(exc, InputTooLarge) else 400
        return _error(status, "The file is too large" if status == 413 else "Bad request", str(exc))
    verification = verifications.run_verification(
        given.data, recipient_email=recipient, source=VerificationSource.API, organisation=org, actor=None,
        input_label=given.label, api_key=key)
    db.session.commit()
    payload = verifications.result_of(verification)
    payload["id"] = verification.id
    payload["url"] = url_for("verification.result", verification_id=verification.id, _external=True)
    response = jsonify(payload)
    response.status_code = 201
    response.headers["Location"] = payload["url"]
    return response
