"""Verifications of credentials candidates bring, batches of them, and API keys for the
verification API.

A Verification keeps the engine's result as JSON plus the few fields people filter and
sort on. Anonymous public verifications have no organisation and are reached only by an
unguessable token; an organisation's verifications are loaded through `visible_to`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import CreatedAtMixin, Model, TenantOwned, UTCDateTime


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
# GOV.UK tag colours; the verdict is always spelt out, the colour only repeats it.
VERDICT_COLOURS = {"valid": "green", "invalid": "red", "revoked": "red", "expired": "grey", "unverifiable": "yellow"}
VERDICT_SENTENCES = {
    "valid": "This badge is genuine: it was issued as shown and has not been changed, revoked or expired.",
    "invalid": "This badge did not pass the checks: it may have been changed, not come from who it claims, "
    "or belong to someone else.",
    "expired": "This badge was genuine but has expired.",
    "revoked": "This badge was genuine but the issuer has revoked it.",
    "unverifiable": "This badge could not be verified: something needed to check it was not available.",
}
CHECK_LABELS = {
    "parse": "Format",
    "proof": "Signature or hosted copy",
    "issuer_binding": "Signed by the issuer",
    "validity_window": "Dates",
    "status": "Revocation",
    "recipient": "Awarded to",
    "schema": "Structure (JSON Schema)",
    "issuer_known": "Issuer known to the hub",
}
FORMAT_LABELS = {
    "ob3-di": "Open Badges 3.0, signed (Data Integrity proof)",
    "vc-jwt": "Open Badges 3.0, signed as a VC-JWT",
    "ob2-hosted": "Open Badges 2.0, hosted by the issuer",
    "ob2-signed": "Open Badges 2.0, signed",
    "ob1": "Open Badges 1.x (read as 2.0)",
    "unknown": "Not recognised",
}
CHECK_STATUSES = {
    "pass": ("Passed", "green"),
    "fail": ("Failed", "red"),
    "warn": ("Warning", "yellow"),
    "skip": ("Not checked", "grey"),
    "not_applicable": ("Not applicable", "grey"),
    "not_configured": ("Not configured", "grey"),
}


class HasVerdict:
    """A row that keeps a verdict (a wallet import, a candidate's badge): its words and colour."""

    verdict: str

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS.get(self.verdict, self.verdict)

    @property
    def status_label(self) -> str:
        return self.verdict_label

    @property
    def status_colour(self) -> str:
        return VERDICT_COLOURS.get(self.verdict, "grey")


@dataclass(frozen=True)
class CheckRow:
    """One stored check of a verification, in words for people."""

    name: str
    status: str
    detail: str

    @property
    def label(self) -> str:
        return CHECK_LABELS.get(self.name, self.name)

    @property
    def status_label(self) -> str:
        return CHECK_STATUSES.get(self.status, (self.status, ""))[0]

    @property
    def status_colour(self) -> str:
        return CHECK_STATUSES.get(self.status, ("", ""))[1]


def reason_of(result: dict[str, Any]) -> str | None:
    """The failed check that explains the verdict: for "not valid" a failure other than the
    dates or revocation (those alone give "expired" or "revoked")."""
    failed = [c for c in result.get("checks") or [] if c.get("status") == "fail"]
    decisive = [c for c in failed if c.get("name") not in ("validity_window", "status")]
    chosen = (decisive or failed)[:1] if result.get("verdict") == "invalid" else failed[:1]
    return str(chosen[0].get("detail")) if chosen else None


class Verification(TenantOwned, CreatedAtMixin, Model):
    """One run of the verifier on one credential."""

    __tablename__ = "verifications"
    __table_args__ = (
        CheckConstraint("source IN ('upload', 'paste', 'url', 'api', 'batch')", name="source"),
        CheckConstraint("verdict IN ('valid', 'invalid', 'expired', 'revoked', 'unverifiable')", name="verdict"),
        Index("ix_verifications_org_candidate", "organisation_id", "candidate_email"),
        Index("ix_verifications_org_created", "organisation_id", "created_at"),  # the history, newest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The only handle on an anonymous verification: 128 random bits, URL-safe.
    token: Mapped[str] = mapped_column(String(43), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)  # type: ignore[assignment]  # an anonymous public verification belongs to no organisation
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

    # The parsed credential, set (not stored) by the run that made this row, for callers that read
    # more of it than the stored result keeps (recruitment reads its skill alignments).
    parsed_credential = None  # dict | None, never stored

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS.get(self.verdict, self.verdict)

    @property
    def is_valid(self) -> bool:
        return self.verdict == "valid"

    @property
    def status_label(self) -> str:
        return self.verdict_label

    @property
    def status_colour(self) -> str:
        return VERDICT_COLOURS.get(self.verdict, "")

    @property
    def verdict_sentence(self) -> str:
        return VERDICT_SENTENCES.get(self.verdict, "")

    @property
    def reason(self) -> str | None:
        """Why the verdict is what it is (the deciding failed check), if a check failed."""
        return reason_of(self.result)

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format)

    @property
    def shown_name(self) -> str:
        """The achievement's name for lists and titles: a name only claimed says so."""
        name = self.achievement_name or self.input_label or "Unnamed credential"
        return name if self.claims_proven or not self.achievement_name else f"{name} (claimed, not proven)"

    @property
    def claims_proven(self) -> bool:
        """Whether a proof (signature or the issuer's hosted copy) held: without it, what the
        credential says about itself is only claimed."""
        return any(c.get("name") == "proof" and c.get("status") == "pass" for c in self.result.get("checks") or [])

    @property
    def checks(self) -> list[CheckRow]:
        return [
            CheckRow(str(c.get("name", "")), str(c.get("status", "")), str(c.get("detail", "")))
            for c in self.result.get("checks") or []
        ]

    @property
    def recipient_words(self) -> str | None:
        """Whom the badge was awarded to, against the email given (None when not checked)."""
        if self.recipient_match is None:
            return None
        return (
            "the email address given"
            if self.recipient_match
            else "someone else: it does not match the email address given"
        )


class BatchKind(StrEnum):
    CSV = "csv"
    ZIP = "zip"


class VerificationBatch(TenantOwned, CreatedAtMixin, Model):
    """A CSV of (candidate email, badge URL) rows or a zip of files, verified by a background job."""

    __tablename__ = "verification_batches"
    __table_args__ = (CheckConstraint("kind IN ('csv', 'zip')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(255))
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The background job verifying it (its page offers a retry if it stopped).
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))

    created_by = relationship("User")
    job = relationship("Job")
    items: Mapped[list[VerificationBatchItem]] = relationship(
        back_populates="batch", order_by="VerificationBatchItem.position", lazy="raise"
    )

    @property
    def complete(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.processed / self.total)

    @property
    def progress_label(self) -> str:
        return "Finished" if self.complete else f"{self.processed} of {self.total} checked"


class VerificationBatchItem(Model):
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

    @property
    def status_label(self) -> str:
        if self.verification is not None:
            return self.verification.status_label
        return "Error" if self.error else "Waiting"

    @property
    def status_colour(self) -> str:
        if self.verification is not None:
            return self.verification.status_colour
        return "red" if self.error else "grey"


class ApiKey(TenantOwned, CreatedAtMixin, Model):
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

    @property
    def status_label(self) -> str:
        return "Active" if self.active else "Revoked"

    @property
    def status_colour(self) -> str:
        return "green" if self.active else "grey"


class BadgeImage(CreatedAtMixin, Model):
    """An achievement's image from another issuer, fetched once when a badge is verified and
    served from this site, so pages never load images from elsewhere. Keyed by its content's
    SHA-256: the same image verified a thousand times is kept once."""

    __tablename__ = "badge_images"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(40))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    source_url: Mapped[str] = mapped_column(String(2000), index=True)
