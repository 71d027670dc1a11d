"""The apprenticeships JSON for partners' HR systems (`GET /api/v1/apprenticeships`): what an
employer or provider sees of its own apprentices, one page at a time, in a fixed number of
queries per page."""

from __future__ import annotations

from datetime import date
from math import ceil

from sqlalchemy import func, select

from app.domain.off_the_job import percent_of
from app.extensions import db
from app.models import Apprenticeship, Membership
from app.services.apprenticeships.progress import Progress, progress_of

MAX_PER_PAGE = 100


def _hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def as_json(p: Progress, today: date) -> dict:
    """One apprenticeship as the API returns it."""
    a, h = p.apprenticeship, p.hours
    programme = a.programme
    return {
        "id": a.id,
        "apprentice": {"name": a.apprentice.user.name},
        "employer": {"id": a.employer.id, "name": a.employer.name},
        "provider": {"id": a.provider.id, "name": a.provider.name},
        "programme": {
            "id": programme.id,
            "title": programme.title,
            "type": programme.type,
            "version": programme.version,
            "scqf_level": programme.scqf_level,
            "scqf_credits": programme.scqf_credits,
        },
        "cohort": {"id": a.cohort_id, "name": a.cohort.name},
        "start_date": a.start_date.isoformat(),
        "planned_end_date": a.planned_end_date.isoformat(),
        "expected_end_date": a.expected_end(today).isoformat(),
        "status": a.status,
        "progress": {
            "status": p.status.value if p.status else None,
            "label": p.status_label,
            "reasons": list(p.reasons),
        },
        "off_the_job": {
            "target_hours": _hours(h.target),
            "logged_hours": _hours(h.logged),
            "confirmed_hours": _hours(h.confirmed),
            "expected_to_date_hours": _hours(h.expected),
            "percent_of_target": percent_of(h.logged, h.target),
            "percent_of_expected": percent_of(h.logged, h.expected),
        },
        "next_review_date": p.next_review_due.isoformat() if p.next_review_due else None,
    }


def _loaded(condition, page: int, per_page: int) -> list[Apprenticeship]:
    return list(
        db.session.scalars(
            select(Apprenticeship)
            .where(condition)
            .options(
                db.joinedload(Apprenticeship.apprentice).joinedload(Membership.user),
                db.joinedload(Apprenticeship.cohort),
                db.selectinload(Apprenticeship.breaks),
                db.selectinload(Apprenticeship.prior_learning),
            )
            .order_by(Apprenticeship.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )


def listing(org, today: date, page: int = 1, per_page: int = 25) -> dict:
    """A page of the organisation's apprenticeships (as employer or as provider)."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    condition = Apprenticeship.visible_to(org)
    total = db.session.scalar(select(func.count(Apprenticeship.id)).where(condition)) or 0
    pages = max(1, ceil(total / per_page))
    page = max(1, min(page, pages))
    items = progress_of(_loaded(condition, page, per_page), today)
    return {
        "items": [as_json(p, today) for p in items],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
    }


def one(org, apprenticeship_id: int, today: date) -> dict | None:
    """One of the organisation's apprenticeships, or None (another's is never revealed)."""
    if not 0 < apprenticeship_id < 2**31:
        return None
    found = _loaded((Apprenticeship.id == apprenticeship_id) & Apprenticeship.visible_to(org), 1, 1)
    return as_json(progress_of(found, today)[0], today) if found else None
