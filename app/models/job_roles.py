"""Job roles an employer defines, the skills and micro-credentials they need, and the skill levels
line managers assess.

Proficiency levels are 1-4 throughout (1 awareness, 2 working, 3 practitioner, 4 expert), the
same scale `app.services.catalogue.lifecycle.level_from_scqf` maps a micro-credential's SCQF level onto.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import CreatedAtMixin, Model, TenantOwned
from app.models.people import Membership

PROFICIENCY_LABELS = {1: "Awareness", 2: "Working", 3: "Practitioner", 4: "Expert"}


class Requirement(StrEnum):
    REQUIRED = "required"
    RECOMMENDED = "recommended"


class JobRole(TenantOwned, CreatedAtMixin, Model):
    """A job an employer has, e.g. "CAD Technician" in Design Engineering."""

    __tablename__ = "job_roles"
    __table_args__ = (UniqueConstraint("organisation_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(120))
    esco_occupation_id: Mapped[int | None] = mapped_column(ForeignKey("occupations.id"))
    description: Mapped[str | None] = mapped_column(Text)

    organisation = relationship("Organisation", lazy="raise")
    esco_occupation = relationship("Occupation", lazy="raise")
    skills = relationship("JobRoleSkill", back_populates="job_role", cascade="all, delete-orphan", lazy="raise")
    micro_credentials = relationship(
        "JobRoleMicroCredential", back_populates="job_role", cascade="all, delete-orphan", lazy="raise"
    )

    def __repr__(self) -> str:
        return f"<JobRole {self.title!r}>"


def _role_of_org(org):
    return select(JobRole.id).where(JobRole.organisation_id == org.id)


class JobRoleSkill(Model):
    """A skill a job role needs, at a target proficiency level."""

    __tablename__ = "job_role_skills"
    __table_args__ = (
        UniqueConstraint("job_role_id", "skill_id"),
        CheckConstraint("target_level BETWEEN 1 AND 4", name="target_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_role_id: Mapped[int] = mapped_column(ForeignKey("job_roles.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), index=True)
    target_level: Mapped[int] = mapped_column()

    job_role = relationship("JobRole", back_populates="skills")
    skill = relationship("Skill", lazy="raise")

    @classmethod
    def visible_to(cls, org):
        return cls.job_role_id.in_(_role_of_org(org))


class JobRoleMicroCredential(CreatedAtMixin, Model):
    """A micro-credential an employer maps to a job role, as required or recommended.

    Identified by provider and code, not by row id: a provider's new version of a record is a new
    row, and the employer's mapping should follow the record to its current published version
    rather than stay pinned to one that has been retired.
    """

    __tablename__ = "job_role_micro_credentials"
    __table_args__ = (
        UniqueConstraint("job_role_id", "provider_id", "code"),
        CheckConstraint("requirement IN ('required', 'recommended')", name="requirement"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_role_id: Mapped[int] = mapped_column(ForeignKey("job_roles.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    code: Mapped[str] = mapped_column(String(60))
    requirement: Mapped[str] = mapped_column(String(20), default=Requirement.RECOMMENDED)

    job_role = relationship("JobRole", back_populates="micro_credentials")
    provider = relationship("Organisation", lazy="raise")

    @property
    def is_required(self) -> bool:
        return self.requirement == Requirement.REQUIRED

    @property
    def requirement_label(self) -> str:
        return "Required" if self.is_required else "Recommended"

    @property
    def requirement_colour(self) -> str:
        return "blue" if self.is_required else "grey"

    @classmethod
    def visible_to(cls, org):
        return cls.job_role_id.in_(_role_of_org(org))


class AssessedSkill(CreatedAtMixin, Model):
    """A line manager's (or HR's) judgement of a person's level in one skill, on one date.

    Assessments are kept as history: the latest one for a skill is the one that counts.
    """

    __tablename__ = "assessed_skills"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level"),
        Index("ix_assessed_skills_membership_skill", "membership_id", "skill_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    level: Mapped[int] = mapped_column()
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assessed_on: Mapped[date] = mapped_column(Date())
    note: Mapped[str | None] = mapped_column(Text)

    membership = relationship("Membership", lazy="raise")
    skill = relationship("Skill", lazy="raise")
    assessed_by = relationship("User", lazy="raise")

    @classmethod
    def visible_to(cls, org):
        return cls.membership_id.in_(select(Membership.id).where(Membership.organisation_id == org.id))
