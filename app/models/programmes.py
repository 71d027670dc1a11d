"""Apprenticeship programmes and cohorts, owned by a provider.

A programme is versioned like a hub record: rows sharing (provider, code) are versions of one
programme; a published version never changes (a change is a new draft version), so
apprentices already on a version keep exactly what they signed up to.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, String, Table, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.off_the_job import TargetBasis
from app.domain.progress import Thresholds
from app.extensions import db
from app.models.base import CreatedAtMixin, Model, TenantOwned, UTCDateTime


class ProgrammeType(StrEnum):
    GRADUATE_APPRENTICESHIP = "graduate_apprenticeship"
    MODERN_APPRENTICESHIP = "modern_apprenticeship"
    ENGLISH_STANDARD = "english_standard"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PROGRAMME_TYPE_LABELS[self]


PROGRAMME_TYPE_LABELS = {
    ProgrammeType.GRADUATE_APPRENTICESHIP: "Graduate Apprenticeship",
    ProgrammeType.MODERN_APPRENTICESHIP: "Modern Apprenticeship",
    ProgrammeType.ENGLISH_STANDARD: "English apprenticeship standard",
    ProgrammeType.OTHER: "Other",
}


class ProgrammeStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


PROGRAMME_STATUS_LABELS = {"draft": "Draft", "published": "Published", "retired": "Replaced by a newer version"}
PROGRAMME_STATUS_COLOURS = {"draft": "yellow", "published": "green", "retired": "grey"}


class Programme(TenantOwned, CreatedAtMixin, Model):
    """One version of a provider's apprenticeship programme."""

    __tablename__ = "programmes"
    __table_args__ = (
        UniqueConstraint("organisation_id", "code", "version"),
        CheckConstraint("otj_basis IN ('percent', 'hours')", name="otj_basis"),
        CheckConstraint("duration_months > 0", name="duration_positive"),
        CheckConstraint("review_interval_weeks > 0", name="review_interval_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default=ProgrammeStatus.DRAFT)
    type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    scqf_level: Mapped[int | None] = mapped_column()
    scqf_credits: Mapped[int | None] = mapped_column()
    duration_months: Mapped[int] = mapped_column()
    otj_basis: Mapped[str] = mapped_column(String(10), default=TargetBasis.PERCENT)
    otj_percent: Mapped[int | None] = mapped_column()
    otj_hours: Mapped[int | None] = mapped_column()
    review_interval_weeks: Mapped[int] = mapped_column(default=12)
    otj_at_risk_percent: Mapped[int] = mapped_column(default=90)
    otj_off_track_percent: Mapped[int] = mapped_column(default=70)
    review_off_track_days: Mapped[int] = mapped_column(default=28)
    # The gateway checklist: which conditions this programme asks for (the employer's and the
    # provider's confirmations always apply).
    gateway_ksbs: Mapped[bool] = mapped_column(default=True, server_default=true())
    gateway_otj: Mapped[bool] = mapped_column(default=True, server_default=true())
    gateway_reviews: Mapped[bool] = mapped_column(default=True, server_default=true())
    gateway_modules: Mapped[bool] = mapped_column(default=True, server_default=true())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation = relationship("Organisation")
    outcomes = relationship("ProgrammeOutcome", order_by="ProgrammeOutcome.position", cascade="all, delete-orphan")
    modules = relationship("ProgrammeModule", order_by="ProgrammeModule.position", cascade="all, delete-orphan")

    @property
    def type_label(self) -> str:
        return PROGRAMME_TYPE_LABELS.get(ProgrammeType(self.type), self.type)

    @property
    def status_label(self) -> str:
        return PROGRAMME_STATUS_LABELS[self.status]

    @property
    def status_colour(self) -> str:
        return PROGRAMME_STATUS_COLOURS[self.status]

    @property
    def is_draft(self) -> bool:
        return self.status == ProgrammeStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == ProgrammeStatus.PUBLISHED

    @property
    def target_label(self) -> str:
        if self.otj_basis == TargetBasis.HOURS:
            return f"at least {self.otj_hours} hours"
        return f"{self.otj_percent}% of contracted hours"

    # What a credential page, certificate and badge image read from what was achieved (the same
    # names a hub micro-credential offers).
    is_programme = True
    eqf_level = None
    skills: tuple = ()

    @property
    def summary(self) -> str:
        return self.description or f"{self.type_label}: {self.title}"

    @property
    def provider(self):
        return self.organisation

    @property
    def credit_bearing(self) -> bool:
        return bool(self.scqf_credits)

    @property
    def notional_hours(self) -> int | None:
        return self.scqf_credits * 10 if self.scqf_credits else None

    @property
    def learning_outcomes(self) -> list[str]:
        return [f"{o.code}: {o.description}" for o in self.outcomes]

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(
            otj_at_risk_percent=self.otj_at_risk_percent,
            otj_off_track_percent=self.otj_off_track_percent,
            review_off_track_days=self.review_off_track_days,
        )


class OutcomeKind(StrEnum):
    KNOWLEDGE = "knowledge"
    SKILL = "skill"
    BEHAVIOUR = "behaviour"
    OUTCOME = "outcome"  # a (work-based) learning outcome, as Scottish programmes name them


OUTCOME_KIND_LABELS = {
    OutcomeKind.KNOWLEDGE: "Knowledge",
    OutcomeKind.SKILL: "Skill",
    OutcomeKind.BEHAVIOUR: "Behaviour",
    OutcomeKind.OUTCOME: "Learning outcome",
}


class ProgrammeOutcome(Model):
    """A KSB (knowledge, skill or behaviour) or learning outcome of a programme version."""

    __tablename__ = "programme_outcomes"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default=OutcomeKind.OUTCOME)
    description: Mapped[str] = mapped_column(String(1000))
    position: Mapped[int] = mapped_column(default=0)

    @property
    def kind_label(self) -> str:
        return OUTCOME_KIND_LABELS.get(OutcomeKind(self.kind), self.kind)


class ProgrammeModule(Model):
    """A module of a programme version: a micro-credential from the hub."""

    __tablename__ = "programme_modules"
    __table_args__ = (UniqueConstraint("programme_id", "micro_credential_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    micro_credential_id: Mapped[int] = mapped_column(ForeignKey("micro_credentials.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    micro_credential = relationship("MicroCredential", lazy="joined")


cohort_assessors = Table(
    "cohort_assessors",
    db.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("membership_id", ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Cohort(TenantOwned, CreatedAtMixin, Model):
    """A group of apprentices starting one programme version together."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id"))
    notes: Mapped[str | None] = mapped_column(Text)

    programme = relationship("Programme", lazy="joined")
    coordinator = relationship("Membership", foreign_keys=[coordinator_id])
    assessors = relationship("Membership", secondary=cohort_assessors, lazy="selectin")
