"""Issuing Open Badges: each provider's issuer profile and signing keys, the credentials it
has awarded, and the status lists that publish their revocation.

Private keys are only ever stored encrypted (app.services.issuing.issuers). Credentials are
reached from outside by an unguessable ``public_id`` (uuid4); the integer id is for the
provider's own admin pages, which load rows through ``visible_to``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import CreatedAtMixin, Model, TenantOwned, UTCDateTime, utcnow

STATUS_LIST_SIZE = 131072  # the spec's 16 KB minimum, so no one index stands out
# The revocation reason written when a badge is replaced by a re-issued one.
REISSUED_REASON = "re-issued"
# state -> (label, GOV.UK tag colour); the label is always shown, the colour only repeats it.
# How new issuers' DIDs are made, in words for the coordinator.
DID_METHODS = {"web": "did:web on this site's domain", "key": "did:key (this site has no public domain)"}
CREDENTIAL_STATES = {"valid": ("Valid", "green"), "revoked": ("Revoked", "red"), "expired": ("Expired", "grey")}


class IssuerProfile(TenantOwned, CreatedAtMixin, Model):
    """A provider as an issuer: its DID (did:web on this deployment's domain, or did:key)."""

    __tablename__ = "issuer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The issuer id written into credentials; verifiers (and the hub's verify page) match on it.
    did: Mapped[str] = mapped_column(String(500), unique=True)
    did_method: Mapped[str] = mapped_column(String(10))  # "web" | "key"
    url: Mapped[str | None] = mapped_column(String(500))

    organisation = relationship("Organisation")
    keys = relationship("SigningKey", back_populates="issuer", order_by="SigningKey.id.desc()", lazy="selectin")

    @property
    def uses_did_web(self) -> bool:
        """Whether verifiers fetch the keys from this site's DID document (else did:key)."""
        return self.did_method == "web"

    @property
    def current_key(self) -> SigningKey | None:
        return next((k for k in self.keys if k.retired_at is None), None)

    def __repr__(self) -> str:
        return f"<IssuerProfile {self.slug} {self.did}>"


class SigningKey(CreatedAtMixin, Model):
    """One Ed25519 key of an issuer. Retired keys stay published so old credentials verify."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_profile_id: Mapped[int] = mapped_column(ForeignKey("issuer_profiles.id"), index=True)
    # Fragment of the verification method, and the encryption context of the private key.
    key_id: Mapped[str] = mapped_column(String(64), unique=True)
    # The DID this key signs as: the profile's did:web, or the key's own did:key.
    controller: Mapped[str] = mapped_column(String(500))
    verification_method: Mapped[str] = mapped_column(String(600))
    public_multibase: Mapped[str] = mapped_column(String(100))
    private_key_encrypted: Mapped[str] = mapped_column(String(400))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    issuer = relationship("IssuerProfile", back_populates="keys")


class StatusList(CreatedAtMixin, Model):
    """A BitstringStatusList (revocation) of one issuer DID, published as a signed credential."""

    __tablename__ = "status_lists"
    __table_args__ = (CheckConstraint("next_index >= 0 AND next_index <= size", name="next_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_profile_id: Mapped[int] = mapped_column(ForeignKey("issuer_profiles.id"), index=True)
    list_id: Mapped[str] = mapped_column(String(40), unique=True)  # public, in the list's URL
    issuer_did: Mapped[str] = mapped_column(String(500))
    purpose: Mapped[str] = mapped_column(String(20), default="revocation")
    size: Mapped[int] = mapped_column(default=STATUS_LIST_SIZE)
    next_index: Mapped[int] = mapped_column(default=0)
    # The signed BitstringStatusListCredential as served (regenerated on every change).
    credential_text: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    issuer = relationship("IssuerProfile")


class IssuedCredential(TenantOwned, CreatedAtMixin, Model):
    """One OpenBadgeCredential awarded to one learner (the signed JSON-LD and its VC-JWT)."""

    __tablename__ = "issued_credentials"
    __table_args__ = (
        UniqueConstraint("status_list_id", "status_index"),
        Index("ix_issued_credentials_org_issued", "organisation_id", "issued_at"),
        # What was achieved: a hub micro-credential, or an apprenticeship programme (its certificate).
        CheckConstraint("(micro_credential_id IS NULL) <> (programme_id IS NULL)", name="one_achievement"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))  # the provider
    issuer_profile_id: Mapped[int] = mapped_column(ForeignKey("issuer_profiles.id"), index=True)
    signing_key_id: Mapped[int] = mapped_column(ForeignKey("signing_keys.id"))
    micro_credential_id: Mapped[int | None] = mapped_column(ForeignKey("micro_credentials.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    apprenticeship_id: Mapped[int | None] = mapped_column(ForeignKey("apprenticeships.id"), index=True)
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_email: Mapped[str] = mapped_column(String(320), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    evidence_url: Mapped[str | None] = mapped_column(String(2000))
    credential_text: Mapped[str] = mapped_column(Text)
    credential_jwt: Mapped[str] = mapped_column(Text)
    status_list_id: Mapped[int] = mapped_column(ForeignKey("status_lists.id"))
    status_index: Mapped[int] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revocation_reason: Mapped[str | None] = mapped_column(String(500))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reissue_of_id: Mapped[int | None] = mapped_column(ForeignKey("issued_credentials.id"))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The learner's account, once known (an existing user's email, or whoever claimed it).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    claim_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the current claim link stops working (CLAIM_LINK_DAYS after it was sent; None for
    # links sent before links expired, which keep working).
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Listed on the learner's public wallet profile (their choice; never by default).
    on_profile: Mapped[bool] = mapped_column(default=False)

    organisation = relationship("Organisation")
    issuer = relationship("IssuerProfile")
    micro_credential = relationship("MicroCredential")
    programme = relationship("Programme")
    status_list = relationship("StatusList")
    reissue_of = relationship("IssuedCredential", remote_side=[id], foreign_keys=[reissue_of_id])
    issued_by = relationship("User", foreign_keys=[issued_by_id])

    @property
    def achieved(self) -> Any:
        """What the credential is for: the hub micro-credential, or the apprenticeship programme
        (both offer title, summary, SCQF level and credits, outcomes, provider)."""
        return self.micro_credential if self.micro_credential_id else self.programme

    @property
    def credential(self) -> dict[str, Any]:
        return json.loads(self.credential_text)

    @property
    def state(self) -> str:
        """valid | revoked | expired (revoked wins: it is the issuer's latest word)."""
        if self.revoked_at:
            return "revoked"
        if self.valid_until and self.valid_until <= utcnow():
            return "expired"
        return "valid"

    @property
    def is_valid(self) -> bool:
        return self.state == "valid"

    @property
    def is_expired(self) -> bool:
        return self.state == "expired"

    @property
    def status_label(self) -> str:
        return CREDENTIAL_STATES[self.state][0]

    @property
    def status_colour(self) -> str:
        return CREDENTIAL_STATES[self.state][1]

    @property
    def replaced_on_reissue(self) -> bool:
        """Revoked because a re-issued badge replaced it."""
        return self.revoked_at is not None and self.revocation_reason == REISSUED_REASON

    def __repr__(self) -> str:
        return f"<IssuedCredential {self.public_id} {self.state}>"
