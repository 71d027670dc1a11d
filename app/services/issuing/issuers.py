"""Issuer profiles, their Ed25519 signing keys and their DID documents.

A provider's DID is ``did:web`` on this deployment's own domain when PUBLIC_BASE_URL is
https with a real host (DID document at ``/issuers/<slug>/did.json``), and ``did:key``
otherwise (a development machine has no domain anyone could resolve). ISSUER_DID_METHOD
("web" or "key") overrides the guess. Private keys are encrypted with DATA_ENCRYPTION_KEY,
bound to the key's own id, and decrypted only to sign.
"""

from __future__ import annotations

import ipaddress
import secrets
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from app.domain import DomainError
from app.extensions import db
from app.models import Organisation
from app.models.badges import IssuerProfile, SigningKey
from app.models.base import utcnow
from app.openbadges.dids import build_did_document, did_key_for, did_key_verification_method, did_web_for
from app.openbadges.keys import (
    KeyPair,
    PublicKey,
    decrypt_private_key,
    ed25519_from_multibase,
    encrypt_private_key,
    generate_key_pair,
)
from app.services import audit, links

_LOCAL_HOSTS = {"localhost", "localhost.localdomain"}


class IssuerError(DomainError):
    """The organisation cannot issue (not a provider, or no usable key)."""


def _has_real_domain(base: str) -> bool:
    parts = urlsplit(base)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or host in _LOCAL_HOSTS or host.endswith(".localhost"):
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False  # an IP address is not a domain did:web can name


def did_method() -> str:
    """ "web" or "key" for new profiles (configured, or derived from PUBLIC_BASE_URL)."""
    configured = (current_app.config.get("ISSUER_DID_METHOD") or "").strip().lower()
    if configured in ("web", "key"):
        return configured
    return "web" if _has_real_domain(links.public_base_url()) else "key"


def _web_did(*segments: str) -> str:
    parts = urlsplit(links.public_base_url())
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    path = "/".join(s.strip("/") for s in (parts.path, *segments) if s.strip("/"))
    return did_web_for(host, path or None)


def platform_did() -> str:
    """The deployment's own did:web (its document is /.well-known/did.json)."""
    return _web_did()


def issuer_web_did(slug: str) -> str:
    return _web_did("issuers", slug)


def profile_of(org: Organisation) -> IssuerProfile | None:
    return db.session.scalar(select(IssuerProfile).where(IssuerProfile.organisation_id == org.id))


def profile_by_slug(slug: str) -> IssuerProfile | None:
    return db.session.scalar(select(IssuerProfile).where(IssuerProfile.slug == slug))


def _new_key(profile: IssuerProfile) -> SigningKey:
    pair = generate_key_pair()
    key_id = "key-" + secrets.token_hex(8)
    if profile.did_method == "web":
        controller = profile.did
        method = f"{profile.did}#{key_id}"
    else:
        controller = did_key_for(pair.public_key)
        method = did_key_verification_method(pair.public_key)
    secret = current_app.config["DATA_ENCRYPTION_KEY"]
    key = SigningKey(
        issuer=profile,
        key_id=key_id,
        controller=controller,
        verification_method=method,
        public_multibase=pair.public_multibase,
        private_key_encrypted=encrypt_private_key(pair.private_key, secret, context=key_id),
    )
    db.session.add(key)
    return key


def ensure_profile(actor, org: Organisation) -> IssuerProfile:
    """The provider's issuer profile, created with a first key on first use."""
    if not org.is_provider:
        raise IssuerError("Only providers issue badges")
    profile = profile_of(org)
    if profile is not None:
        return profile
    method = did_method()
    profile = IssuerProfile(
        organisation=org,
        organisation_id=org.id,
        slug=org.slug,
        name=org.name,
        did_method=method,
        url=org.website or links.public_url(f"/hub?provider={org.slug}"),
        did=issuer_web_did(org.slug) if method == "web" else "pending",
    )
    db.session.add(profile)
    key = _new_key(profile)
    if method == "key":
        profile.did = key.controller
    db.session.flush()
    audit.record(
        actor,
        "issuer.create",
        profile,
        f"Issuer profile for {org.name} created with DID {profile.did}",
        organisation=org,
        did=profile.did,
    )
    return profile


def rotate_key(actor, profile: IssuerProfile) -> SigningKey:
    """A new current key; older keys are retired but stay in the DID document."""
    now = utcnow()
    for key in profile.keys:
        if key.retired_at is None:
            key.retired_at = now
    key = _new_key(profile)
    if profile.did_method == "key":
        # did:key *is* the key: the issuer's identifier moves with it. Credentials already
        # issued keep naming (and resolving) the old did:key.
        profile.did = key.controller
    db.session.flush()
    db.session.refresh(profile, ["keys"])
    audit.record(
        actor,
        "issuer.rotate_key",
        profile,
        f"Signing key of {profile.name} rotated; new key {key.key_id}",
        organisation=profile.organisation_id,
        key_id=key.key_id,
    )
    return key


def key_pair(key: SigningKey) -> KeyPair:
    """Decrypt a signing key (only to sign with it)."""
    private = decrypt_private_key(
        key.private_key_encrypted, current_app.config["DATA_ENCRYPTION_KEY"], context=key.key_id
    )
    return KeyPair(private)


def current_key(profile: IssuerProfile) -> SigningKey:
    key = profile.current_key
    if key is None:
        raise IssuerError(f"{profile.name} has no current signing key")
    return key


def newest_key_for(profile: IssuerProfile, controller: str) -> SigningKey:
    """The newest key signing as ``controller`` (a status list keeps the DID it was made for)."""
    for key in profile.keys:  # newest first
        if key.controller == controller:
            return key
    raise IssuerError(f"{profile.name} has no key for {controller}")


def did_document(profile: IssuerProfile) -> dict:
    """The issuer's did:web document: every key, current first, for assertionMethod."""
    ordered = sorted(profile.keys, key=lambda k: (k.retired_at is not None, -k.id))
    keys: list[tuple[str, PublicKey]] = [
        (k.key_id, ed25519_from_multibase(k.public_multibase)) for k in ordered if k.controller == profile.did
    ]
    # No alsoKnownAs: the provider's website is not ours to vouch for.
    return build_did_document(profile.did, keys)


def platform_did_document() -> dict:
    """The deployment's own DID document; it signs nothing, it names the host."""
    return build_did_document(platform_did(), [], also_known_as=[links.public_base_url()])
