"""The lists of candidates: a vacancy's candidates (filtered by status and name, sorted by fit,
name or date, paginated) and the shortlist comparison's columns. Each page costs a fixed number of
queries whatever the number of candidates; sorting by fit uses the counts kept on each candidate."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models.recruitment import CANDIDATE_STATUS_LABELS, Candidate, CandidateBadge, Vacancy

PAGE_SIZE = 50
EXPORT_LIMIT = 5000
SORTS = {"fit": "Best fit first", "name": "Name", "newest": "Newest first", "oldest": "Oldest first"}


def _page_arg(args: MultiDict) -> int:
    return min(max(args.get("page", 1, type=int) or 1, 1), 100_000)


@dataclass(frozen=True)
class CandidateFilters:
    status: str = ""
    q: str = ""
    sort: str = "fit"
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> CandidateFilters:
        status, sort = args.get("status", ""), args.get("sort", "fit")
        return cls(
            status=status if status in CANDIDATE_STATUS_LABELS else "",
            q=args.get("q", "").strip()[:200],
            sort=sort if sort in SORTS else "fit",
            page=_page_arg(args),
        )

    def query_args(self) -> dict[str, str]:
        kept = {"status": self.status, "q": self.q, "sort": "" if self.sort == "fit" else self.sort}
        return {k: v for k, v in kept.items() if v}


def _ordered(stmt, sort: str):
    if sort == "name":
        return stmt.order_by(func.lower(Candidate.name), Candidate.id)
    if sort == "newest":
        return stmt.order_by(Candidate.created_at.desc(), Candidate.id.desc())
    if sort == "oldest":
        return stmt.order_by(Candidate.created_at, Candidate.id)
    return stmt.order_by(
        Candidate.skills_met.desc(), Candidate.skills_partly.desc(), Candidate.created_at, Candidate.id
    )


@dataclass
class CandidatesPage:
    candidates: list[Candidate]
    badge_counts: dict[int, int]
    page: int
    pages: int
    total: int
    by_status: dict[str, int]


def candidates_page(vacancy: Vacancy, filters: CandidateFilters) -> CandidatesPage:
    """Four queries: the count, the page, its badge counts, and the counts by status."""
    stmt = select(Candidate).where(Candidate.vacancy_id == vacancy.id)
    if filters.status:
        stmt = stmt.where(Candidate.status == filters.status)
    if filters.q:
        term = f"%{filters.q.lower()}%"
        stmt = stmt.where(func.lower(Candidate.name).like(term) | Candidate.email.like(term))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    rows = list(db.session.scalars(_ordered(stmt, filters.sort).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    counts = dict(
        db.session.execute(
            select(CandidateBadge.candidate_id, func.count())
            .where(CandidateBadge.candidate_id.in_([c.id for c in rows]))
            .group_by(CandidateBadge.candidate_id)
        ).all()
    )
    by_status = dict(
        db.session.execute(
            select(Candidate.status, func.count()).where(Candidate.vacancy_id == vacancy.id).group_by(Candidate.status)
        ).all()
    )
    return CandidatesPage(rows, counts, page, pages, total, by_status)


@dataclass(frozen=True)
class CompareFilters:
    """Which candidates are compared: shortlisted by default, or those at another status, or all."""

    status: str = "shortlisted"
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> CompareFilters:
        status = args.get("status", "shortlisted")
        return cls(
            status=status if status in CANDIDATE_STATUS_LABELS or status == "all" else "shortlisted",
            page=_page_arg(args),
        )

    def query_args(self) -> dict[str, str]:
        return {"status": self.status}


def _compare_stmt(vacancy: Vacancy, filters: CompareFilters):
    stmt = select(Candidate).where(Candidate.vacancy_id == vacancy.id)
    if filters.status != "all":
        stmt = stmt.where(Candidate.status == filters.status)
    return _ordered(stmt, "fit")


def compare_page(vacancy: Vacancy, filters: CompareFilters, per_page: int) -> tuple[list[Candidate], int, int]:
    total = compared_count(vacancy, filters)
    pages = max(1, -(-total // per_page))
    page = min(filters.page, pages)
    stmt = _compare_stmt(vacancy, filters).limit(per_page).offset((page - 1) * per_page)
    return list(db.session.scalars(stmt)), page, pages


def compared_count(vacancy: Vacancy, filters: CompareFilters) -> int:
    """How many candidates the comparison's filters take in (one COUNT)."""
    stmt = _compare_stmt(vacancy, filters).order_by(None)
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def compared(vacancy: Vacancy, filters: CompareFilters, limit: int) -> list[Candidate]:
    return list(db.session.scalars(_compare_stmt(vacancy, filters).limit(limit)))
