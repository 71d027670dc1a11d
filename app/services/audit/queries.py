"""Reading the audit log: filters and pages for an organisation's admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from app.domain.calendar import LONDON
from app.extensions import db
from app.models import AuditEvent, User

PAGE_SIZE = 50


@dataclass
class AuditFilters:
    action: str = ""
    actor: str = ""
    subject_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> AuditFilters:
        def parse_date(value):
            try:
                return date.fromisoformat(value) if value else None
            except ValueError:
                return None

        try:
            page = min(max(1, int(args.get("page", 1))), 100_000)  # the database's integers are finite
        except ValueError:
            page = 1
        return cls(
            action=args.get("action", "").strip()[:80],
            actor=args.get("actor", "").strip()[:200],
            subject_type=args.get("subject_type", "").strip()[:80],
            date_from=parse_date(args.get("from")),
            date_to=parse_date(args.get("to")),
            page=page,
        )

    def query_args(self, **changes) -> dict:
        values = {
            "action": self.action,
            "actor": self.actor,
            "subject_type": self.subject_type,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "page": self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)}


@dataclass
class AuditPage:
    events: list[AuditEvent]
    page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def search(org, filters: AuditFilters) -> AuditPage:
    """The organisation's events, newest first, filtered; one page."""
    stmt = select(AuditEvent).where(AuditEvent.visible_to(org))
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.subject_type:
        stmt = stmt.where(AuditEvent.subject_type == filters.subject_type)
    if filters.actor:
        stmt = stmt.join(User, AuditEvent.actor_id == User.id).where(
            func.lower(User.email).contains(filters.actor.lower())
            | func.lower(User.name).contains(filters.actor.lower())
        )
    if filters.date_from:
        stmt = stmt.where(AuditEvent.occurred_at >= _london_midnight(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(AuditEvent.occurred_at < _london_midnight(filters.date_to + timedelta(days=1)))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    events = db.session.scalars(
        stmt.options(db.joinedload(AuditEvent.actor))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((filters.page - 1) * PAGE_SIZE)
    ).all()
    return AuditPage(list(events), filters.page, total)


def actions_in(org) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.visible_to(org)).distinct().order_by(AuditEvent.action)
        )
    )


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)
