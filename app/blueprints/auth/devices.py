"""The device cookie: a signed note, kept by the browser, of the accounts that have signed in
from it. It lets the sign-in throttle tell the person's own browser from a guesser sharing
their network (see app.services.accounts.throttle). It holds only a random id and digests of
email addresses, and it grants nothing by itself."""

from __future__ import annotations

import secrets

from flask import current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeSerializer

from app.services.accounts import throttle

COOKIE = "credwork_device"
MAX_ACCOUNTS = 10  # a shared computer: the most recent accounts are remembered
YEAR = 60 * 60 * 24 * 365


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="credwork-device")


def _read() -> dict:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("a"), list):
        return {}
    return data


def current_client() -> throttle.Client:
    data = _read()
    return throttle.Client(
        address=get_remote_address() or "unknown",
        device_id=data.get("id"),
        known_accounts=frozenset(a for a in data.get("a", []) if isinstance(a, str)),
    )


def remember_sign_in(response, email: str):
    """Add the account to this browser's device cookie (after a successful sign-in)."""
    data = _read() or {"id": secrets.token_urlsafe(16), "a": []}
    digest = throttle.email_digest(email)
    accounts = [a for a in data["a"] if a != digest][-(MAX_ACCOUNTS - 1) :] + [digest]
    response.set_cookie(
        COOKIE,
        _serializer().dumps({"id": data["id"], "a": accounts}),
        max_age=YEAR,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response
