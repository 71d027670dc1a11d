"""What every API endpoint shares: the organisation's API key (``Authorization: Bearer <key>``),
the per-key rate-limit key, and errors as JSON."""

from __future__ import annotations

import hashlib

from flask import Response, g, jsonify, request
from flask_limiter.util import get_remote_address

from app.extensions import db
from app.models import Organisation
from app.services import verification


def rate_key() -> str:
    # Per key (hashed, so the limiter's storage never holds a usable key); per address otherwise.
    token = verification.bearer_token(request.headers.get("Authorization"))
    if token:
        return "api-key:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return "api-ip:" + (get_remote_address() or "")


def error(status: int, title: str, detail: str, **headers) -> Response:
    response = jsonify({"error": {"status": status, "title": title, "detail": detail}})
    response.status_code = status
    response.headers.update(headers)
    return response


def key_organisation() -> Organisation | Response:
    """The organisation whose valid API key the request carries, or a 401 JSON response."""
    token = verification.bearer_token(request.headers.get("Authorization"))
    key = verification.authenticate(token)
    if key is None:
        detail = (
            'send an API key as "Authorization: Bearer <key>"'
            if token is None
            else "the API key is not valid or has been revoked"
        )
        return error(401, "Unauthorised", detail, **{"WWW-Authenticate": 'Bearer realm="credwork"'})
    g.api_key = key
    org = db.session.get(Organisation, key.organisation_id)
    assert org is not None
    return org
