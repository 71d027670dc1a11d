"""Recruitment: an employer's vacancies, made from a job role, and the candidates who apply to
them with digital badges that are verified on arrival.

A vacancy belongs to the employer (tenant); its candidates and their badges are reached through
it. A candidate has no account: the application link names the vacancy by an unguessable token,
and each candidate gets a private link of their own (only its digest is kept).

After the vacancy's retention period the candidates' personal data is deleted and only anonymous
counts stay on the vacancy (`purged_counts`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import CreatedAtMixin, Model, TenantOwned, UTCDateTime
from app.models.verifications import HasVerdict


class CandidateStatus(StrEnum):
    APPLIED = "applied"
    SHORTLISTED = "shortlisted"
    INTERVIEW = "interview"
    OFFER = "offer"
    HIRED = "hired"
    REJECTED = "rejected"


CANDIDATE_STATUS_LABELS = {
    "applied": "Applied",
    "shortlisted": "Shortlisted",
    "interview": "Interview",
    "offer": "Offer made",
    "hired": "Hired",
    "rejected": "Rejected",
}
CANDIDATE_STATUS_COLOURS = {
    "applied": "blue",
    "shortlisted": "purple",
    "interview": "turquoise",
    "offer": "yellow",
    "hired": "green",
    "rejected": "grey",
}


class Vacancy(TenantOwned, CreatedAtMixin, Model):
    """A job an employer is recruiting for, with the skills (and levels) it asks of candidates."""

    __tablename__ = "vacancies"
    __table_args__ = (CheckConstraint("retention_months BETWEEN 1 AND 36", name="retention_months"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_role_id: Mapped[int | None] = mapped_column(ForeignKey("job_roles.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    closes_on: Mapped[date] = mapped_column(Date())
    hiring_manager_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    retention_months: Mapped[int] = mapped_column(default=6)
    # The application link's secret part (128+ random bits, URL-safe); public by design.
    token: Mapped[str] = mapped_column(String(43), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What is left after the purge: {"candidates": n, "badges": n, "by_status": {...}}.
    purged_counts: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    organisation = relationship("Organisation")
    job_role = relationship("JobRole")
    hiring_manager = relationship("Membership")
    skills: Mapped[list[VacancySkill]] = relationship(
        back_populates="vacancy", cascade="all, delete-orphan", lazy="raise", order_by="VacancySkill.id"
    )

    def is_open(self, today: date) -> bool:
        return self.purged_at is None and today <= self.closes_on

    @property
    def status_label(self) -> str:
        return "Candidates' data deleted" if self.purged_at else "Open"

    def __repr__(self) -> str:
        return f"<Vacancy {self.title!r} closes {self.closes_on}>"


def _vacancies_of(org):
    return select(Vacancy.id).where(Vacancy.organisation_id == org.id)


class VacancySkill(Model):
    """A skill a vacancy asks for, at a target proficiency level (1-4, as job roles)."""

    __tablename__ = "vacancy_skills"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "skill_id"),
        CheckConstraint("target_level BETWEEN 1 AND 4", name="target_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    target_level: Mapped[int] = mapped_column()

    vacancy = relationship("Vacancy", back_populates="skills")
    skill = relationship("Skill", lazy="joined")

    @classmethod
    def visible_to(cls, org):
        return cls.vacancy_id.in_(_vacancies_of(org))


class Candidate(CreatedAtMixin, Model):
    """One person's application to one vacancy."""

    __tablename__ = "candidates"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "email"),
        CheckConstraint(
            "status IN ('applied', 'shortlisted', 'interview', 'offer', 'hired', 'rejected')", name="status"
        ),
        Index("ix_candidates_vacancy_status", "vacancy_id", "status"),
        Index("ix_candidates_vacancy_coverage", "vacancy_id", "skills_met", "skills_partly"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    # The consent exactly as shown, and when it was given.
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # If hired, may their verified badges go into their Credwork wallet?
    carry_badges: Mapped[bool] = mapped_column(default=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=CandidateStatus.APPLIED)
    # Fit against the vacancy, kept up to date so a long list sorts by it in SQL.
    skills_met: Mapped[int] = mapped_column(default=0)
    skills_partly: Mapped[int] = mapped_column(default=0)
    hired_invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="SET NULL"))

    vacancy = relationship("Vacancy")
    badges: Mapped[list[CandidateBadge]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", lazy="raise", order_by="CandidateBadge.id"
    )

    @classmethod
    def visible_to(cls, org):
        return cls.vacancy_id.in_(_vacancies_of(org))

    @property
    def status_label(self) -> str:
        return CANDIDATE_STATUS_LABELS.get(self.status, self.status)

    @property
    def status_colour(self) -> str:
        return CANDIDATE_STATUS_COLOURS.get(self.status, "grey")

    def __repr__(self) -> str:
        return f"<Candidate {self.id} vacancy={self.vacancy_id} {self.status}>"


class CandidateBadge(HasVerdict, CreatedAtMixin, Model):
    """A badge a candidate shared, with what was handed in (to check it again) and its latest
    verification (in the organisation's verification history)."""

    __tablename__ = "candidate_badges"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    document: Mapped[bytes] = mapped_column(LargeBinary)
    document_kind: Mapped[str] = mapped_column(String(10))  # upload, paste or url
    label: Mapped[str | None] = mapped_column(String(500))  # file name or URL
    verification_id: Mapped[int | None] = mapped_column(ForeignKey("verifications.id", ondelete="SET NULL"))
    verdict: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    achievement_name: Mapped[str | None] = mapped_column(String(300))
    issuer_name: Mapped[str | None] = mapped_column(String(300))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The skills the badge claims, with the level each would give: [{"skill_id": n, "level": n}].
    claimed_skills: Mapped[list[dict[str, int]]] = mapped_column(JSON, default=list)
    # Whether the check proves those claims (a valid badge awarded to the candidate).
    proves_skills: Mapped[bool] = mapped_column(default=False)
    # Whether its proof held: without it, even its name is only claimed.
    claims_proven: Mapped[bool] = mapped_column(default=False)

    candidate = relationship("Candidate", back_populates="badges")
    verification = relationship("Verification")

    @property
    def shown_name(self) -> str:
        """The badge's name for lists: a name its proof does not back says so."""
        name = self.achievement_name or self.label or "Unnamed badge"
        return name if self.claims_proven or not self.achievement_name else f"{name} (claimed, not proven)"
