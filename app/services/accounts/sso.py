"""Single sign-on with an organisation's OpenID Connect provider.

An org admin configures the provider (issuer, client) and claims email domains, each of which
routes sign-ins only once the organisation has proved it (app.services.accounts.sso_domains);
a person signs in by work email: we find the organisation that has VERIFIED the domain and
whose provider is turned on, send them
there with Authlib (authorization code, PKCE S256, state and nonce), and on return check the
ID token and link it to an account. Linking is deliberately narrow: an SSO sign-in reaches
only a member of that organisation, or someone it has invited who has no other organisation;
never an account another organisation relies on. Settings live in app.services.accounts.sso_settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn
from urllib.parse import urlsplit

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app
from joserfc.errors import JoseError
from requests.exceptions import RequestException
from sqlalchemy import func, select

from app.domain import DomainError
from app.extensions import db
from app.models import (
    Invitation,
    Membership,
    MembershipStatus,
    Organisation,
    SsoDomain,
    SsoDomainState,
    SsoProvider,
    User,
    utcnow,
)
from app.security import secrets
from app.services import audit, links
from app.services.accounts.organisations import join
from app.services.accounts.sso_transport import session_class

SCOPES = "openid email profile"
# Asymmetric algorithms only: "none" or HMAC (keyed with the client secret) never sign an ID token we accept.
SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]


class SsoError(DomainError):
    """Single sign-on cannot go ahead; the message is shown to the person. `field` names the
    settings form field at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- the organisation's provider -----------------------------------------------------------------------------


def provider_for(org: Organisation) -> SsoProvider | None:
    """The organisation's SSO provider settings, if any."""
    return db.session.scalar(select(SsoProvider).where(SsoProvider.organisation_id == org.id))


def redirect_uri() -> str:
    """The callback address an admin registers at their identity provider."""
    return links.public_url("/login/sso/callback")


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


# --- starting a sign-in -------------------------------------------------------------------------


def email_domain(email: str) -> str:
    return (email or "").strip().lower().rpartition("@")[2]


def routes_domain(provider: SsoProvider, domain: str) -> bool:
    """Whether the provider's organisation has proved `domain`. A pending claim routes nothing:
    anyone can type a domain, so listing one proves nothing."""
    return (
        db.session.scalar(
            select(SsoDomain.id).where(
                SsoDomain.organisation_id == provider.organisation_id,
                SsoDomain.verified_domain == domain,
                SsoDomain.state == SsoDomainState.VERIFIED,
            )
        )
        is not None
    )


def provider_for_email(email: str) -> SsoProvider:
    """The enabled provider of the organisation that has verified this email's domain."""
    domain = email_domain(email)
    if domain:
        provider = db.session.scalar(
            select(SsoProvider)
            .join(SsoDomain, SsoDomain.organisation_id == SsoProvider.organisation_id)
            .where(
                SsoProvider.enabled.is_(True),
                SsoDomain.verified_domain == domain,
                SsoDomain.state == SsoDomainState.VERIFIED,
            )
        )
        if provider is not None:
            return provider
    raise SsoError(
        f"No organisation uses single sign-on for {domain or 'that'} email addresses. "
        "Sign in with your email address and password instead."
    )


class _OidcApp(FlaskOAuth2App):
    """Authlib's Flask OIDC client, restricted to asymmetric ID token signatures."""

    def load_server_metadata(self):
        loaded = "_loaded_at" in self.server_metadata
        metadata = super().load_server_metadata()
        if not loaded:
            offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
            metadata["id_token_signing_alg_values_supported"] = [a for a in offered if a in SIGNING_ALGORITHMS]
        return metadata


