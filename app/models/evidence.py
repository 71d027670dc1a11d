"""Work-based evidence: entries in an apprentice's portfolio, the KSBs each claims, the files
and comments attached, and the assessor's sign-off.

A signed-off entry never changes (the services refuse); a correction is a new entry that names
the one it corrects. Files are stored under random keys behind `app.services.evidence.storage`;
these rows hold only what the file is (its checked type, size, digest) and its original name.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import CreatedAtMixin, Model, UTCDateTime


class EvidenceType(StrEnum):
    OBSERVATION = "observation"
    WITNESS_TESTIMONY = "witness_testimony"
    PRODUCT_OF_WORK = "product_of_work"
    PROFESSIONAL_DISCUSSION = "professional_discussion"
    REFLECTIVE_ACCOUNT = "reflective_account"
    OTHER = "other"

    @property
    def label(self) -> str:
        return EVIDENCE_TYPE_LABELS[self]


EVIDENCE_TYPE_LABELS = {
    EvidenceType.OBSERVATION: "Observation",
    EvidenceType.WITNESS_TESTIMONY: "Witness testimony",
    EvidenceType.PRODUCT_OF_WORK: "Product of work",
    EvidenceType.PROFESSIONAL_DISCUSSION: "Professional discussion",
    EvidenceType.REFLECTIVE_ACCOUNT: "Reflective account",
    EvidenceType.OTHER: "Other",
}
# What a line manager records is their own statement: these types only.
LINE_MANAGER_TYPES = (EvidenceType.OBSERVATION, EvidenceType.WITNESS_TESTIMONY)


class EvidenceStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    SIGNED_OFF = "signed_off"


EVIDENCE_STATUS_LABELS = {
    "draft": "Draft",
    "submitted": "Submitted",
    "returned": "Returned with feedback",
    "resubmitted": "Resubmitted",
    "signed_off": "Signed off",
}
EVIDENCE_STATUS_COLOURS = {
    "draft": "grey",
    "submitted": "blue",
    "returned": "orange",
    "resubmitted": "light-blue",
    "signed_off": "green",
}
_STATUS_SQL = ", ".join(f"'{s.value}'" for s in EvidenceStatus)


class EvidenceEntry(CreatedAtMixin, Model):
    __tablename__ = "evidence_entries"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUS_SQL})", name="status"),
        Index("ix_evidence_entries_apprenticeship_status", "apprenticeship_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    apprenticeship_id: Mapped[int] = mapped_column(ForeignKey("apprenticeships.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    work_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default=EvidenceStatus.DRAFT)
    links: Mapped[list] = mapped_column(JSON, default=list)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # "apprentice", or "employer" for a line manager's own statement.
    recorded_as: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_entries.id"))

    recorded_by = relationship("User", foreign_keys=[recorded_by_id], lazy="joined")
    signed_off_by = relationship("User", foreign_keys=[signed_off_by_id])
    claims = relationship("EvidenceClaim", cascade="all, delete-orphan", order_by="EvidenceClaim.id")
    files = relationship("EvidenceFile", order_by="EvidenceFile.id")
    comments = relationship("EvidenceComment", order_by="EvidenceComment.created_at")
    corrects = relationship("EvidenceEntry", remote_side=[id], foreign_keys=[corrects_id])

    @property
    def type_label(self) -> str:
        return EVIDENCE_TYPE_LABELS.get(EvidenceType(self.type), self.type)

    @property
    def status_label(self) -> str:
        return EVIDENCE_STATUS_LABELS[self.status]

    @property
    def status_colour(self) -> str:
        return EVIDENCE_STATUS_COLOURS[self.status]

    @property
    def is_locked(self) -> bool:
        return self.status == EvidenceStatus.SIGNED_OFF

    @property
    def is_editable(self) -> bool:
        return self.status in (EvidenceStatus.DRAFT, EvidenceStatus.RETURNED)

    @property
    def awaits_assessor(self) -> bool:
        return self.status in (EvidenceStatus.SUBMITTED, EvidenceStatus.RESUBMITTED)


class EvidenceClaim(Model):
    """A KSB (or learning outcome) an entry claims to show, signed off by the assessor."""

    __tablename__ = "evidence_claims"
    __table_args__ = (
        UniqueConstraint("entry_id", "outcome_id"),
        Index("ix_evidence_claims_outcome", "outcome_id", "entry_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("evidence_entries.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("programme_outcomes.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    outcome = relationship("ProgrammeOutcome", lazy="joined")


class EvidenceFile(CreatedAtMixin, Model):
    """A file attached to an entry: stored under `storage_key`, never under its own name."""

    __tablename__ = "evidence_files"
    __table_args__ = (CheckConstraint("size > 0", name="not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("evidence_entries.id", ondelete="CASCADE"), index=True)
    apprenticeship_id: Mapped[int] = mapped_column(ForeignKey("apprenticeships.id", ondelete="CASCADE"), index=True)
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class EvidenceComment(CreatedAtMixin, Model):
    """A comment on an entry, or the assessor's feedback when returning it."""

    __tablename__ = "evidence_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("evidence_entries.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(String(4000))
    is_feedback: Mapped[bool] = mapped_column(default=False)

    author = relationship("User", lazy="joined")


class GatewayConfirmation(Model):
    """The employer's or the provider's confirmation that the apprentice is ready for end-point
    assessment."""

    __tablename__ = "gateway_confirmations"
    __table_args__ = (UniqueConstraint("apprenticeship_id", "party", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    apprenticeship_id: Mapped[int] = mapped_column(ForeignKey("apprenticeships.id", ondelete="CASCADE"), index=True)
    party: Mapped[str] = mapped_column(String(20))
    # A failed end-point assessment opens a new round: the next attempt is confirmed afresh.
    round: Mapped[int] = mapped_column(default=1)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user = relationship("User", lazy="joined")


class EndPointAssessment(CreatedAtMixin, Model):
    """An end-point assessment result: pass, merit, distinction or fail (a fail allows a resit)."""

    __tablename__ = "end_point_assessments"
    __table_args__ = (CheckConstraint("result IN ('pass', 'merit', 'distinction', 'fail')", name="result"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    apprenticeship_id: Mapped[int] = mapped_column(ForeignKey("apprenticeships.id", ondelete="CASCADE"), index=True)
    result: Mapped[str] = mapped_column(String(20))
    assessed_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    recorded_by = relationship("User", lazy="joined")

    @property
    def passed(self) -> bool:
        return self.result != "fail"
