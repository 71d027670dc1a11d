"""Factories for single sign-on tests."""

from __future__ import annotations

import secrets as random

from app.extensions import db
from app.models import SsoDomain, SsoDomainState, SsoProvider, utcnow
from app.security import secrets


def sso_domain(org, domain: str, verified: bool = False, method: str = "dns") -> SsoDomain:
    """`org`'s claim on `domain`: pending, or verified (as if proved by `method`)."""
    claim = SsoDomain(
        organisation_id=org.id,
        domain=domain,
        state=SsoDomainState.VERIFIED if verified else SsoDomainState.PENDING,
        verified_domain=domain if verified else None,
        method=method if verified else None,
        verified_at=utcnow() if verified else None,
        dns_challenge=random.token_urlsafe(24),
    )
    db.session.add(claim)
    db.session.flush()
    return claim


def sso_provider(org, idp, domains: str = "acme.example", enabled: bool = True, verified: bool = True) -> SsoProvider:
    """An SSO provider for `org` pointing at a running tests.support.oidc_provider `idp`, with
    claims on `domains` (comma-separated), verified unless `verified=False`."""
    provider = SsoProvider(
        organisation_id=org.id,
        issuer_url=idp.issuer,
        client_id=idp.client_id,
        client_secret_encrypted=secrets.encrypt(idp.client_secret),
        enabled=enabled,
    )
    db.session.add(provider)
    for domain in filter(None, (d.strip() for d in domains.split(","))):
        sso_domain(org, domain, verified=verified)
    db.session.flush()
    return provider


def _isolation_claim(t) -> int:
    return t.once("sso_domain", lambda: sso_domain(t.employer, f"{t.employer.slug}-hidden.example")).id


ISOLATION_PARAMS = {"claim_id": _isolation_claim}
