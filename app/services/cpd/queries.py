"""Reading CPD: who may see which requests, filtered lists, the HR dashboard, a person's CPD
record, a department's history, the budget chart, and CSV exports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import and_, func, or_, select

from app.extensions import db
from app.models import Membership, MembershipStatus, User
from app.models.cpd import STATUS_LABELS, CpdBudget, LearningAgreement, Sponsorship, SponsorshipStatus
from app.models.cpd import SponsorshipStatus as S
from app.security.permissions import Permission
from app.security.policy import cpd_drafts_hidden, is_cpd_approver, permissions_of
from app.services.cpd import budgets

PAGE_SIZE = 25
FINISHED = {S.COMPLETED}
LIVE_MONEY = {S.APPROVED, S.APPROVED_WITH_CONDITIONS, S.ENROLLED, S.COMPLETED, S.NOT_COMPLETED}


# -- who sees what ---------------------------------------------------------------------------


def visible_requests(membership: Membership):
    """Requests this person may see: all of them for HR; their own and their reports' otherwise."""
    stmt = select(Sponsorship).where(
        Sponsorship.organisation_id == membership.organisation_id, cpd_drafts_hidden(membership.user_id)
    )
    if is_cpd_approver(membership):
        return stmt
    reports = select(Membership.user_id).where(Membership.line_manager_id == membership.id)
    return stmt.where(or_(Sponsorship.person_id == membership.user_id, Sponsorship.person_id.in_(reports)))


# -- filtered list ---------------------------------------------------------------------------


@dataclass
class RequestFilters:
    status: str = ""
    department: str = ""
    year: int | None = None
    person: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> RequestFilters:
        status = args.get("status", "")
        try:
            year = int(args["year"]) if args.get("year") else None
        except ValueError:
            year = None
        try:
            page = min(max(1, int(args.get("page", 1))), 100_000)  # the database's integers are finite
        except ValueError:
            page = 1
        return cls(
            status=status if status in STATUS_LABELS else "",
            department=args.get("department", "").strip()[:120],
            year=year,
            person=args.get("person", "").strip()[:200],
            page=page,
        )

    def query_args(self, **changes) -> dict:
        values = {
            "status": self.status,
            "department": self.department,
            "year": self.year or "",
            "person": self.person,
            "page": self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)}


@dataclass
class RequestPage:
    items: list[Sponsorship]
    page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _filtered(membership: Membership, f: RequestFilters):
    stmt = visible_requests(membership)
    if f.status:
        stmt = stmt.where(Sponsorship.status == f.status)
    if f.department:
        stmt = stmt.where(Sponsorship.department == f.department)
    if f.year:
        start, end = budgets.financial_year_bounds(f.year)
        stmt = stmt.where(Sponsorship.start_date >= start, Sponsorship.start_date < end)
    if f.person:
        needle = f"%{f.person.lower()}%"
        stmt = stmt.join(User, User.id == Sponsorship.person_id).where(
            or_(func.lower(User.name).like(needle), func.lower(User.email).like(needle))
        )
    return stmt


def search(membership: Membership, f: RequestFilters, *, everything: bool = False) -> RequestPage:
    """One page of the requests this person may see, newest first (all of them for exports)."""
    stmt = _filtered(membership, f)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    stmt = stmt.order_by(Sponsorship.created_at.desc(), Sponsorship.id.desc())
    if not everything:
        stmt = stmt.limit(PAGE_SIZE).offset((f.page - 1) * PAGE_SIZE)
    return RequestPage(list(db.session.scalars(stmt)), f.page, total)


def membership_ids(org_id: int, requests: list[Sponsorship]) -> dict[int, int]:
    """user id -> membership id in the employer, for linking names to CPD records (one query)."""
    users = {s.person_id for s in requests}
    if not users:
        return {}
    return dict(
        db.session.execute(
            select(Membership.user_id, Membership.id).where(
                Membership.organisation_id == org_id, Membership.user_id.in_(users)
            )
        ).all()
    )


def departments(org) -> list[str]:
    """Departments with people, budgets or requests, for filters and forms."""

    names = set(
        db.session.scalars(
            select(Membership.department)
            .where(Membership.organisation_id == org.id, Membership.department.is_not(None))
            .distinct()
        )
    )
    names |= set(db.session.scalars(select(CpdBudget.department).where(CpdBudget.organisation_id == org.id).distinct()))
    return sorted(n for n in names if n)


# -- dashboard -------------------------------------------------------------------------------


@dataclass
class DepartmentMoney:
    department: str
    allocated: int
    committed: int
    spent: int

    @property
    def remaining(self) -> int:
        return self.allocated - self.committed - self.spent


def money_by_department(org, year: int) -> list[DepartmentMoney]:
    return [
        DepartmentMoney(b.department, b.allocated_pence, b.committed_pence, b.spent_pence)
        for b in budgets.budgets_for(org, year)
    ]


