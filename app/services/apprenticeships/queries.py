"""What each person sees: their caseload (filtered, counted, paginated) and what is waiting for
them, in a fixed number of queries whatever the caseload's size.

A caseload is every apprenticeship the person acts for as one of the three parties (the
policy's `party_conditions`): HR sees the employer's, a coordinator the provider's, a line
manager their own reports', an assessor those they assess (directly or through a cohort), an
apprentice their own. Figures for the whole caseload come from `progress.figures_where` as
plain rows; only the page shown is loaded as objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil

from sqlalchemy import and_, exists, func, or_, select

from app.extensions import db
from app.models import (
    Apprenticeship,
    Cohort,
    Membership,
    OffTheJobEntry,
    PlanAcceptance,
    Programme,
    ProgressReview,
    ReviewAction,
    ReviewSignature,
    User,
)
from app.security.policy import assessor_condition, party_conditions
from app.services.apprenticeships.progress import Progress, counts, figures_where

PER_PAGE = 25
RUNNING = ("active", "break_in_learning")
UNDER_WAY = ("planned", "active", "break_in_learning", "at_gateway")
_LOAD = (db.joinedload(Apprenticeship.apprentice).joinedload(Membership.user),)


def scope(membership: Membership):
    """The SQL condition for the apprenticeships in `membership`'s caseload."""
    return or_(*party_conditions(membership).values())


def has_caseload(membership: Membership | None) -> bool:
    if membership is None:
        return False
    return db.session.scalar(select(Apprenticeship.id).where(scope(membership)).limit(1)) is not None


def needing_attention(membership: Membership) -> dict[str, int]:
    """How many apprentices in this person's caseload (not counting themselves) are at risk and
    off track, by their kept status: one grouped query."""
    rows = db.session.execute(
        select(Apprenticeship.progress_status, func.count(Apprenticeship.id))
        .where(
            scope(membership),
            Apprenticeship.apprentice_id != membership.id,
            Apprenticeship.progress_status.in_(("at_risk", "off_track")),
        )
        .group_by(Apprenticeship.progress_status)
    ).all()
    return {str(status): n for status, n in rows}


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

    def condition(self, membership: Membership):
        parts = [scope(membership)]
        if self.status:
            parts.append(Apprenticeship.status == self.status)
        if self.cohort_id:
            parts.append(Apprenticeship.cohort_id == self.cohort_id)
        if self.partner_id:
            parts.append(
                or_(Apprenticeship.employer_id == self.partner_id, Apprenticeship.provider_id == self.partner_id)
            )
        if self.q:
            named = (
                select(Membership.id)
                .join(User, Membership.user_id == User.id)
                .where(func.lower(User.name).contains(self.q.lower(), autoescape=True))
            )
            parts.append(Apprenticeship.apprentice_id.in_(named))
        return and_(*parts)


@dataclass
class Caseload:
    rows: list[Progress]
    total: int
    page: int
    pages: int
    counts: dict[str, int]


def caseload(membership: Membership, filters: Filters, today: date, per_page: int = PER_PAGE) -> Caseload:
    """One page of the filtered caseload, by name, and its on track / at risk / off track counts."""
    condition = filters.condition(membership)
    figures = figures_where(condition, today)
    tally = counts(figures.values())
    names = db.session.execute(
        select(Apprenticeship.id, User.name)
        .join(Membership, Apprenticeship.apprentice_id == Membership.id)
        .join(User, Membership.user_id == User.id)
        .where(condition)
        .order_by(func.lower(User.name), Apprenticeship.id)
    ).all()
    ordered = [a for a, _ in names]
    if filters.progress:
        ordered = [a for a in ordered if (p := figures[a].progress) is not None and p.value == filters.progress]
    pages = max(1, ceil(len(ordered) / per_page))
    page = min(filters.page, pages)
    shown = ordered[(page - 1) * per_page : page * per_page]
    loaded = {
        a.id: a for a in db.session.scalars(select(Apprenticeship).where(Apprenticeship.id.in_(shown)).options(*_LOAD))
    }
    return Caseload([Progress(loaded[a], figures[a]) for a in shown], len(ordered), page, pages, tally)


@dataclass
class ToDo:
    """Counts of what is waiting, each with its first few items as plain rows: plans
    (`apprenticeship_id`, `name`) and reviews (`id`, `apprenticeship_id`, `number`, `due_date`,
    `name`)."""

    plans_to_accept: list
    plans_count: int
    reviews_to_sign: list
    reviews_to_sign_count: int
    entries_to_confirm: int
    reviews_due_soon: list
    reviews_due_soon_count: int
    overdue_reviews: list
    overdue_reviews_count: int
    overdue_actions: int

    @property
    def total(self) -> int:
        return (
            self.plans_count
            + self.reviews_to_sign_count
            + self.entries_to_confirm
            + self.reviews_due_soon_count
            + self.overdue_reviews_count
            + self.overdue_actions
        )


PLAN_ROW = (Apprenticeship.id.label("apprenticeship_id"), User.name.label("name"))
REVIEW_ROW = (
    ProgressReview.id.label("id"),
    ProgressReview.apprenticeship_id.label("apprenticeship_id"),
    ProgressReview.number.label("number"),
    ProgressReview.due_date.label("due_date"),
    User.name.label("name"),
)


