"""Column types and mixins shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

if TYPE_CHECKING:
    # Flask-SQLAlchemy builds db.Model at run time; to the type checker it is our declarative base.
    from app.extensions import Base as Model
else:
    Model = db.Model


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database.

    SQLite drops the offset, so values are normalised to UTC on the way in and marked
    UTC on the way out; PostgreSQL stores them as timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class CreatedAtMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class TenantOwned:
    """A row that belongs to one organisation (an employer or a provider).

    Views reach it only through `app.security.scoping` (`get_for`, `scoped`), which ask
    `visible_to(org)`: by default, the rows of that organisation. A model whose rows are seen
    more widely (both sides of a partnership, say) overrides it.
    """

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)

    @classmethod
    def visible_to(cls, org):
        return cls.organisation_id == org.id
