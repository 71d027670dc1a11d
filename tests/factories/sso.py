"""Factories for single sign-on tests."""

from __future__ import annotations

from app.extensions import db
from app.models import SsoProvider
from app.security import secrets


def sso_provider(org, idp, domains: str = "acme.example", enabled: bool = True) -> SsoProvider:
    """An SSO provider for `org` pointing at a running tests.support.oidc_provider `idp`."""
    provider = SsoProvider(
        organisation_id=org.id,
        issuer_url=idp.issuer,
        client_id=idp.client_id,
        client_secret_encrypted=secrets.encrypt(idp.client_secret),
        allowed_domains=domains,
        enabled=enabled,
    )
    db.session.add(provider)
    db.session.flush()
    return provider
