"""Requests for recognition of prior learning (RPL): a learner asks a provider to count badges
they hold towards one of its programmes; the provider's coordinator grants or refuses credit for
each module, with reasons. The request belongs to the provider (the tenant that decides)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import CreatedAtMixin, Model, TenantOwned, UTCDateTime


class RplStatus(StrEnum):
    SUBMITTED = "submitted"
    DECIDED = "decided"


RPL_STATUS_LABELS = {"submitted": "Waiting for a decision", "decided": "Decided"}
RPL_STATUS_COLOURS = {"submitted": "blue", "decided": "green"}


class RplRequest(TenantOwned, CreatedAtMixin, Model):
    """One learner's request, to one provider, towards one programme version."""

    __tablename__ = "rpl_requests"
    __table_args__ = (CheckConstraint("status IN ('submitted', 'decided')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    message: Mapped[str | None] = mapped_column(Text)
    # The badges attached, as the learner chose them: [{"kind": "issued"|"imported", "id": n, "title": "..."}]
    badges: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default=RplStatus.SUBMITTED)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    learner = relationship("User", foreign_keys=[learner_id], lazy="joined")
    programme = relationship("Programme", lazy="joined")
    organisation = relationship("Organisation", lazy="joined")
    decisions = relationship(
        "RplDecision", back_populates="request", cascade="all, delete-orphan", order_by="RplDecision.id"
    )

    @property
    def status_label(self) -> str:
        return RPL_STATUS_LABELS[self.status]

    @property
    def status_colour(self) -> str:
        return RPL_STATUS_COLOURS[self.status]


class RplDecision(Model):
    """Credit granted or refused for one module of the programme, with the reason."""

    __tablename__ = "rpl_decisions"
    __table_args__ = (UniqueConstraint("request_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("rpl_requests.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("programme_modules.id"))
    granted: Mapped[bool] = mapped_column()
    reason: Mapped[str] = mapped_column(String(2000))

    request = relationship("RplRequest", back_populates="decisions")
    module = relationship("ProgrammeModule", lazy="joined")
