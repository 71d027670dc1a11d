"""What each person sees: their caseload (filtered, counted, paginated) and what is waiting for
them. The number of queries is fixed whatever the caseload's size.

Whose apprentices are in a caseload: HR sees the employer's, a coordinator the provider's, a
line manager their own reports', an assessor those they assess (directly or through a cohort),
an apprentice their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from math import ceil

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import (
    Apprenticeship,
    Cohort,
    Membership,
    OffTheJobEntry,
    Party,
    ProgressReview,
    ReviewAction,
    User,
)
from app.models.programmes import cohort_assessors
from app.security.permissions import Permission
from app.security.policy import is_apprenticeship_assessor, parties_of, permissions_of
from app.services.apprenticeships.progress import Progress, counts, progress_of

PER_PAGE = 25
_LOAD = (
    db.joinedload(Apprenticeship.apprentice).joinedload(Membership.user),
    db.selectinload(Apprenticeship.cohort).selectinload(Cohort.assessors),
    db.selectinload(Apprenticeship.line_manager).joinedload(Membership.user),
)


def scope(membership: Membership):
    """The SQL condition for the apprenticeships in `membership`'s caseload."""
    granted = permissions_of(membership)
    org_id = membership.organisation_id
    if Permission.APPRENTICESHIPS_OVERSEE in granted or Permission.COHORTS_MANAGE in granted:
        return or_(Apprenticeship.employer_id == org_id, Apprenticeship.provider_id == org_id)
    assessed = select(cohort_assessors.c.cohort_id).where(cohort_assessors.c.membership_id == membership.id)
    return or_(
        Apprenticeship.apprentice_id == membership.id,
        (Apprenticeship.employer_id == org_id) & (Apprenticeship.line_manager_id == membership.id),
        (Apprenticeship.provider_id == org_id)
        & or_(Apprenticeship.assessor_id == membership.id, Apprenticeship.cohort_id.in_(assessed)),
    )


def has_caseload(membership: Membership | None) -> bool:
    if membership is None:
        return False
    return db.session.scalar(select(Apprenticeship.id).where(scope(membership)).limit(1)) is not None


@dataclass
class Filters:
    q: str = ""
    status: str = ""
    progress: str = ""
    cohort_id: int | None = None
    partner_id: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> Filters:
        def number(name: str) -> int | None:
            value = args.get(name, "")
            return int(value) if value.isdigit() and len(value) < 10 else None

        return cls(
            q=args.get("q", "").strip()[:100],
            status=args.get("status", "")[:30],
            progress=args.get("progress", "")[:20],
            cohort_id=number("cohort"),
            partner_id=number("partner"),
            page=max(1, number("page") or 1),
        )

    def as_args(self) -> dict:
        found = {
            "q": self.q,
            "status": self.status,
            "progress": self.progress,
            "cohort": self.cohort_id,
            "partner": self.partner_id,
        }
        return {k: v for k, v in found.items() if v}


@dataclass
class Caseload:
    rows: list[Progress]
    total: int
    page: int
    pages: int
    counts: dict[str, int]
    everyone: list[Progress] = field(repr=False, default_factory=list)


def caseload(membership: Membership, filters: Filters, today: date, per_page: int = PER_PAGE) -> Caseload:
    """The filtered caseload, one page of it, and the on track / at risk / off track counts."""
    stmt = select(Apprenticeship).where(scope(membership)).options(*_LOAD)
    if filters.q:
        stmt = stmt.join(Membership, Apprenticeship.apprentice_id == Membership.id).join(
            User, Membership.user_id == User.id
        )
        stmt = stmt.where(func.lower(User.name).contains(filters.q.lower(), autoescape=True))
    if filters.status:
        stmt = stmt.where(Apprenticeship.status == filters.status)
    if filters.cohort_id:
        stmt = stmt.where(Apprenticeship.cohort_id == filters.cohort_id)
    if filters.partner_id:
        stmt = stmt.where(
            or_(Apprenticeship.employer_id == filters.partner_id, Apprenticeship.provider_id == filters.partner_id)
        )
    everyone = progress_of(list(db.session.scalars(stmt).unique()), today)
    everyone.sort(key=lambda p: p.apprenticeship.apprentice.user.name.lower())
    tally = counts(everyone)
    if filters.progress:
        everyone = [p for p in everyone if p.status is not None and p.status.value == filters.progress]
    pages = max(1, ceil(len(everyone) / per_page))
    page = min(filters.page, pages)
    rows = everyone[(page - 1) * per_page : page * per_page]
    return Caseload(rows, len(everyone), page, pages, tally, everyone)


