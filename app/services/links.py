"""Absolute links to this deployment, for what leaves it (emails, credentials, DID documents):
always from PUBLIC_BASE_URL, never from the request that happens to be running. Services take
paths; the web layer knows its routes and passes the path in, or asks `public_url_for`."""

from __future__ import annotations

from flask import current_app


def public_base_url() -> str:
    """PUBLIC_BASE_URL without a trailing slash."""
    return str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/")


def public_url(path: str) -> str:
    """`path` (starting with "/") on this deployment, as an absolute URL."""
    if not path.startswith("/"):
        path = "/" + path
    return public_base_url() + path