def oidc_client(provider: SsoProvider) -> FlaskOAuth2App:
    """A fresh Authlib client for this provider (built per request: settings may change)."""
    name = f"org-{provider.organisation_id}"
    client = _OidcApp(
        FlaskIntegration(name),
        name,
        client_id=provider.client_id,
        client_secret=secrets.decrypt(provider.client_secret_encrypted),
        server_metadata_url=discovery_url(provider.issuer_url),
        client_kwargs={
            "scope": SCOPES,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic",
        },
    )
    # Every call Authlib makes (discovery, token, JWKS) goes through the guarded transport.
    client.client_cls = session_class(current_app.config["SSO_ALLOW_PRIVATE_NETWORKS"])
    return client


def _load_metadata(client: FlaskOAuth2App, provider: SsoProvider) -> dict:
    metadata = client.load_server_metadata()
    if metadata.get("issuer") != provider.issuer_url:
        raise SsoError(
            "Your organisation's sign-in service describes itself with a different issuer "
            "than the one configured. Ask your organisation admin to check the settings."
        )
    if not metadata["id_token_signing_alg_values_supported"]:
        raise SsoError(
            "Your organisation's sign-in service does not sign ID tokens in a way Credwork "
            "accepts (it must use public-key signatures such as RS256)."
        )
    plain_http_ok = current_app.config["SSO_ALLOW_PRIVATE_NETWORKS"]
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        scheme = urlsplit(str(metadata.get(key) or "")).scheme
        if scheme != "https" and not (scheme == "http" and plain_http_ok):
            raise SsoError(
                "Your organisation's sign-in service did not publish a secure "
                f"{key.replace('_', ' ')}. Ask your organisation admin to check the settings."
            )
    return metadata


def authorization_redirect(provider: SsoProvider, email: str):
    """A redirect response to the identity provider (state, nonce and PKCE kept in the session)."""
    client = oidc_client(provider)
    try:
        _load_metadata(client, provider)
        return client.authorize_redirect(redirect_uri(), login_hint=email.strip())
    except (RequestException, ValueError, OAuthError) as exc:
        if isinstance(exc, SsoError):
            raise
        raise SsoError(
            "We could not reach your organisation's sign-in service. Try again later, "
            "or sign in with your email address and password."
        ) from exc


# --- completing a sign-in -------------------------------------------------------------------------


@dataclass
class SsoSignIn:
    user: User
    organisation: Organisation
    joined: bool  # True when this sign-in accepted an invitation


class SsoRefused(SsoError):
    """The identity provider vouched for someone we will not sign in; already audited."""


def verified_claims(provider: SsoProvider) -> dict:
    """Exchange the code in the current request and return the validated ID token claims."""
    client = oidc_client(provider)
    try:
        _load_metadata(client, provider)
        token = client.authorize_access_token(
            claims_options={
                "iss": {"essential": True, "value": provider.issuer_url},
                "aud": {"essential": True, "value": provider.client_id},
                "exp": {"essential": True},
                "nonce": {"essential": True},
            }
        )
    except OAuthError as exc:
        raise SsoError(
            "The sign-in could not be completed: it did not match a sign-in started here, "
            "or your organisation's sign-in service turned it down. Start again."
        ) from exc
    except (JoseError, ValueError, KeyError, TypeError) as exc:  # a bad signature, claim or reply
        if isinstance(exc, SsoError):
            raise
        raise SsoError(
            "Your organisation's sign-in service sent an identity we could not verify. "
            "Start again, and ask your organisation admin if it keeps happening."
        ) from exc
    except RequestException as exc:  # includes TransportRefused
        raise SsoError("We could not reach your organisation's sign-in service. Try again later.") from exc
    claims = token.get("userinfo")
    if not claims:
        raise SsoError("Your organisation's sign-in service did not send an ID token.")
    return dict(claims)


