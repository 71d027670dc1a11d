"""A person's record of micro-credentials held: the evidence their skills profile is built from.

A `HeldCredential` says "this person holds this version of this micro-credential, and it counts
for this employer". Rows come from several places, named by `source`:

- ``issued``: awarded on Credwork as an Open Badge (``issued_credential_id`` points at it);
- ``cpd``: the end of a sponsored CPD request (``sponsorship_id`` points at it);
- ``recorded``: entered by HR from a certificate seen on paper (or by the demo loader);
- ``verified``: a verified digital badge: one the person imported into their wallet
  (``wallet_credential_id`` points at it), or a candidate's badge checked through verification.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import CreatedAtMixin, Model, TenantOwned


class HeldCredentialSource(StrEnum):
    ISSUED = "issued"
    CPD = "cpd"
    RECORDED = "recorded"
    VERIFIED = "verified"


HELD_SOURCE_LABELS = {
    HeldCredentialSource.ISSUED: "Issued on Credwork",
    HeldCredentialSource.CPD: "Completed CPD",
    HeldCredentialSource.RECORDED: "Recorded by HR",
    HeldCredentialSource.VERIFIED: "Verified digital badge",
}


class HeldCredential(TenantOwned, CreatedAtMixin, Model):
    """One micro-credential (a specific published version) a person holds, in an employer's context."""

    __tablename__ = "held_credentials"
    __table_args__ = (
        CheckConstraint("source IN ('issued', 'cpd', 'recorded', 'verified')", name="source"),
        Index("ix_held_credentials_org_user", "organisation_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The employer in whose context the credential counts (the tenant that owns this row).
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    micro_credential_id: Mapped[int] = mapped_column(ForeignKey("micro_credentials.id"), index=True)
    achieved_on: Mapped[date] = mapped_column(Date())
    source: Mapped[str] = mapped_column(String(20), default=HeldCredentialSource.RECORDED)
    # Links to later capabilities; plain integers until those tables exist.
    issued_credential_id: Mapped[int | None] = mapped_column()
    sponsorship_id: Mapped[int | None] = mapped_column()
    # A badge the person imported into their wallet: kept only while it verifies and names them.
    wallet_credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("wallet_credentials.id", ondelete="CASCADE"), index=True
    )

    user = relationship("User", lazy="raise")
    organisation = relationship("Organisation", lazy="raise")
    micro_credential = relationship("MicroCredential", lazy="raise")

    @property
    def source_label(self) -> str:
        if self.wallet_credential_id:
            return "Verified badge the holder imported"
        return HELD_SOURCE_LABELS[HeldCredentialSource(self.source)]

    def __repr__(self) -> str:
        return f"<HeldCredential user={self.user_id} mc={self.micro_credential_id} {self.source}>"
