"""POST /api/v1/verifications: applicant tracking systems verify a badge.

Authenticated with an organisation's API key (``Authorization: Bearer cwk_...``) and
rate-limited per key. The body is JSON ``{"credential": <object or string>, "url": ...,
"recipient": email}`` or a multipart upload with a ``file`` (and optional ``recipient``).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request, url_for

from app.blueprints.api import bp
from app.blueprints.api.keys import error, key_organisation, rate_key
from app.blueprints.outcomes import keep_changes
from app.extensions import limiter
from app.models import Organisation
from app.models.verifications import VerificationSource
from app.services import verification
from app.services.verification import InputTooLarge, VerificationInput, VerificationInputError


def read_body() -> tuple[VerificationInput, str | None]:
    """The badge and the optional recipient email from the request: a multipart upload (``file``,
    ``recipient``) or a JSON object (``credential`` or ``url``, ``recipient``). Anything else is
    VerificationInputError, with words for the integrator."""
    if request.files:
        upload = request.files.get("file")
        if upload is None:
            raise VerificationInputError('send the badge as a multipart field named "file"')
        content = upload.stream.read(verification.max_upload_bytes() + 1)
        return verification.input_from_upload(upload.filename, content), _recipient(request.form.get("recipient"))
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # the JSON parser gives up on very deep nesting: say so, not a 500
        raise VerificationInputError("the JSON is too deeply nested to check") from None
    if not isinstance(body, dict):
        raise VerificationInputError('the body must be a JSON object with "credential" or "url"')
    return _credential(body.get("credential"), body.get("url")), _recipient(body.get("recipient"))


def _credential(credential: Any, url: Any) -> VerificationInput:
    if (credential is None) == (url is None):
        raise VerificationInputError('give exactly one of "credential" and "url"')
    if url is not None:
        if not isinstance(url, str):
            raise VerificationInputError('"url" must be a string')
        return verification.input_from_url(url)
    if isinstance(credential, dict):
        return VerificationInput(credential, VerificationSource.API, None)
    if isinstance(credential, str):
        return VerificationInput(verification.input_from_text(credential).data, VerificationSource.API)
    raise VerificationInputError('"credential" must be a JSON object or a string (a JWT or JSON text)')


def _recipient(value: Any) -> str | None:
    if value is not None and (not isinstance(value, str) or "@" not in value or len(value) > 320):
        raise VerificationInputError('"recipient" must be an email address')
    return value


@bp.post("/v1/verifications")
@limiter.limit(lambda: current_app.config.get("VERIFY_API_RATE_LIMIT", "60 per minute"), key_func=rate_key)
def create_verification():
    """Verify one badge and return the verdict, what was achieved and every check."""
    org = key_organisation()
    if not isinstance(org, Organisation):
        return org
    key = g.api_key
    try:
        given, recipient = read_body()
    except VerificationInputError as exc:
        keep_changes()  # the key's last use is still worth keeping
        status = 413 if isinstance(exc, InputTooLarge) else 400
        return error(status, "The file is too large" if status == 413 else "Bad request", exc.message)
    found = verification.run_verification(
        given.data,
        recipient_email=recipient,
        source=VerificationSource.API,
        organisation=org,
        actor=None,
        input_label=given.label,
        api_key=key,
    )
    payload = verification.result_of(found)
    payload["id"] = found.id
    payload["url"] = url_for("verification.result", verification_id=found.id, _external=True)
    response = jsonify(payload)
    response.status_code = 201
    response.headers["Location"] = payload["url"]
    return response
