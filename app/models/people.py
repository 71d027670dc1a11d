"""People, their memberships of organisations, and the roles they hold there."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import CreatedAtMixin, Model, TenantOwned, UTCDateTime


class Role(StrEnum):
    ORG_ADMIN = "org_admin"
    HR_MANAGER = "hr_manager"
    LINE_MANAGER = "line_manager"
    RECRUITER = "recruiter"
    LEARNER = "learner"
    PROVIDER_COORDINATOR = "provider_coordinator"
    ASSESSOR = "assessor"
    PLATFORM_ADMIN = "platform_admin"
    PLATFORM_REVIEWER = "platform_reviewer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ORG_ADMIN: "Organisation admin",
    Role.HR_MANAGER: "HR manager",
    Role.LINE_MANAGER: "Line manager",
    Role.RECRUITER: "Recruiter",
    Role.LEARNER: "Employee or apprentice (learner)",
    Role.PROVIDER_COORDINATOR: "Provider coordinator",
    Role.ASSESSOR: "Assessor",
    Role.PLATFORM_ADMIN: "Platform admin",
    Role.PLATFORM_REVIEWER: "Platform reviewer",
}

# Which roles make sense in which kind of organisation.
ROLES_BY_ORG_KIND = {
    "employer": [Role.ORG_ADMIN, Role.HR_MANAGER, Role.LINE_MANAGER, Role.RECRUITER, Role.LEARNER],
    "provider": [Role.ORG_ADMIN, Role.PROVIDER_COORDINATOR, Role.ASSESSOR, Role.LEARNER],
    "platform": [Role.ORG_ADMIN, Role.PLATFORM_ADMIN, Role.PLATFORM_REVIEWER],
}


class MembershipStatus(StrEnum):
    ACTIVE = "active"
    REMOVED = "removed"


class User(UserMixin, CreatedAtMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped on password change so old sessions stop working.
    session_version: Mapped[int] = mapped_column(default=1)

    memberships = relationship("Membership", back_populates="user", lazy="raise", foreign_keys="Membership.user_id")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.is_active_account

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(TenantOwned, CreatedAtMixin, Model):
    """A person's place in one organisation."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id"),
        Index("ix_memberships_org_department", "organisation_id", "department"),  # department filters
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=MembershipStatus.ACTIVE)
    department: Mapped[str | None] = mapped_column(String(120))
    job_title: Mapped[str | None] = mapped_column(String(200))
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id"))
    # The job role the person holds here (employers only); see app.models.job_roles.
    job_role_id: Mapped[int | None] = mapped_column(ForeignKey("job_roles.id", ondelete="SET NULL"), index=True)

    user = relationship("User", back_populates="memberships", foreign_keys=[user_id])
    organisation = relationship("Organisation", back_populates="memberships")
    role_grants = relationship("RoleGrant", back_populates="membership", cascade="all, delete-orphan", lazy="selectin")
    line_manager = relationship("Membership", remote_side=[id])

    @property
    def roles(self) -> set[Role]:
        return {Role(grant.role) for grant in self.role_grants}

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE


class RoleGrant(CreatedAtMixin, Model):
    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("membership_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))

    membership = relationship("Membership", back_populates="role_grants")
