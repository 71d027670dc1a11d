"""Per-organisation API keys for the verification API.

A key is shown once when it is created; only its sha256 is stored (the key has 256 bits of
randomness, so a fast hash is enough: nobody can guess their way to a match). Its prefix
is kept so people can tell keys apart. Revoked keys stop working at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.domain import DomainError
from app.extensions import db
from app.models.verifications import ApiKey
from app.services import audit

KEY_PREFIX = "cwk_"
# Writing last_used_at on every call would turn each API request into a row update.
LAST_USED_GRANULARITY = timedelta(minutes=1)


class ApiKeyError(DomainError):
    """A user-facing problem with an API key request."""


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def create_key(actor, org, name: str) -> tuple[ApiKey, str]:
    """A new key for ``org``; returns the row and the plaintext, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise ApiKeyError("Enter a name for the key, such as the system that will use it")
    if len(name) > 120:
        raise ApiKeyError("The name must be 120 characters or fewer")
    identifier = secrets.token_hex(4)
    plaintext = f"{KEY_PREFIX}{identifier}_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        organisation_id=org.id,
        name=name,
        prefix=f"{KEY_PREFIX}{identifier}",
        key_hash=hash_key(plaintext),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(key)
    db.session.flush()
    audit.record(
        actor, "api_key.create", key, f"Created API key {key.name} ({key.prefix})", organisation=org, prefix=key.prefix
    )
    return key, plaintext


def revoke_key(actor, key: ApiKey) -> None:
    """Revoke ``key`` (idempotent)."""
    if key.revoked_at is not None:
        return
    key.revoked_at = datetime.now(UTC)
    key.revoked_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(
        actor,
        "api_key.revoke",
        key,
        f"Revoked API key {key.name} ({key.prefix})",
        organisation=key.organisation_id,
        prefix=key.prefix,
    )


def keys_of(org) -> list[ApiKey]:
    return list(
        db.session.scalars(
            select(ApiKey)
            .where(ApiKey.visible_to(org))
            .options(db.joinedload(ApiKey.created_by))
            .order_by(ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc())
        )
    )


def bearer_token(header: str | None) -> str | None:
    """The token from an ``Authorization: Bearer ...`` header, or None."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        return None
    return token


def authenticate(plaintext: str | None) -> ApiKey | None:
    """The active key matching ``plaintext`` (last use recorded), or None."""
    if not plaintext or not plaintext.startswith(KEY_PREFIX):
        return None
    digest = hash_key(plaintext)
    key = db.session.scalars(select(ApiKey).where(ApiKey.key_hash == digest)).first()
    if key is None or not hmac.compare_digest(key.key_hash, digest) or key.revoked_at is not None:
        return None
    now = datetime.now(UTC)
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_GRANULARITY:
        key.last_used_at = now
        db.session.flush()
    return key