def _first_and_count(condition, columns, order, limit: int) -> tuple[list, int]:
    """How many apprenticeships (or their reviews) match, and the first `limit` as rows."""
    base = (
        select(*columns)
        .select_from(Apprenticeship)
        .join(Membership, Apprenticeship.apprentice_id == Membership.id)
        .join(User, Membership.user_id == User.id)
    )
    if columns is REVIEW_ROW:
        base = base.join(ProgressReview, ProgressReview.apprenticeship_id == Apprenticeship.id)
    stmt = base.where(condition)
    count = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    return (list(db.session.execute(stmt.order_by(*order).limit(limit)).all()) if count else []), count


def todo(membership: Membership, today: date, limit: int = 10) -> ToDo:
    """What is waiting for `membership`: each count is one query, with the first few named."""
    parties = party_conditions(membership)
    me = membership.user_id

    def accepted_by(party: str):
        # The party has accepted the current plan, or the person has (for another party).
        return exists().where(
            PlanAcceptance.apprenticeship_id == Apprenticeship.id,
            PlanAcceptance.plan_version == Apprenticeship.plan_version,
            or_(PlanAcceptance.party == party, PlanAcceptance.user_id == me),
        )

    def signed_by(party: str):
        return exists().where(
            ReviewSignature.review_id == ProgressReview.id,
            or_(ReviewSignature.party == party, ReviewSignature.user_id == me),
        )

    plans = _first_and_count(
        and_(
            Apprenticeship.status.in_(UNDER_WAY),
            or_(*(and_(condition, ~accepted_by(party.value)) for party, condition in parties.items())),
        ),
        PLAN_ROW,
        (Apprenticeship.id,),
        limit,
    )
    to_sign = _first_and_count(
        and_(
            ProgressReview.locked_at.is_(None),
            ProgressReview.held_on.is_not(None),
            or_(*(and_(condition, ~signed_by(party.value)) for party, condition in parties.items())),
        ),
        REVIEW_ROW,
        (ProgressReview.due_date,),
        limit,
    )
    entries = db.session.scalar(
        select(func.count(OffTheJobEntry.id))
        .join(Apprenticeship, OffTheJobEntry.apprenticeship_id == Apprenticeship.id)
        .where(
            assessor_condition(membership), OffTheJobEntry.confirmed_at.is_(None), OffTheJobEntry.recorded_by_id != me
        )
    )
    # Reviews fall due only while the apprenticeship runs (not before it starts, nor in a break).
    open_review = and_(
        scope(membership), Apprenticeship.status.in_(("active", "at_gateway")), ProgressReview.locked_at.is_(None)
    )
    soon = _first_and_count(
        and_(open_review, ProgressReview.due_date >= today, ProgressReview.due_date <= today + timedelta(days=7)),
        REVIEW_ROW,
        (ProgressReview.due_date,),
        limit,
    )
    overdue = _first_and_count(
        and_(open_review, ProgressReview.due_date < today), REVIEW_ROW, (ProgressReview.due_date,), limit
    )
    actions = db.session.scalar(
        select(func.count(ReviewAction.id))
        .join(Apprenticeship, ReviewAction.apprenticeship_id == Apprenticeship.id)
        .where(
            scope(membership),
            Apprenticeship.status.in_(RUNNING),
            ReviewAction.done_at.is_(None),
            ReviewAction.due_date < today,
        )
    )
    return ToDo(*plans, *to_sign, entries or 0, *soon, *overdue, actions or 0)


def cohort_summaries(provider, today: date) -> list[tuple[Cohort, dict[str, int], int]]:
    """Each cohort of the provider with its on track / at risk / off track counts and size."""
    cohorts = list(
        db.session.scalars(
            select(Cohort).where(Cohort.organisation_id == provider.id).order_by(Cohort.start_date.desc(), Cohort.name)
        )
    )
    figures = figures_where(Apprenticeship.provider_id == provider.id, today)
    cohort_of = dict(
        db.session.execute(
            select(Apprenticeship.id, Apprenticeship.cohort_id).where(Apprenticeship.provider_id == provider.id)
        ).all()
    )
    by_cohort: dict[int, list] = {}
    for a, f in figures.items():
        by_cohort.setdefault(cohort_of[a], []).append(f)
    return [(c, counts(by_cohort.get(c.id, [])), len(by_cohort.get(c.id, []))) for c in cohorts]


def own_apprenticeships(membership: Membership) -> list[Apprenticeship]:
    return list(
        db.session.scalars(
            select(Apprenticeship)
            .where(Apprenticeship.apprentice_id == membership.id)
            .order_by(Apprenticeship.start_date.desc())
        )
    )


def caseload_programmes(membership: Membership) -> list:
    """The programme versions of the person's caseload, by title."""
    return list(
        db.session.scalars(
            select(Programme)
            .where(Programme.id.in_(select(Apprenticeship.programme_id).where(scope(membership))))
            .options(db.selectinload(Programme.outcomes))
            .order_by(Programme.title, Programme.version)
        )
    )
