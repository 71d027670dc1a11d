"""Verifications of credentials candidates bring, batches of them, and API keys for the
verification API.

A Verification keeps the engine's result as JSON plus the few fields people filter and
sort on. Anonymous public verifications have no organisation and are reached only by an
unguessable token; an organisation's verifications are loaded through `visible_to`.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import CreatedAtMixin, TenantOwned, UTCDateTime


class VerificationSource(StrEnum):
    UPLOAD = "upload"
    PASTE = "paste"
    URL = "url"
    API = "api"
    BATCH = "batch"


VERDICT_LABELS = {
    "valid": "Valid",
    "invalid": "Not valid",
    "expired": "Expired",
    "revoked": "Revoked",
    "unverifiable": "Could not verify",
}


class Verification(TenantOwned, CreatedAtMixin, db.Model):
    """One run of the verifier on one credential."""

    __tablename__ = "verifications"
    __table_args__ = (
        CheckConstraint("source IN ('upload', 'paste', 'url', 'api', 'batch')", name="source"),
        CheckConstraint("verdict IN ('valid', 'invalid', 'expired', 'revoked', 'unverifiable')", name="verdict"),
        Index("ix_verifications_org_candidate", "organisation_id", "candidate_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The only handle on an anonymous verification: 128 random bits, URL-safe.
    token: Mapped[str] = mapped_column(String(43), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("verification_batches.id"), index=True)
    source: Mapped[str] = mapped_column(String(10))
    verdict: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(30))
    issuer_id: Mapped[str | None] = mapped_column(String(500))
    issuer_name: Mapped[str | None] = mapped_column(String(300))
    achievement_name: Mapped[str | None] = mapped_column(String(300))
    credential_id: Mapped[str | None] = mapped_column(String(500))
    candidate_email: Mapped[str | None] = mapped_column(String(320))
    recipient_match: Mapped[bool | None] = mapped_column()
    input_label: Mapped[str | None] = mapped_column(String(500))  # file name or URL, for people
    result: Mapped[dict[str, Any]] = mapped_column(JSON)

    organisation = relationship("Organisation")
    actor = relationship("User")

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS.get(self.verdict, self.verdict)


class BatchKind(StrEnum):
    CSV = "csv"
    ZIP = "zip"


class VerificationBatch(TenantOwned, CreatedAtMixin, db.Model):
    """A CSV of (candidate email, badge URL) rows or a zip of files, verified a few items at a time."""

    __tablename__ = "verification_batches"
    __table_args__ = (CheckConstraint("kind IN ('csv', 'zip')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(255))
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by = relationship("User")
    items: Mapped[list[VerificationBatchItem]] = relationship(
        back_populates="batch", order_by="VerificationBatchItem.position", lazy="raise")

    @property
    def complete(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.processed / self.total)


class VerificationBatchItem(db.Model):
    """One row or file of a batch; `verification_id` is set once it has been verified."""

    __tablename__ = "verification_batch_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("verification_batches.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(500))  # the URL or the file's name in the zip
    candidate_email: Mapped[str | None] = mapped_column(String(320))
    url: Mapped[str | None] = mapped_column(String(2000))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)  # a zip member; cleared once verified
    error: Mapped[str | None] = mapped_column(Text)
    verification_id: Mapped[int | None] = mapped_column(ForeignKey("verifications.id"))

    batch: Mapped[VerificationBatch] = relationship(back_populates="items")
    verification = relationship("Verification")


class ApiKey(TenantOwned, CreatedAtMixin, db.Model):
    """A per-organisation key for the verification API; only its sha256 is stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(20))  # shown so people can tell keys apart
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation = relationship("Organisation")
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None