def _waiting_condition(actor, membership: Membership):
    """Requests where this person is the one who must act next (endorse or decide), as SQL.

    The same rules as the transition table (see `workflow.available_actions`, which a test holds
    this to): line managers endorse their reports' submitted requests; HR decides endorsed
    requests they did not endorse or nominate, and submitted ones from people with no line
    manager. None when the person can do neither.
    """

    org_id = membership.organisation_id
    granted = permissions_of(membership)
    wanted = []
    if Permission.CPD_ENDORSE in granted:
        reports = select(Membership.user_id).where(
            Membership.line_manager_id == membership.id, Membership.organisation_id == org_id
        )
        wanted.append(and_(Sponsorship.status == S.SUBMITTED, Sponsorship.person_id.in_(reports)))
    if Permission.CPD_APPROVE in granted:
        inactive = select(Membership.id).where(
            Membership.organisation_id == org_id, Membership.status != MembershipStatus.ACTIVE
        )
        unmanaged = select(Membership.user_id).where(
            Membership.organisation_id == org_id,
            or_(Membership.line_manager_id.is_(None), Membership.line_manager_id.in_(inactive)),
        )
        wanted.append(
            and_(
                Sponsorship.status == S.ENDORSED,
                or_(Sponsorship.endorsed_by_id.is_(None), Sponsorship.endorsed_by_id != actor.id),
                or_(Sponsorship.nominated.is_(False), Sponsorship.created_by_id != actor.id),
            )
        )
        wanted.append(and_(Sponsorship.status == S.SUBMITTED, Sponsorship.person_id.in_(unmanaged)))
    if not wanted:
        return None
    return and_(Sponsorship.organisation_id == org_id, Sponsorship.person_id != actor.id, or_(*wanted))


def waiting_for(actor, membership: Membership, limit: int = 200) -> list[Sponsorship]:
    """Requests waiting for this person to endorse or decide, oldest first, in one query."""
    condition = _waiting_condition(actor, membership)
    if condition is None:
        return []
    return list(
        db.session.scalars(
            select(Sponsorship).where(condition).order_by(Sponsorship.submitted_at, Sponsorship.id).limit(limit)
        )
    )


def waiting_page(actor, membership: Membership, limit: int) -> tuple[list[Sponsorship], int]:
    """The ``limit`` requests waiting longest for this person, and how many wait in all (the count
    is only asked for when the list is full)."""
    first = waiting_for(actor, membership, limit)
    return first, len(first) if len(first) < limit else waiting_count(actor, membership)


def waiting_count(actor, membership: Membership) -> int:
    """How many requests wait for this person (one COUNT query; the dashboard's to-do)."""
    condition = _waiting_condition(actor, membership)
    if condition is None:
        return 0
    return db.session.scalar(select(func.count(Sponsorship.id)).where(condition)) or 0


def agreements_to_accept_count(user, org_id: int) -> int:
    """Learning agreements of ``user``'s approved requests they have not accepted (one query;
    the same conditions as `cpd_acceptance_refusal`)."""
    return (
        db.session.scalar(
            select(func.count(LearningAgreement.id))
            .join(Sponsorship, LearningAgreement.sponsorship_id == Sponsorship.id)
            .where(
                Sponsorship.organisation_id == org_id,
                Sponsorship.person_id == user.id,
                Sponsorship.status.in_([S.APPROVED, S.APPROVED_WITH_CONDITIONS]),
                LearningAgreement.accepted_at.is_(None),
            )
        )
        or 0
    )


def approvals_this_month(org, today: date | None = None, limit: int = 20) -> tuple[list[Sponsorship], int]:
    """The latest ``limit`` requests approved since the month began, and how many there were."""
    today = today or date.today()
    start = datetime(today.year, today.month, 1, tzinfo=UTC)
    condition = and_(Sponsorship.organisation_id == org.id, Sponsorship.approved_at >= start)
    latest = list(
        db.session.scalars(
            select(Sponsorship)
            .where(condition)
            .options(db.joinedload(Sponsorship.approved_by))
            .order_by(Sponsorship.approved_at.desc(), Sponsorship.id.desc())
            .limit(limit)
        )
    )
    total = (
        len(latest) if len(latest) < limit else db.session.scalar(select(func.count(Sponsorship.id)).where(condition))
    )
    return latest, total or 0


@dataclass
class ChartBar:
    label: str
    segments: list[tuple[str, str, int, float, float]] = field(default_factory=list)  # kind, label, pence, x, w
    y: float = 0
    allocated: int = 0


def budget_chart(
    rows: list[DepartmentMoney], width: int = 560, bar_height: int = 28, gap: int = 22, left: int = 0
) -> dict:
    """Geometry for a stacked horizontal bar chart (spent, committed, remaining) per department."""
    scale_max = max([r.allocated for r in rows] + [1])
    bars = []
    for i, row in enumerate(rows):
        bar = ChartBar(row.department, y=i * (bar_height + gap) + 24, allocated=row.allocated)
        x = float(left)
        for kind, label, value in (
            ("spent", "Spent", row.spent),
            ("committed", "Committed", row.committed),
            ("remaining", "Remaining", max(row.remaining, 0)),
        ):
            w = width * value / scale_max
            bar.segments.append((kind, label, value, x, w))
            x += w
        bars.append(bar)
    return {
        "bars": bars,
        "width": width + left,
        "bar_height": bar_height,
        "height": len(rows) * (bar_height + gap) + 30,
    }


