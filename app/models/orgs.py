"""Organisations (employers, providers, the platform operator) and their partnerships."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import CreatedAtMixin, Model, UTCDateTime


class OrgKind(StrEnum):
    EMPLOYER = "employer"
    PROVIDER = "provider"
    PLATFORM = "platform"


class PartnershipStatus(StrEnum):
    REQUESTED = "requested"
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"


class Organisation(CreatedAtMixin, Model):
    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint("kind IN ('employer', 'provider', 'platform')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    email_domain: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    quality_assured: Mapped[bool] = mapped_column(default=False)

    memberships = relationship("Membership", back_populates="organisation", lazy="raise")

    @property
    def kind_label(self) -> str:
        return {"employer": "Employer", "provider": "Provider", "platform": "Platform operator"}[self.kind]

    @property
    def is_employer(self) -> bool:
        return self.kind == OrgKind.EMPLOYER

    @property
    def is_provider(self) -> bool:
        return self.kind == OrgKind.PROVIDER

    @classmethod
    def visible_to(cls, org):
        return cls.id == org.id

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class Partnership(CreatedAtMixin, Model):
    """An employer-provider partnership: requested by one side, accepted by the other."""

    __tablename__ = "partnerships"
    __table_args__ = (UniqueConstraint("employer_id", "provider_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=PartnershipStatus.REQUESTED)
    requested_by_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    requested_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str | None] = mapped_column(String(1000))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    employer = relationship("Organisation", foreign_keys=[employer_id])
    provider = relationship("Organisation", foreign_keys=[provider_id])

    @classmethod
    def visible_to(cls, org):
        return (cls.employer_id == org.id) | (cls.provider_id == org.id)

    def other_side(self, org_id: int):
        return self.provider if org_id == self.employer_id else self.employer

    @property
    def is_active(self) -> bool:
        return self.status == PartnershipStatus.ACTIVE

    def awaits(self, org_id: int) -> bool:
        """Whether the request is waiting for `org_id` to accept or decline it."""
        return self.status == PartnershipStatus.REQUESTED and self.responding_org_id == org_id

    def status_label_for(self, org_id: int) -> str:
        """The status as `org_id`'s admins read it."""
        if self.status == PartnershipStatus.REQUESTED:
            return "Waiting for you" if self.responding_org_id == org_id else "Waiting for them"
        return {PartnershipStatus.ACTIVE: "Active", PartnershipStatus.DECLINED: "Declined"}.get(
            PartnershipStatus(self.status), "Ended"
        )

    @property
    def status_colour(self) -> str:
        return {
            PartnershipStatus.REQUESTED: "yellow",
            PartnershipStatus.ACTIVE: "green",
            PartnershipStatus.DECLINED: "red",
        }.get(PartnershipStatus(self.status), "grey")

    @property
    def responding_org_id(self) -> int:
        return self.provider_id if self.requested_by_org_id == self.employer_id else self.employer_id
