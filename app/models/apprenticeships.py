"""Apprenticeships: an apprentice at an employer on a provider's programme version, their
training plan and who accepted it, breaks in learning, recognised prior learning, module
results and the history of every change.

An apprenticeship is shared by exactly two organisations, the employer and the provider, who
must be partners; each sees it (see `visible_to`), nobody else does. Which people at each may
open it is the policy's business (`app.security.policy.parties_of`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from fractions import Fraction

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain import off_the_job as otj
from app.domain.off_the_job import TargetBasis
from app.models.base import CreatedAtMixin, Model, UTCDateTime, utcnow


class ApprenticeshipStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    BREAK_IN_LEARNING = "break_in_learning"
    WITHDRAWN = "withdrawn"
    AT_GATEWAY = "at_gateway"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return APPRENTICESHIP_STATUS_LABELS[self]


APPRENTICESHIP_STATUS_LABELS = {
    ApprenticeshipStatus.PLANNED: "Planned",
    ApprenticeshipStatus.ACTIVE: "Active",
    ApprenticeshipStatus.BREAK_IN_LEARNING: "Break in learning",
    ApprenticeshipStatus.WITHDRAWN: "Withdrawn",
    ApprenticeshipStatus.AT_GATEWAY: "At gateway",
    ApprenticeshipStatus.COMPLETED: "Completed",
}
APPRENTICESHIP_STATUS_COLOURS = {
    ApprenticeshipStatus.PLANNED: "grey",
    ApprenticeshipStatus.ACTIVE: "blue",
    ApprenticeshipStatus.BREAK_IN_LEARNING: "yellow",
    ApprenticeshipStatus.WITHDRAWN: "red",
    ApprenticeshipStatus.AT_GATEWAY: "purple",
    ApprenticeshipStatus.COMPLETED: "green",
}
_STATUS_SQL = ", ".join(f"'{s.value}'" for s in ApprenticeshipStatus)


class Party(StrEnum):
    """The three parties to an apprenticeship."""

    APPRENTICE = "apprentice"
    EMPLOYER = "employer"
    PROVIDER = "provider"

    @property
    def label(self) -> str:
        return {"apprentice": "Apprentice", "employer": "Employer", "provider": "Provider"}[self.value]


class Apprenticeship(CreatedAtMixin, Model):
    __tablename__ = "apprenticeships"
    __table_args__ = (
        UniqueConstraint("cohort_id", "apprentice_id"),
        CheckConstraint(f"status IN ({_STATUS_SQL})", name="status"),
        CheckConstraint("weekly_minutes > 0 AND weekly_minutes <= 4800", name="weekly_minutes_range"),
        CheckConstraint("planned_end_date > start_date", name="ends_after_start"),
        Index("ix_apprenticeships_employer_status", "employer_id", "status"),
        Index("ix_apprenticeships_provider_status", "provider_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id"), index=True)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id"), index=True)
    weekly_minutes: Mapped[int] = mapped_column()
    start_date: Mapped[date] = mapped_column(Date)
    planned_end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30), default=ApprenticeshipStatus.PLANNED)
    # Bumped by every change to the training plan; acceptances are of one version.
    plan_version: Mapped[int] = mapped_column(default=1)
    plan_notes: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The last progress assessment (on_track, at_risk, off_track; None unless active), kept so a
    # dashboard counts who is at risk in one query. Worked out again when anything it is judged
    # on changes, and daily as time passes (app.services.apprenticeships.progress).
    progress_status: Mapped[str | None] = mapped_column(String(20), index=True)
    progress_on: Mapped[date | None] = mapped_column(Date)

    employer = relationship("Organisation", foreign_keys=[employer_id], lazy="joined")
    provider = relationship("Organisation", foreign_keys=[provider_id], lazy="joined")
    apprentice = relationship("Membership", foreign_keys=[apprentice_id], lazy="joined")
    line_manager = relationship("Membership", foreign_keys=[line_manager_id])
    assessor = relationship("Membership", foreign_keys=[assessor_id])
    programme = relationship("Programme", lazy="joined")
    cohort = relationship("Cohort")
    # Loaded when asked for: lists of apprenticeships gather these figures in grouped queries
    # (app.services.apprenticeships.progress), not object by object.
    breaks = relationship("BreakInLearning", order_by="BreakInLearning.start_date")
    prior_learning = relationship("PriorLearning", order_by="PriorLearning.id")
    acceptances = relationship("PlanAcceptance", order_by="PlanAcceptance.accepted_at")

    @classmethod
    def visible_to(cls, org):
        return (cls.employer_id == org.id) | (cls.provider_id == org.id)

    @property
    def status_label(self) -> str:
        return APPRENTICESHIP_STATUS_LABELS[ApprenticeshipStatus(self.status)]

    @property
    def status_colour(self) -> str:
        return APPRENTICESHIP_STATUS_COLOURS[ApprenticeshipStatus(self.status)]

    @property
    def is_running(self) -> bool:
        """Active or paused: the apprenticeship is under way."""
        return self.status in (ApprenticeshipStatus.ACTIVE, ApprenticeshipStatus.BREAK_IN_LEARNING)

    @property
    def open_break(self) -> BreakInLearning | None:
        return next((b for b in self.breaks if b.end_date is None), None)

    @property
    def weekly_hours(self) -> str:
        return otj.hours(self.weekly_minutes)

    def accepted_parties(self) -> dict[Party, PlanAcceptance]:
        """Who has accepted the current version of the training plan."""
        return {Party(a.party): a for a in self.acceptances if a.plan_version == self.plan_version}

    @property
    def plan_accepted(self) -> bool:
        return len(self.accepted_parties()) == len(Party)

    def otj_plan(self) -> otj.Plan:
        recognised = len({(p.outcome_id, p.module_id) for p in self.prior_learning})
        return training_plan(self.programme, self.start_date, self.planned_end_date, self.weekly_minutes, recognised)

    def expected_end(self, today: date) -> date:
        """The planned last day after recognised prior learning, moved on by breaks in learning."""
        return otj.expected_end(self.otj_plan(), self.otj_breaks(), today)

    def otj_breaks(self) -> list[otj.Break]:
        return [otj.Break(b.start_date, b.end_date) for b in self.breaks]


def training_plan(programme, start: date, planned_end: date, weekly_minutes: int, recognised: int) -> otj.Plan:
    """The off-the-job plan of an apprenticeship on `programme`: its dates and hours, and the share
    of the programme (its KSBs and modules, counted equally) recognised as prior learning."""
    total = len(programme.outcomes) + len(programme.modules)
    return otj.Plan(
        start=start,
        planned_end=planned_end,
        weekly_minutes=weekly_minutes,
        basis=TargetBasis(programme.otj_basis),
        percent=programme.otj_percent or 0,
        fixed_hours=programme.otj_hours or 0,
        prior_learning=Fraction(min(recognised, total), total) if total else Fraction(0),
    )


class ApprenticeshipEvent(Model):
    """One change to an apprenticeship: its status, its plan, its people. Never edited."""

    __tablename__ = "apprenticeship_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    apprenticeship_id: Mapped[int] = mapped_column(ForeignKey("apprenticeships.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(String(500))
    reason: Mapped[str | None] = mapped_column(String(2000))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor = relationship("User", lazy="joined")


class BreakInLearning(Model):
    """A pause asked for by the apprentice: the clock and the targets stop while it lasts."""

    __tablename__ = "breaks_in_learning"
    __table_args__ = (CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    apprenticeship_id: Mapped[int] = mapped_column(ForeignKey("apprenticeships.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(2000))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PlanAcceptance(Model):
    """One party's acceptance of one version of the training plan (commitment statement)."""

    __tablename__ = "plan_acceptances"
    __table_args__ = (UniqueConstraint("apprenticeship_id", "plan_version", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    apprenticeship_id: Mapped[int] = mapped_column(ForeignKey("apprenticeships.id", ondelete="CASCADE"), index=True)
    plan_version: Mapped[int] = mapped_column()
    party: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User", lazy="joined")


class PriorLearning(CreatedAtMixin, Model):
    """Recognised prior learning against one KSB or one module, with its reason."""

    __tablename__ = "prior_learning"
    __table_args__ = (
        CheckConstraint("(outcome_id IS NULL) <> (module_id IS NULL)", name="one_target"),
        UniqueConstraint("apprenticeship_id", "outcome_id", "module_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    apprenticeship_id: Mapped[int] = mapped_column(ForeignKey("apprenticeships.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("programme_outcomes.id"))
    module_id: Mapped[int | None] = mapped_column(ForeignKey("programme_modules.id"))
    reason: Mapped[str] = mapped_column(String(2000))
    evidence: Mapped[str | None] = mapped_column(String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    outcome = relationship("ProgrammeOutcome", lazy="joined")
    module = relationship("ProgrammeModule", lazy="joined")

    @property
    def what(self) -> str:
        if self.outcome is not None:
            return f"{self.outcome.code}: {self.outcome.description}"
        return f"Module: {self.module.micro_credential.title}"


class ModuleResult(Model):
    """The provider's result for one module (a hub micro-credential) of the apprenticeship."""

    __tablename__ = "module_results"
    __table_args__ = (
        UniqueConstraint("apprenticeship_id", "module_id"),
        CheckConstraint("result IN ('passed', 'failed')", name="result"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    apprenticeship_id: Mapped[int] = mapped_column(ForeignKey("apprenticeships.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("programme_modules.id"))
    result: Mapped[str] = mapped_column(String(10))
    result_date: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    module = relationship("ProgrammeModule", lazy="joined")
