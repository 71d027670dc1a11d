"""CPD sponsorship: budgets, funding sources, sponsorship requests and their history.

Money is integer pence. The invariants that protect money live in the database as CHECK
constraints (a budget's and a funding source's committed + spent never exceed what was
allocated), so even a code path that forgot its row lock cannot overspend. The workflow itself
(who may move a request from which state to which) lives in `app.services.cpd.workflow`.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.money import format_pounds
from app.models.base import CreatedAtMixin, Model, TenantOwned, UTCDateTime, utcnow


class FundingKind(StrEnum):
    EMPLOYER = "employer"
    FWDF = "fwdf"
    GRANT = "grant"


FUNDING_KIND_LABELS = {
    FundingKind.EMPLOYER: "Employer's own budget",
    FundingKind.FWDF: "Flexible Workforce Development Fund",
    FundingKind.GRANT: "Other grant",
}


class SponsorshipStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ENDORSED = "endorsed"
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    MORE_INFORMATION_NEEDED = "more_information_needed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"


STATUS_LABELS = {
    SponsorshipStatus.DRAFT: "Draft",
    SponsorshipStatus.SUBMITTED: "Submitted",
    SponsorshipStatus.ENDORSED: "Endorsed by line manager",
    SponsorshipStatus.APPROVED: "Approved",
    SponsorshipStatus.APPROVED_WITH_CONDITIONS: "Approved with conditions",
    SponsorshipStatus.MORE_INFORMATION_NEEDED: "More information needed",
    SponsorshipStatus.REJECTED: "Rejected",
    SponsorshipStatus.WITHDRAWN: "Withdrawn",
    SponsorshipStatus.ENROLLED: "Enrolled",
    SponsorshipStatus.COMPLETED: "Completed",
    SponsorshipStatus.NOT_COMPLETED: "Not completed",
}
STATUS_COLOURS = {
    SponsorshipStatus.DRAFT: "grey",
    SponsorshipStatus.SUBMITTED: "blue",
    SponsorshipStatus.ENDORSED: "light-blue",
    SponsorshipStatus.APPROVED: "green",
    SponsorshipStatus.APPROVED_WITH_CONDITIONS: "turquoise",
    SponsorshipStatus.MORE_INFORMATION_NEEDED: "yellow",
    SponsorshipStatus.REJECTED: "red",
    SponsorshipStatus.WITHDRAWN: "grey",
    SponsorshipStatus.ENROLLED: "purple",
    SponsorshipStatus.COMPLETED: "green",
    SponsorshipStatus.NOT_COMPLETED: "orange",
}

_STATUS_SQL = ", ".join(f"'{s.value}'" for s in SponsorshipStatus)


class CpdBudget(TenantOwned, CreatedAtMixin, Model):
    """What one department (or cost centre) of an employer may spend on CPD in a financial year."""

    __tablename__ = "cpd_budgets"
    __table_args__ = (
        UniqueConstraint("organisation_id", "department", "financial_year"),
        CheckConstraint("allocated_pence >= 0", name="allocated_not_negative"),
        CheckConstraint("committed_pence >= 0", name="committed_not_negative"),
        CheckConstraint("spent_pence >= 0", name="spent_not_negative"),
        CheckConstraint("committed_pence + spent_pence <= allocated_pence", name="not_overspent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department: Mapped[str] = mapped_column(String(120))
    # The calendar year in which the financial year starts: 2026 means 2026-27.
    financial_year: Mapped[int] = mapped_column()
    allocated_pence: Mapped[int] = mapped_column(default=0)
    committed_pence: Mapped[int] = mapped_column(default=0)
    spent_pence: Mapped[int] = mapped_column(default=0)

    @property
    def remaining_pence(self) -> int:
        return self.allocated_pence - self.committed_pence - self.spent_pence


class FundingSource(TenantOwned, CreatedAtMixin, Model):
    """Where sponsorship money comes from: the employer's own budget, FWDF, another grant."""

    __tablename__ = "cpd_funding_sources"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        CheckConstraint("kind IN ('employer', 'fwdf', 'grant')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=FundingKind.EMPLOYER)
    notes: Mapped[str | None] = mapped_column(String(1000))
    active: Mapped[bool] = mapped_column(default=True)

    years = relationship(
        "FundingSourceYear",
        back_populates="funding_source",
        lazy="selectin",
        order_by="FundingSourceYear.financial_year",
    )

    @property
    def kind_label(self) -> str:
        return FUNDING_KIND_LABELS[FundingKind(self.kind)]


class FundingSourceYear(TenantOwned, Model):
    """A funding source's cap for one financial year and what is committed and spent against it."""

    __tablename__ = "cpd_funding_source_years"
    __table_args__ = (
        UniqueConstraint("funding_source_id", "financial_year"),
        CheckConstraint("cap_pence >= 0", name="cap_not_negative"),
        CheckConstraint("committed_pence >= 0", name="committed_not_negative"),
        CheckConstraint("spent_pence >= 0", name="spent_not_negative"),
        CheckConstraint("committed_pence + spent_pence <= cap_pence", name="not_over_cap"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    funding_source_id: Mapped[int] = mapped_column(ForeignKey("cpd_funding_sources.id"), index=True)
    # Denormalised so tenancy is one clause and a lock touches one row.
    financial_year: Mapped[int] = mapped_column()
    cap_pence: Mapped[int] = mapped_column(default=0)
    committed_pence: Mapped[int] = mapped_column(default=0)
    spent_pence: Mapped[int] = mapped_column(default=0)

    funding_source = relationship("FundingSource", back_populates="years")

    @property
    def remaining_pence(self) -> int:
        return self.cap_pence - self.committed_pence - self.spent_pence


class Sponsorship(TenantOwned, CreatedAtMixin, Model):
    """A request that the employer pays for one person's CPD, from draft to completion."""

    __tablename__ = "sponsorships"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUS_SQL})", name="status"),
        CheckConstraint("cost_pence >= 0", name="cost_not_negative"),
        CheckConstraint("committed_pence >= 0", name="committed_not_negative"),
        CheckConstraint("spent_pence >= 0", name="spent_not_negative"),
        # Either a hub micro-credential or an external course with a title and provider.
        CheckConstraint(
            "micro_credential_id IS NOT NULL OR (external_title IS NOT NULL AND external_provider IS NOT NULL)",
            name="course_named",
        ),
        Index("ix_sponsorships_org_status", "organisation_id", "status"),
        Index("ix_sponsorships_org_created", "organisation_id", "created_at"),  # the requests list, newest first
        Index("ix_sponsorships_org_approved", "organisation_id", "approved_at"),  # approved this month
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    # The employee whose CPD this is.
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Who created it: the employee, or the manager who nominated them.
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    nominated: Mapped[bool] = mapped_column(default=False)
    # The person's department when they asked (budgets are per department).
    department: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(30), default=SponsorshipStatus.DRAFT)

    micro_credential_id: Mapped[int | None] = mapped_column(ForeignKey("micro_credentials.id"), index=True)
    external_title: Mapped[str | None] = mapped_column(String(300))
    external_provider: Mapped[str | None] = mapped_column(String(200))
    external_url: Mapped[str | None] = mapped_column(String(500))
    # Copied from the hub record (or entered for an external course) so the CPD record keeps
    # what was agreed even when the hub publishes a new version.
    title: Mapped[str] = mapped_column(String(300))
    provider_name: Mapped[str] = mapped_column(String(200))
    hours: Mapped[int] = mapped_column(default=0)
    scqf_level: Mapped[int | None] = mapped_column()
    scqf_credits: Mapped[int | None] = mapped_column()
    start_date: Mapped[date | None] = mapped_column(Date())
    reason: Mapped[str] = mapped_column(Text, default="")

    cost_pence: Mapped[int] = mapped_column(default=0)
    budget_id: Mapped[int | None] = mapped_column(ForeignKey("cpd_budgets.id"), index=True)
    funding_source_year_id: Mapped[int | None] = mapped_column(ForeignKey("cpd_funding_source_years.id"), index=True)
    committed_pence: Mapped[int] = mapped_column(default=0)
    spent_pence: Mapped[int] = mapped_column(default=0)
    conditions: Mapped[str | None] = mapped_column(Text)

    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    endorsed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_on: Mapped[date | None] = mapped_column(Date())
    issued_credential_id: Mapped[int | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    person = relationship("User", foreign_keys=[person_id], lazy="joined")
    created_by = relationship("User", foreign_keys=[created_by_id])
    endorsed_by = relationship("User", foreign_keys=[endorsed_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    micro_credential = relationship("MicroCredential")
    budget = relationship("CpdBudget")
    funding_source_year = relationship("FundingSourceYear")
    events = relationship(
        "SponsorshipEvent",
        back_populates="sponsorship",
        lazy="selectin",
        order_by="SponsorshipEvent.id",
        cascade="all, delete-orphan",
    )
    agreement = relationship(
        "LearningAgreement", back_populates="sponsorship", uselist=False, lazy="selectin", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[SponsorshipStatus(self.status)]

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[SponsorshipStatus(self.status)]

    @property
    def is_finished(self) -> bool:
        """Completed or not completed: what was spent is final."""
        return self.status in {SponsorshipStatus.COMPLETED, SponsorshipStatus.NOT_COMPLETED}

    @property
    def awaits_decision(self) -> bool:
        """Submitted or endorsed: HR can approve it, one at a time or in bulk."""
        return self.status in {SponsorshipStatus.SUBMITTED, SponsorshipStatus.ENDORSED}

    @property
    def is_closed(self) -> bool:
        """Rejected or withdrawn: no money moves any more."""
        return self.status in {SponsorshipStatus.REJECTED, SponsorshipStatus.WITHDRAWN}

    @property
    def ledger(self) -> tuple[int, int]:
        """(budget id, funding source year id) that an approved request's money is counted in."""
        if self.budget_id is None or self.funding_source_year_id is None:
            raise RuntimeError(f"sponsorship {self.id} has no budget: it was never approved")
        return self.budget_id, self.funding_source_year_id

    @property
    def is_editable(self) -> bool:
        """A draft, or a request sent back for more information, can still be changed."""
        return self.status in {SponsorshipStatus.DRAFT, SponsorshipStatus.MORE_INFORMATION_NEEDED}

    @property
    def is_approved(self) -> bool:
        return self.status in {SponsorshipStatus.APPROVED, SponsorshipStatus.APPROVED_WITH_CONDITIONS}

    @property
    def is_draft(self) -> bool:
        return self.status == SponsorshipStatus.DRAFT

    @property
    def is_hub(self) -> bool:
        return self.micro_credential_id is not None

    def __repr__(self) -> str:
        return f"<Sponsorship {self.id} {self.status} {self.title!r}>"


class SponsorshipEvent(TenantOwned, Model):
    """One step in a sponsorship's history: who moved it from which state to which, and why."""

    __tablename__ = "sponsorship_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    sponsorship_id: Mapped[int] = mapped_column(ForeignKey("sponsorships.id", ondelete="CASCADE"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(Text)
    amount_pence: Mapped[int | None] = mapped_column()

    sponsorship = relationship("Sponsorship", back_populates="events")
    actor = relationship("User", lazy="joined")

    @property
    def description(self) -> str:
        """What happened, as the request's history reads: "Approve: endorsed to approved (£300.00)"."""
        text = self.action.replace("_", " ").capitalize()
        if self.from_status != self.to_status:
            before = self.from_status.replace("_", " ") if self.from_status else "new"
            text += f": {before} to {self.to_status.replace('_', ' ')}"
        if self.amount_pence:
            text += f" ({format_pounds(self.amount_pence)})"
        return text


class LearningAgreement(TenantOwned, Model):
    """An optional agreement attached at approval: what the employee repays if they leave early."""

    __tablename__ = "learning_agreements"
    __table_args__ = (
        CheckConstraint("repayment_months >= 0", name="months_not_negative"),
        CheckConstraint("repayment_basis IN ('pro_rata', 'full')", name="basis"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sponsorship_id: Mapped[int] = mapped_column(ForeignKey("sponsorships.id", ondelete="CASCADE"), unique=True)
    repayment_months: Mapped[int] = mapped_column(default=0)
    repayment_basis: Mapped[str] = mapped_column(String(20), default="pro_rata")
    text: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    sponsorship = relationship("Sponsorship", back_populates="agreement")

    @property
    def basis_label(self) -> str:
        return "pro rata" if self.repayment_basis == "pro_rata" else "in full"