# -- records and history ---------------------------------------------------------------------


@dataclass
class CpdRecord:
    person: User
    membership: Membership
    requests: list[Sponsorship]

    @property
    def completed(self) -> list[Sponsorship]:
        return [s for s in self.requests if s.status in FINISHED]

    @property
    def hours(self) -> int:
        return sum(s.hours or 0 for s in self.completed)

    @property
    def scqf_credits(self) -> int:
        return sum(s.scqf_credits or 0 for s in self.completed)

    @property
    def spent_pence(self) -> int:
        return sum(s.spent_pence for s in self.requests)


def person_record(membership: Membership, viewer_user_id: int | None = None) -> CpdRecord:
    """The person's CPD requests as `viewer_user_id` sees them (the person by default): someone
    else never sees their drafts."""
    viewer = membership.user_id if viewer_user_id is None else viewer_user_id
    requests = list(
        db.session.scalars(
            select(Sponsorship)
            .where(
                Sponsorship.organisation_id == membership.organisation_id,
                Sponsorship.person_id == membership.user_id,
                cpd_drafts_hidden(viewer),
            )
            .order_by(Sponsorship.start_date.desc().nulls_last(), Sponsorship.id.desc())
        )
    )
    return CpdRecord(membership.user, membership, requests)


def department_history(org, department: str, year: int | None) -> list[Sponsorship]:
    # A department's history is everyone's submitted requests: drafts stay their authors' own.
    stmt = select(Sponsorship).where(
        Sponsorship.organisation_id == org.id, Sponsorship.department == department, Sponsorship.status != "draft"
    )
    if year:
        start, end = budgets.financial_year_bounds(year)
        stmt = stmt.where(Sponsorship.start_date >= start, Sponsorship.start_date < end)
    return list(db.session.scalars(stmt.order_by(Sponsorship.start_date.desc().nulls_last(), Sponsorship.id.desc())))


def _spend_condition(org, year: int, department: str | None):
    start, end = budgets.financial_year_bounds(year)
    condition = and_(
        Sponsorship.organisation_id == org.id,
        Sponsorship.status.in_(LIVE_MONEY),
        Sponsorship.start_date >= start,
        Sponsorship.start_date < end,
    )
    return and_(condition, Sponsorship.department == department) if department else condition


def spend_rows(org, year: int, department: str | None = None) -> list[Sponsorship]:
    """Requests that committed or spent money in the year (by start date), for spend reports."""
    stmt = select(Sponsorship).where(_spend_condition(org, year, department))
    return list(db.session.scalars(stmt.order_by(Sponsorship.department, Sponsorship.start_date)))


def spend_count(org, year: int, department: str | None = None) -> int:
    """How many rows a spend report has (one COUNT: whether it is made in the background)."""
    return db.session.scalar(select(func.count(Sponsorship.id)).where(_spend_condition(org, year, department))) or 0


# -- CSV -------------------------------------------------------------------------------------


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        # Spreadsheet formula injection: a cell starting with = + - @ (or a tab or carriage
        # return) is shown as text. Empty cells must not match (`"" in "=+-@"` is true).
        writer.writerow(
            ["'" + v if isinstance(v, str) and v.startswith(("=", "+", "-", "@", "\t", "\r")) else v for v in row]
        )
    return out.getvalue()


def _pounds_plain(pence: int) -> str:
    return f"{pence / 100:.2f}"


def requests_csv(requests: list[Sponsorship]) -> str:
    return _csv(
        [
            "id",
            "person",
            "department",
            "course",
            "provider",
            "hub_micro_credential_id",
            "status",
            "start_date",
            "hours",
            "scqf_credits",
            "cost_gbp",
            "committed_gbp",
            "spent_gbp",
            "created_at",
        ],
        (
            [
                s.id,
                s.person.name,
                s.department or "",
                s.title,
                s.provider_name,
                s.micro_credential_id or "",
                SponsorshipStatus(s.status).value,
                s.start_date.isoformat() if s.start_date else "",
                s.hours,
                s.scqf_credits if s.scqf_credits is not None else "",
                _pounds_plain(s.cost_pence),
                _pounds_plain(s.committed_pence),
                _pounds_plain(s.spent_pence),
                s.created_at.date().isoformat(),
            ]
            for s in requests
        ),
    )


def spend_csv(org, year: int) -> str:
    rows = spend_rows(org, year)
    return _csv(
        [
            "financial_year",
            "department",
            "id",
            "person",
            "course",
            "status",
            "funding_source",
            "committed_gbp",
            "spent_gbp",
        ],
        (
            [
                budgets.financial_year_label(year),
                s.department or "",
                s.id,
                s.person.name,
                s.title,
                s.status,
                s.funding_source_year.funding_source.name if s.funding_source_year else "",
                _pounds_plain(s.committed_pence),
                _pounds_plain(s.spent_pence),
            ]
            for s in rows
        ),
    )
