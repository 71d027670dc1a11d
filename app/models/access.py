"""Invitations, password-reset tokens, single sign-on settings and the email domains it serves.

Tokens are never stored: only their SHA-256 digest, so a database leak does not hand out
working links.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import CreatedAtMixin, Model, TenantOwned, UTCDateTime, utcnow


class Invitation(TenantOwned, CreatedAtMixin, Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    roles: Mapped[str] = mapped_column(String(300))  # comma-separated Role values
    department: Mapped[str | None] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation = relationship("Organisation")
    invited_by = relationship("User")

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= utcnow():
            return "expired"
        return "pending"


class PasswordResetToken(CreatedAtMixin, Model):
    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User")


class SsoProvider(CreatedAtMixin, Model):
    """An employer's OpenID Connect identity provider."""

    __tablename__ = "sso_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    issuer_url: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(300))
    client_secret_encrypted: Mapped[str] = mapped_column(String(1000))
    enabled: Mapped[bool] = mapped_column(default=True)

    organisation = relationship("Organisation")


class SsoDomainState:
    PENDING = "pending"
    VERIFIED = "verified"


class SsoDomain(TenantOwned, CreatedAtMixin, Model):
    """An email domain an organisation claims for single sign-on.

    A claim routes sign-ins only once the organisation has proved the domain (a DNS TXT record,
    a confirmation emailed to a mailbox at the domain, or the platform admin's word). Several
    organisations may hold pending claims on one domain, so a squatter never blocks the real
    owner; only one may hold it verified: `verified_domain` is the domain while verified and
    NULL while pending, and its unique index holds on SQLite and PostgreSQL alike.
    """

    __tablename__ = "sso_domains"
    __table_args__ = (
        UniqueConstraint("organisation_id", "domain", name="uq_sso_domains_organisation_domain"),
        CheckConstraint("state IN ('pending', 'verified')", name="state"),
        CheckConstraint(
            "(state = 'verified' AND verified_domain = domain) OR (state = 'pending' AND verified_domain IS NULL)",
            name="verified_domain_matches_state",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), index=True)
    state: Mapped[str] = mapped_column(String(20), default=SsoDomainState.PENDING)
    verified_domain: Mapped[str | None] = mapped_column(String(253), unique=True)
    method: Mapped[str | None] = mapped_column(String(20))  # dns, email or platform, once verified
    # Public: published in the domain's DNS, so it need not be kept secret.
    dns_challenge: Mapped[str] = mapped_column(String(100))
    # The emailed confirmation link's token: only its digest, single use, expiring.
    email_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    email_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_sent_to: Mapped[str | None] = mapped_column(String(320))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation = relationship("Organisation")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    verified_by = relationship("User", foreign_keys=[verified_by_id])

    @property
    def is_verified(self) -> bool:
        return self.state == SsoDomainState.VERIFIED

    @property
    def dns_record(self) -> str:
        """The TXT record value to publish at the domain."""
        return f"credwork-domain-verification={self.dns_challenge}"


class SignInThrottle(Model):
    """Failed sign-ins for one email address from one client (a device that has signed in to
    that account before, or else an IP address). Kept for addresses with no account too, so
    the answer never says which accounts exist. Only digests are stored."""

    __tablename__ = "sign_in_throttles"
    __table_args__ = (UniqueConstraint("email_digest", "client_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email_digest: Mapped[str] = mapped_column(String(64), index=True)
    client_digest: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SignInSession(CreatedAtMixin, Model):
    """One signed-in browser session. Signing out ends it on the server, so a copy of its
    cookie opens nothing afterwards; the account page lists the live ones and can end them
    all. Only a digest of the session's random token is kept."""

    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str | None] = mapped_column(String(300))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def browser(self) -> str:
        """The browser and system in a few words, from its user agent."""
        agent = self.user_agent or ""
        browser = next((n for n in ("Edg", "Firefox", "Chrome", "Safari") if n in agent), None)
        system = next((n for n in ("Windows", "Mac OS", "Android", "iPhone", "Linux") if n in agent), None)
        names = {"Edg": "Edge", "Mac OS": "macOS"}
        words = [names.get(part, part) for part in (browser, system) if part]
        return " on ".join(words) if words else "Unknown browser"
