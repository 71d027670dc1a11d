"""Single sign-on settings: what an org admin may configure, checked before it is stored.

The email domains it serves are claimed and proved in app.services.accounts.sso_domains.
The client secret is write-only: stored encrypted (app.security.secrets), never shown or
logged; a blank secret on edit keeps the stored one.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import current_app

from app.extensions import db
from app.models import Organisation, SsoProvider, User
from app.security import secrets
from app.services import audit
from app.services.accounts.sso import SsoError, provider_for


def check_issuer(url: str) -> str:
    """The issuer URL, trimmed, or SsoError saying what is wrong with it."""
    url = (url or "").strip()
    allow_private = current_app.config["SSO_ALLOW_PRIVATE_NETWORKS"]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError:
        raise SsoError(
            "Enter the issuer URL in the correct format, like https://login.example.com", field="issuer_url"
        ) from None
    if parts.scheme != "https" and not (parts.scheme == "http" and allow_private):
        raise SsoError("The issuer URL must start with https://", field="issuer_url")
    if not parts.hostname or parts.username or parts.password:
        raise SsoError("Enter the issuer URL in the correct format, like https://login.example.com", field="issuer_url")
    if parts.query or parts.fragment:
        raise SsoError("The issuer URL cannot contain a query (?) or fragment (#)", field="issuer_url")
    if not allow_private:
        if parts.hostname == "localhost" or parts.hostname.endswith(".localhost"):
            raise SsoError("The issuer URL must be a public address", field="issuer_url")
        try:
            literal = ipaddress.ip_address(parts.hostname)
        except ValueError:
            literal = None
        if literal is not None and not literal.is_global:
            raise SsoError("The issuer URL must be a public address", field="issuer_url")
    return url


def save_settings(
    actor: User,
    org: Organisation,
    *,
    issuer_url: str,
    client_id: str,
    client_secret: str | None,
    enabled: bool,
) -> SsoProvider:
    """Create or update the organisation's provider. A blank secret keeps the stored one."""
    if org.kind not in ("employer", "provider"):
        raise SsoError("Only employers and providers can set up single sign-on")
    issuer = check_issuer(issuer_url)
    client_id = (client_id or "").strip()
    if not client_id:
        raise SsoError("Enter the client ID", field="client_id")
    provider = provider_for(org)
    secret = (client_secret or "").strip()
    if provider is None and not secret:
        raise SsoError("Enter the client secret", field="client_secret")
    created = provider is None
    if provider is None:
        provider = SsoProvider(organisation_id=org.id)
        db.session.add(provider)
    provider.issuer_url = issuer
    provider.client_id = client_id
    if secret:
        provider.client_secret_encrypted = secrets.encrypt(secret)
    provider.enabled = bool(enabled)
    db.session.flush()
    state = "on" if provider.enabled else "off"
    audit.record(
        actor,
        "sso.configured" if created else "sso.updated",
        provider,
        f"{'Set up' if created else 'Changed'} single sign-on with {issuer} (turned {state})",
        organisation=org,
        issuer=issuer,
        client_id=client_id,
        enabled=provider.enabled,
        secret_changed=bool(secret),
    )
    return provider