@dataclass
class ToDo:
    plans_to_accept: list[Apprenticeship]
    reviews_to_sign: list[ProgressReview]
    entries_to_confirm: int
    reviews_due_soon: list[ProgressReview]
    overdue_reviews: list[ProgressReview]
    overdue_actions: int

    @property
    def total(self) -> int:
        return (
            len(self.plans_to_accept)
            + len(self.reviews_to_sign)
            + self.entries_to_confirm
            + len(self.reviews_due_soon)
            + len(self.overdue_reviews)
            + self.overdue_actions
        )


def todo(membership: Membership, today: date, limit: int = 10) -> ToDo:
    """What is waiting for `membership` across their caseload, in a fixed number of queries."""
    cases = list(
        db.session.scalars(
            select(Apprenticeship)
            .where(
                scope(membership), Apprenticeship.status.in_(("planned", "active", "break_in_learning", "at_gateway"))
            )
            .options(*_LOAD)
        ).unique()
    )
    parties = {a.id: parties_of(membership, a) for a in cases}
    plans = [a for a in cases if _may_still_accept(a, parties[a.id], membership)]
    ids = [a.id for a in cases]
    # Reviews fall due only while the apprenticeship runs (not before it starts, nor in a break).
    reviewed = [a.id for a in cases if a.status in ("active", "at_gateway")]
    open_reviews = (
        list(
            db.session.scalars(
                select(ProgressReview)
                .where(ProgressReview.apprenticeship_id.in_(reviewed), ProgressReview.locked_at.is_(None))
                .order_by(ProgressReview.due_date)
            )
        )
        if reviewed
        else []
    )
    to_sign = [
        r
        for r in open_reviews
        if r.held_on is not None
        and parties[r.apprenticeship_id] - {Party(s.party) for s in r.signatures}
        and membership.user_id not in {s.user_id for s in r.signatures}
    ]
    assessing = [a.id for a in cases if is_apprenticeship_assessor(membership, a)]
    entries = (
        db.session.scalar(
            select(func.count(OffTheJobEntry.id)).where(
                OffTheJobEntry.apprenticeship_id.in_(assessing),
                OffTheJobEntry.confirmed_at.is_(None),
                OffTheJobEntry.recorded_by_id != membership.user_id,
            )
        )
        if assessing
        else 0
    )
    actions = (
        db.session.scalar(
            select(func.count(ReviewAction.id)).where(
                ReviewAction.apprenticeship_id.in_(ids), ReviewAction.done_at.is_(None), ReviewAction.due_date < today
            )
        )
        if ids
        else 0
    )
    soon = [r for r in open_reviews if today <= r.due_date <= today + timedelta(days=7)]
    overdue = [r for r in open_reviews if r.due_date < today]
    return ToDo(plans[:limit], to_sign[:limit], entries or 0, soon[:limit], overdue[:limit], actions or 0)


def _may_still_accept(apprenticeship: Apprenticeship, parties: set[Party], membership: Membership) -> bool:
    accepted = apprenticeship.accepted_parties()
    already = any(a.user_id == membership.user_id for a in accepted.values())
    return bool(parties - set(accepted)) and not already


def cohort_summaries(provider, today: date) -> list[tuple[Cohort, dict[str, int], int]]:
    """Each cohort of the provider with its on track / at risk / off track counts and size."""
    cohorts = list(
        db.session.scalars(
            select(Cohort).where(Cohort.organisation_id == provider.id).order_by(Cohort.start_date.desc(), Cohort.name)
        )
    )
    everyone = progress_of(
        list(
            db.session.scalars(
                select(Apprenticeship).where(Apprenticeship.provider_id == provider.id).options(*_LOAD)
            ).unique()
        ),
        today,
    )
    by_cohort: dict[int, list[Progress]] = {}
    for p in everyone:
        by_cohort.setdefault(p.apprenticeship.cohort_id, []).append(p)
    return [(c, counts(by_cohort.get(c.id, [])), len(by_cohort.get(c.id, []))) for c in cohorts]


def own_apprenticeships(membership: Membership) -> list[Apprenticeship]:
    return list(
        db.session.scalars(
            select(Apprenticeship)
            .where(Apprenticeship.apprentice_id == membership.id)
            .order_by(Apprenticeship.start_date.desc())
        )
    )
