"""A person's wallet: the digital badges they brought in themselves (by file, pasted JSON or JWT,
or URL), each verified on arrival and re-checkable.

A wallet belongs to the person, not to an organisation: it follows them between employers. Badges
issued on Credwork are not copied here; the wallet page lists them from `IssuedCredential`, and an
imported copy of one of them is shown once, as the same credential.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import CreatedAtMixin, Model, UTCDateTime
from app.models.verifications import HasVerdict

# How an import arrived, in words for the wallet page.
IMPORT_SOURCE_LABELS = {
    "upload": "Imported from a file",
    "paste": "Imported from pasted JSON or JWT",
    "url": "Imported from a web address",
}


class WalletCredential(HasVerdict, CreatedAtMixin, Model):
    """One credential a person imported, with the latest result of checking it."""

    __tablename__ = "wallet_credentials"
    __table_args__ = (UniqueConstraint("user_id", "identity", name="uq_wallet_credentials_user_identity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The credential's own id when it has one, else "sha256:<hex>" of what was imported: the same
    # credential imported twice is one row.
    identity: Mapped[str] = mapped_column(String(520))
    # What was imported, kept to check it again: the file's bytes, the pasted text, or the URL.
    document: Mapped[bytes] = mapped_column(LargeBinary)
    document_kind: Mapped[str] = mapped_column(String(10))  # upload, paste or url
    label: Mapped[str | None] = mapped_column(String(500))  # file name or URL
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)  # every way it arrived
    format: Mapped[str] = mapped_column(String(30))
    issuer_name: Mapped[str | None] = mapped_column(String(300))
    achievement_name: Mapped[str | None] = mapped_column(String(300))
    verdict: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    recipient_match: Mapped[bool | None] = mapped_column()
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Shown on the holder's public profile (never by default for an import).
    public: Mapped[bool] = mapped_column(default=False)
    # A share link anyone can open until the holder revokes it (128 random bits, URL-safe; kept
    # as it is, like a verification's result link, so the holder can copy it again).
    share_token: Mapped[str | None] = mapped_column(String(43), unique=True)

    user = relationship("User", lazy="raise")

    @property
    def source_labels(self) -> list[str]:
        return [IMPORT_SOURCE_LABELS.get(s, s) for s in self.sources or []]

    def __repr__(self) -> str:
        return f"<WalletCredential user={self.user_id} {self.identity[:40]} {self.verdict}>"


class WalletCredentialSkill(Model):
    """A skill an imported badge's own alignments claim, when it is not a hub micro-credential
    (those count through HeldCredential), at the level it would give. It counts only while the
    badge is valid and names its holder (app.services.skills.profile, and the team summary)."""

    __tablename__ = "wallet_credential_skills"

    wallet_credential_id: Mapped[int] = mapped_column(
        ForeignKey("wallet_credentials.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True)
    level: Mapped[int] = mapped_column()


class WalletProfile(CreatedAtMixin, Model):
    """A person's public profile page: off until they turn it on; its address is unguessable."""

    __tablename__ = "wallet_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    slug: Mapped[str] = mapped_column(String(43), unique=True)
    enabled: Mapped[bool] = mapped_column(default=False)

    user = relationship("User", lazy="raise")