def sign_in(provider: SsoProvider, claims: dict) -> SsoSignIn:
    """Apply the linking rules to validated claims; audit the sign-in or the refusal."""
    org = provider.organisation
    email = str(claims.get("email") or "").strip().lower()
    if claims.get("email_verified") not in (True, "true"):
        _refuse(
            provider,
            None,
            email,
            "email not verified",
            "Your organisation's sign-in service has not verified your email address, so we "
            "cannot use it to sign you in. Ask your IT team to verify it.",
        )
    if not email or not routes_domain(provider, email_domain(email)):
        _refuse(
            provider,
            None,
            email,
            "domain not allowed",
            f"{org.name} does not use single sign-on for {email or 'that'} email address. "
            "Sign in with your email address and password instead.",
        )
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is not None and not user.is_active_account:
        _refuse(provider, user, email, "account disabled", "This account has been disabled.")
    membership = _active_membership(user, org) if user else None
    joined = False
    if membership is None:
        invitation = _pending_invitation(org, email)
        if invitation is None:
            why = "not a member" if user else "unknown email"
            _refuse(
                provider,
                user,
                email,
                why,
                f"You do not have a Credwork account with {org.name}. Ask your organisation admin for an invitation.",
            )
        if user is not None and _belongs_elsewhere(user, org):
            # An admin chooses both the identity provider and who to invite, so linking here would
            # let one organisation's IdP sign in to an account another organisation relies on.
            _refuse(
                provider,
                user,
                email,
                "account in another organisation",
                f"You already use Credwork with another organisation. To join {org.name} too, "
                "open the invitation email and accept it while signed in with your password. "
                f"After that you can sign in through {org.name}'s single sign-on.",
            )
        user = user or _create_user(email, claims, org)
        join(user, org, invitation.role_list, department=invitation.department)
        invitation.accepted_at = utcnow()
        audit.record(
            user,
            "invitation.accepted",
            invitation,
            f"{user.email} joined {org.name} through single sign-on",
            organisation=org,
        )
        joined = True
    if user is None:  # a membership is always someone's
        raise SsoError("This sign-in could not be matched to an account. Start again.")
    user.last_login_at = utcnow()
    db.session.flush()
    audit.record(
        user,
        "sso.signed_in",
        user,
        f"{user.email} signed in through single sign-on",
        organisation=org,
        issuer=provider.issuer_url,
        idp_subject=str(claims.get("sub", "")),
    )
    return SsoSignIn(user=user, organisation=org, joined=joined)


def _active_membership(user: User, org: Organisation) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.organisation_id == org.id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )


def _belongs_elsewhere(user: User, org: Organisation) -> bool:
    return (
        db.session.scalar(
            select(Membership.id)
            .where(
                Membership.user_id == user.id,
                Membership.organisation_id != org.id,
                Membership.status == MembershipStatus.ACTIVE,
            )
            .limit(1)
        )
        is not None
    )


def _pending_invitation(org: Organisation, email: str) -> Invitation | None:
    candidates = db.session.scalars(
        select(Invitation)
        .where(Invitation.organisation_id == org.id, func.lower(Invitation.email) == email)
        .order_by(Invitation.created_at.desc())
    )
    return next((i for i in candidates if i.state == "pending"), None)


def _create_user(email: str, claims: dict, org: Organisation) -> User:
    name = str(claims.get("name") or "").strip() or email.partition("@")[0]
    user = User(email=email, name=name[:200], password_hash=None)
    db.session.add(user)
    db.session.flush()
    audit.record(user, "user.registered", user, f"{email} created an account through single sign-on", organisation=org)
    return user


def _refuse(provider: SsoProvider, user: User | None, email: str, reason: str, message: str) -> NoReturn:
    audit.record(
        user,
        "sso.refused",
        provider,
        f"Refused single sign-on for {email or 'an unknown email'}: {reason}",
        organisation=provider.organisation_id,
        email=email,
        reason=reason,
    )
    raise SsoRefused(message)


def record_failure(provider: SsoProvider, error: SsoError) -> None:
    """Audit a sign-in that failed before we knew who it was (unreachable or misconfigured
    provider, wrong state, untrustworthy ID token), so the org admin can see why."""
    cause = error.__cause__
    audit.record(
        None,
        "sso.failed",
        provider,
        "A single sign-on attempt failed: " + (f"{type(cause).__name__}: {cause}" if cause else str(error))[:300],
        organisation=provider.organisation_id,
        reason=type(cause).__name__ if cause else "error",
    )
