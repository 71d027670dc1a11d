"""Data protection (UK GDPR): after a vacancy's retention period (6 months after closing unless
the recruiter chose otherwise) its candidates' personal data and files are deleted, and only
anonymous counts stay. `flask recruitment purge` runs it, from cron (see the README)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import utcnow
from app.models.recruitment import Candidate, CandidateBadge, Vacancy
from app.services import audit
from app.services.recruitment.applications import erase
from app.services.recruitment.vacancies import retention_ends


def purge(vacancy: Vacancy, actor=None) -> int:
    """Delete every candidate of ``vacancy`` and keep counts by status. Returns how many went."""
    candidates = list(db.session.scalars(select(Candidate).where(Candidate.vacancy_id == vacancy.id)))
    badges = (
        db.session.scalar(
            select(func.count())
            .select_from(CandidateBadge)
            .join(Candidate, CandidateBadge.candidate_id == Candidate.id)
            .where(Candidate.vacancy_id == vacancy.id)
        )
        or 0
    )
    by_status = Counter(c.status for c in candidates)
    for candidate in candidates:
        erase(candidate)
    vacancy.purged_at = utcnow()
    vacancy.purged_counts = {"candidates": len(candidates), "badges": badges, "by_status": dict(by_status)}
    db.session.flush()
    audit.record(
        actor,
        "vacancy.purged",
        vacancy,
        f"Deleted the personal data of {len(candidates)} candidate(s) for {vacancy.title} "
        f"(retention ended {retention_ends(vacancy):%d %B %Y})",
        candidates=len(candidates),
        badges=badges,
    )
    return len(candidates)


def due(today: date) -> list[Vacancy]:
    """Vacancies whose retention period has ended and whose candidates are not yet deleted."""
    open_ones = db.session.scalars(
        select(Vacancy).where(Vacancy.purged_at.is_(None), Vacancy.closes_on < today).order_by(Vacancy.id)
    )
    return [v for v in open_ones if retention_ends(v) < today]


def purge_due(today: date) -> tuple[int, int]:
    """The scheduled purge. Returns (vacancies, candidates) purged."""
    vacancies = due(today)
    people = sum(purge(v) for v in vacancies)
    return len(vacancies), people
